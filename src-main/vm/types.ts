// Public types of the Lua VM engine. The workbench contract (src-preload/contract/sessions.ts),
// the CLI and the benchmarks use these; the engine (vm-manager.ts, lua-process.ts,
// interactive-session.ts) implements them.

/** Lifecycle of one runner process. `detached` is a view state: the process keeps running. */
export type SessionState = 'starting' | 'idle' | 'busy' | 'detached' | 'crashed' | 'exited';

export interface VMLimits {
  /** Instructions per run (counted by a debug hook every 1000 instructions); 0 = unlimited. */
  instructionQuota: number;
  /** Lua heap cap in MiB (checked in-Lua by the hook; also `prlimit --as` where available). */
  memoryMb: number;
  /** Wall-clock limit per run in ms, enforced by the host's watchdog. 0 = unlimited. */
  timeoutMs: number;
  /** Bytes of stdout+stderr kept per run; the rest is dropped with a visible marker. */
  outputBytes: number;
}

export interface VMCapabilities {
  /** LuaSocket (`require "socket"`) inside the sandbox, bound to loopback and ports 1024–65535. */
  networked: boolean;
  /** With `networked`: bind other interfaces and reach other hosts than loopback. Default false. */
  remoteNetwork?: boolean;
  /** `io.open` and friends, confined to the VM's work dir. */
  fs: boolean;
  /** `require("bioxen.olfi").send(...)` → host emit → Redis XADD. */
  olfi: boolean;
  /** `require("bioxen.metrics").latest(vmId)` through the host. */
  metrics: boolean;
  /** C modules (`require` of a C rock) from the bound environment's cpath. */
  native?: boolean;
}

export interface LuaExecutable {
  /** How a window names it ("lua5.4", "luajit", or a name derived from an added interpreter's path); never a path. */
  id: string;
  path: string;
  /** "5.1" | "5.2" | "5.3" | "5.4" — the language version the runner speaks. */
  version: string;
  /** Full banner, e.g. "Lua 5.4.4" or "LuaJIT 2.1.0-beta3". */
  banner: string;
  isLuaJIT: boolean;
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

export interface ExecResult {
  stdout: string;
  stderr: string;
  returnCode: number;
  success: boolean;
  /** Returned values rendered like the Lua 5.4 REPL (`return 2+2` → ["4"]). */
  values: string[];
  durationMs: number;
  /** Present when the code failed: what went wrong, where, and which limit if any. */
  error?: { message: string; line?: number; traceback?: string; limit?: keyof VMLimits };
}

/** 'plot': the chunk's text is a plot or table from bioxen.plot, as JSON (plotSpecSchema). */
export type OutputStream = 'stdout' | 'stderr' | 'value' | 'error' | 'system' | 'input' | 'plot';

/** One piece of session output; `seq` increases by one per chunk within a session. */
export interface OutputChunk {
  seq: number;
  stream: OutputStream;
  text: string;
  at: number;
  /** On echoed 'input': the line continued an incomplete chunk (the REPL prompted `>> `, not `> `). */
  continuation?: boolean;
}

export interface SessionInfo {
  id: string;
  state: SessionState;
  attached: boolean;
  luaVersion: string;
  luaExecutable: string;
  environment?: string;
  persistent: boolean;
  capabilities: VMCapabilities;
  limits: VMLimits;
  pid?: number;
  memoryKb?: number;
  createdAt: number;
  lastActivity: number;
  /** Why the session crashed or exited (signal, limit, exit code). */
  reason?: string;
}

/** Events the engine emits for UIs: state changes and batched output. */
export interface VMManagerEvents {
  session: (info: SessionInfo) => void;
  sessionRemoved: (id: string) => void;
  output: (id: string, chunks: OutputChunk[]) => void;
  /** Lua code called emit (Ol-Fi frames, metrics requests, progress). */
  emit: (id: string, kind: string, data: unknown) => void;
}
