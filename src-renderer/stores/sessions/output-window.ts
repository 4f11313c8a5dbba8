// A session's console output as the renderer keeps it: the newest MAX_CHUNKS chunks, in seq order.
// The main side's ring buffer is the source of truth; this window is a cache that dedupes chunks
// arriving both in a hydration snapshot and as live events, and notes when it had to drop old ones.
import type { OutputChunk } from '../../../src-preload/contract/sessions';

export const MAX_CHUNKS = 5000;

export interface OutputWindow {
  readonly chunks: readonly OutputChunk[];
  /** The seq the next new chunk will carry; chunks below it are already known. */
  readonly nextSeq: number;
  /** Chunks this window dropped to stay within MAX_CHUNKS (the main side may still have them). */
  readonly droppedChunks: number;
  /** True when live events skipped seqs: the caller should fetch from `nextSeq` to fill the gap. */
  readonly gap: boolean;
}

export const emptyOutputWindow: OutputWindow = { chunks: [], nextSeq: 0, droppedChunks: 0, gap: false };

/** Append chunks, ignoring ones already seen. A seq beyond nextSeq marks a gap (events were missed). */
export function appendChunks(window: OutputWindow, incoming: readonly OutputChunk[], max = MAX_CHUNKS): OutputWindow {
  const fresh = incoming.filter((chunk) => chunk.seq >= window.nextSeq).sort((a, b) => a.seq - b.seq);
  if (fresh.length === 0) return window;
  const gap = window.gap || fresh[0]!.seq > window.nextSeq;
  const unique: OutputChunk[] = [];
  let next = window.nextSeq;
  for (const chunk of fresh) {
    if (chunk.seq < next) continue;
    unique.push(chunk);
    next = chunk.seq + 1;
  }
  const merged = window.chunks.concat(unique);
  const overflow = Math.max(0, merged.length - max);
  return {
    chunks: overflow ? merged.slice(overflow) : merged,
    nextSeq: next,
    droppedChunks: window.droppedChunks + overflow,
    gap,
  };
}

/** Replace the window with a snapshot read from the main side (hydration, attach, gap fill). */
export function hydrateWindow(window: OutputWindow, snapshot: readonly OutputChunk[], nextSeq: number, max = MAX_CHUNKS): OutputWindow {
  const firstSeq = snapshot[0]?.seq ?? nextSeq;
  const base: OutputWindow = { chunks: [], nextSeq: firstSeq, droppedChunks: Math.max(window.droppedChunks, firstSeq > 0 ? firstSeq : 0), gap: false };
  const filled = appendChunks(base, snapshot, max);
  return { ...filled, nextSeq: Math.max(filled.nextSeq, nextSeq), gap: false };
}

/** The console's clear: forget what is shown, remember where new output starts. */
export function clearWindow(window: OutputWindow): OutputWindow {
  return { chunks: [], nextSeq: window.nextSeq, droppedChunks: 0, gap: false };
}

/** Forget chunks from `seq` on, so a re-read from the main side can fill a gap in order. */
export function rewindTo(window: OutputWindow, seq: number): OutputWindow {
  return { ...window, chunks: window.chunks.filter((chunk) => chunk.seq < seq), nextSeq: seq, gap: false };
}
