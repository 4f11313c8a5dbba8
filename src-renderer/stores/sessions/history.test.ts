import { describe, expect, it } from 'vitest';
import { appendHistory, HISTORY_LIMIT } from './sessions-store';

describe('console history', () => {
  it('skips blank lines and immediate repeats', () => {
    let history = appendHistory([], 'x = 1');
    history = appendHistory(history, 'x = 1');
    history = appendHistory(history, '   ');
    history = appendHistory(history, 'print(x)');
    expect(history).toEqual(['x = 1', 'print(x)']);
  });

  it('is capped, dropping the oldest lines', () => {
    let history: readonly string[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 25; i++) history = appendHistory(history, `line ${i}`);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]).toBe('line 25');
  });
});
