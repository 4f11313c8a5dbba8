// Turns output chunks into display lines. Chunks are arbitrary slices of a stream (a print may
// arrive in pieces), so a chunk continues the previous line while that line is the same stream and
// has not ended with a newline. Bounded: only the newest MAX_LINES lines are kept. Built
// incrementally: a batch of new chunks costs its own size, not the size of everything shown.
import type { OutputChunk, OutputStream } from '../../../src-preload/contract/sessions';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';

export const MAX_LINES = 20_000;
/** Rows of the console a plot or table takes: the virtualized list keeps every row one height. */
export const PLOT_ROWS = 18;

export interface ConsoleLine {
  /** Stable across appends: the seq of the chunk the line started in, plus the line's index in it. */
  key: string;
  stream: OutputStream;
  text: string;
  /** Echoed input that continued an incomplete chunk: shown after `>> ` rather than `> `. */
  continuation?: boolean;
  /** A row under a plot (stream 'plot'): the plot is drawn from its first row over PLOT_ROWS rows. */
  filler?: boolean;
  /** A returned value that can be expanded: the console draws it as a tree (features/values). */
  value?: ValuePreview;
}

export interface LineBuffer {
  readonly lines: readonly ConsoleLine[];
  /** The last chunk folded in (by identity), to find where the next build continues. */
  readonly lastChunk: OutputChunk | null;
  /** The last line is stdout/stderr without its newline yet. */
  readonly open: boolean;
}

export const emptyLineBuffer: LineBuffer = { lines: [], lastChunk: null, open: false };

/**
 * Lines for `chunks`, reusing `previous` when `chunks` extends what it was built from (the output
 * window appends, or drops from the front); anything else (clear, gap refill) rebuilds.
 */
export function buildLines(previous: LineBuffer, chunks: readonly OutputChunk[], max = MAX_LINES): LineBuffer {
  const from = previous.lastChunk ? lastIndexOf(chunks, previous.lastChunk) : -1;
  if (from < 0) return appendLines(emptyLineBuffer, chunks, max);
  return from === chunks.length - 1 ? previous : appendLines(previous, chunks.slice(from + 1), max);
}

export function appendLines(buffer: LineBuffer, chunks: readonly OutputChunk[], max = MAX_LINES): LineBuffer {
  if (chunks.length === 0) return buffer;
  const lines = buffer.lines.slice();
  let open = buffer.open;
  for (const chunk of chunks) {
    if (chunk.stream === 'plot') {
      lines.push(newLine(chunk, 0, chunk.text));
      for (let row = 1; row < PLOT_ROWS; row++) lines.push({ key: `${chunk.seq}:${row}`, stream: 'plot', text: '', filler: true });
      open = false;
      continue;
    }
    // Returned values of which one can be expanded: a line (a tree's root) per value.
    if (chunk.stream === 'value' && chunk.values?.some((v) => v.ref !== undefined)) {
      chunk.values.forEach((value, i) => lines.push({ key: `${chunk.seq}:v${i}`, stream: 'value', text: value.text, value }));
      open = false;
      continue;
    }
    const endsWithNewline = chunk.text.endsWith('\n');
    const parts = chunk.text.split('\n');
    if (endsWithNewline) parts.pop();
    parts.forEach((part, index) => {
      const last = lines[lines.length - 1];
      if (index === 0 && open && last && last.stream === chunk.stream) lines[lines.length - 1] = { ...last, text: last.text + part };
      else lines.push(newLine(chunk, index, part));
    });
    // Values, errors, echoed input and system notes are whole lines even without a trailing newline.
    open = !endsWithNewline && (chunk.stream === 'stdout' || chunk.stream === 'stderr');
  }
  return { lines: lines.length > max ? lines.slice(lines.length - max) : lines, lastChunk: chunks[chunks.length - 1]!, open };
}

function newLine(chunk: OutputChunk, index: number, text: string): ConsoleLine {
  const line: ConsoleLine = { key: `${chunk.seq}:${index}`, stream: chunk.stream, text };
  if (chunk.continuation) line.continuation = true;
  return line;
}

/** The REPL prompt an echoed input line was typed at, as the console shows it; none for output. */
export function promptOf(line: ConsoleLine): string {
  if (line.stream !== 'input') return '';
  return line.continuation ? '>> ' : '> ';
}

export function toConsoleLines(chunks: readonly OutputChunk[], max = MAX_LINES): readonly ConsoleLine[] {
  return appendLines(emptyLineBuffer, chunks, max).lines;
}

export function linesAsText(lines: readonly ConsoleLine[]): string {
  return lines
    .filter((line) => !line.filler)
    .map((line) => (line.stream === 'plot' ? plotCaption(line.text) : showBytes(line.text)))
    .join('\n');
}

/** How a plot reads as text (copy, screen readers): its kind and title. */
export function plotCaption(json: string): string {
  try {
    const spec = JSON.parse(json) as { kind?: unknown; title?: unknown };
    return `[${String(spec.kind)}${typeof spec.title === 'string' ? `: ${spec.title}` : ''}]`;
  } catch {
    return '[plot]';
  }
}

// Lua output is bytes: a byte that is not UTF-8 arrives as a lone surrogate U+DC80–U+DCFF (see
// src-main/vm/runner-protocol.ts). A low surrogate right after a high one is half of a character.
const ESCAPED_BYTE = /[\udc80-\udcff]/;
const ESCAPED_RUN = /(?<![\ud800-\udbff])[\udc80-\udcff]+/g;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Text as the console shows it: bytes that are not UTF-8 visibly escaped (`\xE1`). A run of them
 * that is valid UTF-8 once joined (a character split across two writes) shows as that character.
 */
export function showBytes(text: string): string {
  if (!ESCAPED_BYTE.test(text)) return text;
  return text.replace(ESCAPED_RUN, (run) => {
    const bytes = Uint8Array.from(run, (c) => c.charCodeAt(0) - 0xdc00);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      return Array.from(bytes, (b) => `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    }
  });
}

/** New chunks arrive at the end, so the search from the back is short. */
function lastIndexOf(chunks: readonly OutputChunk[], chunk: OutputChunk): number {
  for (let i = chunks.length - 1; i >= 0; i--) if (chunks[i] === chunk) return i;
  return -1;
}
