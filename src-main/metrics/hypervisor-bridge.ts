// TCP client of a BioXen hypervisor (JSON metrics, default 127.0.0.1:12345; docs/hypervisor-messages.md).
// Owns its socket, the latest-per-VM store and, when a Redis URL is given, the stream publisher.
// States: idle → connecting → connected → backoff → connecting … ; stop() → stopped (final).
// Two connection styles, told apart per connection with no setting: a long-lived stream of
// newline-terminated samples, or one sample per connection that the peer ends by closing (BioXen's
// Python `send_to_lua`). A close after a sample is the latter's normal rhythm, so the bridge
// connects again at once and stays `connected`; only failures back off.
// Nothing a peer sends can throw out of the bridge: bad lines are counted, disconnects retried.
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import type { BridgeState, BridgeStatus, ConnectionStyle, InvalidLine, MetricMessage } from '../../src-preload/contract/metrics';
import { MetricIngest } from './metric-ingest';
import { MetricsStore, type MetricsStoreOptions, type StoredMetric } from './metrics-store';
import { MetricsStreamPublisher, type PublisherOptions } from './metrics-stream-publisher';
import { DEFAULT_HYPERVISOR_HOST, DEFAULT_HYPERVISOR_PORT, validateEndpoint } from './endpoint';

export type { BridgeState, BridgeStatus, ConnectionStyle } from '../../src-preload/contract/metrics';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A connection that stays up this long (or delivers a valid sample) resets the backoff. */
  stableMs: number;
}

export interface BridgeOptions {
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** Longest accepted line; longer lines are dropped without being buffered. */
  maxLineBytes: number;
  backoff: BackoffOptions;
  /** A store to fill (shared across reconnects to new endpoints), or the caps of a new one. */
  store: MetricsStore | Partial<MetricsStoreOptions>;
  /** Republish to this Redis server when set. */
  redis?: Pick<PublisherOptions, 'url'> & Partial<PublisherOptions>;
  now: () => number;
}

export const DEFAULT_BRIDGE_OPTIONS: BridgeOptions = {
  host: DEFAULT_HYPERVISOR_HOST,
  port: DEFAULT_HYPERVISOR_PORT,
  connectTimeoutMs: 5_000,
  maxLineBytes: 1024 * 1024,
  backoff: { initialMs: 200, maxMs: 10_000, stableMs: 2_000 },
  store: {},
  now: Date.now,
};

export interface BridgeEvents {
  state: [BridgeStatus];
  metric: [StoredMetric];
  invalid: [InvalidLine];
}

export class HypervisorBridge extends EventEmitter<BridgeEvents> {
  readonly store: MetricsStore;
  private readonly options: BridgeOptions;
  private readonly ingest: MetricIngest;
  private readonly publisher: MetricsStreamPublisher | undefined;
  private current: BridgeState = 'idle';
  private socket: Socket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private connections = 0;
  private connectedAt: number | undefined;
  private nextRetryAt: number | undefined;
  private lastError: string | undefined;
  private style: ConnectionStyle | undefined;
  /** Samples accepted on the open connection. */
  private connectionSamples = 0;

  constructor(options: Partial<BridgeOptions> = {}) {
    super();
    this.options = { ...DEFAULT_BRIDGE_OPTIONS, ...options, backoff: { ...DEFAULT_BRIDGE_OPTIONS.backoff, ...options.backoff } };
    validateEndpoint(this.options.host, this.options.port);
    this.store = this.options.store instanceof MetricsStore ? this.options.store : new MetricsStore(this.options.store);
    this.ingest = new MetricIngest(
      { maxLineBytes: this.options.maxLineBytes, recentInvalid: 20, now: this.options.now },
      (message) => this.accept(message),
      (invalid) => this.emit('invalid', invalid),
    );
    this.publisher = this.options.redis && new MetricsStreamPublisher(this.options.redis);
  }

  get state(): BridgeState {
    return this.current;
  }

  start(): void {
    if (this.current !== 'idle') return;
    this.connect();
  }

