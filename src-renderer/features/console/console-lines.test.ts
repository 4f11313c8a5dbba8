import { describe, expect, it } from 'vitest';
import type { OutputChunk, OutputStream } from '../../../src-preload/contract/sessions';
import { buildLines, emptyLineBuffer, linesAsText, PLOT_ROWS, promptOf, showBytes, toConsoleLines } from './console-lines';

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

  it('shows echoed input after the prompt it was typed at: `>> ` for a continuation line', () => {
    const lines = toConsoleLines([chunk('input', 'for i = 1, 2 do\n'), { ...chunk('input', 'print(i)\n'), continuation: true }, chunk('stdout', '1\n')]);
    expect(lines.map((l) => [l.stream, promptOf(l) + l.text])).toEqual([
      ['input', '> for i = 1, 2 do'],
      ['input', '>> print(i)'],
      ['stdout', '1'],
    ]);
    expect(lines[1]!.continuation).toBe(true);
    expect(lines[0]!.continuation).toBeUndefined();
  });

  it('keeps only the newest lines, with keys stable across appends', () => {
    const chunks = Array.from({ length: 30 }, (_, i) => chunk('stdout', `${i}\n`));
    const lines = toConsoleLines(chunks, 10);
    expect(lines).toHaveLength(10);
    expect(lines[0]!.text).toBe('20');
    expect(toConsoleLines(chunks.concat(chunk('stdout', 'x\n')), 10).at(-2)!.key).toBe(lines.at(-1)!.key);
  });
});

describe('incremental console lines', () => {
  const chunks = [chunk('stdout', 'a'), chunk('stdout', 'b\n'), chunk('value', '1\n')];

  it('continues from the last chunk it folded in, with the same result as a full build', () => {
    const first = buildLines(emptyLineBuffer, chunks.slice(0, 1));
    const more = chunks.concat(chunk('stdout', 'c\nd'), chunk('stdout', 'e\n'));
    const next = buildLines(first, more);
    expect(next.lines).toEqual(toConsoleLines(more));
    expect(next.lines.map((l) => l.text)).toEqual(['ab', '1', 'c', 'de']);
    expect(first.lines.map((l) => l.text)).toEqual(['a']);
  });

  it('returns the same buffer when nothing new arrived, and rebuilds after a clear', () => {
    const built = buildLines(emptyLineBuffer, chunks);
    expect(buildLines(built, chunks)).toBe(built);
    expect(buildLines(built, chunks.slice(1)).lines).toHaveLength(2);
    expect(buildLines(built, []).lines).toEqual([]);
  });

  it('stays within the cap while appending', () => {
    let buffer = emptyLineBuffer;
    const all: OutputChunk[] = [];
    for (let i = 0; i < 50; i++) {
      all.push(chunk('stdout', `${i}\n${i}b\n`));
      buffer = buildLines(buffer, all, 30);
    }
    expect(buffer.lines).toHaveLength(30);
    expect(buffer.lines.at(-1)!.text).toBe('49b');
  });

  it('shows bytes that are not UTF-8 escaped as \\xHH, and a character split across writes whole', () => {
    // As the host receives them: 0xE1 and 0xFF alone, then € (E2 82 AC) written in two pieces.
    const lines = toConsoleLines([chunk('stdout', 'a\udce1 é 😀\n'), chunk('stdout', '\udcff\udcfe\n\udce2\udc82'), chunk('stdout', '\udcac\n')]);
    expect(lines.map((l) => showBytes(l.text))).toEqual(['a\\xE1 é 😀', '\\xFF\\xFE', '€']);
    expect(linesAsText(lines)).toBe('a\\xE1 é 😀\n\\xFF\\xFE\n€');
    // The low half of a surrogate pair (U+10080 is D800 DC80) is a character, not a byte.
    expect(showBytes('\u{10080}')).toBe('\u{10080}');
  });

  it('gives a plot PLOT_ROWS rows (its first row draws it) and closes an open line; copy names it', () => {
    const plot = JSON.stringify({ kind: 'line', title: 'Growth' });
    const lines = toConsoleLines([chunk('stdout', 'before'), chunk('plot', plot), chunk('stdout', 'after\n')]);
    expect(lines.map((l) => [l.stream, l.filler ?? false])).toEqual([
      ['stdout', false],
      ['plot', false],
      ...Array.from({ length: PLOT_ROWS - 1 }, () => ['plot', true]),
      ['stdout', false],
    ]);
    expect(linesAsText(lines)).toBe('before\n[line: Growth]\nafter');
  });
});
