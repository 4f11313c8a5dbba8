// Every entry of an Ol-Fi stream, exactly once and in order, for consumers that promise the whole stream
// (`bioxen olfi tail`). Unlike the mirror (a bounded live view that may skip), nothing is buffered ahead: the
// next XREAD is sent only when the consumer asks for the next batch, so a slow consumer slows the reading
// instead of losing entries. After a lost connection it reconnects with backoff and resumes after the last
// entry it handed over.
import { EventEmitter } from 'node:events';
import { ReaderConnection } from './reader-connection';
import { RespError } from './resp-decoder';
import { compareStreamIds, toEntry, type OlFiEntry } from './stream-entry';
import { ReconnectPause, describeRedisError, entriesOfRange, entriesOfXread, reconnectDelay, redactRedisUrl } from './redis-connection';

export type FollowerState = 'connecting' | 'connected' | 'reconnecting' | 'error' | 'closed';

export interface FollowerOptions {
  url: string;
  streamKey: string;
  /** Entries after this id ('0-0' = the whole stream); omitted: only entries added from now on. */
  after?: string;
  /** XREAD COUNT per call (default 1000). */
  readCount?: number;
  /** XREAD BLOCK timeout (default 2000 ms); the read is re-issued after it. */
  blockMs?: number;
}

export interface FollowerEvents {
  status: [state: FollowerState, reason: string | undefined];
}

const STREAM_ID = /^\d+(-\d+)?$/;

export class OlFiStreamFollower extends EventEmitter<FollowerEvents> {
  private readonly redactedUrl: string;
  private readonly readCount: number;
  private readonly blockMs: number;
  private reader: ReaderConnection | undefined;
  private readonly reconnectPause = new ReconnectPause();
  private stateValue: FollowerState = 'connecting';
  private lastIdValue: string | undefined;

  constructor(private readonly options: FollowerOptions) {
    super();
    if (options.after !== undefined && !STREAM_ID.test(options.after)) {
      throw new RangeError(`"${options.after}" is not a stream id (expected <ms>-<seq>, e.g. 0-0)`);
    }
    this.redactedUrl = redactRedisUrl(options.url);
    this.readCount = options.readCount ?? 1000;
    this.blockMs = options.blockMs ?? 2000;
    this.lastIdValue = options.after;
  }

  get state(): FollowerState {
    return this.stateValue;
  }

  /** The id of the last entry handed to the consumer (or the start id): where a resumed follower begins. */
  get lastId(): string | undefined {
    return this.lastIdValue;
  }

  private get closed(): boolean {
    return this.stateValue === 'closed';
  }

  /** Ends batches(): a read in flight is abandoned, a backoff wait ends at once. */
  close(): void {
    this.setState('closed');
    this.reader?.close();
    this.reconnectPause.wake();
  }

  /**
   * Batches of entries in stream order, each entry exactly once. The next read is sent only after the
   * consumer has finished with the previous batch (asked for the next one): backpressure, no buffering.
   */
  async *batches(): AsyncGenerator<OlFiEntry[], void, undefined> {
    let failures = 0;
    while (!this.closed) {
      let raw;
      try {
        const reader = await this.openReader();
        this.lastIdValue ??= await this.newestId(reader);
        raw = entriesOfXread(await reader.call('XREAD', 'COUNT', String(this.readCount), 'BLOCK', String(this.blockMs), 'STREAMS', this.options.streamKey, this.lastIdValue));
        failures = 0;
        if (this.stateValue === 'error') this.setState('connected');
      } catch (err) {
        if (this.closed) return;
        failures++;
        // A refused command (AUTH, WRONGTYPE) is an error; anything else means the connection is gone.
        const refused = err instanceof RespError || this.reader?.state === 'ready';
        this.setState(refused ? 'error' : 'reconnecting', describeRedisError(err, this.redactedUrl));
        await this.reconnectPause.wait(reconnectDelay(failures));
        continue;
      }
      // Redis returns ids above the one asked for; the check keeps "exactly once" even against a server that did not.
      const after = this.lastIdValue;
      const entries = raw.filter(([id]) => compareStreamIds(id, after) > 0).map(([id, fields]) => toEntry(id, fields, { whole: true }));
      if (entries.length === 0) continue;
      this.lastIdValue = entries[entries.length - 1]!.id;
      yield entries;
    }
  }

  private async openReader(): Promise<ReaderConnection> {
    if (this.reader?.state === 'ready') return this.reader;
    this.reader?.close();
    const reader = new ReaderConnection('bioxen-olfi-follower');
    // Kept before it is open so that close() can end it mid-connect.
    this.reader = reader;
    await reader.open(this.options.url);
    if (this.closed) throw new Error('the follower is closed');
    this.setState('connected');
    return reader;
  }

  private async newestId(reader: ReaderConnection): Promise<string> {
    const newest = entriesOfRange(await reader.call('XREVRANGE', this.options.streamKey, '+', '-', 'COUNT', '1'));
    return newest[0]?.[0] ?? '0-0';
  }

  private setState(state: FollowerState, reason?: string): void {
    if (this.stateValue === 'closed') return;
    if (state === this.stateValue && state === 'connected') return;
    this.stateValue = state;
    this.emit('status', state, reason);
  }
}
