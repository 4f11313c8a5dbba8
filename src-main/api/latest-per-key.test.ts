import { afterEach, describe, expect, it, vi } from 'vitest';
import { LatestPerKey } from './latest-per-key';

describe('LatestPerKey', () => {
  afterEach(() => vi.useRealTimers());

  it('delivers only the latest value per key, once per window', () => {
    vi.useFakeTimers();
    const delivered: [string, number][] = [];
    const batch = new LatestPerKey<number>((k, v) => delivered.push([k, v]), 16);
    batch.push('a', 1);
    batch.push('b', 1);
    batch.push('a', 2);
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(delivered).toEqual([['b', 1], ['a', 2]]);
    batch.push('a', 3);
    vi.advanceTimersByTime(16);
    expect(delivered).toEqual([['b', 1], ['a', 2], ['a', 3]]);
  });

  it('flush delivers at once and leaves no timer behind', () => {
    vi.useFakeTimers();
    const delivered: string[] = [];
    const batch = new LatestPerKey<string>((k, v) => delivered.push(`${k}=${v}`));
    batch.push('s1', 'busy');
    batch.flush();
    expect(delivered).toEqual(['s1=busy']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
