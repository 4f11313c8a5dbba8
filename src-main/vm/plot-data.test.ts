import { describe, expect, it } from 'vitest';
import { decimate, parseColumn, plotChunk } from './plot-data';

describe('decimate', () => {
  it('keeps each display column’s min and max in order, so spikes and the envelope survive', () => {
    const n = 1_000_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 5000));
    y[123_457] = 40;
    y[876_543] = -40;
    const out = decimate({ x, ys: [y] }, 1000);
    expect(out.x.length).toBeLessThanOrEqual(2000);
    const shown = Array.from(out.ys[0]!);
    expect(Math.max(...shown)).toBe(40);
    expect(Math.min(...shown)).toBe(-40);
    expect(shown.indexOf(40)).toBeLessThan(shown.indexOf(-40));
    for (let i = 1; i < out.x.length; i++) expect(out.x[i]!).toBeGreaterThanOrEqual(out.x[i - 1]!);
    // The envelope: every column still spans about [-1, 1] around the sine.
    expect(Math.max(...shown.filter((v) => v < 2))).toBeGreaterThan(0.999);
  });

  it('leaves short series alone and skips gaps inside a column', () => {
    const x = Float64Array.from([1, 2, 3]);
    expect(decimate({ x, ys: [x] }, 1000).x).toBe(x);
    const long = Float64Array.from({ length: 10 }, (_, i) => i);
    const y = Float64Array.from([NaN, 3, NaN, 1, 5, NaN, NaN, NaN, NaN, NaN]);
    const out = decimate({ x: long, ys: [y] }, 2);
    expect(Array.from(out.ys[0]!)).toEqual([1, 5, NaN, NaN]);
  });
});

describe('plotChunk', () => {
  it('parses packed columns, non-finite text as gaps', () => {
    expect(Array.from(parseColumn('1,-2.5e3,inf,-nan,nan,-inf,1e+300', 'y'))).toEqual([1, -2500, NaN, NaN, NaN, NaN, 1e300]);
    expect(() => parseColumn('1,{}', 'y')).toThrow('y is not a packed number column');
  });

  it('turns a malformed payload into a visible note instead of a plot', () => {
    expect(plotChunk({ kind: 'pie' })).toEqual({ stream: 'system', text: 'a plot from the runner was malformed (unknown plot kind "pie") and is not shown\n' });
    expect(plotChunk({ kind: 'line', x: '1,2', series: [{ name: 'a', y: '1' }] }).stream).toBe('system');
  });
});
