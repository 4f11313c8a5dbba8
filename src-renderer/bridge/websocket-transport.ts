// The browser host's WebSocket: {id, method, input} → {id, ok, value|error}; pushed {event, payload}.
// Calls made while disconnected wait for the next connection (bounded); calls in flight when the
// socket drops fail with `unavailable` because the host may or may not have run them.
import { errorSchema, type ContractError, type Envelope } from '../../src-preload/contract/define';
import type { ConnectionStatus, Transport } from './transport';

const MAX_QUEUED_CALLS = 200;
/** WebSocket.OPEN, spelled out so the transport also runs where no global WebSocket exists (Node 20 tests). */
const SOCKET_OPEN = 1;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];

interface PendingCall {
  resolve(envelope: Envelope<unknown>): void;
}

interface QueuedCall {
  frame: string;
  id: number;
}

export interface WebSocketTransportOptions {
  url: string;
  /** Offered subprotocols; the browser host's carry its access token (webSocketProtocols in wire.ts). */
  protocols?: string[];
  /** Injected so tests and non-browser hosts can supply their own implementation. */
  createSocket?: (url: string, protocols: string[]) => WebSocket;
}

export class WebSocketTransport implements Transport {
  readonly kind = 'websocket';
  status: ConnectionStatus = 'connecting';
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly queue: QueuedCall[] = [];
  private readonly eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(private readonly options: WebSocketTransportOptions) {
    this.connect();
  }

  invoke(name: string, input: unknown): Promise<Envelope<unknown>> {
    const id = this.nextId++;
    const frame = JSON.stringify({ id, method: name, input });
    return new Promise((resolve) => {
      this.pending.set(id, { resolve });
      if (this.socket?.readyState === SOCKET_OPEN) this.socket.send(frame);
      else if (this.queue.length < MAX_QUEUED_CALLS) this.queue.push({ frame, id });
      else this.settle(id, unavailable(`${name}: too many calls waiting for the workbench host to reconnect`));
    });
  }

  on(event: string, listener: (payload: unknown) => void) {
    let listeners = this.eventListeners.get(event);
    if (!listeners) this.eventListeners.set(event, (listeners = new Set()));
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void) {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  dispose() {
    this.disposed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.close();
    this.failInFlight('the workbench window was closed');
  }

  private connect() {
    this.setStatus('connecting');
    const socket = (this.options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols)))(this.options.url, this.options.protocols ?? []);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setStatus('open');
      for (const call of this.queue.splice(0)) socket.send(call.frame);
    };
    socket.onmessage = (message) => this.receive(String(message.data));
    // Every failure also closes the socket; onclose reports it and schedules the reconnect.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failInFlight('the connection to the workbench host was lost — it reconnects automatically; retry the action');
      this.setStatus('closed');
      if (!this.disposed) this.scheduleReconnect();
    };
  }

  private scheduleReconnect() {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]!;
    this.attempt++;
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private receive(data: string) {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const message = frame as Record<string, unknown>;
    if (typeof message.event === 'string') {
      for (const listener of this.eventListeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    if (typeof message.id !== 'number') return;
    const envelope = message.ok === true
      ? { ok: true as const, value: message.value }
      : { ok: false as const, error: normalizeError(message.error) };
    this.settle(message.id, envelope);
  }

  private settle(id: number, envelope: Envelope<unknown>) {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    call.resolve(envelope);
  }

  private failInFlight(message: string) {
    const queued = new Set(this.queue.map((call) => call.id));
    for (const id of [...this.pending.keys()]) if (!queued.has(id)) this.settle(id, unavailable(message));
  }

  private setStatus(status: ConnectionStatus) {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

function unavailable(message: string): Envelope<unknown> {
  return { ok: false, error: { code: 'unavailable', message } };
}

function normalizeError(error: unknown): ContractError {
  const parsed = errorSchema.safeParse(error);
  return parsed.success ? parsed.data : { code: 'internal', message: 'the workbench host sent a malformed error reply' };
}
