// The host side of the runner protocol (lua/runtime/runner.lua): request shapes and a validator
// for every line the runner writes. A line that does not validate is a protocol error, never a
// crash of the host.
//
// Strings are bytes. Each direction is one JSON object per line, UTF-8 encoded. Every Lua string
// (code, output chunks, returned values, error messages, emit/call data) crosses as a JSON string
// in which valid UTF-8 is plain text and each byte that is not part of valid UTF-8 is the escape
// "\udc80".."\udcff" (byte 0x80..0xFF). On the host that is a JS string holding the lone surrogate
// U+DC80..U+DCFF: the surrogateescape mapping of byte-text.ts, lossless for any byte string, free
// for ASCII and valid UTF-8, and kept as is by JSON.stringify, JSON.parse and structured clone.
// Whoever writes bytes out (the CLI, the workspace) converts with textToBytes; the console shows
// such bytes as \xHH. lua/runtime/json.lua implements the Lua side.
import { valueTreeSchema, type ValueTree } from '../../src-preload/contract/value-preview';
import type { SandboxGuard, VMLimits } from './types';
import type { ExceptionMode } from '../../src-preload/contract/debug';

export type RunnerOp =
  | 'init'
  | 'exec'
  | 'eval'
  | 'repl'
  | 'check'
  | 'require'
  | 'setenv'
  | 'complete'
  | 'ping'
  | 'stats'
  | 'reset'
  | 'children'
  | 'string'
  | 'globals';

export interface RunnerRequest {
  op: RunnerOp;
  code?: string;
  name?: string;
  line?: string;
  reset?: boolean;
  prefix?: string;
  path?: string;
  cpath?: string;
  limits?: Partial<VMLimits>;
  [key: string]: unknown;
}

export type StreamKind = 'out' | 'err';

export type RunnerOutcome =
  | {
      t: 'done';
      values: string[];
      /** Previews of the returned values (lua/runtime/inspect.lua), filled in to a depth when the request asked for a tree. */
      previews?: ValueTree[];
      errors?: { line: number; message: string }[];
      items?: { name: string; type: string }[];
      memoryKb?: number;
      /** The answer of children / string / globals, checked against the contract where it is used. */
      page?: unknown;
      globals?: unknown;
      total?: number;
      /** In the reply to init/setenv: which guard enforces the limits. */
      guard?: SandboxGuard;
      /** The script ended itself with os.exit(status). */
      exit?: number;
    }
  | { t: 'more' }
  | {
      t: 'error';
      message: string;
      traceback?: string;
      line?: number;
      limit?: keyof VMLimits;
      interrupted?: boolean;
      /** children / string: the ref names nothing (released, or from a replaced runner). */
      gone?: boolean;
    };

const previewsSchema = valueTreeSchema.array();

export type RunnerMessage =
  | { kind: 'chunk'; id: number; stream: StreamKind; text: string }
  | { kind: 'dropped'; id: number; bytes: number; cap: number }
  | { kind: 'plot'; id: number; payload: unknown }
  | { kind: 'final'; id: number; outcome: RunnerOutcome }
  | { kind: 'emit'; emitKind: string; data: unknown }
  | { kind: 'call'; id: number; callKind: string; data: unknown }
  | { kind: 'debug-stop'; id: number; stop: RunnerDebugStop }
  | { kind: 'debug-reply'; id: number; seq: number; ok: boolean; body: unknown; message?: string }
  | { kind: 'protocol'; message: string };

/** A debugged run stopped (lua/runtime/debugger.lua): where, and why. */
export interface RunnerDebugStop {
  reason: string;
  source: string;
  line: number;
  hits?: unknown[];
  text?: string;
}

/** What a debugged run's request carries as `debug` (see debugger.lua's attach). */
export interface RunnerDebugConfig {
  breakpoints: Record<string, { id: number; line: number; condition?: string; hitCondition?: string; logMessage?: string }[]>;
  exceptions?: ExceptionMode;
  stopOnEntry?: boolean;
}

const LIMIT_NAMES = new Set(['instructionQuota', 'memoryMb', 'timeoutMs', 'outputBytes']);

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : [];
}

