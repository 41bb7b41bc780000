/** The renderer is served from one privileged origin; anything else is foreign content. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

// Dot segments (also percent-encoded), encoded slashes, backslashes and NUL: the URL parser would quietly
// normalise some of these, so the raw string is refused instead of trusted after normalisation.
const TRAVERSAL = /(?:^|[/\\])(?:\.|%2e){1,2}(?:[/\\?#]|$)|%2f|%5c|%00|\\|\0/i;

export function isAppUrl(url: string): boolean {
  if (TRAVERSAL.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.pathname.startsWith('/')
  );
}
