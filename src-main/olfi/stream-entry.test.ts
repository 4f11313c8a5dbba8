import { describe, expect, it } from 'vitest';
import vectorFile from '../../resources/olfi/vectors.json';
import { buildFrame } from './frame-codec';
import { compareStreamIds, expandEntry, readEntry } from './stream-entry';

const vectors = vectorFile.vectors as { name: string; mvoc?: string; frame?: string }[];

function fieldsOf(mvoc: string | undefined, frame: string | undefined, extra: string[] = []): string[] {
  return [...(mvoc === undefined ? [] : ['mvoc', mvoc]), ...(frame === undefined ? [] : ['frame', frame]), ...extra];
}

describe('buffered entries', () => {
  for (const v of vectors) {
    it(`give back what was shown: ${v.name}`, () => {
      const { entry, buffered } = readEntry('1-1', fieldsOf(v.mvoc, v.frame, ['cell', 'C1']));
      expect(expandEntry(buffered)).toEqual(entry);
    });
  }

  it('keep a frame with keys beyond v1 (and its unusual preamble) exactly', () => {
    const frame = { ...buildFrame({ address: 'CELL_1', type: 'PING', payload: 'x', preamble: ['HEXANAL', 'HEXANAL'] }), timestamp: 12.5 };
    frame.control = { ...frame.control, ecc: 'on' } as typeof frame.control;
    const { entry, buffered } = readEntry('2-0', ['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame)]);
    expect(buffered.framed).toBe('text');
    expect(expandEntry(buffered)).toEqual(entry);
    expect(expandEntry(buffered).frame).toEqual(frame);
  });

  it('keep a v1 frame as fields, with its own preamble and terminator, and rebuild fresh objects', () => {
    const frame = buildFrame({ address: 'CELL_1', source: 'CELL_2', type: 'EMERGENCY', priority: 'emergency', payload: 'ü', preamble: ['HEXANAL', 'ACETOIN'] });
    const { entry, buffered } = readEntry('3-0', ['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame)]);
    expect(buffered.framed).toBe('fields');
    expect(buffered.text).toBeUndefined();
    const first = expandEntry(buffered);
    expect(first).toEqual(entry);
    first.frame!.preamble[0] = 'CHANGED';
    expect(expandEntry(buffered).frame!.preamble).toEqual(['HEXANAL', 'ACETOIN']);
  });

  it('compare stream ids numerically', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('5-1', '5-1')).toBe(0);
  });
});
