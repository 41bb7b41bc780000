/**
 * The renderer's Content-Security-Policy. main sends it as a response header on every app:// file; the
 * renderer build can embed CONTENT_SECURITY_POLICY_META in index.html so both layers agree. No inline or
 * eval'd script, no network, no framing.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** Browsers ignore (and warn about) frame-ancestors in a <meta> tag; the header still carries it. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.filter((directive) => !directive.startsWith('frame-ancestors')).join('; ');
