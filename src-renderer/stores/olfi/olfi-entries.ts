// The window's copy of the Ol-Fi stream: a bounded buffer of entries (outside zustand: it holds up to
// 100k), filtering into newest-first rows, per-compound rates for sparklines, and the frame checksum.
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';
import { streamIdTimeMs } from '../../../src-preload/contract/outside-values';

export interface OlFiFilters {
  compound: string;
  type: string;
  address: string;
  validity: 'all' | 'valid' | 'invalid';
  text: string;
}

export const NO_FILTERS: OlFiFilters = { compound: '', type: '', address: '', validity: 'all', text: '' };
export const RATE_SECONDS = 60;

/** Stream-id order (ms, then seq, as integers of any length): string order is wrong ("9-0" > "10-0"). */
export function compareIds(a: string, b: string): number {
  const [aMs = '', aSeq = '0'] = a.split('-');
  const [bMs = '', bSeq = '0'] = b.split('-');
  return aMs.length - bMs.length || (aMs < bMs ? -1 : aMs > bMs ? 1 : 0) || aSeq.length - bSeq.length || (aSeq < bSeq ? -1 : aSeq > bSeq ? 1 : 0);
}

/** When Redis accepted the entry (its id's time part), or undefined when that is not a time a Date can hold. */
export function entryTime(id: string): number | undefined {
  return streamIdTimeMs(id);
}

/** Sum of the payload's UTF-8 bytes mod 65536: the frame checksum (docs/olfi-frame-v1.md). */
export function payloadChecksum(payload: string): number {
  let sum = 0;
  for (const byte of new TextEncoder().encode(payload)) sum += byte;
  return sum % 65536;
}

export function matches(entry: OlFiEntryView, f: OlFiFilters): boolean {
  if (f.compound && (entry.mvoc ?? '').toUpperCase().replace(/[-\s]/g, '_') !== f.compound) return false;
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
  /** compound → counts per second (epoch second → n), for the last RATE_SECONDS. */
  private readonly rates = new Map<string, Map<number, number>>();

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
    this.rates.clear();
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
      this.countRate(entry);
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

  /** Frames per second for each compound over the last RATE_SECONDS, oldest second first. */
  rateSeries(nowMs: number): Map<string, number[]> {
    const now = Math.floor(nowMs / 1000);
    const out = new Map<string, number[]>();
    for (const [compound, seconds] of this.rates) {
      const series = Array.from({ length: RATE_SECONDS }, (_, i) => seconds.get(now - RATE_SECONDS + 1 + i) ?? 0);
      if (series.some((n) => n > 0)) out.set(compound, series);
    }
    return out;
  }

  private countRate(entry: OlFiEntryView): void {
    const time = entryTime(entry.id);
    if (time === undefined) return;
    const compound = (entry.mvoc ?? '?').toUpperCase();
    const second = Math.floor(time / 1000);
    let seconds = this.rates.get(compound);
    if (!seconds) {
      // Compound names come from producers: cap how many distinct ones are tracked.
      if (this.rates.size >= 64) return;
      seconds = new Map();
      this.rates.set(compound, seconds);
    }
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
    if (seconds.size > RATE_SECONDS * 2) {
      for (const s of seconds.keys()) if (s < second - RATE_SECONDS) seconds.delete(s);
    }
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
