// Editor domain store: per-session document flags (which script, dirty, saving, diagnostics counts,
// last runtime error). The text itself lives in Monaco models (monaco/script-documents.ts), never here.
import { createStore } from 'zustand/vanilla';

export interface DocumentState {
  scriptName: string;
  dirty: boolean;
  saving: boolean;
  savedAt: number | null;
  errors: number;
  warnings: number;
  runtimeError: { message: string; line?: number } | null;
  /** Loading or saving failed: what happened and what to do. */
  problem: string | null;
}

export type EditorDialog = { kind: 'open' | 'saveAs' | 'example'; sessionId: string } | null;

export interface EditorState {
  documents: Record<string, DocumentState>;
  dialog: EditorDialog;
}

export interface EditorActions {
  putDocument(sessionId: string, scriptName: string): void;
  patchDocument(sessionId: string, patch: Partial<DocumentState>): void;
  removeDocument(sessionId: string): void;
  openDialog(dialog: EditorDialog): void;
}

export type EditorStore = EditorState & EditorActions;

export function newDocument(scriptName: string): DocumentState {
  return { scriptName, dirty: false, saving: false, savedAt: null, errors: 0, warnings: 0, runtimeError: null, problem: null };
}

export function createEditorStore() {
  return createStore<EditorStore>()((set) => ({
    documents: {},
    dialog: null,

    putDocument(sessionId, scriptName) {
      set((state) => ({ documents: { ...state.documents, [sessionId]: newDocument(scriptName) } }));
    },

    patchDocument(sessionId, patch) {
      set((state) => {
        const current = state.documents[sessionId];
        return current ? { documents: { ...state.documents, [sessionId]: { ...current, ...patch } } } : {};
      });
    },

    removeDocument(sessionId) {
      set((state) => {
        const { [sessionId]: _removed, ...documents } = state.documents;
        return { documents };
      });
    },

    openDialog(dialog) {
      set({ dialog });
    },
  }));
}

export const selectDocument = (sessionId: string) => (state: EditorState) => state.documents[sessionId] ?? null;
export const selectDialog = (state: EditorState) => state.dialog;
