// Republishes accepted samples on a Redis stream (default `bioxen_metrics`) so the panel, the LÖVE
// visualizer and other workbenches share one feed. Entries: vm, t, metrics (the wire JSON).
// Samples wait in a bounded queue while Redis is unreachable (oldest dropped, counted) and go out
// in pipelined batches; ioredis' own offline queue is off because it has no bound.
import { Redis } from 'ioredis';
import { redactRedisUrl } from '../redis/redis-url';
import { toWire } from './metric-message';
import type { StoredMetric } from './metrics-store';

export interface PublisherOptions {
  url: string;
  stream: string;
  /** Approximate stream length kept by Redis (XADD MAXLEN ~). */
  maxLen: number;
  /** Samples held while Redis is down or slow. */
  queueLimit: number;
  batchSize: number;
}

export const DEFAULT_STREAM = 'bioxen_metrics';
export const DEFAULT_PUBLISHER_OPTIONS = { stream: DEFAULT_STREAM, maxLen: 100_000, queueLimit: 10_000, batchSize: 500 } as const;

export interface PublisherStats {
  stream: string;
  connected: boolean;
  published: number;
  dropped: number;
  queued: number;
  lastError?: string;
}

export class MetricsStreamPublisher {
  private readonly redis: Redis;
  private queue: StoredMetric[] = [];
  private flushing = false;
  private published = 0;
  private dropped = 0;
  private lastError: string | undefined;
  private disposed = false;
  private readonly options: PublisherOptions;

  constructor(options: Pick<PublisherOptions, 'url'> & Partial<PublisherOptions>) {
    this.options = { ...DEFAULT_PUBLISHER_OPTIONS, ...options };
    if (!/^[\w.:-]{1,200}$/.test(this.options.stream)) {
      throw new RangeError(`invalid Redis stream name "${this.options.stream}": use letters, digits, '_', '-', '.', ':'`);
    }
    this.redis = new Redis(this.options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 5_000),
    });
    this.redis.on('ready', () => this.flush());
    this.redis.on('error', (err: Error) => {
      this.lastError = `Redis at ${redactRedisUrl(this.options.url)}: ${err.message}`;
    });
  }

  publish(sample: StoredMetric): void {
    if (this.disposed) return;
    this.queue.push(sample);
    if (this.queue.length > this.options.queueLimit) {
      this.queue.shift();
      this.dropped++;
    }
    if (!this.flushing) queueMicrotask(() => this.flush());
  }

  stats(): PublisherStats {
    const stats: PublisherStats = {
      stream: this.options.stream,
      connected: this.redis.status === 'ready',
      published: this.published,
      dropped: this.dropped,
      queued: this.queue.length,
    };
    if (this.lastError) stats.lastError = this.lastError;
    return stats;
  }

  /** Sends what is queued (best effort, up to `waitMs`), then closes the connection. */
  async dispose(waitMs = 1_000): Promise<void> {
    if (this.disposed) return;
    const deadline = Date.now() + waitMs;
    while ((this.queue.length || this.flushing) && this.redis.status === 'ready' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    this.disposed = true;
    this.redis.disconnect();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.disposed) return;
    this.flushing = true;
    try {
      while (this.queue.length && this.redis.status === 'ready') {
        await this.sendBatch(this.queue.splice(0, this.options.batchSize));
      }
    } finally {
      this.flushing = false;
    }
  }

  private async sendBatch(batch: StoredMetric[]): Promise<void> {
    const { stream, maxLen } = this.options;
    const pipeline = this.redis.pipeline();
    for (const sample of batch) {
      pipeline.xadd(stream, 'MAXLEN', '~', String(maxLen), '*', 'vm', sample.vm, 't', String(sample.t), 'metrics', JSON.stringify(toWire(sample)));
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      for (const [err] of results) {
        if (err) {
          this.dropped++;
          this.lastError = `XADD ${stream}: ${err.message}`;
        } else this.published++;
      }
    } catch (err) {
      // The connection dropped mid-batch: some entries may have landed, so re-sending could duplicate.
      this.dropped += batch.length;
      this.lastError = `XADD ${stream}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
