// Splits a byte stream into newline-terminated lines without ever holding more than `maxLineBytes`
// of one line: an oversized line is reported once and its remaining bytes are skipped as they
// arrive, so a 10 MB line costs no more memory than a short one.
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface LineSink {
  line(text: string): void;
  /** A line was longer than the cap; `bytes` is how much of it had arrived when it was dropped. */
  oversized(bytes: number): void;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {
    if (!(maxLineBytes > 0)) throw new RangeError(`maxLineBytes must be positive, got ${maxLineBytes}`);
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end !== -1 && this.pendingBytes === 0 && !this.discarding && end - start <= this.maxLineBytes) {
        // A whole line inside one chunk (the common case): decode it in place, no copy.
        this.emit(chunk.subarray(start, end));
        start = end + 1;
        continue;
      }
      const segment = chunk.subarray(start, end === -1 ? chunk.length : end);
      this.take(segment);
      if (end === -1) return;
      this.endLine();
      start = end + 1;
    }
  }

  /**
   * The stream ended cleanly: an unterminated rest is its last line (a peer that sends one document and
   * closes sends no newline). Returns that line's byte count (0: nothing was pending).
   */
  end(): number {
    const bytes = this.pendingBytes;
    if (bytes > 0 && !this.discarding) this.endLine();
    this.reset();
    return bytes;
  }

  /**
   * Forgets a partial line (on a broken connection: the next one starts a fresh stream, never joined to
   * this one's rest). Returns how many bytes of it were held.
   */
  reset(): number {
    const bytes = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = false;
    return bytes;
  }

  private take(segment: Buffer): void {
    if (this.discarding || segment.length === 0) return;
    if (this.pendingBytes + segment.length > this.maxLineBytes) {
      this.sink.oversized(this.pendingBytes + segment.length);
      this.pending = [];
      this.pendingBytes = 0;
      this.discarding = true;
      return;
    }
    // Copy: the socket may reuse its chunk buffer once we return.
    this.pending.push(Buffer.from(segment));
    this.pendingBytes += segment.length;
  }

  private endLine(): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(bytes);
  }

  private emit(bytes: Buffer): void {
    const end = bytes.length && bytes[bytes.length - 1] === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
    if (end > 0) this.sink.line(bytes.toString('utf8', 0, end));
  }
}
