// Picks the transport for this window: the preload's IPC bridge under Electron, otherwise the
// browser host's WebSocket on the page's own origin, authenticated with the token from the page URL.
import { TOKEN_PARAM, WS_PATH } from '../../src-preload/contract/wire';
import { BridgeClient } from './bridge-client';
import { ElectronTransport } from './electron-transport';
import { WebSocketTransport } from './websocket-transport';

export { BridgeClient, BridgeError, errorMessage } from './bridge-client';
export type { ConnectionStatus } from './transport';

export function webSocketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
}

export function createBridgeClient(): BridgeClient {
  if (window.bioxen) return new BridgeClient(new ElectronTransport(window.bioxen));
  return new BridgeClient(new WebSocketTransport({ url: webSocketUrl(window.location) }));
}

/** The window's one client; created on first use. */
let client: BridgeClient | null = null;
export function bridge(): BridgeClient {
  client ??= createBridgeClient();
  return client;
}
