import { describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';

function collect(maxLineBytes: number) {
  const lines: string[] = [];
  const oversized: number[] = [];
  const splitter = new LineSplitter(maxLineBytes, { line: (l) => lines.push(l), oversized: (b) => oversized.push(b) });
  return { splitter, lines, oversized };
}

describe('LineSplitter', () => {
  it('joins lines split across chunks, strips CR, skips empty lines', () => {
    const { splitter, lines } = collect(100);
    for (const part of ['{"a"', ':1}\r\n\n{"b":2}\n{"c', '":3}', '\n']) splitter.push(Buffer.from(part));
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('end() hands over an unterminated rest as the last line; reset() drops it and says how much', () => {
    const { splitter, lines } = collect(100);
    splitter.push(Buffer.from('{"a":1}\n{"b":'));
    splitter.push(Buffer.from('2}'));
    expect(splitter.end()).toBe(7);
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(splitter.end()).toBe(0);
    splitter.push(Buffer.from('{"cut'));
    expect(splitter.reset()).toBe(5);
    splitter.push(Buffer.from('{"c":3}'));
    splitter.end();
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps multi-byte UTF-8 characters split across chunks intact', () => {
    const { splitter, lines } = collect(100);
    const bytes = Buffer.from('ATP→5\n');
    splitter.push(bytes.subarray(0, 4));
    splitter.push(bytes.subarray(4));
    expect(lines).toEqual(['ATP→5']);
  });

  it('drops a 10 MB line once, without holding it, and carries on with the next line', () => {
    const { splitter, lines, oversized } = collect(64 * 1024);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    splitter.push(Buffer.from('{"first":1}\n'));
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) splitter.push(chunk);
    splitter.push(Buffer.from('\n{"after":1}\n'));
    expect(lines).toEqual(['{"first":1}', '{"after":1}']);
    expect(oversized).toHaveLength(1);
    expect(oversized[0]).toBeLessThanOrEqual(2 * 64 * 1024);
  });

  it('accepts a line of exactly the cap', () => {
    const { splitter, lines, oversized } = collect(10);
    splitter.push(Buffer.from('0123456789\n01234567890\nok\n'));
    expect(lines).toEqual(['0123456789', 'ok']);
    expect(oversized).toEqual([11]);
  });

  it('reset forgets a partial line', () => {
    const { splitter, lines } = collect(100);
    splitter.push(Buffer.from('{"half'));
    splitter.reset();
    splitter.push(Buffer.from('{"whole":1}\n'));
    expect(lines).toEqual(['{"whole":1}']);
  });
});
