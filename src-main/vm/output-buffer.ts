// A session's output: a sequence-numbered ring buffer, bounded by chunk count and bytes, with a
// cursor per reader. A reader that fell behind the ring gets a visible "dropped" marker instead
// of silently missing output.
import type { ValuePreview } from '../../src-preload/contract/value-preview';
import type { OutputChunk, OutputStream } from './types';

export interface OutputBufferLimits {
  maxChunks: number;
  maxBytes: number;
}

const MAX_READERS = 64;

export const DEFAULT_BUFFER_LIMITS: OutputBufferLimits = { maxChunks: 10_000, maxBytes: 4 * 1024 * 1024 };

export class OutputBuffer {
  private chunks: OutputChunk[] = [];
  private head = 0;
  private bytes = 0;
  private nextSeq = 0;
  private readonly cursors = new Map<string, number>();

  constructor(private readonly limits: OutputBufferLimits = DEFAULT_BUFFER_LIMITS) {}

  /** Sequence number the next chunk will get. */
  get endSeq(): number {
    return this.nextSeq;
  }

  /** Sequence number of the oldest chunk still kept. */
  get startSeq(): number {
    return this.nextSeq - (this.chunks.length - this.head);
  }

  push(stream: OutputStream, text: string, at = Date.now(), continuation = false, values?: ValuePreview[]): OutputChunk {
    const chunk: OutputChunk = { seq: this.nextSeq++, stream, text, at };
    if (continuation) chunk.continuation = true;
    if (values?.length) chunk.values = values;
    this.chunks.push(chunk);
    this.bytes += chunkSize(chunk);
    this.evict();
    return chunk;
  }

  private evict(): void {
    const { maxChunks, maxBytes } = this.limits;
    while (this.chunks.length - this.head > maxChunks || (this.bytes > maxBytes && this.chunks.length - this.head > 1)) {
      this.bytes -= chunkSize(this.chunks[this.head]!);
      this.head++;
    }
    // Compact occasionally so the array does not keep evicted chunks alive.
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** Chunks with seq ≥ `since` (at most `max`), plus a marker when some were evicted already. */
  since(since: number, max = Number.POSITIVE_INFINITY): { chunks: OutputChunk[]; nextSeq: number } {
    const start = this.startSeq;
    const out: OutputChunk[] = [];
    if (since < start) {
      out.push({ seq: start, stream: 'system', text: `… ${start - since} output chunks dropped (the session buffer is full)\n`, at: Date.now() });
    }
    const from = Math.max(since, start);
    const end = Math.min(this.nextSeq, from + max);
    for (let seq = from; seq < end; seq++) out.push(this.chunks[this.head + (seq - start)]!);
    return { chunks: out, nextSeq: end };
  }

  /** The last `count` chunks. */
  tail(count: number): { chunks: OutputChunk[]; nextSeq: number } {
    return this.since(Math.max(this.startSeq, this.nextSeq - count));
  }

  /** Everything a reader has not seen yet; advances its cursor. A new reader starts at the oldest kept chunk. */
  read(readerId: string): OutputChunk[] {
    const cursor = this.cursors.get(readerId) ?? this.startSeq;
    const { chunks, nextSeq } = this.since(cursor);
    this.setCursor(readerId, nextSeq);
    return chunks;
  }

  /** Starts a reader at the current end (it will see only new output). */
  seek(readerId: string, seq = this.nextSeq): void {
    this.setCursor(readerId, seq);
  }

  /** Readers come and go (one per window or CLI); the oldest cursors are forgotten past MAX_READERS. */
  private setCursor(readerId: string, seq: number): void {
    this.cursors.delete(readerId);
    this.cursors.set(readerId, seq);
    if (this.cursors.size > MAX_READERS) this.cursors.delete(this.cursors.keys().next().value!);
  }
}

/** What a chunk costs the buffer: its text and, on a value chunk, its previews' texts (up to 100 of ~1 KB). */
function chunkSize(chunk: OutputChunk): number {
  let size = chunk.text.length;
  for (const value of chunk.values ?? []) size += value.text.length + (value.name?.length ?? 0);
  return size;
}
