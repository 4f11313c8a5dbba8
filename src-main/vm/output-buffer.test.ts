import { describe, expect, it } from 'vitest';
import { OutputBuffer } from './output-buffer';

describe('OutputBuffer', () => {
  it('numbers chunks and gives each reader its own cursor', () => {
    const b = new OutputBuffer({ maxChunks: 10, maxBytes: 1000 });
    b.push('stdout', 'a');
    b.push('stderr', 'b');
    expect(b.read('r1').map((c) => [c.seq, c.stream, c.text])).toEqual([
      [0, 'stdout', 'a'],
      [1, 'stderr', 'b'],
    ]);
    b.push('value', 'c');
    expect(b.read('r1').map((c) => c.text)).toEqual(['c']);
    expect(b.read('r2').map((c) => c.text)).toEqual(['a', 'b', 'c']);
    expect(b.read('r2')).toEqual([]);
  });

  it('evicts by count and by bytes, and tells a lagging reader what it lost', () => {
    const b = new OutputBuffer({ maxChunks: 3, maxBytes: 10 });
    for (let i = 0; i < 5; i++) b.push('stdout', String(i));
    expect(b.startSeq).toBe(2);
    const read = b.read('late');
    expect(read[0]).toMatchObject({ stream: 'stdout', text: '2' });
    expect(b.since(0).chunks[0]).toMatchObject({ stream: 'system', text: '… 2 output chunks dropped (the session buffer is full)\n' });
    b.push('stdout', '123456789');
    expect(b.since(b.startSeq).chunks.map((c) => c.text)).toEqual(['4', '123456789']);
  });

  it("counts a value chunk's previews against the byte cap", () => {
    const b = new OutputBuffer({ maxChunks: 100, maxBytes: 1000 });
    b.push('stdout', 'kept?');
    const preview = { type: 'table', text: `{${'x, '.repeat(300)}…}` };
    b.push('value', 'table: 0x1\n', Date.now(), false, [preview, preview]);
    expect(b.since(b.startSeq).chunks.map((c) => c.stream)).toEqual(['value']);
  });

  it('pages with since/max and tails', () => {
    const b = new OutputBuffer({ maxChunks: 100, maxBytes: 1000 });
    for (let i = 0; i < 10; i++) b.push('stdout', String(i));
    expect(b.since(3, 2)).toMatchObject({ nextSeq: 5, chunks: [{ seq: 3 }, { seq: 4 }] });
    expect(b.tail(2).chunks.map((c) => c.seq)).toEqual([8, 9]);
    b.seek('fresh');
    b.push('stdout', 'new');
    expect(b.read('fresh').map((c) => c.text)).toEqual(['new']);
  });

  it('stays bounded under a flood', () => {
    const b = new OutputBuffer({ maxChunks: 50, maxBytes: 1 << 20 });
    for (let i = 0; i < 100_000; i++) b.push('stdout', 'x');
    expect(b.endSeq - b.startSeq).toBe(50);
    expect(b.since(b.startSeq).chunks).toHaveLength(50);
  });

  it('forgets the oldest reader cursors past 64 readers', () => {
    const b = new OutputBuffer({ maxChunks: 10, maxBytes: 1000 });
    b.push('stdout', 'a');
    b.read('keep');
    for (let i = 0; i < 70; i++) b.read(`reader-${i}`);
    b.read('keep');
    b.push('stdout', 'b');
    expect(b.read('keep').map((c) => c.text)).toEqual(['b']);
    expect(b.read('reader-0').map((c) => c.text)).toEqual(['a', 'b']);
  });
});
