// Debugging in a session's Monaco editor: breakpoints drawn in the glyph margin (a click toggles one,
// a right-click edits its condition, hit count or log message), moved with edited lines, the stopped
// run's line highlighted and revealed, "Run to Cursor" and "Edit Breakpoint…" in the context menu, and
// hovering a name while stopped shows its value in the selected frame. The breakpoints themselves are
// the debug store's; this only draws them and forwards what the user does.
import type * as monacoApi from 'monaco-editor/editor/editor.api';
import './debug.css';
import type { Breakpoint } from '../../../src-preload/contract/debug';
import { errorMessage } from '../../bridge';
import { dottedPrefix } from '../../monaco/lua-language';
import type { Monaco } from '../../monaco/monaco-setup';
import { currentLine, debugStore, type DebugStore, type EditorBreakpoint } from '../../stores/debug';
import { editorStore } from '../../stores/editor';

interface Attached {
  editor: monacoApi.editor.IStandaloneCodeEditor;
  script: () => string | undefined;
}

/** The editors debugging is attached to, by session: the shortcuts act at their cursor. */
const attached = new Map<string, Attached>();

function glyphOf(bp: EditorBreakpoint, verdict: Breakpoint | undefined): { className: string; hover: string } {
  const what = bp.logMessage ? 'Logpoint' : bp.condition || bp.hitCondition ? 'Conditional breakpoint' : 'Breakpoint';
  const details = [bp.condition && `when ${bp.condition}`, bp.hitCondition && `hit count ${bp.hitCondition}`, bp.logMessage && `logs "${bp.logMessage}"`].filter(Boolean).join(', ');
  const state = !bp.enabled ? ' (disabled)' : verdict && !verdict.verified ? ` (not set: ${verdict.message ?? 'the runner refused it'})` : '';
  const kind = bp.logMessage ? 'logpoint' : bp.condition || bp.hitCondition ? 'conditional' : 'plain';
  const className = `debug-glyph debug-glyph-${kind}${bp.enabled ? '' : ' debug-glyph-disabled'}`;
  return { className, hover: `${what} at line ${bp.line}${details ? `: ${details}` : ''}${state}` };
}

function decorationsFor(monaco: Monaco, state: DebugStore, sessionId: string, script: string): monacoApi.editor.IModelDeltaDecoration[] {
  const list = state.breakpoints[script] ?? [];
  const verdicts = state.verdicts[script] ?? {};
  const out: monacoApi.editor.IModelDeltaDecoration[] = list.map((bp) => {
    const { className, hover } = glyphOf(bp, verdicts[bp.line]);
    return {
      range: new monaco.Range(bp.line, 1, bp.line, 1),
      options: { glyphMarginClassName: className, glyphMarginHoverMessage: { value: hover }, stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges },
    };
  });
  const line = currentLine(state.runs[sessionId], script);
  if (line !== null) {
    out.push({
      range: new monaco.Range(line, 1, line, 1),
      options: { isWholeLine: true, className: 'debug-current-line', glyphMarginClassName: 'debug-glyph debug-glyph-current', glyphMarginHoverMessage: { value: `Stopped at line ${line}` } },
    });
  }
  return out;
}

