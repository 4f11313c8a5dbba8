// The middle of the workbench: a tab per session (its script, with a dirty marker), the editor
// toolbar and the active session's editor.
import { useShallow } from 'zustand/react/shallow';
import { scriptDocuments } from '../../monaco';
import { selectDocument, useEditor, editorStore } from '../../stores/editor';
import { canRun, selectActiveSession, selectSessionList, sessionsStore, useSessions } from '../../stores/sessions';
import { runInSession } from './run-code';
import { ScriptEditor } from './ScriptEditor';

export function EditorArea() {
  const sessions = useSessions(useShallow(selectSessionList));
  const active = useSessions(selectActiveSession);

  return (
    <section className="editor-area" aria-label="Editor">
      <div role="tablist" aria-label="Open scripts" className="editor-tabs">
        {sessions.map((info) => (
          <EditorTab key={info.id} sessionId={info.id} selected={info.id === active?.id} />
        ))}
      </div>
      {active ? (
        <>
          <EditorToolbar sessionId={active.id} runnable={canRun(active)} />
          <div role="tabpanel" aria-label={`Script of ${active.id}`} className="editor-panel">
            <ScriptEditor key={active.id} sessionId={active.id} />
          </div>
        </>
      ) : (
        <div className="editor-empty">
          <p>No session selected.</p>
          <p>Create a session in the Sessions view: each session gets its own script and console.</p>
        </div>
      )}
    </section>
  );
}

function EditorTab({ sessionId, selected }: { sessionId: string; selected: boolean }) {
  const document = useEditor(selectDocument(sessionId));
  const name = document?.scriptName ?? `${sessionId}.lua`;
  return (
    <button role="tab" aria-selected={selected} className="editor-tab" onClick={() => sessionsStore.getState().setActive(sessionId)} title={`${sessionId} — ${name}`}>
      <span>{sessionId}</span>
      <span className="tab-script">{name}</span>
      {document?.dirty && <span className="dirty-marker" aria-label="unsaved changes">●</span>}
    </button>
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
