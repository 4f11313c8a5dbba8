import { describe, expect, it } from 'vitest';
import type { OutputChunk, OutputStream } from '../../../src-main/vm/types';
import { toConsoleLines } from './console-lines';

let seq = 0;
const chunk = (stream: OutputStream, text: string): OutputChunk => ({ seq: seq++, stream, text, at: 0 });

describe('console lines', () => {
  it('joins pieces of one stdout line and splits chunks holding several lines', () => {
    const lines = toConsoleLines([chunk('stdout', 'a'), chunk('stdout', 'b\nc\n'), chunk('stdout', 'd\n')]);
    expect(lines.map((l) => l.text)).toEqual(['ab', 'c', 'd']);
  });

  it('tells streams apart and never glues a value onto open stdout', () => {
    const lines = toConsoleLines([chunk('stdout', 'partial'), chunk('stderr', 'warn\n'), chunk('value', '4'), chunk('value', '5')]);
    expect(lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'partial'],
      ['stderr', 'warn'],
      ['value', '4'],
      ['value', '5'],
    ]);
  });

  it('keeps only the newest lines, with keys stable across appends', () => {
    const chunks = Array.from({ length: 30 }, (_, i) => chunk('stdout', `${i}\n`));
    const lines = toConsoleLines(chunks, 10);
    expect(lines).toHaveLength(10);
    expect(lines[0]!.text).toBe('20');
    expect(toConsoleLines(chunks.concat(chunk('stdout', 'x\n')), 10).at(-2)!.key).toBe(lines.at(-1)!.key);
  });
});
