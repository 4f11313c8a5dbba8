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
    if (outOfOrder) this.entries.sort((a, b) => compareIds(a.id, b.id));
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

  /** Newest first, filtered. */
  rows(filters: OlFiFilters): OlFiEntryView[] {
    const out: OlFiEntryView[] = [];
    const all = filters === NO_FILTERS;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (all || matches(entry, filters)) out.push(entry);
    }
    return out;
  }

  find(id: string): OlFiEntryView | undefined {
    if (!this.ids.has(id)) return undefined;
    return this.entries.find((e) => e.id === id);
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
