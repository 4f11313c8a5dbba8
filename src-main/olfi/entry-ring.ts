// Fixed-capacity ring of the newest stream entries; the oldest fall out and are counted as dropped.

export class EntryRing<T> {
  private readonly slots: (T | undefined)[];
  private start = 0;
  private size = 0;
  private droppedCount = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Entries evicted to make room, since creation. */
  get dropped(): number {
    return this.droppedCount;
  }

  push(entry: T): void {
    if (this.size < this.capacity) {
      this.slots[(this.start + this.size) % this.capacity] = entry;
      this.size++;
      return;
    }
    this.slots[this.start] = entry;
    this.start = (this.start + 1) % this.capacity;
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
  }
}
