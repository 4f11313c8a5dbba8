// A minimal contract client over one WebSocket, for Node tools (tests, the benchmark): no
// reconnects or queueing — the renderer has its own transport for that (src-renderer/bridge).
import WebSocket from 'ws';
import type { ContractError } from '../../src-preload/contract/define';
import type { BioxenBridge, EventName, MethodName } from '../../src-preload/contract/index';
import { webSocketProtocols, WS_PATH, type WsEvent, type WsReply } from '../../src-preload/contract/wire';

export interface ContractClient extends BioxenBridge {
  /** Fails every pending call with `unavailable` and closes the socket. */
  close(): void;
  /** Hears once, with a message saying why, when the connection closes from either side. */
  onClose(listener: (message: string) => void): () => void;
}

/** The host answered the upgrade with an HTTP status instead of a WebSocket (401: the token is wrong). */
export class HostRefusedError extends Error {
  override readonly name = 'HostRefusedError';
  constructor(readonly status: number) {
    super(`the host refused the connection: HTTP ${status}`);
  }
}

/** Connects to a browser host at `http://host:port` with its token. */
export async function connectContractClient(origin: string, token: string, headers: Record<string, string> = {}): Promise<ContractClient> {
  const url = new URL(WS_PATH, origin.replace(/^http/, 'ws'));
  const socket = new WebSocket(url, webSocketProtocols(token), { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new HostRefusedError(res.statusCode ?? 0)));
  });
  return contractClient(socket);
}

function contractClient(socket: WebSocket): ContractClient {
  let nextId = 1;
  const pending = new Map<number, (reply: WsReply) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const closeListeners = new Set<(message: string) => void>();

  const failAll = (error: ContractError) => {
    for (const [id, resolve] of pending) resolve({ id, ok: false, error });
    pending.clear();
  };

  socket.on('message', (data) => {
    let frame: Partial<WsReply & WsEvent>;
    try {
      frame = JSON.parse(String(data)) as Partial<WsReply & WsEvent>;
    } catch {
      return;
    }
    if (typeof frame.event === 'string') {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
    } else if (typeof frame.id === 'number') {
      const resolve = pending.get(frame.id);
      pending.delete(frame.id);
      resolve?.(frame as WsReply);
    }
  });
  socket.on('close', (code, reason) => {
    const message = `the connection to the workbench closed (${code}${reason.length ? `: ${reason}` : ''}) — if the host stopped, start it again with bioxen serve`;
    failAll({ code: 'unavailable', message });
    for (const listener of closeListeners) listener(message);
    closeListeners.clear();
  });

  return {
    invoke(name: MethodName, input: unknown) {
      if (socket.readyState !== WebSocket.OPEN) {
        return Promise.resolve({ ok: false, error: { code: 'unavailable', message: 'not connected to the workbench — connect again' } }) as never;
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (reply) => resolve(reply.ok ? { ok: true, value: reply.value } : { ok: false, error: reply.error }));
        socket.send(JSON.stringify({ id, method: name, input }));
      }) as never;
    },
    on(name: EventName, listener: (payload: never) => void) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      failAll({ code: 'unavailable', message: 'the connection was closed by the client' });
      socket.close(1000, 'closed by the client');
    },
  };
}
