import { describe, expect, it } from 'vitest';
import vectorFile from '../../resources/olfi/vectors.json';
import { buildFrame } from './frame-codec';
import { bufferEntry, compareStreamIds, expandEntry, toEntry } from './stream-entry';

const vectors = vectorFile.vectors as { name: string; mvoc?: string; frame?: string }[];

function fieldsOf(mvoc: string | undefined, frame: string | undefined, extra: string[] = []): string[] {
  return [...(mvoc === undefined ? [] : ['mvoc', mvoc]), ...(frame === undefined ? [] : ['frame', frame]), ...extra];
}

describe('buffered entries', () => {
  for (const v of vectors) {
    it(`give back what was shown: ${v.name}`, () => {
      const fields = fieldsOf(v.mvoc, v.frame, ['cell', 'C1']);
      expect(expandEntry(bufferEntry('1-1', fields))).toEqual(toEntry('1-1', fields));
    });
  }

  it('keep a frame with keys beyond v1 (and its unusual preamble) exactly', () => {
    const frame = { ...buildFrame({ address: 'CELL_1', type: 'PING', payload: 'x', preamble: ['HEXANAL', 'HEXANAL'] }), timestamp: 12.5 };
    frame.control = { ...frame.control, ecc: 'on' } as typeof frame.control;
    const fields = ['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame)];
    const entry = toEntry('2-0', fields);
    const buffered = bufferEntry('2-0', fields);
    expect(buffered.framed).toBe('text');
    expect(expandEntry(buffered)).toEqual(entry);
    expect(expandEntry(buffered).frame).toEqual(frame);
  });

  it('keep a v1 frame as fields, with its own preamble and terminator, and rebuild fresh objects', () => {
    const frame = buildFrame({ address: 'CELL_1', source: 'CELL_2', type: 'EMERGENCY', priority: 'emergency', payload: 'ü', preamble: ['HEXANAL', 'ACETOIN'] });
    const fields = ['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame)];
    const entry = toEntry('3-0', fields);
    const buffered = bufferEntry('3-0', fields);
    expect(buffered.framed).toBe('fields');
    expect(buffered.text).toBeUndefined();
    const first = expandEntry(buffered);
    expect(first).toEqual(entry);
    first.frame!.preamble[0] = 'CHANGED';
    expect(expandEntry(buffered).frame!.preamble).toEqual(['HEXANAL', 'ACETOIN']);
  });

  it("carry the main side's time, compound names and checksum verdict, buffered or not", () => {
    // Unknown compound first, so the status does not speak for the checksum: the verdict does.
    const frame = { ...buildFrame({ address: 'CELL_1', type: 'PING', payload: 'A', preamble: ['acetoin', 'hexanol'], terminator: ['BENZALDEHYDE', 'acetoın'] }), checksum: 7 };
    const fields = ['mvoc', '2-methylbutanol', 'frame', JSON.stringify(frame)];
    for (const entry of [toEntry('1700000000123-4', fields), expandEntry(bufferEntry('1700000000123-4', fields))]) {
      expect(entry).toMatchObject({
        time: 1_700_000_000_123,
        compound: '2_METHYLBUTANOL',
        status: 'unknown-compound',
        computedChecksum: 65,
        checksumMatches: false,
        // ASCII upper-casing and '-'/' ' → '_' (as the Lua codec): the dotless ı stays, so it names no compound.
        frameCompounds: { preamble: ['ACETOIN', 'HEXANOL'], terminator: ['BENZALDEHYDE', null] },
      });
    }
    const good = toEntry('8640000000000001-0', ['mvoc', 'dimethyl sulfide', 'frame', JSON.stringify(buildFrame({ address: 'C', type: 'PING', payload: 'é' }))]);
    expect(good).toMatchObject({ time: null, compound: 'DIMETHYL_SULFIDE', status: 'valid', checksumMatches: true });
    expect(toEntry('5-0', ['mvoc', 'ACETOIN', 'frame', '{'])).toMatchObject({ time: 5, compound: 'ACETOIN', status: 'malformed-json' });
    expect(toEntry('5-0', ['mvoc', 'ACETOIN', 'frame', '{'])).not.toHaveProperty('checksumMatches');
  });

  it('compare stream ids numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('5-1', '5-1')).toBe(0);
    // Past 2^53 a Number cannot tell these apart; Redis accepts ids up to 2^64-1.
    expect(compareStreamIds('18446744073709551615-0', '18446744073709551614-0')).toBeGreaterThan(0);
    expect(compareStreamIds('9007199254740993-0', '9007199254740992-5')).toBeGreaterThan(0);
  });
});
