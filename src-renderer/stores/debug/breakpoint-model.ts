// A script's breakpoints as the workbench keeps them: the lines (with condition, hit count, log
// message, on/off), moved along when the text is edited and kept in the window's storage per script
// name, so they come back with the script. Pure: the store persists and sends, the editor draws.
import { z } from 'zod';
import { breakpointSpecSchema, type BreakpointSpec } from '../../../src-preload/contract/debug';

export const editorBreakpointSchema = breakpointSpecSchema.extend({
  /** A disabled breakpoint stays in the gutter and the list but is not sent to the runner. */
  enabled: z.boolean().default(true),
});
export type EditorBreakpoint = z.output<typeof editorBreakpointSchema>;

/** What a breakpoint's dialog edits: empty text means "none". */
export type BreakpointOptions = Pick<EditorBreakpoint, 'condition' | 'hitCondition' | 'logMessage'>;

/** One edit of the text, in the coordinates of the text before it (Monaco's IModelContentChange). */
export interface TextEdit {
  range: { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number };
  text: string;
}

const byLine = (a: EditorBreakpoint, b: EditorBreakpoint) => a.line - b.line;

export function breakpointAt(list: readonly EditorBreakpoint[], line: number): EditorBreakpoint | undefined {
  return list.find((bp) => bp.line === line);
}

/** F9 and a gutter click: a plain breakpoint appears on the line, or the line's breakpoint goes. */
export function toggleBreakpoint(list: readonly EditorBreakpoint[], line: number): EditorBreakpoint[] {
  if (breakpointAt(list, line)) return list.filter((bp) => bp.line !== line);
  return [...list, { line, enabled: true }].sort(byLine);
}

/** Sets a line's condition, hit count and log message (creating the breakpoint); empty text clears one. */
export function setBreakpointOptions(list: readonly EditorBreakpoint[], line: number, options: BreakpointOptions): EditorBreakpoint[] {
  const current = breakpointAt(list, line) ?? { line, enabled: true };
  const next: EditorBreakpoint = { line, enabled: current.enabled };
  for (const key of ['condition', 'hitCondition', 'logMessage'] as const) {
    const value = options[key]?.trim();
    if (value) next[key] = value;
  }
  return [...list.filter((bp) => bp.line !== line), next].sort(byLine);
}

export function setBreakpointEnabled(list: readonly EditorBreakpoint[], line: number, enabled: boolean): EditorBreakpoint[] {
  return list.map((bp) => (bp.line === line ? { ...bp, enabled } : bp));
}

export function removeBreakpoint(list: readonly EditorBreakpoint[], line: number): EditorBreakpoint[] {
  return list.filter((bp) => bp.line !== line);
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Where line `line`'s text is after one edit, as an editor's line decorations move: lines after the
 * edit shift by the lines it added or removed; a line break typed at a line's very start pushes the
 * line down; a line whose start the edit replaced lands where the edit's text ends (joined into the
 * line above by a Backspace, collapsed there when deleted).
 */
function moveLine(line: number, { range, text }: TextEdit): number {
  const { startLineNumber: start, startColumn, endLineNumber: end, endColumn } = range;
  const added = newlines(text);
  if (end < line) return line + added - (end - start);
  if (start > line) return line;
  if (start === line) return startColumn === 1 && end === line && endColumn === 1 ? line + added : line;
  return start + added;
}

/**
 * The breakpoints after edits (one content-change event: its edits are in the coordinates of the text
 * before the event, so they apply from the last in the text to the first). Two breakpoints that land
 * on one line become one: the one that was on that line keeps its settings. Returns the same array
 * when no line moved, so a keystroke inside a line sends nothing.
 */
export function moveWithEdits(list: readonly EditorBreakpoint[], edits: readonly TextEdit[]): readonly EditorBreakpoint[] {
  if (list.length === 0 || edits.length === 0) return list;
  const ordered = [...edits].sort((a, b) => b.range.startLineNumber - a.range.startLineNumber || b.range.startColumn - a.range.startColumn);
  let moved = false;
  const next = list.map((bp) => {
    const line = ordered.reduce(moveLine, bp.line);
    if (line === bp.line) return bp;
    moved = true;
    return { ...bp, line };
  });
  if (!moved) return list;
  // Unmoved breakpoints first: on a collision the one already on the line wins.
  const kept = new Map<number, EditorBreakpoint>();
  next.forEach((bp, i) => {
    if (bp === list[i]) kept.set(bp.line, bp);
  });
  for (const bp of next) if (!kept.has(bp.line)) kept.set(bp.line, bp);
  return [...kept.values()].sort(byLine);
}

/** Breakpoints past the script's end go (the file was changed outside the workbench). */
export function fitToLines(list: readonly EditorBreakpoint[], lineCount: number): readonly EditorBreakpoint[] {
  return list.every((bp) => bp.line <= lineCount) ? list : list.filter((bp) => bp.line <= lineCount);
}

/** What the runner gets: the enabled breakpoints, without the workbench's own fields. */
export function runnerSpecs(list: readonly EditorBreakpoint[]): BreakpointSpec[] {
  return list.filter((bp) => bp.enabled).map(({ enabled: _enabled, ...spec }) => spec);
}

// Persistence -------------------------------------------------------------------------------------

const STORAGE_PREFIX = 'bioxen.breakpoints.';
export const storageKey = (script: string) => `${STORAGE_PREFIX}${script}`;

export interface Loaded {
  breakpoints: EditorBreakpoint[];
  /** Entries that were not breakpoints (edited by hand, another version's format): said, then dropped. */
  dropped: number;
}

/**
 * A script's breakpoints from storage. Whatever is not a valid breakpoint is dropped and counted
 * rather than failing the rest; a line held twice keeps its first entry.
 */
export function parseStored(raw: string | null): Loaded {
  if (raw === null) return { breakpoints: [], dropped: 0 };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { breakpoints: [], dropped: 1 };
  }
  if (!Array.isArray(value)) return { breakpoints: [], dropped: 1 };
  const byLineMap = new Map<number, EditorBreakpoint>();
  let dropped = 0;
  for (const entry of value) {
    const parsed = editorBreakpointSchema.safeParse(entry);
    if (!parsed.success || byLineMap.has(parsed.data.line)) dropped++;
    else byLineMap.set(parsed.data.line, parsed.data);
  }
  return { breakpoints: [...byLineMap.values()].sort(byLine), dropped };
}

export function serialize(list: readonly EditorBreakpoint[]): string | null {
  return list.length ? JSON.stringify(list) : null;
}
