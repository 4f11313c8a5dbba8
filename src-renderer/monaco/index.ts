// The window's Monaco: themes, the Lua language services and the per-session script documents.
import { bridge } from '../bridge';
import { editorStore } from '../stores/editor';
import { settingsStore } from '../stores/settings';
import { registerLuaLanguage } from './lua-language';
import { monaco } from './monaco-setup';
import { ScriptDocuments } from './script-documents';

export const scriptDocuments = new ScriptDocuments({
  monaco,
  client: bridge(),
  editor: () => editorStore.getState(),
  autosaveMs: () => settingsStore.getState().settings?.editor.autosaveMs ?? 1000,
  storage: window.localStorage,
});

registerLuaLanguage(monaco, bridge(), (model) => scriptDocuments.sessionOf(model));

export function monacoTheme(theme: 'dark' | 'light') {
  return theme === 'dark' ? 'vs-dark' : 'vs';
}

export function applyMonacoTheme(theme: 'dark' | 'light') {
  monaco.editor.setTheme(monacoTheme(theme));
}

export type { EditorCommands, RunMode } from './script-documents';
