// Ring of the newest stream entries, bounded by count and by bytes; the oldest fall out and are counted as dropped.

export interface RingBytes<T> {
  /** Total bytes the ring may hold; the newest entry always stays, whatever its size. */
  max: number;
  sizeOf: (entry: T) => number;
}

export class EntryRing<T> {
  private readonly slots: (T | undefined)[];
  private start = 0;
  private size = 0;
  private droppedCount = 0;
  private bytesHeld = 0;

  constructor(
    readonly capacity: number,
    private readonly bytes?: RingBytes<T>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    if (bytes && !(bytes.max > 0)) throw new RangeError(`ring byte bound must be positive, got ${bytes.max}`);
    this.slots = new Array(capacity);
  }

  /** Bytes held, as the sizeOf given counts them (0 without a byte bound). */
  get byteLength(): number {
    return this.bytesHeld;
  }

  get length(): number {
    return this.size;
  }

  /** Entries evicted to make room, since creation. */
  get dropped(): number {
    return this.droppedCount;
  }

  push(entry: T): void {
    if (this.size === this.capacity) this.dropOldest();
    this.slots[(this.start + this.size) % this.capacity] = entry;
    this.size++;
    if (!this.bytes) return;
    this.bytesHeld += this.bytes.sizeOf(entry);
    while (this.bytesHeld > this.bytes.max && this.size > 1) this.dropOldest();
  }

  private dropOldest(): void {
    const oldest = this.slots[this.start]!;
    if (this.bytes) this.bytesHeld -= this.bytes.sizeOf(oldest);
    this.slots[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.size--;
    this.droppedCount++;
  }

  /** i = 0 is the oldest buffered entry. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.size) return undefined;
    return this.slots[(this.start + i) % this.capacity];
  }

  newest(): T | undefined {
    return this.at(this.size - 1);
  }

  /** Up to `count` entries, newest first, skipping the `offset` newest. */
  newestFirst(offset: number, count: number): T[] {
    const out: T[] = [];
    for (let i = this.size - 1 - offset; i >= 0 && out.length < count; i--) out.push(this.at(i)!);
    return out;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.size = 0;
    this.bytesHeld = 0;
  }
}
