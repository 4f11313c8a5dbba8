// The built renderer is loaded from app://bioxen/, a privileged custom scheme, instead of file://:
// every response comes from this handler and carries the header CSP (a file:// page gets no headers,
// so only the weaker <meta> policy applied), the page has a real origin that the IPC bridge and the
// navigation guards can recognise, and nothing else on the disk is reachable from it.
import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { electronCsp } from '../host/content-security-policy';
import { cacheControl, resolveServedFile, securityHeaders } from '../host/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'bioxen';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Must run before the app is ready. `standard` gives the scheme origins and relative URLs, `secure`
 * makes it a secure context; it does not bypass CSP.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** Serves the built renderer (out/renderer) on app://bioxen/; call after the app is ready. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir));
}

/** True only for our renderer's page: app://bioxen/index.html (any query or fragment). */
export function isAppRendererUrl(url: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.pathname === '/index.html';
}

export function appProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const headers = securityHeaders(electronCsp());
  const text = (status: number, body: string, extra: Record<string, string> = {}) =>
    new Response(`${body}\n`, { status, headers: { ...headers, ...extra, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  return async (request) => {
    const url = new URL(request.url);
    if (url.host.toLowerCase() !== APP_HOST) return text(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'method not allowed', { Allow: 'GET, HEAD' });
    const file = await resolveServedFile(rendererDir, url.pathname);
    if (!file) return text(404, 'not found');
    const body = request.method === 'HEAD' ? null : await readFile(file.path).catch(() => null);
    if (request.method === 'GET' && body === null) return text(404, 'not found');
    return new Response(body, {
      status: 200,
      headers: { ...headers, 'Content-Type': file.contentType, 'Content-Length': String(file.size), 'Cache-Control': cacheControl(file.path) },
    });
  };
}
