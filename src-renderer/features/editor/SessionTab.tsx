// A session's script in the main area: its tab's label (with a dirty marker) and its panel, the editor
// toolbar over the session's editor.
import { scriptDocuments } from '../../monaco';
import { selectDocument, useEditor, editorStore } from '../../stores/editor';
import { canRun, useSessions } from '../../stores/sessions';
import { startOrContinue } from '../debug/debug-commands';
import { runInSession } from './run-code';
import { ScriptEditor } from './ScriptEditor';

/** A session's tab in the main area: its id, its script's name and a marker while unsaved. */
export function SessionTabLabel({ sessionId }: { sessionId: string }) {
  const document = useEditor(selectDocument(sessionId));
  const name = document?.scriptName ?? `${sessionId}.lua`;
  return (
    <>
      <span>{sessionId}</span>
      <span className="tab-script">{name}</span>
      {document?.dirty && <span className="dirty-marker" aria-label="unsaved changes">●</span>}
    </>
  );
}

/** What a session's tab shows: the script toolbar and the session's editor. */
export function SessionTabPanel({ sessionId }: { sessionId: string }) {
  const session = useSessions((state) => state.infos[sessionId]);
  if (!session) return null;
  return (
    <>
      <EditorToolbar sessionId={sessionId} runnable={canRun(session)} />
      <div className="editor-panel">
        <ScriptEditor key={sessionId} sessionId={sessionId} />
      </div>
    </>
  );
}

function EditorToolbar({ sessionId, runnable }: { sessionId: string; runnable: boolean }) {
  const document = useEditor(selectDocument(sessionId));
  const openDialog = (kind: 'open' | 'saveAs' | 'example') => editorStore.getState().openDialog({ kind, sessionId });
  const status = !document ? 'Loading…' : document.saving ? 'Saving…' : document.dirty ? 'Unsaved' : document.savedAt ? 'Saved' : '';

  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Script actions">
      <button className="primary" disabled={!runnable} onClick={() => void runInSession(sessionId, 'buffer')} title="Run the whole script (Ctrl/Cmd+Enter)">Run</button>
      <button disabled={!runnable} onClick={() => void runInSession(sessionId, 'selection')} title="Run the selection or the current line (Shift+Enter)">Run selection</button>
      <button disabled={!runnable} onClick={() => startOrContinue(sessionId)} title="Run the script with the debugger, or continue a stopped run (F5)">Debug</button>
      <button onClick={() => void scriptDocuments.save(sessionId)} title="Save (Ctrl/Cmd+S)">Save</button>
      <button onClick={() => openDialog('saveAs')}>Save as…</button>
      <button onClick={() => openDialog('open')}>Open…</button>
      <button onClick={() => openDialog('example')}>New from example…</button>
      <span className="save-status" role="status" aria-label="Save status">{status}</span>
      {document && (document.errors > 0 || document.warnings > 0) && (
        <span className="diagnostic-counts" aria-label="Problems">{plural(document.errors, 'error')}, {plural(document.warnings, 'warning')}</span>
      )}
      {document?.runtimeError && (
        <span className="runtime-error" role="alert">
          {document.runtimeError.line ? `line ${document.runtimeError.line}: ` : ''}{document.runtimeError.message}
        </span>
      )}
      {document?.problem && <span className="wb-problem" role="alert">{document.problem}</span>}
    </div>
  );
}

function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
