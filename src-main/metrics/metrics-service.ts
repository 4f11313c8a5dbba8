// The workbench's metrics domain: one hypervisor connection at a time (endpoint from Settings, followed
// as they change, or from the UI), the shared per-VM store, batched sample events for UIs, and the host
// calls of Lua VMs with the `metrics` capability. Samples arrive at up to thousands per second, so UIs
// get them in batches every `batchMs`, capped at `maxBatch` (the excess is counted, never queued without bound).
import { EventEmitter } from 'node:events';
import type { MetricsStatus } from '../../src-preload/contract/metrics';
import { HypervisorBridge, type BridgeOptions } from './hypervisor-bridge';
import { DEFAULT_HYPERVISOR_HOST, DEFAULT_HYPERVISOR_PORT, endpointFromSetting } from './endpoint';
import { handleMetricsHostCall, METRICS_HOST_CALLS } from './metrics-host-calls';
import { MetricsStore, type MetricsStoreOptions, type StoredMetric } from './metrics-store';
import { DEFAULT_STREAM } from './metrics-stream-publisher';

export interface MetricsServiceOptions {
  /** The hypervisor to use when connect() names none (the settings' endpoint at start); default 127.0.0.1:12345. */
  endpoint?: string;
  /** Where Redis lives when samples should be republished (the embedded server's URL, or settings). */
  redisUrl?: () => string | undefined;
  /** Settles when `redisUrl` can be asked (e.g. once the embedded Redis is up); awaited before each (re)connect. */
  redisReady?: () => Promise<unknown>;
  /** The Redis stream samples are republished on (Settings' metricsStream), read at each (re)connect. */
  stream: () => string;
  batchMs: number;
  maxBatch: number;
  store: Partial<MetricsStoreOptions>;
  /** Bridge tuning (timeouts, backoff, line cap) for tests and power users. */
  bridge: Partial<Omit<BridgeOptions, 'host' | 'port' | 'store' | 'redis'>>;
}

export type { MetricsStatus } from '../../src-preload/contract/metrics';

/** What the settings store's `changed` event carries that matters here. */
interface ConnectionSettings {
  hypervisorEndpoint: string | null;
  redisUrl: string | null;
  metricsStream?: string;
}
export interface MetricsSettingsSource {
  on(event: 'changed', listener: (settings: ConnectionSettings) => void): unknown;
  off(event: 'changed', listener: (settings: ConnectionSettings) => void): unknown;
}

/** Something that emits `status` whenever Redis may have moved (OlFiService, which owns the embedded server). */
export interface RedisStatusSource {
  on(event: 'status', listener: () => void): unknown;
  off(event: 'status', listener: () => void): unknown;
}

export interface MetricsServiceEvents {
  status: [MetricsStatus];
  samples: [StoredMetric[]];
}

const DEFAULTS: MetricsServiceOptions = { stream: () => DEFAULT_STREAM, batchMs: 50, maxBatch: 5_000, store: {}, bridge: {} };

export class MetricsService extends EventEmitter<MetricsServiceEvents> {
  readonly store: MetricsStore;
  private readonly options: MetricsServiceOptions;
  private bridge: HypervisorBridge | undefined;
  /** The Redis URL and stream the open bridge republishes to. */
  private bridgeTarget: { redisUrl: string | undefined; stream: string } | undefined;
  /** Where a bridge should be open, and whether one should be: kept in call order, applied by sync(). */
  private endpoint = { host: DEFAULT_HYPERVISOR_HOST, port: DEFAULT_HYPERVISOR_PORT };
  private wanted = false;
  private batch: StoredMetric[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private batchDropped = 0;
  /** The republishing counters last sent with a status event, to tell UIs when samples start being dropped. */
  private publisherSeen = '0|';
  private configError: string | undefined;
  private bridgeError: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** A sync queued but not started yet: later requests join it, since it reads the wanted state when it runs. */
  private pendingSync: Promise<MetricsStatus> | undefined;
  private readonly detachers: Array<() => void> = [];
  private disposed = false;

  constructor(options: Partial<MetricsServiceOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    this.store = new MetricsStore(this.options.store);
    this.configure(this.options.endpoint);
  }

  /** Connects to the configured endpoint, if Settings name one; otherwise waits for connect(). */
  async start(): Promise<MetricsStatus> {
    return this.wanted ? this.sync() : this.status();
  }

  /** Connects to `endpoint` (tcp://host:port, host:port, or the settings URL), replacing any current connection. */
  async connect(endpoint?: string): Promise<MetricsStatus> {
    if (endpoint) this.endpoint = endpointFromSetting(endpoint);
    this.wanted = true;
    return this.sync();
  }

  disconnect(): Promise<MetricsStatus> {
    this.wanted = false;
    return this.sync();
  }

  /**
   * Follows Settings: a changed hypervisor endpoint replaces the one in use (also one chosen with connect());
   * a changed metrics stream or Redis URL reopens the bridge there. Returns a detach function.
   */
  attachSettings(settings: MetricsSettingsSource): () => void {
    let endpoint = this.options.endpoint ?? null;
    let stream = this.options.stream();
    const listener = (next: ConnectionSettings) => {
      const nextStream = next.metricsStream ?? stream;
      if (next.hypervisorEndpoint !== endpoint) {
        endpoint = next.hypervisorEndpoint;
        stream = nextStream;
        this.configure(endpoint ?? undefined);
        void this.sync();
      } else if (nextStream !== stream) {
        stream = nextStream;
        if (this.wanted) void this.sync();
      } else this.followRedisUrl();
    };
    settings.on('changed', listener);
    return this.detachOnDispose(() => settings.off('changed', listener));
  }

  /** Reopens the bridge when the Redis URL moves (an embedded server restarted on another port). Returns a detach function. */
  attachRedis(source: RedisStatusSource): () => void {
    const listener = () => this.followRedisUrl();
    source.on('status', listener);
    return this.detachOnDispose(() => source.off('status', listener));
  }

  status(): MetricsStatus {
    const status: MetricsStatus = { endpoint: `${this.endpoint.host}:${this.endpoint.port}`, bridge: this.bridge?.status() ?? null, batchDropped: this.batchDropped };
    const error = this.configError ?? this.bridgeError;
    if (error) status.error = error;
    return status;
  }

  /** Recent samples of every VM (least recently updated VM first), `points` per VM at most. */
  snapshot(points: number): { status: MetricsStatus; vms: { vm: string; samples: StoredMetric[] }[] } {
    const vms = this.store.vmIds().map((vm) => ({ vm, samples: this.store.history(vm).slice(-points) }));
    return { status: this.status(), vms };
  }

  /** Answers `require("bioxen.host").call(kind, data)` from a VM with the metrics capability. */
  hostCall(kind: string, data: unknown): unknown {
    return handleMetricsHostCall(this.store, kind, data);
  }

  /** Registers the metrics host calls with the engine (VMManager.handleCall). */
  attachHostCalls(engine: { handleCall(kind: string, handler: (vmId: string, data: unknown) => unknown): void }): void {
    for (const kind of METRICS_HOST_CALLS) engine.handleCall(kind, (_vmId, data) => this.hostCall(kind, data));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const detach of this.detachers.splice(0)) detach();
    await this.serialized(() => this.closeBridge());
    this.removeAllListeners();
  }

