// The window's editor store.
import { useStore } from 'zustand';
import { createEditorStore, type EditorStore } from './editor-store';

export const editorStore = createEditorStore();

export function useEditor<T>(selector: (state: EditorStore) => T): T {
  return useStore(editorStore, selector);
}

export { selectDialog, selectDocument } from './editor-store';
export type { DocumentState, EditorDialog } from './editor-store';
