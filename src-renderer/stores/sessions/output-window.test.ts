import { describe, expect, it } from 'vitest';
import type { OutputChunk } from '../../../src-preload/contract/sessions';
import { appendChunks, clearWindow, emptyOutputWindow, hydrateWindow, rewindTo } from './output-window';

const chunk = (seq: number, text = `line ${seq}\n`): OutputChunk => ({ seq, stream: 'stdout', text, at: 0 });
const seqs = (chunks: readonly OutputChunk[]) => chunks.map((c) => c.seq);

describe('output window', () => {
  it('appends in seq order and ignores chunks it already has', () => {
    let window = appendChunks(emptyOutputWindow, [chunk(1), chunk(0)]);
    window = appendChunks(window, [chunk(1), chunk(2)]);
    expect(seqs(window.chunks)).toEqual([0, 1, 2]);
    expect(window.nextSeq).toBe(3);
    expect(window.gap).toBe(false);
  });

  it('keeps the same object when nothing new arrives (no re-render)', () => {
    const window = appendChunks(emptyOutputWindow, [chunk(0)]);
    expect(appendChunks(window, [chunk(0)])).toBe(window);
  });

  it('flags a gap when live events skip seqs, and rewinding lets a re-read fill it in order', () => {
    const before = appendChunks(emptyOutputWindow, [chunk(0), chunk(1)]);
    const gapped = appendChunks(before, [chunk(4)]);
    expect(gapped.gap).toBe(true);
    const filled = appendChunks(rewindTo(gapped, before.nextSeq), [chunk(2), chunk(3), chunk(4)]);
    expect(seqs(filled.chunks)).toEqual([0, 1, 2, 3, 4]);
    expect(filled.gap).toBe(false);
  });

  it('stays within its cap and counts what it dropped', () => {
    const window = appendChunks(emptyOutputWindow, Array.from({ length: 12 }, (_, i) => chunk(i)), 5);
    expect(seqs(window.chunks)).toEqual([7, 8, 9, 10, 11]);
    expect(window.droppedChunks).toBe(7);
    const more = appendChunks(window, [chunk(12)], 5);
    expect(more.chunks).toHaveLength(5);
    expect(more.droppedChunks).toBe(8);
  });

  it('hydrates from a snapshot that starts later, noting earlier output not shown', () => {
    const window = hydrateWindow(emptyOutputWindow, [chunk(40), chunk(41)], 42);
    expect(seqs(window.chunks)).toEqual([40, 41]);
    expect(window.nextSeq).toBe(42);
    expect(window.droppedChunks).toBe(40);
    expect(appendChunks(window, [chunk(41), chunk(42)]).nextSeq).toBe(43);
  });

  it('clear forgets shown output but not where new output starts', () => {
    const cleared = clearWindow(appendChunks(emptyOutputWindow, [chunk(0), chunk(1)]));
    expect(cleared.chunks).toEqual([]);
    expect(appendChunks(cleared, [chunk(1), chunk(2)]).chunks.map((c) => c.seq)).toEqual([2]);
  });
});
