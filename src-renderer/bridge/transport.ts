// A transport carries contract calls and events between the renderer and the services. Two exist:
// Electron IPC (window.bioxen from the preload) and a WebSocket to the browser host. The client on
// top of them is the only thing the rest of the renderer sees.
import type { Envelope } from '../../src-preload/contract/define';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface Transport {
  readonly kind: 'electron' | 'websocket';
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  /** Subscribe to one contract event; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Connection changes. A transport that reconnects reports `open` again, which is the cue to re-hydrate. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  readonly status: ConnectionStatus;
  dispose(): void;
}
