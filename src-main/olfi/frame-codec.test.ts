import { describe, expect, it } from 'vitest';
import vectorFile from '../../resources/olfi/vectors.json';
import { buildFrame, classifyEntry, computeChecksum, type FrameStatus } from './frame-codec';
import { MVOC_COMPOUNDS, findCompound } from './mvoc-library';

interface Vector {
  name: string;
  mvoc?: string;
  frame?: string;
  status: FrameStatus;
  reason: string;
  checksum?: number;
}
const vectors = vectorFile.vectors as Vector[];

describe('frame codec against resources/olfi/vectors.json', () => {
  it('covers every classification', () => {
    const statuses = new Set(vectors.map((v) => v.status));
    expect([...statuses].sort()).toEqual(['checksum-mismatch', 'invalid-field', 'malformed-json', 'missing-field', 'oversized', 'unknown-compound', 'valid']);
  });

  for (const v of vectors) {
    it(v.name, () => {
      const result = classifyEntry(v.mvoc, v.frame);
      expect(result.status).toBe(v.status);
      if (v.status === 'valid') expect(result.reason).toBe('');
      else expect(result.reason.startsWith(v.reason), `${result.reason} should start with ${v.reason}`).toBe(true);
      if (v.checksum !== undefined) expect(result.computedChecksum).toBe(v.checksum);
    });
  }
});

describe('frame codec', () => {
  it('sums UTF-8 bytes mod 65536', () => {
    expect(computeChecksum('A')).toBe(65);
    expect(computeChecksum('é')).toBe(0xc3 + 0xa9);
    expect(computeChecksum('z'.repeat(600))).toBe((122 * 600) % 65536);
  });

  it('builds frames that classify as valid', () => {
    const frame = buildFrame({ address: 'CELL_0002', type: 'PING', payload: 'hello ✓', sequence: 3 });
    expect(frame.checksum).toBe(computeChecksum('hello ✓'));
    expect(classifyEntry('ACETOIN', JSON.stringify(frame))).toMatchObject({ status: 'valid', frame });
  });

  it('classifies 1,000 generated malformed entries without throwing', () => {
    const base = JSON.stringify(buildFrame({ address: 'CELL_0001', type: 'STATUS', payload: 'ok' }));
    const counts = new Map<FrameStatus, number>();
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 1000; i++) {
      const cut = Math.floor(random() * base.length);
      const mutations = [
        () => base.slice(0, cut),
        () => base.slice(0, cut) + String.fromCharCode(Math.floor(random() * 128)) + base.slice(cut + 1),
        () => base.replace('"ok"', JSON.stringify(random())),
        () => base.replace('"STATUS"', `"T${i}"`),
        () => base.replace(/"checksum":\d+/, `"checksum":${Math.floor(random() * 70000)}`),
      ];
      const raw = mutations[i % mutations.length]!();
      const result = classifyEntry(i % 7 === 0 ? `X${i}` : 'ACETOIN', raw);
      expect(typeof result.reason).toBe('string');
      if (result.status !== 'valid') expect(result.reason.length).toBeGreaterThan(0);
      counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
    }
    expect(counts.get('malformed-json')).toBeGreaterThan(100);
    expect(counts.get('invalid-field')).toBeGreaterThan(100);
    expect(counts.get('unknown-compound')).toBeGreaterThan(50);
    expect(counts.get('checksum-mismatch')).toBeGreaterThan(50);
  });

  it('has one colour per compound and finds loose names', () => {
    expect(new Set(MVOC_COMPOUNDS.map((c) => c.colour)).size).toBe(MVOC_COMPOUNDS.length);
    expect(findCompound('2-methylbutanol')?.cas).toBe('137-32-6');
    expect(findCompound('dimethyl sulfide')?.band).toBe('high');
  });
});
