import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../src-preload/contract/metrics';
import { atpColumns, expressionColumns, MetricsBuffer, samplesToCsv } from './metrics-buffer';

const sample = (vm: string, t: number, extra: Partial<MetricSample> = {}): MetricSample => ({
  vm,
  t,
  atp: t / 10,
  geneExpression: { lacI: t },
  series: {},
  receivedAt: t,
  ...extra,
});

describe('MetricsBuffer', () => {
  it('leaves out samples whose time cannot be drawn and counts them; values beyond an axis are gaps', () => {
    const buffer = new MetricsBuffer();
    buffer.append([sample('a', 1), sample('a', 1e300), sample('a', Number.NaN), sample('a', 2, { atp: 1e300, geneExpression: { lacI: -1e300 } })]);
    expect(buffer.invalidSamples).toBe(2);
    const window = buffer.window('a', 60);
    expect(window.map((s) => s.t)).toEqual([1, 2]);
    expect(atpColumns(window).data).toEqual([[1, 2], [0.1, null], [null, null]]);
    expect(expressionColumns(window).data).toEqual([[1, 2], [1, null]]);
    buffer.clear();
    expect(buffer.invalidSamples).toBe(0);
  });

  it('returns the samples inside a time window of the newest one', () => {
    const buffer = new MetricsBuffer();
    buffer.append([1, 2, 3, 4, 5].map((t) => sample('a', t)));
    expect(buffer.window('a', 2).map((s) => s.t)).toEqual([3, 4, 5]);
    expect(buffer.window('missing', 2)).toEqual([]);
  });

  it('bounds samples per VM and the number of VMs', () => {
    const buffer = new MetricsBuffer({ capacity: 10, maxVms: 2 });
    buffer.append(Array.from({ length: 100 }, (_, t) => sample('a', t)));
    expect(buffer.window('a', 1e9).length).toBeLessThanOrEqual(11);
    expect(buffer.window('a', 1e9).at(-1)!.t).toBe(99);
    buffer.append([sample('b', 1), sample('c', 1)]);
    expect(buffer.vmIds()).toEqual(['b', 'c']);
  });
});

describe('chart columns and CSV', () => {
  it('lays out ATP/growth and one column per gene, null where a sample lacks a value', () => {
    const samples = [sample('a', 1, { growth: 0.5 }), sample('a', 2, { geneExpression: { lacI: 2, tetR: 7 } })];
    expect(atpColumns(samples).data).toEqual([[1, 2], [0.1, 0.2], [0.5, null]]);
    const expression = expressionColumns(samples);
    expect(expression.names).toEqual(['lacI', 'tetR']);
    expect(expression.data).toEqual([[1, 2], [1, 2], [null, 7]]);
  });

  it('writes a header and one row per sample, quoting where needed', () => {
    const csv = samplesToCsv([sample('cell,1', 1, { series: { nutrient_mM: 4 } }), sample('b', 2)]);
    expect(csv).toBe('vm,t,atp,growth,gene:lacI,nutrient_mM\n"cell,1",1,0.1,,1,4\nb,2,0.2,,2,\n');
  });
});
