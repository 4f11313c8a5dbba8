// Shapes the engine's answers into the contract's session views (snapshots, diagnostics, completion
// items), so the sessions handlers stay one call each.
import type { MethodOutput } from '../../src-preload/contract/index';
import type { SyntaxDiagnostic, VMManager } from '../vm/vm-manager';

type Snapshot = MethodOutput<'sessions:attach'>;
type CompletionItem = MethodOutput<'sessions:completions'>['items'][number];
type Diagnostic = MethodOutput<'sessions:check'>['diagnostics'][number];

export function snapshotOf(vm: VMManager, id: string, recentChunks: number): Snapshot {
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

/** A fresh id like "session-3" that no VM uses yet. */
export function freeSessionId(vm: VMManager): string {
  const taken = new Set(vm.listSessions().map((s) => s.id));
  let n = taken.size + 1;
  while (taken.has(`session-${n}`)) n++;
  return `session-${n}`;
}

export async function syntaxDiagnostics(vm: VMManager, code: string, sessionId: string | undefined): Promise<{ diagnostics: Diagnostic[] }> {
  const luaVersion = sessionId ? vm.getSession(sessionId).info().luaExecutable : undefined;
  const errors = await vm.checkSyntax(code, luaVersion);
  return { diagnostics: errors.map(toDiagnostic) };
}

function toDiagnostic(error: SyntaxDiagnostic): Diagnostic {
  return { line: Math.max(1, error.line), severity: 'error', message: error.message, source: 'lua' };
}

/**
 * "string.fo" → the members of `string` starting with "fo". The runner lists a table's members;
 * the prefix's last part filters them here.
 */
export async function completionItems(vm: VMManager, id: string, prefix: string): Promise<{ items: CompletionItem[] }> {
  const cut = Math.max(prefix.lastIndexOf('.'), prefix.lastIndexOf(':'));
  const partial = prefix.slice(cut + 1);
  const members = await vm.completions(id, cut < 0 ? '' : prefix.slice(0, cut));
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
