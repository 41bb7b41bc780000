import fs from 'node:fs';
import path from 'node:path';
import { isAppUrl } from './appUrl.std.ts';
import { CONTENT_SECURITY_POLICY } from './csp.std.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Maps an app:// URL to a file under `root`, or null. Paths without an extension fall back to index.html so
 * client-side routes survive a reload. Lexical and symlink-resolved paths must both stay under the root.
 */
export async function resolveAppFile(root: string, url: string): Promise<string | null> {
  if (!isAppUrl(url)) return null;
  try {
    const pathname = decodeURIComponent(new URL(url).pathname);
    const relative = path.posix.extname(pathname) === '' ? 'index.html' : pathname.slice(1);
    const candidate = path.resolve(root, relative);
    if (!isInside(path.resolve(root), candidate)) return null;
    const [realRoot, realFile] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return null;
    return (await fs.promises.stat(realFile)).isFile() ? realFile : null;
  } catch {
    // Malformed escapes and missing files alike: not servable.
    return null;
  }
}

function respond(status: number, body: ConstructorParameters<typeof Response>[0], contentType: string): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
}

/** The app:// protocol handler: read-only files from the renderer build, each with the CSP header. */
export async function serveAppRequest(request: Request, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, null, 'text/plain; charset=utf-8');
  const file = await resolveAppFile(root, request.url);
  if (file === null) return respond(404, 'Not found', 'text/plain; charset=utf-8');
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  return respond(200, request.method === 'HEAD' ? null : await fs.promises.readFile(file), type);
}