  status(): BridgeStatus {
    const status: BridgeStatus = {
      state: this.current,
      host: this.options.host,
      port: this.options.port,
      failures: this.failures,
      connections: this.connections,
      ingest: this.ingest.stats(),
      vms: this.store.vmIds().length,
    };
    if (this.connectedAt !== undefined) status.connectedAt = this.connectedAt;
    if (this.nextRetryAt !== undefined) status.nextRetryAt = this.nextRetryAt;
    if (this.lastError) status.lastError = this.lastError;
    if (this.style) status.style = this.style;
    if (this.publisher) status.publisher = this.publisher.stats();
    return status;
  }

  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    clearTimeout(this.timer);
    this.socket?.destroy();
    this.socket = undefined;
    this.setState('stopped');
    await this.publisher?.dispose();
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  /** Opens the next connection; `again` (after a per-connection document) keeps the `connected` state. */
  private connect(again = false): void {
    this.nextRetryAt = undefined;
    if (!again) this.setState('connecting');
    const socket = new Socket();
    this.socket = socket;
    this.connectionSamples = 0;
    let ended = false;
    socket.setNoDelay(true);
    socket.setTimeout(this.options.connectTimeoutMs, () => {
      socket.destroy(new Error(`no answer within ${this.options.connectTimeoutMs} ms`));
    });
    socket.on('connect', () => this.onConnect(socket));
    socket.on('data', (chunk: Buffer) => {
      this.ingest.push(chunk);
      if (this.publisher?.shouldHold()) this.hold(socket);
    });
    // The peer closed its side cleanly: what it sent without a newline is a whole document.
    socket.on('end', () => {
      ended = true;
      if (socket === this.socket && this.current !== 'stopped') this.ingest.end();
    });
    socket.on('error', (err: Error) => {
      this.lastError = `hypervisor ${this.options.host}:${this.options.port}: ${err.message}`;
    });
    socket.on('close', () => this.onClose(socket, ended));
    socket.connect(this.options.port, this.options.host);
  }

  private onConnect(socket: Socket): void {
    socket.setTimeout(0);
    this.connections++;
    this.lastError = undefined;
    if (this.current === 'connected') return;
    this.connectedAt = this.options.now();
    this.timer = setTimeout(() => (this.failures = 0), this.options.backoff.stableMs);
    this.setState('connected');
  }

  private onClose(socket: Socket, ended: boolean): void {
    if (socket !== this.socket || this.current === 'stopped') return;
    this.socket = undefined;
    // A reset (or a timeout) cut the connection: its unterminated rest counts only if it is whole JSON,
    // and is never carried over to the next connection.
    if (!ended) this.ingest.abort();
    if (this.connectionSamples > 0 && this.current === 'connected') {
      // One document per connection, as BioXen's Python side sends them: ask for the next one now.
      if (this.connectionSamples === 1) this.setStyle('per-connection');
      setImmediate(() => {
        if (this.current === 'connected' && !this.socket) this.connect(true);
      });
      return;
    }
    clearTimeout(this.timer);
    this.connectedAt = undefined;
    this.lastError ??= `hypervisor ${this.options.host}:${this.options.port} closed the connection`;
    this.failures++;
    const delay = this.backoffDelay();
    this.nextRetryAt = this.options.now() + delay;
    this.timer = setTimeout(() => this.connect(), delay);
    this.setState('backoff');
  }

  private backoffDelay(): number {
    const { initialMs, maxMs } = this.options.backoff;
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.failures - 1, 20));
    // Jitter so several workbenches do not reconnect in lockstep after a hypervisor restart.
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private accept(message: MetricMessage): void {
    this.failures = 0;
    if (++this.connectionSamples === 2) this.setStyle('stream');
    const sample: StoredMetric = { ...message, receivedAt: this.options.now() };
    this.store.add(sample);
    this.publisher?.publish(sample);
    this.emit('metric', sample);
  }

  /** Stops reading the hypervisor until the republish queue drains: TCP slows it down instead of samples being dropped. */
  private hold(socket: Socket): void {
    if (socket.isPaused()) return;
    socket.pause();
    const check = setInterval(() => {
      if (!socket.destroyed && !this.publisher!.drained()) return;
      clearInterval(check);
      if (!socket.destroyed) socket.resume();
    }, 10);
  }

  private setStyle(style: ConnectionStyle): void {
    if (this.style === style) return;
    this.style = style;
    this.emit('state', this.status());
  }

  private setState(state: BridgeState): void {
    this.current = state;
    this.emit('state', this.status());
  }
}
