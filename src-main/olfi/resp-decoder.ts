// A small RESP2 reply decoder for the mirror's reader connection. A stream backlog arrives as multi-MB
// XREAD replies; this decoder first only checks (without allocating) whether a whole reply has arrived,
// then decodes it in one pass into plain strings, slicing one latin1 string of the reply when it is ASCII.
import { isAscii } from 'node:buffer';

export type RespValue = string | number | null | RespValue[] | RespError;

/** An error reply (`-ERR …`, `-WRONGPASS …`) as a value, so the caller decides whether to throw. */
export class RespError extends Error {
  override readonly name = 'RespError';
}

const CR = 13;
const MAX_REPLY_BYTES = 512 * 1024 * 1024;
const COPY_MAX_BYTES = 64;
const INITIAL_BUFFER_BYTES = 64 * 1024;
const KEEP_BUFFER_BYTES = 8 * 1024 * 1024;

export class RespDecoder {
  private buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private length = 0;
  /** Where the completeness scan stopped, and the element counts still expected at each nesting level. */
  private scanned = 0;
  private readonly pending: number[] = [];

  /** Appends received bytes and returns every reply they complete, in order. */
  push(chunk: Buffer): RespValue[] {
    this.append(chunk);
    const replies: RespValue[] = [];
    let start = 0;
    while (this.scanReply(start)) {
      replies.push(decodeReply(this.buffer, start, this.scanned));
      start = this.scanned;
    }
    if (start > 0) {
      this.buffer.copy(this.buffer, 0, start, this.length);
      this.length -= start;
      this.scanned -= start;
    }
    // One huge reply (large frames × COUNT) must not pin its buffer for the connection's lifetime.
    if (this.length === 0 && this.buffer.length > KEEP_BUFFER_BYTES) this.buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
    return replies;
  }

  reset(): void {
    this.length = 0;
    this.scanned = 0;
    this.pending.length = 0;
  }

  private append(chunk: Buffer): void {
    const needed = this.length + chunk.length;
    if (needed > MAX_REPLY_BYTES) throw new RespError(`a Redis reply exceeded ${MAX_REPLY_BYTES} bytes; lower the mirror's readCount`);
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.length);
    this.length = needed;
  }

  /** Advances the scan from `this.scanned`; true when a complete reply starting at `start` ends at `this.scanned`. */
  private scanReply(start: number): boolean {
    if (this.scanned < start) this.scanned = start;
    const buf = this.buffer;
    let pos = this.scanned;
    const stack = this.pending;
    for (;;) {
      if (pos >= this.length) break;
      const lineEnd = buf.indexOf(CR, pos);
      if (lineEnd < 0 || lineEnd + 1 >= this.length) break;
      const type = buf[pos];
      let next = lineEnd + 2;
      let children = 0;
      if (type === 0x24 /* $ */) {
        const size = readInteger(buf, pos + 1, lineEnd);
        if (size >= 0) {
          next += size + 2;
          if (next > this.length) break;
        }
      } else if (type === 0x2a /* * */) {
        children = Math.max(0, readInteger(buf, pos + 1, lineEnd));
      }
      pos = next;
      this.scanned = pos;
      if (children > 0) {
        stack.push(children);
        continue;
      }
      // A finished value completes its parent's slot; finished parents complete theirs in turn.
      while (stack.length > 0 && --stack[stack.length - 1]! === 0) stack.pop();
      if (stack.length === 0) return true;
    }
    return false;
  }
}

function readInteger(buf: Buffer, from: number, to: number): number {
  let negative = false;
  let i = from;
  if (buf[i] === 0x2d /* - */) {
    negative = true;
    i++;
  }
  let value = 0;
  for (; i < to; i++) value = value * 10 + (buf[i]! - 0x30);
  return negative ? -value : value;
}

/** Decodes the complete reply in buf[from, to). */
function decodeReply(buf: Buffer, from: number, to: number): RespValue {
  const text = isAscii(buf.subarray(from, to)) ? buf.toString('latin1', from, to) : undefined;
  const cursor = { pos: from };
  return decodeValue(buf, text, from, cursor);
}

function decodeValue(buf: Buffer, text: string | undefined, base: number, cursor: { pos: number }): RespValue {
  const pos = cursor.pos;
  const lineEnd = buf.indexOf(CR, pos);
  const type = buf[pos];
  cursor.pos = lineEnd + 2;
  switch (type) {
    case 0x24 /* $ */: {
      const size = readInteger(buf, pos + 1, lineEnd);
      if (size < 0) return null;
      const start = lineEnd + 2;
      cursor.pos = start + size + 2;
      // Short values (ids, names) are copied so that what is kept does not pin the whole reply's text.
      if (text === undefined || size <= COPY_MAX_BYTES) return buf.toString(text === undefined ? 'utf8' : 'latin1', start, start + size);
      return text.slice(start - base, start - base + size);
    }
    case 0x2a /* * */: {
      const count = readInteger(buf, pos + 1, lineEnd);
      if (count < 0) return null;
      const items = new Array<RespValue>(count);
      for (let i = 0; i < count; i++) items[i] = decodeValue(buf, text, base, cursor);
      return items;
    }
    case 0x3a /* : */:
      return readInteger(buf, pos + 1, lineEnd);
    case 0x2d /* - */:
      return new RespError(buf.toString('utf8', pos + 1, lineEnd));
    default:
      return buf.toString('utf8', pos + 1, lineEnd);
  }
}
