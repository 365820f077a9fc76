import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError } from '../http/respond';
import type { Router } from '../http/router';
import { monitorCsp } from './csp';

/**
 * Where `electron-vite build` puts the renderer. The same relative path holds from source
 * (main/monitor -> out/renderer) and from the bundle (out/main -> out/renderer).
 */
export const defaultMonitorDir = fileURLToPath(new URL('../../out/renderer', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const securityHeaders = {
  'content-security-policy': monitorCsp,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const notBuilt = (dir: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CodeTether monitor not built</title></head>
<body><h1>The CodeTether monitor is not built</h1>
<p>This host serves the monitor from <code>${dir.replace(/[<>&]/g, '')}</code>, which has no <code>index.html</code>.</p>
<p>Build it from the source checkout with <code>npm run build</code> (electron-vite writes <code>out/renderer</code>), then reload this page.
The API is up meanwhile: <a href="/healthz">/healthz</a>, <a href="/api/overview">/api/overview</a>.</p></body></html>`;

const assetName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function sendFile(res: ServerResponse, file: string, cache: string): void {
  const type = contentTypes[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-length': statSync(file).size, 'cache-control': cache, ...securityHeaders });
  createReadStream(file).pipe(res);
}

/**
 * Serves the built monitor: `/` and `/index.html` (never cached, so a new build shows at the
 * next load) and the content-hashed `/assets/*` (cached for good). When `dir` has no build,
 * `/` says how to make one.
 */
export function addStaticRoutes(router: Router, dir: string): void {
  const root = resolve(dir);
  const index = (_req: unknown, res: ServerResponse) => {
    const file = join(root, 'index.html');
    if (existsSync(file)) return sendFile(res, file, 'no-cache');
    const body = notBuilt(root);
    res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...securityHeaders });
    res.end(body);
  };
  router.add('GET', '/', index);
  router.add('GET', '/index.html', index);
  router.add('GET', '/assets/{file}', (_req, res, { file }) => {
    // Built asset names are short and plain (index-<hash>.js): anything else, a NUL or a name
    // longer than a file system allows among them, never reaches the file system.
    if (!assetName.test(file!)) return sendError(res, 400, 'bad_request', 'Not a monitor asset name.');
    const path = resolve(root, 'assets', file!);
    if (!path.startsWith(join(root, 'assets') + sep) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      return sendError(res, 404, 'not_found', `No monitor asset ${file}.`);
    }
    sendFile(res, path, 'public, max-age=31536000, immutable');
  });
}
