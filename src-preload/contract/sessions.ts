// Sessions domain: interactive Lua VMs, their execution, output and editor intelligence.
// These schemas are the only definition of these shapes: the engine (src-main/vm/) uses their z.output types.
import { z } from 'zod';
import { luaChoiceSchema } from './app';
import { event, method } from './define';
import { sessionIdSchema } from './session-id';
import { valuePreviewSchema, valueTreeSchema } from './value-preview';

export { sessionIdSchema } from './session-id';

/** Lifecycle of one runner process. `detached` is a view state: the process keeps running. */
export const sessionStateSchema = z.enum(['starting', 'idle', 'busy', 'detached', 'crashed', 'exited']);
export type SessionState = z.output<typeof sessionStateSchema>;

export const limitsSchema = z.object({
  /** Instructions per run; 0 = unlimited. Counted by a count hook, or charged as CPU time at the interpreter's measured rate under the native guard (README "what the sandbox costs"). */
  instructionQuota: z.number().int().min(0),
  /** Lua heap cap in MiB (checked in-Lua by the hook; also `prlimit --as` where available). */
  memoryMb: z.number().int().min(1).max(65_536),
  /** Wall-clock limit per run in ms, enforced by the host's watchdog. 0 = unlimited. */
  timeoutMs: z.number().int().min(0),
  /** Bytes of stdout+stderr kept per run; the rest is dropped with a visible marker. */
  outputBytes: z.number().int().min(1024).max(256 * 1024 * 1024),
});
export type VMLimits = z.output<typeof limitsSchema>;

export const capabilitiesSchema = z.object({
  /** LuaSocket (`require "socket"`) inside the sandbox, bound to loopback and ports 1024–65535. */
  networked: z.boolean(),
  /** With networked: bind other interfaces than loopback and reach other hosts (default false). */
  remoteNetwork: z.boolean().optional(),
  /** `io.open` and friends, confined to the VM's work dir. */
  fs: z.boolean(),
  /** `require("bioxen.olfi").send(...)` → host emit → Redis XADD. */
  olfi: z.boolean(),
  /** `require("bioxen.metrics").latest(vmId)` through the host. */
  metrics: z.boolean(),
  /** C modules (package.loadlib / cpath) for environments with native rocks. */
  native: z.boolean().optional(),
});
export type VMCapabilities = z.output<typeof capabilitiesSchema>;

export const sessionInfoSchema = z.object({
  id: z.string(),
  state: sessionStateSchema,
  attached: z.boolean(),
  luaVersion: z.string(),
  luaExecutable: z.string(),
  environment: z.string().optional(),
  persistent: z.boolean(),
  capabilities: capabilitiesSchema,
  limits: limitsSchema,
  pid: z.number().int().optional(),
  memoryKb: z.number().optional(),
  createdAt: z.number(),
  lastActivity: z.number(),
  /** Why the session crashed or exited (signal, limit, exit code). */
  reason: z.string().optional(),
});
export type SessionInfo = z.output<typeof sessionInfoSchema>;

/** 'plot': the chunk's text is a plot or table from bioxen.plot, as JSON (plotSpecSchema). */
export const outputStreamSchema = z.enum(['stdout', 'stderr', 'value', 'error', 'system', 'input', 'plot']);
export type OutputStream = z.output<typeof outputStreamSchema>;


/** One piece of session output; `seq` increases by one per chunk within a session. */
export const outputChunkSchema = z.object({
  seq: z.number().int().min(0),
  stream: outputStreamSchema,
  text: z.string(),
  at: z.number(),
  /** On echoed 'input': the line continued an incomplete chunk (prompt `>> `). */
  continuation: z.boolean().optional(),
  /** On 'value': a preview per returned value (its ref expands it through values:children while it lives). */
  values: z.array(valuePreviewSchema).max(100).optional(),
});
export type OutputChunk = z.output<typeof outputChunkSchema>;

/** A window of a session's output buffer: chunks with seq ≥ the requested cursor, and where to read next. */
export const outputPageSchema = z.object({
  chunks: z.array(outputChunkSchema),
  nextSeq: z.number().int().min(0),
});

/** Everything the UI needs to draw one session after a reload or an attach. */
export const sessionSnapshotSchema = z.object({
  info: sessionInfoSchema,
  output: outputPageSchema,
});

