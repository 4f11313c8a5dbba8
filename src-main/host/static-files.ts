// Serves the built renderer (out/renderer) read-only: GET/HEAD, no directory listings, nothing
// outside the root (not through a symlink either), every response with the security headers. The
// Electron window's app:// protocol resolves files with the same function.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Nothing about the workbench (paths, ports) goes to another site in a Referer.
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
  };
}

/** Resolves a URL path inside root, or null when it would escape it or cannot be decoded. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '');
  const full = join(root, relative);
  return full === root || full.startsWith(root + sep) ? full : null;
}

export interface ServedFile {
  /** The file's real path: every link followed, inside the root's real path. */
  path: string;
  size: number;
  contentType: string;
}

/**
 * The regular file a URL path names inside root, or null when it is missing, not a regular file, or
 * outside root once links are followed (a symlink in the build must not reach the rest of the disk).
 */
export async function resolveServedFile(root: string, urlPath: string): Promise<ServedFile | null> {
  const candidate = resolveInside(root, urlPath);
  if (!candidate) return null;
  const [realRoot, real] = await Promise.all([realpath(root).catch(() => null), realpath(candidate).catch(() => null)]);
  if (!realRoot || !real || !real.startsWith(realRoot + sep)) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return null;
  return { path: real, size: info.size, contentType: CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream' };
}

/** index.html is tiny and names the hashed bundles: always revalidate it; bundles are immutable. */
export function cacheControl(file: string): string {
  return file.endsWith('.html') ? 'no-store' : 'private, max-age=31536000, immutable';
}

export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, urlPath: string, headers: Record<string, string>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { ...headers, Allow: 'GET, HEAD' });
  const file = await resolveServedFile(root, urlPath);
  if (!file) {
    // Browsers ask for a favicon on their own; an empty answer keeps a 404 out of the page console.
    if (urlPath === '/favicon.ico') return void res.writeHead(204, headers).end();
    return sendText(res, 404, 'not found', headers);
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': file.contentType,
    'Content-Length': String(file.size),
    'Cache-Control': cacheControl(file.path),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${text}\n`);
}
