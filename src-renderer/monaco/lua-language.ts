// Completion and hover for Lua: keywords, the documented stdlib/BioXen API, and the globals of the
// session the model belongs to (asked from the running VM through `sessions:completions`).
import type { BridgeClient } from '../bridge';
import { docsForPrefix, findDoc, LUA_KEYWORDS, type ApiKind } from './lua-api-docs';
import type { Monaco } from './monaco-setup';
import type * as monacoApi from 'monaco-editor/editor/editor.api';

/** The dotted name ending at the cursor, e.g. "string.fo" or "seq.gc" (":" method calls count as "."). */
export function dottedPrefix(lineUntilCursor: string): string {
  const match = /[A-Za-z_][A-Za-z0-9_]*(?:[.:][A-Za-z_][A-Za-z0-9_]*)*[.:]?$/.exec(lineUntilCursor);
  return match ? match[0].replace(/:/g, '.') : '';
}

export function registerLuaLanguage(monaco: Monaco, client: BridgeClient, sessionOf: (model: monacoApi.editor.ITextModel) => string | null) {
  const kinds: Record<ApiKind, monacoApi.languages.CompletionItemKind> = {
    function: monaco.languages.CompletionItemKind.Function,
    table: monaco.languages.CompletionItemKind.Struct,
    variable: monaco.languages.CompletionItemKind.Variable,
    keyword: monaco.languages.CompletionItemKind.Keyword,
    module: monaco.languages.CompletionItemKind.Module,
    field: monaco.languages.CompletionItemKind.Field,
    constant: monaco.languages.CompletionItemKind.Constant,
  };

  const completion = monaco.languages.registerCompletionItemProvider('lua', {
    triggerCharacters: ['.', ':'],
    async provideCompletionItems(model, position) {
      const line = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const prefix = dottedPrefix(line);
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const parent = prefix.slice(0, prefix.lastIndexOf('.') + 1);
      const items = new Map<string, monacoApi.languages.CompletionItem>();
      const add = (name: string, kind: ApiKind, detail?: string, documentation?: string) => {
        const label = name.slice(parent.length);
        if (!label || items.has(label)) return;
        items.set(label, { label, kind: kinds[kind], detail, documentation, insertText: label, range });
      };
      for (const doc of docsForPrefix(prefix)) add(doc.name, doc.kind, doc.signature, doc.doc);
      if (!parent) for (const keyword of LUA_KEYWORDS) add(keyword, 'keyword');
      const sessionId = sessionOf(model);
      if (sessionId) {
        try {
          const live = await client.invoke('sessions:completions', { id: sessionId, prefix });
          for (const item of live.items) {
            const name = item.label.startsWith(parent) ? item.label : parent + item.label;
            add(name, item.kind, item.detail, item.documentation ?? findDoc(name)?.doc);
          }
        } catch {
          // A busy, crashed or detached session simply offers no live globals.
        }
      }
      return { suggestions: [...items.values()] };
    },
  });

  const hover = monaco.languages.registerHoverProvider('lua', {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const line = model.getLineContent(position.lineNumber).slice(0, word.endColumn - 1);
      const name = dottedPrefix(line);
      const doc = findDoc(name) ?? findDoc(word.word);
      if (!doc) return null;
      return {
        range: { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn },
        contents: [{ value: '```lua\n' + (doc.signature ?? doc.name) + '\n```' }, { value: doc.doc }],
      };
    },
  });

  return { dispose: () => [completion, hover].forEach((d) => d.dispose()) };
}