export const execResultSchema = z.object({
  stdout: z.string(),
  stderr: z.string(),
  returnCode: z.number().int(),
  success: z.boolean(),
  /** Returned values rendered like the Lua 5.4 REPL (`return 2+2` → ["4"]). */
  values: z.array(z.string()),
  /** A preview per returned value (the first 100); filled in to a depth when the run asked for a tree. */
  previews: z.array(valueTreeSchema).optional(),
  durationMs: z.number(),
  /**
   * Present when the script ended itself with os.exit(status): the run stopped there (the session stays) and
   * `returnCode` is the status; success is status 0.
   */
  exitStatus: z.number().int().optional(),
  /** Present when the code failed: what went wrong, where, and which limit if any. */
  error: z
    .object({
      message: z.string(),
      line: z.number().int().optional(),
      traceback: z.string().optional(),
      limit: z.enum(['instructionQuota', 'memoryMb', 'timeoutMs', 'outputBytes']).optional(),
    })
    .optional(),
});
export type ExecResult = z.output<typeof execResultSchema>;

/**
 * How a window's run ended. Its output is not repeated here: it streamed as the session's `sessions:output` events
 * while the run went on, the chunks with seq from output.firstSeq up to output.nextSeq (sessions:output reads
 * them again), so a run's text travels once.
 */
export const runResultSchema = execResultSchema.omit({ stdout: true, stderr: true }).extend({
  output: z.object({ firstSeq: z.number().int().min(0), nextSeq: z.number().int().min(0) }),
});
export type RunResult = z.output<typeof runResultSchema>;

export const diagnosticSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1).optional(),
  endColumn: z.number().int().min(1).optional(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  source: z.string(),
});

export const completionItemSchema = z.object({
  label: z.string(),
  kind: z.enum(['function', 'table', 'variable', 'keyword', 'module', 'field', 'constant']),
  detail: z.string().optional(),
  documentation: z.string().optional(),
});

const byId = z.object({ id: sessionIdSchema });
const code = z.string().max(4 * 1024 * 1024, 'code is larger than 4 MiB — split it into modules');
const chunkName = z.string().min(1).max(200).optional();

export const sessionsMethods = {
  'sessions:list': method(
    'Every session with its recent output, for hydrating the UI.',
    z.object({ recentChunks: z.number().int().min(0).max(5000).default(500) }).default({ recentChunks: 500 }),
    z.object({ sessions: z.array(sessionSnapshotSchema) }),
  ),
  'sessions:create': method(
    'Start an interactive VM. Omitted fields take the defaults from settings.',
    z.object({
      id: sessionIdSchema.optional(),
      /** Id of a discovered Lua interpreter (app:info's luaVersions) or a version such as "5.4". */
      luaVersion: luaChoiceSchema.optional(),
      environment: z.string().max(100).optional(),
      networked: z.boolean().default(false),
      persistent: z.boolean().default(false),
      limits: limitsSchema.partial().optional(),
      capabilities: capabilitiesSchema.partial().optional(),
    }),
    sessionInfoSchema,
  ),
  'sessions:attach': method('Attach to a session and replay the output it kept.', byId.extend({ since: z.number().int().min(0).default(0) }), sessionSnapshotSchema),
  'sessions:detach': method('Detach from a session; its process keeps running.', byId, sessionInfoSchema),
  'sessions:interrupt': method('Stop the current run (SIGINT); the session and its globals stay.', byId, sessionInfoSchema),
  'sessions:restart': method('Restart the runner process with a fresh Lua state.', byId, sessionInfoSchema),
  'sessions:terminate': method('Kill the session and forget it.', byId, z.object({ id: z.string() })),
  'sessions:sendInput': method(
    'One REPL line. An incomplete chunk (a function over several lines) waits for more lines.',
    byId.extend({ line: z.string().max(1024 * 1024) }),
    z.object({ pending: z.boolean(), failed: z.boolean() }),
  ),
  'sessions:run': method(
    'Run code in the session environment (the editor buffer or a selection). Its output streams as sessions:output events; the reply says how it ended and which chunks it wrote.',
    byId.extend({ code, chunkName }),
    runResultSchema,
    { streams: 'sessions:output' },
  ),
  'sessions:output': method(
    'Output chunks with seq ≥ since, from the session ring buffer.',
    byId.extend({ since: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(10_000).default(2000) }),
    outputPageSchema,
  ),
  'sessions:check': method(
    'Compile-only syntax check (no code runs) plus luacheck warnings when luacheck is installed.',
    z.object({ id: sessionIdSchema.optional(), code, chunkName }),
    z.object({ diagnostics: z.array(diagnosticSchema) }),
  ),
  'sessions:completions': method(
    'Completion candidates for a dotted prefix (e.g. "string.fo"), including the session globals.',
    byId.extend({ prefix: z.string().max(500) }),
    z.object({ items: z.array(completionItemSchema) }),
  ),
};

export const sessionsEvents = {
  'sessions:changed': event(
    'A session was created, changed state or was removed (info null).',
    z.object({ id: z.string(), info: sessionInfoSchema.nullable() }),
  ),
  'sessions:output': event('Batched output chunks of one session.', z.object({ id: z.string(), chunks: z.array(outputChunkSchema) })),
};
