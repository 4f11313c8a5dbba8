// What both transports give the renderer: `window.bioxen` under Electron (preload), and the
// WebSocket client in a browser. The renderer's typed client wraps one of these.
import type { EventName, EventPayload, MethodInput, MethodName, MethodResult } from './index';

export interface BioxenBridge {
  /** Never rejects for service errors: they come back as `{ ok: false, error }`. */
  invoke<N extends MethodName>(name: N, input: MethodInput<N>): Promise<MethodResult<N>>;
  /** Returns the unsubscribe function. */
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}