  /**
   * Makes the bridge match the wanted endpoint, stream and Redis: closes the open one and, when one is
   * wanted, opens the next. Runs in the queue, so quick changes never leave two bridges open.
   */
  private sync(): Promise<MetricsStatus> {
    const run = (this.pendingSync ??= this.serialized(async () => {
      if (this.pendingSync === run) this.pendingSync = undefined;
      await this.closeBridge();
      if (this.wanted && !this.disposed) await this.options.redisReady?.().catch(() => undefined);
      if (this.wanted && !this.disposed && !this.bridge) this.openBridge();
      const status = this.status();
      this.emit('status', status);
      return status;
    }));
    return run;
  }

  private openBridge(): void {
    const target = { redisUrl: this.options.redisUrl?.(), stream: this.options.stream() };
    let bridge: HypervisorBridge;
    try {
      bridge = new HypervisorBridge({
        ...this.options.bridge,
        ...this.endpoint,
        store: this.store,
        ...(target.redisUrl && { redis: { url: target.redisUrl, stream: target.stream } }),
      });
    } catch (err) {
      this.bridgeError = `the hypervisor bridge could not start: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    this.bridge = bridge;
    this.bridgeTarget = target;
    bridge.on('metric', (sample) => this.enqueue(sample));
    bridge.on('state', () => this.emit('status', this.status()));
    bridge.start();
  }

  /** Sets the wanted endpoint from Settings; a bad one leaves nothing wanted and says why in the status. */
  private configure(setting: string | undefined): void {
    this.endpoint = { host: DEFAULT_HYPERVISOR_HOST, port: DEFAULT_HYPERVISOR_PORT };
    this.wanted = false;
    this.configError = undefined;
    if (!setting) return;
    // A bad setting must not stop the workbench: keep the default and say why in the status.
    try {
      this.endpoint = endpointFromSetting(setting);
      this.wanted = true;
    } catch (err) {
      this.configError = `hypervisor endpoint in Settings ignored: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private followRedisUrl(): void {
    if (this.bridge && this.bridgeTarget?.redisUrl !== this.options.redisUrl?.()) void this.sync();
  }

  private detachOnDispose(detach: () => void): () => void {
    this.detachers.push(detach);
    return detach;
  }

  /** Connects and disconnects run one at a time, so two quick clicks never leave two bridges open. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async closeBridge(): Promise<void> {
    const bridge = this.bridge;
    this.bridge = undefined;
    this.bridgeTarget = undefined;
    this.bridgeError = undefined;
    if (bridge) {
      bridge.removeAllListeners();
      await bridge.stop();
    }
    this.flush();
  }

  private enqueue(sample: StoredMetric): void {
    if (this.batch.length >= this.options.maxBatch) {
      this.batchDropped++;
      return;
    }
    this.batch.push(sample);
    this.batchTimer ??= setTimeout(() => this.flush(), this.options.batchMs);
  }

  private flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    this.emit('samples', batch);
    this.reportRepublishing();
  }

  /** Republishing problems change no bridge state, so they get a status event of their own (at most one per batch). */
  private reportRepublishing(): void {
    const publisher = this.bridge?.status().publisher;
    if (!publisher) return;
    const seen = `${publisher.dropped}|${publisher.lastError ?? ''}`;
    if (seen === this.publisherSeen) return;
    this.publisherSeen = seen;
    this.emit('status', this.status());
  }
}
