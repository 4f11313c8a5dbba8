// Picks the transport for this window: the preload's IPC bridge under Electron, otherwise the
// browser host's WebSocket on the page's own origin, authenticated with the token the page was
// opened with (`/#token=…`, see takeAccessToken).
import { TOKEN_PARAM, webSocketProtocols, WS_PATH } from '../../src-preload/contract/wire';
import { BridgeClient } from './bridge-client';
import { ElectronTransport } from './electron-transport';
import { WebSocketTransport } from './websocket-transport';

export { BridgeClient, BridgeError, errorMessage } from './bridge-client';
export type { ConnectionStatus } from './transport';

/** sessionStorage key: per tab and per origin (port included), so a reload keeps it and no other page sees it. */
const TOKEN_STORAGE_KEY = 'bioxen.accessToken';

export interface TokenSources {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The browser host's access token. A fresh one arrives in the URL fragment, which no browser sends to
 * a server; it is moved into this tab's sessionStorage and taken out of the address bar (and so out of
 * history, bookmarks and screen shares). A reload finds it in sessionStorage.
 */
export function takeAccessToken({ location, history, sessionStorage }: TokenSources): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fresh = fragment.get(TOKEN_PARAM);
  if (fresh !== null) {
    fragment.delete(TOKEN_PARAM);
    const rest = fragment.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    if (fresh) {
      try {
        sessionStorage.setItem(TOKEN_STORAGE_KEY, fresh);
      } catch {
        // Storage disabled or full: this load still connects; a reload will need the URL again.
        return fresh;
      }
    }
  }
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? (fresh || null);
  } catch {
    return fresh || null;
  }
}

/** The contract socket's URL: the page's own host, no secret in it. */
export function webSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}`;
}

/** True in a browser tab opened without the host's token (no `#token=…`, none kept): it can never connect. */
let tokenMissing = false;
export function accessTokenMissing(): boolean {
  return tokenMissing;
}

export function createBridgeClient(): BridgeClient {
  if (window.bioxen) return new BridgeClient(new ElectronTransport(window.bioxen));
  const token = takeAccessToken(window);
  tokenMissing = !token;
  return new BridgeClient(new WebSocketTransport({ url: webSocketUrl(window.location), protocols: webSocketProtocols(token ?? '') }));
}

/** The window's one client; created on first use. */
let client: BridgeClient | null = null;
export function bridge(): BridgeClient {
  client ??= createBridgeClient();
  return client;
}