/** Wires a mounted editor of a session; `script` names the script it shows now (it changes on Open/Save as). */
export function attachDebugging(monaco: Monaco, sessionId: string, editor: monacoApi.editor.IStandaloneCodeEditor, script: () => string | undefined): monacoApi.IDisposable {
  editor.updateOptions({ glyphMargin: true });
  const decorations = editor.createDecorationsCollection();
  const store = () => debugStore.getState();
  let shownLine: number | null = null;

  const render = () => {
    const name = script();
    const model = editor.getModel();
    if (!name || !model) return;
    store().loadScript(name, model.getLineCount());
    const state = store();
    decorations.set(decorationsFor(monaco, state, sessionId, name));
    const line = currentLine(state.runs[sessionId], name);
    if (line !== null && line !== shownLine) editor.revealLineInCenterIfOutsideViewport(line);
    shownLine = line;
  };

  const lineAt = (target: monacoApi.editor.IMouseTarget) =>
    target.type === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN && target.position ? target.position.lineNumber : null;

  const disposables: monacoApi.IDisposable[] = [
    editor.onMouseDown((event) => {
      const line = lineAt(event.target);
      const name = script();
      if (line === null || !name || !event.event.leftButton) return;
      event.event.preventDefault();
      store().toggle(name, line);
    }),
    editor.onContextMenu((event) => {
      const line = lineAt(event.target);
      const name = script();
      if (line !== null && name) store().editBreakpoint({ script: name, line });
    }),
    // A flush is the whole text replaced (another script opened): its breakpoints are that script's own.
    editor.onDidChangeModelContent((event) => {
      const name = script();
      if (name && !event.isFlush) store().applyEdits(name, event.changes);
    }),
    editor.addAction({
      id: 'bioxen.debug.runToCursor',
      label: 'Run to Cursor',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 0,
      run: () => void runToCursor(sessionId),
    }),
    editor.addAction({
      id: 'bioxen.debug.editBreakpoint',
      label: 'Edit Breakpoint…',
      contextMenuGroupId: 'navigation',
      contextMenuOrder: 1,
      run: () => {
        const name = script();
        const line = editor.getPosition()?.lineNumber;
        if (name && line) store().editBreakpoint({ script: name, line });
      },
    }),
    { dispose: debugStore.subscribe(render) },
    // Open… and Save as… rebind the editor to another script.
    { dispose: editorStore.subscribe((state, previous) => state.documents[sessionId] !== previous.documents[sessionId] && render()) },
    { dispose: () => decorations.clear() },
  ];
  attached.set(sessionId, { editor, script });
  render();
  return {
    dispose() {
      if (attached.get(sessionId)?.editor === editor) attached.delete(sessionId);
      disposables.forEach((d) => d.dispose());
    },
  };
}

/** The session's script name and its editor's cursor line, while its editor is shown. */
function cursorOf(sessionId: string): { script: string; line: number } | null {
  const entry = attached.get(sessionId);
  const script = entry?.script();
  const line = entry?.editor.getPosition()?.lineNumber;
  return entry && script && line ? { script, line } : null;
}

/** F9: toggles a breakpoint on the cursor's line of the session's editor. */
export function toggleBreakpointAtCursor(sessionId: string) {
  const at = cursorOf(sessionId);
  if (at) debugStore.getState().toggle(at.script, at.line);
}

export async function runToCursor(sessionId: string) {
  const at = cursorOf(sessionId);
  if (at) await debugStore.getState().runTo(sessionId, at.script, at.line);
}

/** The value of the name under the mouse while the model's session is stopped (in the selected frame). */
export function registerDebugHover(monaco: Monaco, sessionOf: (model: monacoApi.editor.ITextModel) => string | null): monacoApi.IDisposable {
  return monaco.languages.registerHoverProvider('lua', {
    async provideHover(model, position) {
      const sessionId = sessionOf(model);
      const word = model.getWordAtPosition(position);
      if (!sessionId || !word || !debugStore.getState().runs[sessionId]?.stop) return null;
      const expression = dottedPrefix(model.getLineContent(position.lineNumber).slice(0, word.endColumn - 1));
      if (!expression) return null;
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      try {
        const value = await debugStore.getState().evaluate(sessionId, expression, 'hover');
        return { range, contents: [{ value: `\`${expression}\` = \`${value.text.replace(/`/g, 'ˋ')}\`` }] };
      } catch (error) {
        // A name the frame cannot see (a keyword, a field of nil) shows nothing rather than an error.
        if (/attempt to|not stopped/.test(errorMessage(error))) return null;
        return { range, contents: [{ value: errorMessage(error) }] };
      }
    },
  });
}
