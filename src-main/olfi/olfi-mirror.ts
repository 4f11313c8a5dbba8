// Live, bounded mirror of an Ol-Fi Redis stream: a blocking XREAD loop from the last seen id on its own
// reader connection, classified entries in a ring buffer (compact: a frame's fields, objects rebuilt on demand),
// batched update events, reconnect with backoff and resume without loss or duplicates.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { RATE_SERIES_SECONDS, type OlFiEntriesUpdate as MirrorUpdate, type OlFiMirrorStatusView, type OlFiStatsView as MirrorStats } from '../../src-preload/contract/olfi';
import { findCompound } from './mvoc-library';
import { EntryRing } from './entry-ring';
import { ReaderConnection } from './reader-connection';
import { RespError } from './resp-decoder';
import { bufferEntry, compareStreamIds, expandEntry, toEntry, type BufferedEntry, type OlFiEntry } from './stream-entry';
import {
  defaultRedisFactory,
  describeRedisError,
  entriesOfRange,
  entriesOfXread,
  ReconnectPause,
  reconnectDelay,
  redactRedisUrl,
  type RawStreamEntry,
  type RedisFactory,
} from './redis-connection';

export type MirrorState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'error' | 'stopped';

/** The mirror's own status; 'not-responding' is the service's health check's to say (ServiceMirrorStatus). */
export type MirrorStatus = Omit<OlFiMirrorStatusView, 'state'> & { state: MirrorState };
export type { OlFiEntriesUpdate as MirrorUpdate, OlFiStatsView as MirrorStats } from '../../src-preload/contract/olfi';

export interface MirrorOptions {
  url: string;
  streamKey?: string;
  /** Ring buffer size (default 100k entries). */
  capacity?: number;
  /** The buffer's byte bound (default 64 MiB): the oldest entries fall out past it, whatever their count. */
  maxBytes?: number;
  /** Where to begin: only new entries, the last N entries of the stream first, or after a given id ('0-0' = all). */
  start?: { newest: true } | { last: number } | { from: string };
  /** Update batching interval (default 33 ms). */
  batchMs?: number;
  /** XREAD COUNT per call (default 2000: smaller replies keep the backlog's peak memory down at the same speed). */
  readCount?: number;
  /** XREAD BLOCK timeout (default 2000 ms); the loop re-issues the read after it. */
  blockMs?: number;
  redisFactory?: RedisFactory;
}

export interface MirrorEvents {
  update: [MirrorUpdate];
  status: [MirrorStatus];
}

export class OlFiMirrorError extends Error {
  override readonly name = 'OlFiMirrorError';
  constructor(
    readonly code: 'unavailable' | 'conflict' | 'invalid_input',
    message: string,
  ) {
    super(message);
  }
}

const RATE_WINDOW_S = 5;
const HISTORY_MAX = 1000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const STREAM_ID = /^\d+(-\d+)?$/;

export class OlFiMirror extends EventEmitter<MirrorEvents> {
  readonly streamKey: string;
  private readonly url: string;
  private readonly redactedUrl: string;
  private readonly ring: EntryRing<BufferedEntry>;
  private readonly batchMs: number;
  private readonly readCount: number;
  private readonly blockMs: number;
  private readonly maxBytes: number;
  private readonly factory: RedisFactory;
  private reader: ReaderConnection | undefined;
  private readonly reconnectPause = new ReconnectPause();
  private commands: Redis | undefined;
  private loop: Promise<void> | undefined;
  private statusValue: MirrorStatus;
  private lastId: string | undefined;
  /** Entries not yet delivered, compact; they are expanded when the update is sent. */
  private pending: BufferedEntry[] = [];
  private pendingBytes = 0;
  private skipped = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private receivedCount = 0;
  private readonly byStatus: Record<string, number> = {};
  private readonly rateBuckets = new Map<number, Map<string, number>>();
  private cachedLength: { at: number; value: number } | undefined;

  constructor(private readonly options: MirrorOptions) {
    super();
    this.url = options.url;
    this.redactedUrl = redactRedisUrl(options.url);
    this.streamKey = options.streamKey ?? 'olfi_stream';
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.ring = new EntryRing<BufferedEntry>(options.capacity ?? 100_000, { max: this.maxBytes, sizeOf: (entry) => entry.bytes });
    this.batchMs = options.batchMs ?? 33;
    this.readCount = options.readCount ?? 2_000;
    this.blockMs = options.blockMs ?? 2000;
    this.factory = options.redisFactory ?? defaultRedisFactory;
    const start = options.start;
    if (start && 'from' in start && !STREAM_ID.test(start.from)) {
      throw new OlFiMirrorError('invalid_input', `start id "${start.from}" is not a stream id (expected <ms>-<seq>, e.g. 0-0)`);
    }
    this.statusValue = { state: 'idle', url: this.redactedUrl, streamKey: this.streamKey, lastId: '' };
  }

  get status(): MirrorStatus {
    return { ...this.statusValue };
  }

