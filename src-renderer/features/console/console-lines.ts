// Turns output chunks into display lines. Chunks are arbitrary slices of a stream (a print may
// arrive in pieces), so a chunk continues the previous line while that line is the same stream and
// has not ended with a newline. Bounded: only the newest MAX_LINES lines are kept.
import type { OutputChunk, OutputStream } from '../../../src-main/vm/types';

export const MAX_LINES = 20_000;

export interface ConsoleLine {
  /** Stable across appends: the seq of the chunk the line started in, plus the line's index in it. */
  key: string;
  stream: OutputStream;
  text: string;
}

export function toConsoleLines(chunks: readonly OutputChunk[], max = MAX_LINES): ConsoleLine[] {
  const lines: ConsoleLine[] = [];
  let open = false;
  for (const chunk of chunks) {
    const parts = chunk.text.split('\n');
    const endsWithNewline = chunk.text.endsWith('\n');
    if (endsWithNewline) parts.pop();
    parts.forEach((part, index) => {
      const last = lines[lines.length - 1];
      if (index === 0 && open && last && last.stream === chunk.stream) last.text += part;
      else lines.push({ key: `${chunk.seq}:${index}`, stream: chunk.stream, text: part });
    });
    // Values, errors, echoed input and system notes are whole lines even without a trailing newline.
    open = !endsWithNewline && (chunk.stream === 'stdout' || chunk.stream === 'stderr');
  }
  return lines.length > max ? lines.slice(lines.length - max) : lines;
}

export function linesAsText(lines: readonly ConsoleLine[]): string {
  return lines.map((line) => line.text).join('\n');
}
