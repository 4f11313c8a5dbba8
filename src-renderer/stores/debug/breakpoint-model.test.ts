import { describe, expect, it } from 'vitest';
import {
  fitToLines,
  moveWithEdits,
  parseStored,
  runnerSpecs,
  serialize,
  setBreakpointEnabled,
  setBreakpointOptions,
  toggleBreakpoint,
  type EditorBreakpoint,
  type TextEdit,
} from './breakpoint-model';

const bp = (line: number, extra: Partial<EditorBreakpoint> = {}): EditorBreakpoint => ({ line, enabled: true, ...extra });
const lines = (list: readonly EditorBreakpoint[]) => list.map((b) => b.line);

/** An edit replacing (sl,sc)-(el,ec) with text. */
const edit = (sl: number, sc: number, el: number, ec: number, text: string): TextEdit => ({
  range: { startLineNumber: sl, startColumn: sc, endLineNumber: el, endColumn: ec },
  text,
});

/**
 * Applies edits to a text the way an editor does (from the last in the text to the first) and says
 * where each original line's text went: the oracle the model's moves are checked against.
 */
function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (source: string, line: number, column: number) => {
    const rows = source.split('\n');
    return rows.slice(0, line - 1).reduce((n, row) => n + row.length + 1, 0) + column - 1;
  };
  const ordered = [...edits].sort((a, b) => b.range.startLineNumber - a.range.startLineNumber || b.range.startColumn - a.range.startColumn);
  return ordered.reduce((source, { range, text: inserted }) => {
    const from = offset(source, range.startLineNumber, range.startColumn);
    const to = offset(source, range.endLineNumber, range.endColumn);
    return source.slice(0, from) + inserted + source.slice(to);
  }, text);
}

describe('toggling and options', () => {
  it('adds a plain breakpoint in line order, and removes it on the second toggle', () => {
    const once = toggleBreakpoint([bp(9)], 3);
    expect(once).toEqual([bp(3), bp(9)]);
    expect(toggleBreakpoint(once, 3)).toEqual([bp(9)]);
  });

  it('sets a condition, hit count and log message, keeps it off when off, and clears empty ones', () => {
    const off = setBreakpointEnabled([bp(4)], 4, false);
    const set = setBreakpointOptions(off, 4, { condition: ' i == 3 ', hitCondition: '>= 2', logMessage: '' });
    expect(set).toEqual([{ line: 4, enabled: false, condition: 'i == 3', hitCondition: '>= 2' }]);
    expect(setBreakpointOptions(set, 4, { condition: '' })).toEqual([{ line: 4, enabled: false }]);
    expect(setBreakpointOptions([], 7, { logMessage: 'x = {x}' })).toEqual([{ line: 7, enabled: true, logMessage: 'x = {x}' }]);
  });

  it('sends only enabled breakpoints, without the enabled flag', () => {
    expect(runnerSpecs([bp(1, { condition: 'a' }), bp(2, { enabled: false })])).toEqual([{ line: 1, condition: 'a' }]);
  });
});

describe('moving with edits', () => {
  const script = ['local a = 1', 'local b = 2', 'print(a + b)', 'return b'].join('\n');

  /** The line where `marker`'s line ended up in the edited text. */
  const lineOf = (text: string, marker: string) => text.split('\n').findIndex((row) => row.startsWith(marker)) + 1;

  it.each([
    ['a line typed above', [edit(1, 1, 1, 1, '-- note\n')], 3, 4],
    ['two lines pasted above', [edit(2, 12, 2, 12, '\nx()\ny()')], 3, 5],
    ['a line break typed at the start of the line', [edit(3, 1, 3, 1, '\n')], 3, 4],
    ['a line break typed at its end', [edit(3, 13, 3, 13, '\n')], 3, 3],
    ['a line above deleted', [edit(1, 1, 2, 1, '')], 3, 2],
    ['Backspace at the start of the line above', [edit(1, 12, 2, 1, '')], 3, 2],
    ['text typed inside the line', [edit(3, 7, 3, 7, 'a + ')], 3, 3],
    ['an edit below', [edit(4, 1, 4, 1, 'x()\n')], 3, 3],
  ])('follows %s', (_name, edits, before, after) => {
    // The line's first characters: edits inside it (after them) leave them at its start.
    const marker = script.split('\n')[before - 1]!.slice(0, 7);
    const moved = moveWithEdits([bp(before)], edits);
    expect(lines(moved)).toEqual([after]);
    // The oracle: the breakpoint's text really is on that line after the edit.
    expect(lineOf(applyEdits(script, edits), marker)).toBe(after);
  });

  it('applies one event of several edits (multi-cursor) from the last to the first', () => {
    const edits = [edit(1, 1, 1, 1, 'x()\n'), edit(3, 1, 3, 1, 'y()\n')];
    const moved = moveWithEdits([bp(2), bp(3), bp(4)], edits);
    const edited = applyEdits(script, edits);
    expect(lines(moved)).toEqual([lineOf(edited, 'local b'), lineOf(edited, 'print('), lineOf(edited, 'return b')]);
    expect(lines(moved)).toEqual([3, 5, 6]);
  });

  it('collapses the breakpoints of deleted lines onto one, the breakpoint already there winning', () => {
    const moved = moveWithEdits([bp(1, { condition: 'keep' }), bp(2, { condition: 'gone' }), bp(3)], [edit(1, 12, 3, 1, '')]);
    expect(moved).toEqual([bp(1, { condition: 'keep' })]);
  });

  it('returns the same array when nothing moved (a keystroke sends nothing)', () => {
    const list = [bp(2), bp(3)];
    expect(moveWithEdits(list, [edit(3, 5, 3, 5, 'z')])).toBe(list);
  });

  it('drops breakpoints past the end of a script changed outside the workbench', () => {
    expect(lines(fitToLines([bp(2), bp(40)], 10))).toEqual([2]);
  });
});

describe('persistence', () => {
  it('round-trips through storage text, and stores nothing for no breakpoints', () => {
    const list = [bp(2, { hitCondition: '% 3' }), bp(5, { enabled: false, logMessage: 'v={v}' })];
    expect(parseStored(serialize(list))).toEqual({ breakpoints: list, dropped: 0 });
    expect(serialize([])).toBeNull();
    expect(parseStored(null)).toEqual({ breakpoints: [], dropped: 0 });
  });

  it('keeps the valid entries of damaged data and counts the rest', () => {
    const raw = JSON.stringify([{ line: 3 }, { line: -1 }, { line: 'x' }, null, { line: 3, condition: 'dup' }, { line: 8, condition: 42 }, { line: 9, enabled: false }]);
    expect(parseStored(raw)).toEqual({ breakpoints: [bp(3), bp(9, { enabled: false })], dropped: 5 });
  });

  it('drops text that is not a list of breakpoints at all', () => {
    expect(parseStored('{not json')).toEqual({ breakpoints: [], dropped: 1 });
    expect(parseStored('{"line": 3}')).toEqual({ breakpoints: [], dropped: 1 });
  });
});
