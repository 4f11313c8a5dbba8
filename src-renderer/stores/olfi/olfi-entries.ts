// The window's copy of the Ol-Fi stream: a bounded buffer of entries (outside zustand: it holds up to
// 100k) and filtering into newest-first rows. What an entry is (its time, compound, checksum verdict) and the
// rates are the main side's: they come with the entries and the stats, and nothing here works them out again.
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';

export interface OlFiFilters {
  compound: string;
  type: string;
  address: string;
  validity: 'all' | 'valid' | 'invalid';
  text: string;
}

export const NO_FILTERS: OlFiFilters = { compound: '', type: '', address: '', validity: 'all', text: '' };

/** Stream-id order (ms, then seq, as integers of any length): string order is wrong ("9-0" > "10-0"). */
export function compareIds(a: string, b: string): number {
  const [aMs = '', aSeq = '0'] = a.split('-');
  const [bMs = '', bSeq = '0'] = b.split('-');
  return aMs.length - bMs.length || (aMs < bMs ? -1 : aMs > bMs ? 1 : 0) || aSeq.length - bSeq.length || (aSeq < bSeq ? -1 : aSeq > bSeq ? 1 : 0);
}

export function matches(entry: OlFiEntryView, f: OlFiFilters): boolean {
  if (f.compound && entry.compound !== f.compound) return false;
  if (f.type && entry.frame?.control.type !== f.type) return false;
  if (f.address && !(entry.frame?.address ?? '').toLowerCase().includes(f.address.toLowerCase())) return false;
  if (f.validity === 'valid' && entry.status !== 'valid') return false;
  if (f.validity === 'invalid' && entry.status === 'valid') return false;
  if (f.text) {
    const needle = f.text.toLowerCase();
    const haystack = `${entry.mvoc ?? ''} ${entry.frame?.payload ?? entry.raw ?? ''} ${entry.reason} ${entry.frame?.source ?? ''}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}

function isUnfiltered(f: OlFiFilters): boolean {
  return !f.compound && !f.type && !f.address && f.validity === 'all' && !f.text;
}

/**
 * The table's rows, newest first. A full buffer holds 100k entries and the table redraws 20 times a second:
 * unfiltered rows are the buffer's array read from its end, never a copy. That array only grows at its end
 * until the buffer replaces it (trim, sort, paging), so the first `length` entries stay as they were.
 */
export class OlFiRows {
  constructor(
    private readonly entries: readonly OlFiEntryView[],
    readonly length: number,
    /** entries are oldest first (the buffer's own array) rather than newest first. */
    private readonly oldestFirst: boolean,
  ) {}

  /** Row i (newest first); negative i counts from the oldest, as Array.at does. */
  at(i: number): OlFiEntryView | undefined {
    const index = i < 0 ? this.length + i : i;
    if (index < 0 || index >= this.length) return undefined;
    return this.entries[this.oldestFirst ? this.length - 1 - index : index];
  }

  slice(start: number, end = this.length): OlFiEntryView[] {
    const out: OlFiEntryView[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.length); i++) out.push(this.at(i)!);
    return out;
  }

  find(test: (entry: OlFiEntryView) => boolean): OlFiEntryView | undefined {
    for (let i = 0; i < this.length; i++) if (test(this.at(i)!)) return this.at(i);
    return undefined;
  }
}

export const NO_ROWS = new OlFiRows([], 0, false);

export class OlFiEntryBuffer {
  /** Oldest first. */
  private entries: OlFiEntryView[] = [];
  private readonly ids = new Set<string>();
  private droppedCount = 0;

  constructor(readonly capacity = 100_000) {}

  get length(): number {
    return this.entries.length;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get oldestId(): string | undefined {
    return this.entries[0]?.id;
  }

  clear(): void {
    this.entries = [];
    this.ids.clear();
  }

  /**
   * New entries, oldest first; an entry already held (a replay after reconnect) is skipped. A live update sent
   * before a hydration but delivered after it can carry entries older than the newest held: one inside the held
   * range goes to its place, one older than all held is history's (paging brings it), never appended as newest.
   */
  append(batch: readonly OlFiEntryView[]): void {
    let outOfOrder = false;
    for (const entry of batch) {
      if (this.ids.has(entry.id)) continue;
      const newest = this.entries[this.entries.length - 1];
      if (newest && compareIds(entry.id, newest.id) < 0) {
        if (compareIds(entry.id, this.entries[0]!.id) < 0) continue;
        outOfOrder = true;
      }
      this.entries.push(entry);
      this.ids.add(entry.id);
    }
    // Sorted into a new array: rows handed out earlier read the old one (see OlFiRows).
    if (outOfOrder) this.entries = [...this.entries].sort((a, b) => compareIds(a.id, b.id));
    this.trim();
  }

  /** Older entries (newest first, as history pages come) go before the oldest held. */
  prependOlder(page: readonly OlFiEntryView[]): number {
    const older = page.filter((e) => !this.ids.has(e.id)).reverse();
    if (this.entries.length + older.length > this.capacity) older.splice(0, this.entries.length + older.length - this.capacity);
    for (const e of older) this.ids.add(e.id);
    this.entries = [...older, ...this.entries];
    return older.length;
  }

  /**
   * Entries from inside the held range (newest first, as history pages come), e.g. ones the live stream
   * skipped: each goes to its place in id order. Returns how many were new.
   */
  insertPage(page: readonly OlFiEntryView[]): number {
    const fresh = page.filter((e) => !this.ids.has(e.id));
    if (fresh.length === 0) return 0;
    for (const e of fresh) this.ids.add(e.id);
    this.entries = [...this.entries, ...fresh].sort((a, b) => compareIds(a.id, b.id));
    this.trim();
    return fresh.length;
  }

  /** Newest first, filtered. Unfiltered, the rows read the buffer as it is now without copying it. */
  rows(filters: OlFiFilters): OlFiRows {
    if (isUnfiltered(filters)) return new OlFiRows(this.entries, this.entries.length, true);
    const out: OlFiEntryView[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (matches(entry, filters)) out.push(entry);
    }
    return new OlFiRows(out, out.length, false);
  }

  /** Trims back to capacity once 10% over it, so a full buffer is not copied on every batch. */
  private trim(): void {
    if (this.entries.length <= this.capacity + Math.floor(this.capacity / 10)) return;
    const excess = this.entries.length - this.capacity;
    for (const e of this.entries.slice(0, excess)) this.ids.delete(e.id);
    this.entries = this.entries.slice(excess);
    this.droppedCount += excess;
  }
}