function parseFinal(id: number, m: Record<string, unknown>): RunnerMessage {
  if (m.t === 'more') return { kind: 'final', id, outcome: { t: 'more' } };
  if (m.t === 'done') {
    const outcome: RunnerOutcome = { t: 'done', values: strings(m.values) };
    if (Array.isArray(m.errors)) {
      outcome.errors = m.errors.map((e: { line?: unknown; message?: unknown }) => ({ line: num(e?.line) ?? 1, message: String(e?.message ?? '') }));
    }
    if (Array.isArray(m.items)) {
      outcome.items = m.items.map((e: { name?: unknown; type?: unknown }) => ({ name: String(e?.name ?? ''), type: String(e?.type ?? '') }));
    }
    if (num(m.memoryKb) !== undefined) outcome.memoryKb = num(m.memoryKb);
    if (m.previews !== undefined) {
      // Bad previews cost the tree view, never the run's result.
      const previews = previewsSchema.safeParse(m.previews);
      if (previews.success) outcome.previews = previews.data;
    }
    if (m.page !== undefined) outcome.page = m.page;
    if (m.globals !== undefined) outcome.globals = m.globals;
    if (num(m.total) !== undefined) outcome.total = num(m.total);
    if (Number.isInteger(m.exit)) outcome.exit = m.exit as number;
    if (m.guard === 'timer' || m.guard === 'count-hook') outcome.guard = { kind: m.guard, ...(str(m.guardReason) ? { reason: str(m.guardReason) } : {}) };
    return { kind: 'final', id, outcome };
  }
  const limit = str(m.limit);
  return {
    kind: 'final',
    id,
    outcome: {
      t: 'error',
      message: str(m.message) ?? 'unknown error',
      traceback: str(m.traceback),
      line: num(m.line),
      limit: limit && LIMIT_NAMES.has(limit) ? (limit as keyof VMLimits) : undefined,
      interrupted: m.interrupted === true || undefined,
      gone: m.gone === true || undefined,
    },
  };
}

export function parseRunnerLine(line: string): RunnerMessage {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    return { kind: 'protocol', message: `runner wrote a line that is not JSON: ${line.slice(0, 200)}` };
  }
  if (typeof m !== 'object' || m === null) return { kind: 'protocol', message: `runner wrote a non-object: ${line.slice(0, 200)}` };
  const msg = m as Record<string, unknown>;
  const id = num(msg.id);
  switch (msg.t) {
    case 'out':
    case 'err':
      if (id === undefined) break;
      return { kind: 'chunk', id, stream: msg.t, text: str(msg.s) ?? '' };
    case 'dropped':
      if (id === undefined) break;
      return { kind: 'dropped', id, bytes: num(msg.n) ?? 0, cap: num(msg.cap) ?? 0 };
    case 'plot':
      if (id === undefined) break;
      return { kind: 'plot', id, payload: msg.p };
    case 'done':
    case 'more':
    case 'error':
      if (id === undefined) break;
      return parseFinal(id, msg);
    case 'emit':
      return { kind: 'emit', emitKind: str(msg.kind) ?? '', data: msg.data };
    case 'call':
      if (id === undefined) break;
      return { kind: 'call', id, callKind: str(msg.kind) ?? '', data: msg.data };
    case 'dbg':
      if (id === undefined) break;
      if (msg.ev === 'stopped') {
        return {
          kind: 'debug-stop',
          id,
          stop: {
            reason: str(msg.reason) ?? 'pause',
            source: str(msg.source) ?? '',
            line: num(msg.line) ?? 0,
            hits: Array.isArray(msg.hits) ? msg.hits : undefined,
            text: str(msg.text),
          },
        };
      }
      if (num(msg.seq) === undefined) break;
      return { kind: 'debug-reply', id, seq: num(msg.seq) as number, ok: msg.ok === true, body: msg.body, message: str(msg.message) };
    case 'protocol':
      return { kind: 'protocol', message: str(msg.message) ?? 'protocol error' };
  }
  return { kind: 'protocol', message: `runner wrote an unexpected message: ${line.slice(0, 200)}` };
}
