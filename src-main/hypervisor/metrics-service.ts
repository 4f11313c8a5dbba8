// The workbench's metrics domain: one hypervisor connection at a time (endpoint from settings or the
// UI), the shared per-VM store, batched sample events for UIs, and the host calls of Lua VMs with
// the `metrics` capability. Samples arrive at up to thousands per second, so UIs get them in
// batches every `batchMs`, capped at `maxBatch` (the excess is counted, never queued without bound).
import { EventEmitter } from 'node:events';
import { HypervisorBridge, type BridgeOptions, type BridgeStatus } from './hypervisor-bridge';
import { DEFAULT_HYPERVISOR_HOST, DEFAULT_HYPERVISOR_PORT, endpointFromSetting } from './endpoint';
import { handleMetricsHostCall, METRICS_HOST_CALLS } from './metrics-host-calls';
import { MetricsStore, type MetricsStoreOptions, type StoredMetric } from './metrics-store';
import { DEFAULT_STREAM } from './metrics-stream-publisher';

export interface MetricsServiceOptions {
  /** The hypervisor to use when connect() names none (the settings' endpoint); default 127.0.0.1:12345. */
  endpoint?: string;
  /** Where Redis lives when samples should be republished (the embedded server's URL, or settings). */
  redisUrl?: () => string | undefined;
  /** Settles when `redisUrl` can be asked (e.g. once the embedded Redis is up); awaited by connect(). */
  redisReady?: () => Promise<unknown>;
  stream: string;
  batchMs: number;
  maxBatch: number;
  store: Partial<MetricsStoreOptions>;
  /** Bridge tuning (timeouts, backoff, line cap) for tests and power users. */
  bridge: Partial<Omit<BridgeOptions, 'host' | 'port' | 'store' | 'redis'>>;
}

export interface MetricsStatus {
  endpoint: string;
  bridge: BridgeStatus | null;
  /** Samples not delivered to UIs because a batch was full (they are still in the store). */
  batchDropped: number;
  /** A problem with the configured endpoint. */
  error?: string;
}

export interface MetricsServiceEvents {
  status: [MetricsStatus];
  samples: [StoredMetric[]];
}

const DEFAULTS: MetricsServiceOptions = { stream: DEFAULT_STREAM, batchMs: 50, maxBatch: 5_000, store: {}, bridge: {} };

export class MetricsService extends EventEmitter<MetricsServiceEvents> {
  readonly store: MetricsStore;
  private readonly options: MetricsServiceOptions;
  private bridge: HypervisorBridge | undefined;
  private endpoint = { host: DEFAULT_HYPERVISOR_HOST, port: DEFAULT_HYPERVISOR_PORT };
  private batch: StoredMetric[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private batchDropped = 0;
  private configured = false;
  private configError: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(options: Partial<MetricsServiceOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
    this.store = new MetricsStore(this.options.store);
    if (this.options.endpoint) {
      // A bad setting must not stop the workbench: keep the default and say why in the status.
      try {
        this.endpoint = endpointFromSetting(this.options.endpoint);
        this.configured = true;
      } catch (err) {
        this.configError = `hypervisor endpoint in Settings ignored: ${err instanceof Error ? err.message : String(err)}`;
      }
    }
  }

  /** Connects to the configured endpoint, if Settings name one; otherwise waits for connect(). */
  async start(): Promise<MetricsStatus> {
    return this.configured ? this.connect() : this.status();
  }

  /** Connects to `endpoint` (tcp://host:port, host:port, or the settings URL), replacing any current connection. */
  async connect(endpoint?: string): Promise<MetricsStatus> {
    const target = endpoint ? endpointFromSetting(endpoint) : this.endpoint;
    return this.serialized(async () => {
      await this.closeBridge();
      this.endpoint = target;
      await this.options.redisReady?.().catch(() => undefined);
      if (this.disposed) return this.status();
      const redisUrl = this.options.redisUrl?.();
      const bridge = new HypervisorBridge({
        ...this.options.bridge,
        ...target,
        store: this.store,
        ...(redisUrl && { redis: { url: redisUrl, stream: this.options.stream } }),
      });
      this.bridge = bridge;
      bridge.on('metric', (sample) => this.enqueue(sample));
      bridge.on('state', () => this.emit('status', this.status()));
      bridge.start();
      return this.status();
    });
  }

  disconnect(): Promise<MetricsStatus> {
    return this.serialized(async () => {
      await this.closeBridge();
      const status = this.status();
      this.emit('status', status);
      return status;
    });
  }

  status(): MetricsStatus {
    const status: MetricsStatus = { endpoint: `${this.endpoint.host}:${this.endpoint.port}`, bridge: this.bridge?.status() ?? null, batchDropped: this.batchDropped };
    if (this.configError) status.error = this.configError;
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
    await this.serialized(() => this.closeBridge());
    this.removeAllListeners();
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
  }
}
