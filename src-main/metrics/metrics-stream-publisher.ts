// Republishes accepted samples on a Redis stream (default `bioxen_metrics`) so the panel, the LÖVE
// visualizer and other workbenches share one feed. Entries: vm, t, metrics (the wire JSON).
// Samples wait in a bounded queue while Redis is unreachable or slow (oldest dropped, counted, and the
// reason kept in lastError) and go out in batches: whatever queued while the previous batch was in
// flight, as one script call that XADDs each sample. ioredis spends ~20 µs on each pipelined command,
// which alone could not keep up with a hypervisor at 50,000 samples/s; one call per batch can. A server
// that refuses scripts (an ACL without EVALSHA) gets the same batch as a pipeline of XADDs.
// While Redis keeps answering, a queue past half full asks the bridge to stop reading the hypervisor
// (TCP backpressure) until it is down to a quarter, so a fast hypervisor is slowed, not dropped; a
// Redis that answers nothing for STALL_MS gets no such wait (the charts must keep moving), and the
// overflow is dropped with the reason.
// ioredis' own offline queue is off because it has no bound.
import { Redis, type Result } from 'ioredis';
import { redactRedisUrl } from '../redis/redis-url';
import type { PublisherStats } from '../../src-preload/contract/metrics';
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
export const DEFAULT_PUBLISHER_OPTIONS = { stream: DEFAULT_STREAM, maxLen: 100_000, queueLimit: 50_000, batchSize: 2_000 } as const;

/** KEYS[1] the stream, ARGV[1] its MAXLEN ~, then vm, t, metrics per sample. Returns how many it added. */
const XADD_BATCH_SCRIPT = `
local added = 0
for i = 2, #ARGV, 3 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'vm', ARGV[i], 't', ARGV[i + 1], 'metrics', ARGV[i + 2])
  added = added + 1
end
return added`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    bioxenXaddBatch(stream: string, ...args: string[]): Result<number, Context>;
  }
}

/** A batch unanswered this long means Redis is stalled (stopped, swapping): holding the hypervisor back would only freeze the charts. */
const STALL_MS = 2_000;

/** Scripts are not allowed here (ACL, or a proxy without EVAL): the batch was not run and can go as XADDs. */
const SCRIPTS_REFUSED = /NOPERM|unknown command/i;

export type { PublisherStats } from '../../src-preload/contract/metrics';

/** A FIFO with O(1) take from the front (Array#shift copies the whole array). */
class SampleQueue {
  private items: StoredMetric[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(sample: StoredMetric): void {
    this.items.push(sample);
  }

  take(count: number): StoredMetric[] {
    const taken = this.items.slice(this.head, this.head + count);
    this.head += taken.length;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return taken;
  }

  dropOldest(count: number): void {
    this.take(count);
  }
}

export class MetricsStreamPublisher {
  private readonly redis: Redis;
  private readonly queue = new SampleQueue();
  private flushing = false;
  private flushScheduled = false;
  /** When the batch in flight was sent (0: none in flight). */
  private sentAt = 0;
  private scriptsRefused = false;
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
    this.redis.defineCommand('bioxenXaddBatch', { numberOfKeys: 1, lua: XADD_BATCH_SCRIPT });
    this.redis.on('ready', () => this.flush());
    this.redis.on('error', (err: Error) => {
      this.lastError = `Redis at ${redactRedisUrl(this.options.url)}: ${err.message}`;
    });
  }

  publish(sample: StoredMetric): void {
    if (this.disposed) return;
    this.queue.push(sample);
    if (this.queue.length > this.options.queueLimit) {
      this.queue.dropOldest(1);
      this.dropped++;
      this.lastError = this.overflowReason();
    }
    // Samples that arrive in the same tick (a socket chunk holds hundreds) go out in one batch.
    if (!this.flushing && !this.flushScheduled) {
      // One flush per burst: a microtask per sample cost more than the XADDs themselves.
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  /** Past the high-water mark while Redis still answers: the producer should pause until drained(). */
  shouldHold(): boolean {
    return this.queue.length >= this.options.queueLimit / 2 && this.redis.status === 'ready' && !this.stalled();
  }

  /** Down to the low-water mark, or holding the producer back no longer helps (Redis stalled or gone). */
  drained(): boolean {
    return this.queue.length <= this.options.queueLimit / 4 || this.redis.status !== 'ready' || this.stalled() || this.disposed;
  }

  private stalled(): boolean {
    return this.sentAt !== 0 && Date.now() - this.sentAt > STALL_MS;
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

  private overflowReason(): string {
    const { queueLimit } = this.options;
    return this.redis.status === 'ready'
      ? `republish queue full (${queueLimit} samples) — Redis too slow; ${this.dropped} oldest samples dropped`
      : `republish queue full (${queueLimit} samples) — Redis at ${redactRedisUrl(this.options.url)} not connected (${this.redis.status}); ${this.dropped} oldest samples dropped`;
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.disposed) return;
    this.flushing = true;
    try {
      while (this.queue.length && this.redis.status === 'ready') {
        this.sentAt = Date.now();
        await this.sendBatch(this.queue.take(this.options.batchSize));
      }
    } finally {
      this.flushing = false;
      this.sentAt = 0;
    }
  }

  private async sendBatch(batch: StoredMetric[]): Promise<void> {
    const { stream } = this.options;
    const fields: string[] = [];
    for (const sample of batch) fields.push(sample.vm, String(sample.t), JSON.stringify(toWire(sample)));
    try {
      if (!this.scriptsRefused) {
        try {
          this.published += await this.redis.bioxenXaddBatch(stream, String(this.options.maxLen), ...fields);
          return;
        } catch (err) {
          if (!(err instanceof Error) || !SCRIPTS_REFUSED.test(err.message)) throw err;
          this.scriptsRefused = true;
        }
      }
      await this.sendPipeline(fields);
    } catch (err) {
      // The connection dropped mid-batch: some entries may have landed, so re-sending could duplicate.
      this.dropped += batch.length;
      this.lastError = `XADD ${stream}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private async sendPipeline(fields: string[]): Promise<void> {
    const { stream, maxLen } = this.options;
    const pipeline = this.redis.pipeline();
    for (let i = 0; i < fields.length; i += 3) {
      pipeline.xadd(stream, 'MAXLEN', '~', String(maxLen), '*', 'vm', fields[i]!, 't', fields[i + 1]!, 'metrics', fields[i + 2]!);
    }
    const results = (await pipeline.exec()) ?? [];
    for (const [err] of results) {
      if (err) {
        this.dropped++;
        this.lastError = `XADD ${stream}: ${err.message}`;
      } else this.published++;
    }
  }
}
