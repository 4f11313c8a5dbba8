// Public types of the Lua VM engine. The shapes that cross to a window (sessions, output, limits, results)
// are the contract's (src-preload/contract/sessions.ts), re-exported here for the engine's users.
import type { OutputChunk, SessionInfo, VMCapabilities, VMLimits } from '../../src-preload/contract/sessions';

export type { ExecResult, OutputChunk, OutputStream, SessionInfo, SessionState, VMCapabilities, VMLimits } from '../../src-preload/contract/sessions';
export type { LuaExecutable } from '../../src-preload/contract/app';

/**
 * What enforces a runner's limits (lua/runtime/sandbox.lua): the native guard's timer (plain-Lua speed, the quota
 * charged as CPU time) or the count hook it falls back to (exact instruction counts, about 2x slower on
 * CPU-bound code), with why.
 */
export interface SandboxGuard {
  kind: 'timer' | 'count-hook';
  reason?: string;
}

export interface VMOptions {
  networked?: boolean;
  persistent?: boolean;
  debugMode?: boolean;
  /** Path or name of a Lua executable; default: the best discovered (lua5.4 first). */
  luaExecutable?: string;
  /** LuaRocks environment name (its tree's package.path/cpath are added). */
  environment?: string;
  limits?: Partial<VMLimits>;
  capabilities?: Partial<VMCapabilities>;
}

/** Events the engine emits for UIs: state changes and batched output. */
export interface VMManagerEvents {
  session: (info: SessionInfo) => void;
  sessionRemoved: (id: string) => void;
  output: (id: string, chunks: OutputChunk[]) => void;
  /** Lua code called emit (Ol-Fi frames, metrics requests, progress). */
  emit: (id: string, kind: string, data: unknown) => void;
}
