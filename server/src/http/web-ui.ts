import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The web app (the "API-tilgang" screens, `web/`) served at `/` from its production build.
 *
 * Every file of `web/dist` is read into memory once, at start: a request is answered by an exact
 * lookup of its path in that table, so no request path ever reaches the file system (no directory
 * traversal, no symlink surprises, no file that appeared after the build). The app talks only to
 * this server's /graphql and loads nothing from elsewhere, so its Content-Security-Policy is
 * stricter than the explorer's: no inline script or style, no eval.
 */

export const WEB_UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

interface WebFile {
  body: Buffer;
  /** Made at the first request that accepts gzip (undefined: not yet; null: not worth it). */
  gzipped: Buffer | null | undefined;
  compressible: boolean;
  contentType: string;
  cacheControl: string;
}

/** Answers a request for the web app, or returns false when the path is not one of its files. */
export type WebUiHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  securityHeaders: Readonly<Record<string, string>>,
) => boolean;

/** Where the build is: `web/dist` of the checkout, found upward from this file (src/ or dist/). */
export function findWebUiBuild(from: string = __dirname): string | null {
  let dir = resolve(from);
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'web', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path); // symlinks are not followed: only the build's own files
  }
  return out;
}

/** Reads the build into memory; null when there is no build (the server runs without the app). */
export function loadWebUi(buildDir: string | null = findWebUiBuild()): WebUiHandler | null {
  if (!buildDir || !statSync(buildDir, { throwIfNoEntry: false })?.isDirectory()) return null;
  const files = new Map<string, WebFile>();
  for (const path of filesUnder(buildDir)) {
    const ext = extname(path).toLowerCase();
    const contentType = CONTENT_TYPES[ext];
    if (!contentType) continue; // only types we can label correctly are served
    const body = readFileSync(path);
    const urlPath = '/' + relative(buildDir, path).split(sep).join('/');
    files.set(urlPath, {
      body,
      gzipped: undefined,
      compressible: COMPRESSIBLE.has(ext),
      contentType,
      // Vite names assets by content hash: they never change; the page itself is revalidated
      cacheControl: urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  const index = files.get('/index.html');
  if (!index) return null;
  files.set('/', index);

  return (req, res, pathname, securityHeaders) => {
    const file = files.get(pathname);
    if (!file) return false;
    const headers: Record<string, string> = {
      ...securityHeaders,
      'content-type': file.contentType,
      'content-security-policy': WEB_UI_CSP,
      'cache-control': file.cacheControl,
      vary: 'accept-encoding',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...securityHeaders, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Use GET or HEAD.');
      return true;
    }
    let body = file.body;
    if (file.compressible && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      if (file.gzipped === undefined) {
        const gzipped = gzipSync(file.body, { level: 9 });
        file.gzipped = gzipped.length < file.body.length ? gzipped : null;
      }
      if (file.gzipped) body = file.gzipped;
    }
    const gzip = body !== file.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
