// One Monaco model per session, bound to a script file in the workspace, and the editor showing it.
// Models, editors and timers live here, outside React and zustand; the editor store only gets the
// flags the UI draws (dirty, saving, counts, problems).
import type * as monacoApi from 'monaco-editor/editor/editor.api';
import { errorMessage, type BridgeClient } from '../bridge';
import type { EditorStore } from '../stores/editor/editor-store';
import type { Monaco } from './monaco-setup';

const CHECK_DELAY_MS = 400;
const BINDING_KEY = (sessionId: string) => `bioxen.script.${sessionId}`;
const SYNTAX_OWNER = 'bioxen-check';
const RUNTIME_OWNER = 'bioxen-runtime';

interface ScriptDocument {
  readonly sessionId: string;
  readonly model: monacoApi.editor.ITextModel;
  scriptName: string;
  savedVersionId: number;
  autosaveTimer: ReturnType<typeof setTimeout> | null;
  checkTimer: ReturnType<typeof setTimeout> | null;
  checkRun: number;
  viewState: monacoApi.editor.ICodeEditorViewState | null;
  readonly listener: monacoApi.IDisposable;
}

export interface DocumentsDeps {
  monaco: Monaco;
  client: BridgeClient;
  editor: () => EditorStore;
  autosaveMs: () => number;
  storage?: Storage;
}

export interface EditorCommands {
  runBuffer(): void;
  runSelection(): void;
  save(): void;
}

export type RunMode = 'buffer' | 'selection';

export class ScriptDocuments {
  private readonly documents = new Map<string, ScriptDocument>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly editors = new Map<string, monacoApi.editor.IStandaloneCodeEditor>();

  constructor(private readonly deps: DocumentsDeps) {}

  sessionOf(model: monacoApi.editor.ITextModel): string | null {
    for (const document of this.documents.values()) if (document.model === model) return document.sessionId;
    return null;
  }

  /** Loads the session's script (the one last bound, else <id>.lua) into a model, once. */
  open(sessionId: string): Promise<void> {
    if (this.documents.has(sessionId)) return Promise.resolve();
    let pending = this.loading.get(sessionId);
    if (!pending) {
      pending = this.load(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, pending);
    }
    return pending;
  }

