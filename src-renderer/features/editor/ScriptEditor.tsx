// Hosts the session's Monaco editor in a div. The editor and its model are owned by
// scriptDocuments; this component only mounts and unmounts the view.
import { useEffect, useRef } from 'react';
import { scriptDocuments, monacoTheme } from '../../monaco';
import { monaco } from '../../monaco/monaco-setup';
import { attachDebugging } from '../debug/editor-debugging';
import { editorStore, selectDocument, useEditor } from '../../stores/editor';
import { selectEditorPrefs, selectTheme, useSettings } from '../../stores/settings';
import { runInSession } from './run-code';

export function ScriptEditor({ sessionId }: { sessionId: string }) {
  const container = useRef<HTMLDivElement>(null);
  const loaded = useEditor((state) => !!selectDocument(sessionId)(state));
  const prefs = useSettings(selectEditorPrefs);
  const theme = useSettings(selectTheme);

  useEffect(() => {
    void scriptDocuments.open(sessionId);
  }, [sessionId]);

  useEffect(() => {
    if (!loaded || !container.current) return;
    const editor = scriptDocuments.mount(sessionId, container.current, {
      runBuffer: () => void runInSession(sessionId, 'buffer'),
      runSelection: () => void runInSession(sessionId, 'selection'),
      save: () => void scriptDocuments.save(sessionId),
    }, { fontSize: prefs.fontSize, theme: monacoTheme(theme) });
    editor?.focus();
    const debugging = editor && attachDebugging(monaco, sessionId, editor, () => editorStore.getState().documents[sessionId]?.scriptName);
    return () => {
      debugging?.dispose();
      scriptDocuments.unmount(sessionId);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the editor is created once per session; font size and theme changes are applied below
  }, [sessionId, loaded]);

  useEffect(() => scriptDocuments.setEditorOptions({ fontSize: prefs.fontSize }), [prefs.fontSize]);

  return <div ref={container} className="script-editor" data-session={sessionId} />;
}
