import { describe, expect, it } from 'vitest';
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';
import { NO_FILTERS, OlFiEntryBuffer, compareIds } from './olfi-entries';

function entry(i: number, over: Partial<OlFiEntryView> = {}): OlFiEntryView {
  const mvoc = i % 2 ? 'ACETOIN' : 'DIMETHYL_SULFIDE';
  return {
    id: `${1_700_000_000_000 + i * 100}-0`,
    time: 1_700_000_000_000 + i * 100,
    mvoc,
    compound: mvoc,
    status: i % 3 ? 'valid' : 'checksum-mismatch',
    reason: i % 3 ? '' : 'checksum 1 does not match the payload (expected 2)',
    frame: { preamble: ['ACETOIN', 'ACETOIN'], address: `CELL_000${i % 4}`, control: { type: i % 5 ? 'STATUS' : 'EMERGENCY', sequence: i, priority: 'normal' }, payload: `n=${i}`, checksum: 0, terminator: ['BENZALDEHYDE', 'BENZALDEHYDE'] },
    ...over,
  };
}

describe('OlFiEntryBuffer', () => {
  it('puts skipped entries paged in later into their place, and holds entries whose id is no time', () => {
    const buffer = new OlFiEntryBuffer();
    buffer.append([0, 1, 5, 6].map((i) => entry(i)));
    expect(buffer.insertPage([4, 3, 2, 1].map((i) => entry(i)))).toBe(3);
    expect(buffer.rows(NO_FILTERS).slice(0).map((e) => e.frame!.payload)).toEqual(['n=6', 'n=5', 'n=4', 'n=3', 'n=2', 'n=1', 'n=0']);
    buffer.append([entry(7, { id: '8640000000000001-0' }), entry(8, { id: '8640000000000001-1' })]);
    expect(buffer.rows(NO_FILTERS).at(0)!.id).toBe('8640000000000001-1');
    expect(compareIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareIds('18446744073709551615-1', '18446744073709551615-0')).toBeGreaterThan(0);
  });

  it('a late live update older than the hydrated window never lands as the newest rows', () => {
    const buffer = new OlFiEntryBuffer();
    buffer.append([5, 6, 8, 9].map((i) => entry(i)));
    buffer.append([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => entry(i)));
    expect(buffer.rows(NO_FILTERS).slice(0).map((e) => e.frame!.payload)).toEqual(['n=10', 'n=9', 'n=8', 'n=7', 'n=6', 'n=5']);
  });

  it('keeps the newest up to capacity, skips replays, and lists newest first', () => {
    const buffer = new OlFiEntryBuffer(10);
    buffer.append([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => entry(i)));
    expect(buffer.length).toBe(11);
    buffer.append([10, 11].map((i) => entry(i)));
    expect(buffer.length).toBe(10);
    expect(buffer.dropped).toBe(2);
    expect(buffer.rows(NO_FILTERS).slice(0, 3).map((e) => e.frame!.payload)).toEqual(['n=11', 'n=10', 'n=9']);
    expect(buffer.rows(NO_FILTERS).at(-1)!.frame!.payload).toBe('n=2');
  });

  it('filters by compound, type, address, validity and text', () => {
    const buffer = new OlFiEntryBuffer();
    buffer.append(Array.from({ length: 30 }, (_, i) => entry(i)));
    const rows = (f: Partial<typeof NO_FILTERS>) => buffer.rows({ ...NO_FILTERS, ...f }).slice(0).map((e) => e.frame!.control.sequence);
    expect(rows({ compound: 'ACETOIN' }).every((n) => n % 2 === 1)).toBe(true);
    expect(rows({ type: 'EMERGENCY' })).toEqual([25, 20, 15, 10, 5, 0]);
    expect(rows({ address: 'cell_0003' }).every((n) => n % 4 === 3)).toBe(true);
    expect(rows({ validity: 'invalid' })).toEqual([27, 24, 21, 18, 15, 12, 9, 6, 3, 0]);
    expect(rows({ text: 'n=17' })).toEqual([17]);
    expect(rows({ compound: 'ACETOIN', validity: 'invalid', type: 'EMERGENCY' })).toEqual([15]);
  });

  it('pages older history in before the oldest entry', () => {
    const buffer = new OlFiEntryBuffer();
    buffer.append([5, 6].map((i) => entry(i)));
    expect(buffer.prependOlder([4, 3, 5].map((i) => entry(i)))).toBe(2);
    expect(buffer.rows(NO_FILTERS).slice(0).map((e) => e.frame!.control.sequence)).toEqual([6, 5, 4, 3]);
    expect(buffer.oldestId).toBe(entry(3).id);
  });

  it('hands out unfiltered rows without copying the buffer, and they keep showing what they showed', () => {
    const buffer = new OlFiEntryBuffer(10);
    buffer.append([0, 1, 2].map((i) => entry(i)));
    const before = buffer.rows(NO_FILTERS);
    const payloads = (rows: ReturnType<OlFiEntryBuffer['rows']>) => rows.slice(0).map((e) => e.frame!.payload);
    // Appended, sorted into place (4 before 5), trimmed past capacity: the earlier rows still read n=2, n=1, n=0.
    buffer.append([3, 5, 4].map((i) => entry(i)));
    buffer.append([6, 7, 8, 9, 10, 11, 12].map((i) => entry(i)));
    expect(payloads(before)).toEqual(['n=2', 'n=1', 'n=0']);
    expect(before.at(-1)!.frame!.payload).toBe('n=0');
    expect(before.at(3)).toBeUndefined();
    const now = buffer.rows(NO_FILTERS);
    expect(payloads(now)).toEqual(['n=12', 'n=11', 'n=10', 'n=9', 'n=8', 'n=7', 'n=6', 'n=5', 'n=4', 'n=3']);
    expect(now.slice(2, 4).map((e) => e.id)).toEqual([entry(10).id, entry(9).id]);
    expect(now.find((e) => e.frame!.payload === 'n=4')!.id).toBe(entry(4).id);
    // Filters cleared one by one are no filter at all: the same rows as NO_FILTERS.
    expect(payloads(buffer.rows({ ...NO_FILTERS, compound: '' }))).toEqual(payloads(now));
  });

  it("filters by compound with the main side's name for each entry", () => {
    const buffer = new OlFiEntryBuffer();
    // "acetoın" (dotless ı) is ACETOIN by Unicode upper-casing, but the main side's rule finds no compound in it;
    // "acetoin" it names ACETOIN.
    buffer.append([entry(1, { mvoc: 'acetoın', compound: null }), entry(2, { mvoc: 'acetoin', compound: 'ACETOIN' }), entry(3)]);
    expect(buffer.rows({ ...NO_FILTERS, compound: 'ACETOIN' }).slice(0).map((e) => e.mvoc)).toEqual(['ACETOIN', 'acetoin']);
  });
});