  mount(sessionId: string, container: HTMLElement, commands: EditorCommands, options: { fontSize: number; theme: string }) {
    const document = this.documents.get(sessionId);
    if (!document) return null;
    const { monaco } = this.deps;
    const editor = monaco.editor.create(container, {
      model: document.model,
      automaticLayout: true,
      fontSize: options.fontSize,
      theme: options.theme,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 2,
      // Enter takes a suggestion only when it changes the text: a fully typed `then` + Enter is a new line.
      acceptSuggestionOnEnter: 'smart',
      ariaLabel: `Script editor for session ${sessionId}`,
    });
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, commands.runBuffer);
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, commands.runSelection);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, commands.save);
    if (document.viewState) editor.restoreViewState(document.viewState);
    this.editors.set(sessionId, editor);
    return editor;
  }

  unmount(sessionId: string) {
    const editor = this.editors.get(sessionId);
    const document = this.documents.get(sessionId);
    if (editor && document) document.viewState = editor.saveViewState();
    editor?.dispose();
    this.editors.delete(sessionId);
  }

  focus(sessionId: string) {
    this.editors.get(sessionId)?.focus();
  }

  setEditorOptions(options: { fontSize: number }) {
    for (const editor of this.editors.values()) editor.updateOptions(options);
  }

  /** The code to run and the line it starts at (runtime error lines are relative to it). */
  runnable(sessionId: string, mode: RunMode): { code: string; firstLine: number; chunkName: string } | null {
    const document = this.documents.get(sessionId);
    if (!document) return null;
    const chunkName = document.scriptName;
    if (mode === 'buffer') return { code: document.model.getValue(), firstLine: 1, chunkName };
    const selection = this.editors.get(sessionId)?.getSelection();
    if (!selection) return null;
    if (selection.isEmpty()) {
      const line = selection.startLineNumber;
      return { code: document.model.getLineContent(line), firstLine: line, chunkName };
    }
    return { code: document.model.getValueInRange(selection), firstLine: selection.startLineNumber, chunkName };
  }

  showRuntimeError(sessionId: string, error: { message: string; line?: number } | null, firstLine = 1) {
    const document = this.documents.get(sessionId);
    if (!document) return;
    const placed = error ? { message: error.message, line: error.line === undefined ? undefined : error.line + firstLine - 1 } : null;
    const markers = placed?.line
      ? [this.marker(document.model, placed.line, placed.message, this.deps.monaco.MarkerSeverity.Error, 'runtime')]
      : [];
    this.deps.monaco.editor.setModelMarkers(document.model, RUNTIME_OWNER, markers);
    this.deps.editor().patchDocument(sessionId, { runtimeError: placed });
  }

  async save(sessionId: string): Promise<boolean> {
    const document = this.documents.get(sessionId);
    if (!document) return false;
    this.clearAutosave(document);
    const versionId = document.model.getAlternativeVersionId();
    const store = this.deps.editor();
    store.patchDocument(sessionId, { saving: true });
    try {
      await this.deps.client.invoke('workspace:write', { name: document.scriptName, content: document.model.getValue() });
      document.savedVersionId = versionId;
      store.patchDocument(sessionId, { saving: false, savedAt: Date.now(), problem: null, dirty: document.model.getAlternativeVersionId() !== versionId });
      return true;
    } catch (error) {
      store.patchDocument(sessionId, { saving: false, problem: `Could not save ${document.scriptName}: ${errorMessage(error)}` });
      return false;
    }
  }

  async saveAs(sessionId: string, name: string, overwrite = false): Promise<void> {
    const document = this.documents.get(sessionId);
    if (!document) return;
    const meta = await this.deps.client.invoke('workspace:saveAs', { name, content: document.model.getValue(), overwrite });
    this.rebind(document, meta.name, null);
  }

  /** Switch the session's editor to another script; unsaved changes to the current one are saved first. */
  async bind(sessionId: string, name: string, content: string): Promise<void> {
    const document = this.documents.get(sessionId);
    if (!document) return;
    if (this.isDirty(document) && !(await this.save(sessionId))) return;
    this.rebind(document, name, content);
  }

  async openScript(sessionId: string, name: string) {
    const script = await this.deps.client.invoke('workspace:read', { name });
    await this.bind(sessionId, script.meta.name, script.content);
  }

  async newFromExample(sessionId: string, example: string) {
    const script = await this.deps.client.invoke('workspace:fromExample', { example });
    await this.bind(sessionId, script.meta.name, script.content);
  }

  /** The session ended: write what is unsaved, then drop its model. */
  async close(sessionId: string) {
    const document = this.documents.get(sessionId);
    if (!document) return;
    if (this.isDirty(document)) await this.save(sessionId);
    this.unmount(sessionId);
    this.clearAutosave(document);
    if (document.checkTimer) clearTimeout(document.checkTimer);
    document.listener.dispose();
    document.model.dispose();
    this.documents.delete(sessionId);
    this.deps.storage?.removeItem(BINDING_KEY(sessionId));
    this.deps.editor().removeDocument(sessionId);
  }

  private async load(sessionId: string) {
    const store = this.deps.editor();
    const bound = this.deps.storage?.getItem(BINDING_KEY(sessionId));
    let script: { meta: { name: string }; content: string };
    try {
      script = bound
        ? await this.deps.client.invoke('workspace:read', { name: bound }).catch(() => this.deps.client.invoke('workspace:sessionScript', { sessionId }))
        : await this.deps.client.invoke('workspace:sessionScript', { sessionId });
    } catch (error) {
      store.putDocument(sessionId, `${sessionId}.lua`);
      store.patchDocument(sessionId, { problem: `Could not open the script of ${sessionId}: ${errorMessage(error)}` });
      return;
    }
    if (this.documents.has(sessionId)) return;
    const { monaco } = this.deps;
    const model = monaco.editor.createModel(script.content, 'lua', monaco.Uri.parse(`bioxen-session:/${encodeURIComponent(sessionId)}`));
    const document: ScriptDocument = {
      sessionId,
      model,
      scriptName: script.meta.name,
      savedVersionId: model.getAlternativeVersionId(),
      autosaveTimer: null,
      checkTimer: null,
      checkRun: 0,
      viewState: null,
      listener: model.onDidChangeContent(() => this.changed(document)),
    };
    this.documents.set(sessionId, document);
    store.putDocument(sessionId, document.scriptName);
    this.scheduleCheck(document);
  }

  private rebind(document: ScriptDocument, name: string, content: string | null) {
    document.scriptName = name;
    this.deps.storage?.setItem(BINDING_KEY(document.sessionId), name);
    if (content !== null) document.model.setValue(content);
    document.savedVersionId = document.model.getAlternativeVersionId();
    this.clearAutosave(document);
    this.deps.editor().putDocument(document.sessionId, name);
    this.deps.editor().patchDocument(document.sessionId, { savedAt: Date.now() });
    this.scheduleCheck(document);
  }

  private changed(document: ScriptDocument) {
    const dirty = this.isDirty(document);
    const state = this.deps.editor().documents[document.sessionId];
    if (state && (state.dirty !== dirty || state.runtimeError)) this.deps.editor().patchDocument(document.sessionId, { dirty });
    if (state?.runtimeError) this.showRuntimeError(document.sessionId, null);
    this.clearAutosave(document);
    if (dirty) document.autosaveTimer = setTimeout(() => void this.save(document.sessionId), this.deps.autosaveMs());
    this.scheduleCheck(document);
  }

  private isDirty(document: ScriptDocument) {
    return document.model.getAlternativeVersionId() !== document.savedVersionId;
  }

  private clearAutosave(document: ScriptDocument) {
    if (document.autosaveTimer) clearTimeout(document.autosaveTimer);
    document.autosaveTimer = null;
  }

  private scheduleCheck(document: ScriptDocument) {
    if (document.checkTimer) clearTimeout(document.checkTimer);
    document.checkTimer = setTimeout(() => void this.check(document), CHECK_DELAY_MS);
  }

  /** Syntax errors (and luacheck warnings when the host has luacheck) as markers; stale replies are dropped. */
  private async check(document: ScriptDocument) {
    const run = ++document.checkRun;
    const versionId = document.model.getVersionId();
    let diagnostics;
    try {
      ({ diagnostics } = await this.deps.client.invoke('sessions:check', { id: document.sessionId, code: document.model.getValue(), chunkName: document.scriptName }));
    } catch {
      return;
    }
    if (run !== document.checkRun || document.model.isDisposed() || document.model.getVersionId() !== versionId) return;
    const { MarkerSeverity } = this.deps.monaco;
    const severity = { error: MarkerSeverity.Error, warning: MarkerSeverity.Warning, info: MarkerSeverity.Info } as const;
    const markers = diagnostics.map((d) => this.marker(document.model, d.line, d.message, severity[d.severity], d.source, d.column, d.endColumn));
    this.deps.monaco.editor.setModelMarkers(document.model, SYNTAX_OWNER, markers);
    this.deps.editor().patchDocument(document.sessionId, {
      errors: diagnostics.filter((d) => d.severity === 'error').length,
      warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    });
  }

  private marker(model: monacoApi.editor.ITextModel, line: number, message: string, severity: monacoApi.MarkerSeverity, source: string, column?: number, endColumn?: number): monacoApi.editor.IMarkerData {
    const lineNumber = Math.min(Math.max(1, line), model.getLineCount());
    const startColumn = column ?? model.getLineFirstNonWhitespaceColumn(lineNumber) ?? 1;
    return {
      severity,
      message,
      source,
      startLineNumber: lineNumber,
      endLineNumber: lineNumber,
      startColumn: Math.max(1, startColumn),
      endColumn: endColumn ?? Math.max(startColumn + 1, model.getLineMaxColumn(lineNumber)),
    };
  }
}
