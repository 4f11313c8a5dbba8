// The renderer's Content-Security-Policy, sent as a header by both the browser host and the Electron
// window (app:// responses and the dev server's). It is stricter than the <meta> policy in
// src-renderer/index.html: connect-src names only the page's own socket, and frame-ancestors is header-only.
const BASE = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  // Monaco draws marker squiggles as data: SVG backgrounds.
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** Electron: the renderer talks over IPC; only the dev server's hot-reload socket is allowed in dev. */
export function electronCsp(devServerUrl?: string): string {
  const hmr = devServerUrl ? ` ${new URL(devServerUrl).origin.replace(/^http/, 'ws')}` : '';
  return [...BASE, "frame-ancestors 'none'", `connect-src 'self'${hmr}`].join('; ');
}

/** Browser host: the page may open the contract WebSocket back to the host that served it, and nothing else. */
export function browserHostCsp(pageHost: string): string {
  return [...BASE, `connect-src ws://${pageHost}`, "frame-ancestors 'none'"].join('; ');
}

export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
