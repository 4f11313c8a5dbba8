// Shapes the engine's answers into the contract's session views (snapshots, diagnostics, completion
// items), so the sessions handlers stay one call each.
import type { MethodArgs, MethodOutput } from '../../src-preload/contract/index';
import type { Settings } from '../settings/settings-store';
import type { LuaInterpreters } from '../vm/lua-discovery';
import type { SessionInfo } from '../vm/types';
import type { EditorService, SyntaxDiagnostic } from '../editor/editor-service';
import type { VMManager } from '../vm/vm-manager';
import type { LintWarning, Luacheck } from '../workspace/luacheck';

type Snapshot = MethodOutput<'sessions:attach'>;
type CompletionItem = MethodOutput<'sessions:completions'>['items'][number];
type Diagnostic = MethodOutput<'sessions:check'>['diagnostics'][number];

function snapshotOf(vm: VMManager, id: string, recentChunks: number): Snapshot {
  const session = vm.getSession(id);
  return { info: session.info(), output: session.recentOutput(recentChunks) };
}

export function listSnapshots(vm: VMManager, recentChunks: number): { sessions: Snapshot[] } {
  return { sessions: vm.listSessions().map((info) => snapshotOf(vm, info.id, recentChunks)) };
}

/** Attaches the window's reader and returns the output from the window's cursor on. */
export function attachFrom(vm: VMManager, id: string, since: number): Snapshot {
  const { session } = vm.attachToVM(id);
  return { info: session.info(), output: session.outputSince(since, MAX_ATTACH_CHUNKS) };
}
const MAX_ATTACH_CHUNKS = 2000;

/** A window's run: how it ended and which output chunks were its own; the text itself went out as output events. */
export async function runStreamed(vm: VMManager, id: string, code: string, chunkName: string | undefined): Promise<MethodOutput<'sessions:run'>> {
  const { result, output } = await vm.getSession(id).runMarked(code, chunkName);
  const { stdout: _stdout, stderr: _stderr, ...ended } = result;
  return { ...ended, output };
}

/**
 * Starts an interactive VM; what the dialog leaves out comes from the settings. The Lua is resolved
 * among the discovered interpreters before anything is spawned: an unknown id is invalid_input.
 */
export async function createSession(vm: VMManager, lua: LuaInterpreters, settings: Settings, input: MethodArgs<'sessions:create'>): Promise<SessionInfo> {
  const { id, luaVersion, limits, ...options } = input;
  const executable = await lua.resolve(luaVersion ?? settings.luaExecutable ?? undefined);
  const session = await vm.createInteractiveVM(id ?? freeSessionId(vm), {
    ...options,
    luaExecutable: executable.path,
    limits: { ...settings.limits, ...limits },
  });
  return session.info();
}

/** A fresh id like "session-3" that no VM uses yet. */
function freeSessionId(vm: VMManager): string {
  const taken = new Set(vm.listSessions().map((s) => s.id));
  let n = taken.size + 1;
  while (taken.has(`session-${n}`)) n++;
  return `session-${n}`;
}

/**
 * Compile errors from the session's own Lua; when the code compiles, luacheck warnings, knowing the
 * globals the session already defines (asked only while it is idle, so a busy run never blocks this).
 */
export async function syntaxDiagnostics(editor: EditorService, vm: VMManager, luacheck: Luacheck, code: string, sessionId: string | undefined): Promise<{ diagnostics: Diagnostic[] }> {
  const info = sessionId ? vm.getSession(sessionId).info() : undefined;
  const errors = await editor.checkSyntax(code, info?.luaExecutable);
  if (errors.length || !luacheck.available) return { diagnostics: errors.map(toDiagnostic) };
  const idle = info && (info.state === 'idle' || info.state === 'detached');
  const knownGlobals = idle ? await sessionGlobals(editor, info.id) : [];
  const warnings = await luacheck.lint(code, { luaVersion: info?.luaVersion, isLuaJIT: /luajit/i.test(info?.luaExecutable ?? ''), knownGlobals });
  return { diagnostics: warnings.map(toWarning) };
}

/** The session's global names; none if a run starts in the meantime and the runner cannot answer quickly. */
async function sessionGlobals(editor: EditorService, id: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<string[]>((resolve) => (timer = setTimeout(() => resolve([]), GLOBALS_WAIT_MS)));
  const names = editor.completions(id, '').then(
    (members) => members.map((m) => m.name),
    () => [],
  );
  try {
    return await Promise.race([names, gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}
const GLOBALS_WAIT_MS = 1000;

function toDiagnostic(error: SyntaxDiagnostic): Diagnostic {
  return { line: Math.max(1, error.line), severity: 'error', message: error.message, source: 'lua' };
}

function toWarning(w: LintWarning): Diagnostic {
  return { line: w.line, column: w.column, endColumn: w.endColumn, severity: 'warning', message: `${w.message} (${w.code})`, source: 'luacheck' };
}

/**
 * "string.fo" → the members of `string` starting with "fo". The runner lists a table's members;
 * the prefix's last part filters them here.
 */
export async function completionItems(editor: EditorService, id: string, prefix: string): Promise<{ items: CompletionItem[] }> {
  const cut = Math.max(prefix.lastIndexOf('.'), prefix.lastIndexOf(':'));
  const partial = prefix.slice(cut + 1);
  const members = await editor.completions(id, cut < 0 ? '' : prefix.slice(0, cut));
  const items = members
    .filter((m) => m.name.startsWith(partial))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => ({ label: m.name, kind: kindOf(m.type), detail: m.type }));
  return { items };
}

function kindOf(luaType: string): CompletionItem['kind'] {
  if (luaType === 'function') return 'function';
  if (luaType === 'table') return 'table';
  return 'variable';
}
