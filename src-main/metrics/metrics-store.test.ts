import { describe, expect, it } from 'vitest';
import { MetricsStore, type StoredMetric } from './metrics-store';

const sample = (vm: string, t: number): StoredMetric => ({ vm, t, atp: t, geneExpression: {}, series: {}, receivedAt: t });

describe('MetricsStore', () => {
  it('keeps the latest sample and a bounded, ordered history per VM', () => {
    const store = new MetricsStore({ historyPoints: 3 });
    for (let t = 1; t <= 5; t++) store.add(sample('a', t));
    expect(store.latest('a')?.t).toBe(5);
    expect(store.history('a').map((s) => s.t)).toEqual([3, 4, 5]);
    expect(store.latest('missing')).toBeUndefined();
    expect(store.history('missing')).toEqual([]);
  });

  it('evicts the least recently updated VM beyond maxVms', () => {
    const store = new MetricsStore({ maxVms: 2 });
    store.add(sample('a', 1));
    store.add(sample('b', 1));
    store.add(sample('a', 2));
    store.add(sample('c', 1));
    expect(store.vmIds().sort()).toEqual(['a', 'c']);
    expect(store.latest('b')).toBeUndefined();
    expect(store.evicted).toBe(1);
  });

  it('rejects a zero capacity', () => {
    expect(() => new MetricsStore({ maxVms: 0 })).toThrow(/maxVms/);
  });
});