  private get stopped(): boolean {
    return this.statusValue.state === 'stopped';
  }

  start(): void {
    if (this.statusValue.state !== 'idle') throw new OlFiMirrorError('conflict', `the Ol-Fi mirror is ${this.statusValue.state}; create a new one to start again`);
    this.setStatus('connecting');
    this.commands = this.connectCommands();
    this.loop = this.readLoop();
  }

  async stop(): Promise<void> {
    if (this.statusValue.state === 'stopped') return;
    this.setStatus('stopped');
    this.reader?.close();
    this.reconnectPause.wake();
    this.commands?.disconnect();
    await this.loop;
    this.flush();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  /** Buffered entries, newest first, skipping the `offset` newest: the live table's window. */
  window(offset: number, count: number): OlFiEntry[] {
    return this.ring.newestFirst(Math.max(0, offset), Math.max(0, Math.min(count, HISTORY_MAX))).map(expandEntry);
  }

  get buffered(): number {
    return this.ring.length;
  }

  /** About how many bytes the buffered entries hold (bounded by maxBytes). */
  get bufferedBytes(): number {
    return this.ring.byteLength;
  }

  /** Entries older than `beforeId` straight from Redis (XREVRANGE), newest first: paging past the buffer. */
  async history(beforeId: string, count: number): Promise<OlFiEntry[]> {
    if (!STREAM_ID.test(beforeId)) throw new OlFiMirrorError('invalid_input', `"${beforeId}" is not a stream id (expected <ms>-<seq>)`);
    const limit = Math.max(1, Math.min(Math.floor(count) || 1, HISTORY_MAX));
    const reply = await this.command((r) => r.call('XREVRANGE', this.streamKey, `(${beforeId}`, '-', 'COUNT', String(limit)));
    return entriesOfRange(reply).map(([id, fields]) => toEntry(id, fields));
  }

  async stats(): Promise<MirrorStats> {
    const now = Date.now();
    if (this.statusValue.state === 'connected' && (!this.cachedLength || now - this.cachedLength.at > 500)) {
      try {
        const value = Number(await this.command((r) => r.call('XLEN', this.streamKey)));
        this.cachedLength = { at: now, value };
      } catch {
        // The length is shown as unknown until Redis answers again; the status already says why.
      }
    }
    const perCompoundRate: Record<string, number> = {};
    const rateSeries: Record<string, number[]> = {};
    let total = 0;
    const current = Math.floor(now / 1000);
    const first = current - RATE_SERIES_SECONDS + 1;
    for (const [second, counts] of this.rateBuckets) {
      if (second < first || second > current) continue;
      const windowed = second >= current - RATE_WINDOW_S && second < current;
      for (const [name, n] of counts) {
        (rateSeries[name] ??= new Array<number>(RATE_SERIES_SECONDS).fill(0))[second - first] = n;
        if (!windowed) continue;
        perCompoundRate[name] = (perCompoundRate[name] ?? 0) + n / RATE_WINDOW_S;
        total += n;
      }
    }
    return {
      framesPerSecond: total / RATE_WINDOW_S,
      streamLength: this.cachedLength?.value ?? null,
      buffered: this.ring.length,
      received: this.receivedCount,
      dropped: this.ring.dropped,
      byStatus: { ...this.byStatus },
      perCompoundRate,
      rateSeries,
    };
  }

  /** The connection for one-off commands (history, length): fails fast instead of queueing while Redis is away. */
  private connectCommands(): Redis {
    const redis = this.factory(this.url, {
      connectionName: 'bioxen-olfi-commands',
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: (attempt) => reconnectDelay(attempt),
      reconnectOnError: () => false,
    });
    // Its errors surface through the calls that hit them.
    redis.on('error', () => undefined);
    return redis;
  }

  private async command<T>(run: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = this.commands;
    if (!redis || this.statusValue.state === 'stopped') throw new OlFiMirrorError('conflict', 'the Ol-Fi mirror is stopped');
    try {
      return await run(redis);
    } catch (err) {
      // While this connection is down ioredis only says "not writeable"; the read loop's status knows why.
      const why = redis.status !== 'ready' && this.statusValue.reason ? this.statusValue.reason : describeRedisError(err, this.redactedUrl);
      throw new OlFiMirrorError('unavailable', `Redis did not answer: ${why}`);
    }
  }

  private async readLoop(): Promise<void> {
    let failures = 0;
    let prefetched: Promise<RawStreamEntry[]> | undefined;
    while (!this.stopped) {
      try {
        const reader = await this.openReader();
        if (this.lastId === undefined) await this.loadStart(reader);
        const entries = await (prefetched ?? this.read(reader, this.lastId!));
        prefetched = undefined;
        // Ask for the next batch before classifying this one, so that Redis prepares it meanwhile.
        if (entries.length > 0) prefetched = this.read(reader, entries[entries.length - 1]![0]);
        this.ingest(entries);
        if (this.statusValue.state === 'error') this.setStatus('connected');
        failures = 0;
      } catch (err) {
        prefetched = undefined;
        if (this.stopped) return;
        failures++;
        // A refused command (AUTH and SELECT included) is an error; anything else means the connection is gone.
        const refused = err instanceof RespError || this.reader?.state === 'ready';
        this.setStatus(refused ? 'error' : 'reconnecting', describeRedisError(err, this.redactedUrl));
        await this.reconnectPause.wait(reconnectDelay(failures));
      }
    }
  }

  private read(reader: ReaderConnection, afterId: string): Promise<RawStreamEntry[]> {
    const entries = reader
      .call('XREAD', 'COUNT', String(this.readCount), 'BLOCK', String(this.blockMs), 'STREAMS', this.streamKey, afterId)
      .then(entriesOfXread);
    // A prefetched read may fail while nobody awaits it yet (stop, lost connection); its awaiter sees the error.
    entries.catch(() => undefined);
    return entries;
  }

  private async openReader(): Promise<ReaderConnection> {
    if (this.reader?.state === 'ready') return this.reader;
    this.reader?.close();
    this.reader = undefined;
    // Kept before it is open so that stop() can close it mid-connect.
    const reader = new ReaderConnection('bioxen-olfi-reader');
    this.reader = reader;
    await reader.open(this.url);
    if (this.stopped) throw new OlFiMirrorError('conflict', 'the Ol-Fi mirror is stopped');
    this.setStatus('connected');
    return reader;
  }

  /** Resolves the first id to read after: the stream's newest entry, after loading the last N if asked. */
  private async loadStart(reader: ReaderConnection): Promise<void> {
    const start = this.options.start ?? { newest: true };
    if ('from' in start) {
      this.lastId = start.from;
      return;
    }
    const count = 'last' in start ? Math.max(1, Math.min(start.last, this.ring.capacity)) : 1;
    const newestFirst = entriesOfRange(await reader.call('XREVRANGE', this.streamKey, '+', '-', 'COUNT', String(count)));
    const newestId = newestFirst[0]?.[0] ?? '0-0';
    if ('last' in start && start.last > 0) {
      this.lastId = '0-0';
      this.ingest([...newestFirst].reverse());
    }
    this.lastId = newestId;
    this.statusValue.lastId = this.lastId;
  }

  private ingest(raw: RawStreamEntry[]): void {
    if (raw.length === 0) return;
    const second = Math.floor(Date.now() / 1000);
    // A read resent after a reconnect may repeat entries already seen; they can only come first,
    // since Redis returns each batch in increasing id order.
    let start = 0;
    while (start < raw.length && this.lastId !== undefined && compareStreamIds(raw[start]![0], this.lastId) <= 0) start++;
    for (let i = start; i < raw.length; i++) {
      const [id, fields] = raw[i]!;
      const buffered = bufferEntry(id, fields);
      this.lastId = id;
      this.ring.push(buffered);
      this.receivedCount++;
      this.byStatus[buffered.status] = (this.byStatus[buffered.status] ?? 0) + 1;
      this.countRate(second, buffered.mvoc);
      this.queue(buffered);
    }
    this.statusValue.lastId = this.lastId ?? '';
    this.scheduleFlush();
  }

  private queue(entry: BufferedEntry): void {
    // Between two flushes at most one buffer's worth (by count and by bytes) is worth delivering; older ones
    // are only in the buffer and in Redis, and the update says how many were skipped.
    if (this.pending.length >= this.ring.capacity || this.pendingBytes > this.maxBytes) {
      const excess = Math.ceil(this.pending.length / 2);
      for (const skipped of this.pending.splice(0, excess)) this.pendingBytes -= skipped.bytes;
      this.skipped += excess;
    }
    this.pending.push(entry);
    this.pendingBytes += entry.bytes;
  }

  private countRate(second: number, mvoc: string | undefined): void {
    let counts = this.rateBuckets.get(second);
    if (!counts) {
      counts = new Map();
      this.rateBuckets.set(second, counts);
      for (const old of this.rateBuckets.keys()) if (old <= second - RATE_SERIES_SECONDS) this.rateBuckets.delete(old);
    }
    const name = (mvoc === undefined ? undefined : findCompound(mvoc)?.name) ?? 'OTHER';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pending.length === 0) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.batchMs);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const update: MirrorUpdate = {
      entries: this.pending.map(expandEntry),
      skipped: this.skipped,
      buffered: this.ring.length,
      received: this.receivedCount,
      dropped: this.ring.dropped,
    };
    this.pending = [];
    this.pendingBytes = 0;
    this.skipped = 0;
    this.emit('update', update);
  }

  private setStatus(state: MirrorState, reason?: string): void {
    const next: MirrorStatus = { state, url: this.redactedUrl, streamKey: this.streamKey, lastId: this.lastId ?? '' };
    if (reason && state !== 'connected') next.reason = reason;
    if (next.state === this.statusValue.state && next.reason === this.statusValue.reason) return;
    this.statusValue = next;
    this.emit('status', { ...next });
  }
}

