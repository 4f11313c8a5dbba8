// Debug domain: breakpoints kept per script, a debugged run of a session's code, and what a stopped
// run shows (stack, scopes, variables, evaluation). The runner's debugger (lua/runtime/debugger.lua)
// does the work; src-main/debug/debug-service.ts drives it.
//
// One call with streamed events: `debug:run` resolves with the run's result when it ends; meanwhile
// `debug:stopped` / `debug:continued` say where it is, and `debug:ended` closes it. Output goes out as
// the session's usual `sessions:output`. While a run is stopped the stack, scope and variable calls
// answer; `ref`s and frame ids are valid until it continues.
//
// A debugger client outside the workbench (`bioxen dap` attached to a session) takes an `attachment`
// with debug:attach. Its breakpoints are its own: they apply to that session's debugged runs only, beside
// the workbench's (where both hold a line the workbench's applies), are not listed by debug:breakpoints,
// and go when it detaches or its connection closes. Stops, steps and values are shared: both see them.
//
// A `script` is the chunk name the run was given: the workbench's script name (sessions:run's
// chunkName), `@/abs/path.lua` for `bioxen dap`. Lines are the script's, 1-based.
import { z } from 'zod';
import { method, event } from './define';
import { execResultSchema, sessionIdSchema } from './sessions';
import { valuePreviewSchema, valueRefSchema } from './value-preview';
import { stringPageSchema } from './values';

const script = z.string().min(1).max(1024);
const line = z.number().int().min(1).max(10_000_000);
const expression = z.string().min(1).max(64 * 1024);

export const breakpointSpecSchema = z.object({
  line,
  /** Lua expression evaluated in the frame; the breakpoint stops only when it is truthy (an error stops too). */
  condition: z.string().max(4096).optional(),
  /** "N" or ">= N" (from the N-th hit on), "> N", "< N", "<= N", "== N", "% N" (every N-th hit). */
  hitCondition: z.string().max(64).optional(),
  /** A logpoint: prints this text (with `{expression}`s evaluated in the frame) to the run's output and does not stop. */
  logMessage: z.string().max(4096).optional(),
});
export type BreakpointSpec = z.output<typeof breakpointSpecSchema>;

export const breakpointSchema = breakpointSpecSchema.extend({
  /** Unique in this workbench; `debug:stopped`'s `hits` name it. */
  id: z.number().int().min(1),
  verified: z.boolean(),
  message: z.string().optional(),
});
export type Breakpoint = z.output<typeof breakpointSchema>;

/** none; uncaught (errors that end the run); all (also the errors pcall and xpcall catch). */
export const exceptionModeSchema = z.enum(['none', 'uncaught', 'all']);
export type ExceptionMode = z.output<typeof exceptionModeSchema>;

export const debugStopSchema = z.object({
  /** entry (stopOnEntry), breakpoint, step, pause, exception (an uncaught error, at the frame that raised it). */
  reason: z.enum(['entry', 'breakpoint', 'step', 'pause', 'exception']),
  script: z.string(),
  line: z.number().int(),
  /** The breakpoints that stopped it. */
  hits: z.array(z.number().int()).optional(),
  /** The error's message (reason exception). */
  text: z.string().optional(),
});
export type DebugStop = z.output<typeof debugStopSchema>;

export const stackFrameSchema = z.object({
  /** 1 is the innermost frame; what debug:scopes and debug:evaluate take as `frameId`. */
  id: z.number().int().min(1),
  name: z.string(),
  /** Absent on a coroutine-boundary marker (the frames below it belong to the coroutine's resumer). */
  script: z.string().optional(),
  line: z.number().int().optional(),
  boundary: z.boolean().optional(),
});
export type StackFrame = z.output<typeof stackFrameSchema>;

/** Scope refs are negative (they name a frame's locals, upvalues or varargs); value refs are positive. */
const anyRef = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).refine((r) => r !== 0, 'ref 0 names nothing');

export const scopeSchema = z.object({
  name: z.enum(['Locals', 'Upvalues', 'Varargs']),
  ref: anyRef,
  count: z.number().int().min(0),
});

export const variableSchema = z.object({ name: z.string(), value: valuePreviewSchema });
export const variablesPageSchema = z.object({
  items: z.array(variableSchema).max(1000),
  total: z.number().int().min(0),
  next: z.number().int().min(1).optional(),
});
export type VariablesPage = z.output<typeof variablesPageSchema>;

export const debugRunStateSchema = z.object({
  id: sessionIdSchema,
  script: z.string(),
  /** Present while the run is stopped. */
  stop: debugStopSchema.optional(),
});
export type DebugRunState = z.output<typeof debugRunStateSchema>;

const byId = z.object({ id: sessionIdSchema });
const attachment = z.string().min(1).max(64);
const page = { start: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1), count: z.number().int().min(1).max(1000).default(100) };
const done = z.object({});

export const debugMethods = {
  'debug:setBreakpoints': method(
    "Replace a script's breakpoints (kept until changed, for every debugged run of that script; a run going on gets them at once).",
    z.object({
      script,
      breakpoints: z.array(breakpointSpecSchema).max(10_000),
      /** A debugger client's attachment (debug:attach): the breakpoints are that client's, for its session only. */
      attachment: attachment.optional(),
    }),
    z.object({ breakpoints: z.array(breakpointSchema) }),
  ),
  'debug:attach': method(
    "Attach a debugger client (bioxen dap) to a session: breakpoints set with the attachment apply to that session's debugged runs only, and go when it detaches or its connection closes.",
    byId,
    z.object({ attachment }),
  ),
  'debug:detach': method("Detach a debugger client: its breakpoints go, and the session's run, when stopped, goes on.", z.object({ attachment }), done),
  'debug:breakpoints': method(
    'Every script with breakpoints, and the exception mode (hydration).',
    z.object({}).default({}),
    z.object({ scripts: z.array(z.object({ script: z.string(), breakpoints: z.array(breakpointSchema) })), exceptions: exceptionModeSchema }),
  ),
  'debug:setExceptions': method('Whether a run stops at an uncaught error, or at any error (also a caught one), at the frame that raised it.', z.object({ mode: exceptionModeSchema }), done),
  'debug:run': method(
    "Run code in the session's environment under the debugger; resolves with the result when the run ends (debug:stopped / debug:continued meanwhile).",
    byId.extend({ code: z.string().max(4 * 1024 * 1024), script, stopOnEntry: z.boolean().default(false) }),
    execResultSchema,
  ),
  'debug:runs': method('The debugged runs going on, and where each is stopped (hydration).', z.object({}).default({}), z.object({ runs: z.array(debugRunStateSchema) })),
  'debug:pause': method('Stop the debugged run at the next line it runs.', byId, done),
  'debug:continue': method('Let the stopped run go on.', byId, done),
  'debug:next': method('Step over: stop at the next line of this frame (or of the frame it returns to).', byId, done),
  'debug:stepIn': method('Step in: stop at the next line run, in whatever function.', byId, done),
  'debug:stepOut': method('Step out: stop once the current function has returned.', byId, done),
  'debug:runTo': method('Run to a line of a script (breakpoints on the way still stop).', byId.extend({ script, line }), done),
  'debug:stack': method("The stopped run's stack: the script's frames only, coroutine boundaries marked.", byId, z.object({ frames: z.array(stackFrameSchema) })),
  'debug:scopes': method("A frame's scopes (Locals always; Upvalues and Varargs when it has some).", byId.extend({ frameId: z.number().int().min(1) }), z.object({ scopes: z.array(scopeSchema) })),
  'debug:variables': method(
    'A page of a scope (negative ref) or of a table value (positive ref).',
    byId.extend({ ref: anyRef, ...page }),
    variablesPageSchema,
  ),
  'debug:string': method(
    'A page of a long string value, by bytes.',
    byId.extend({ ref: valueRefSchema, start: page.start, count: z.number().int().min(1).max(1024 * 1024).default(64 * 1024) }),
    stringPageSchema,
  ),
  'debug:evaluate': method(
    'Evaluate an expression (or run statements) in a frame: its locals, upvalues and globals are visible, an assignment to a local writes it. Steps and breakpoints are not disturbed.',
    byId.extend({ frameId: z.number().int().min(1).default(1), expression, context: z.enum(['watch', 'repl', 'hover']).default('watch') }),
    z.object({ value: valuePreviewSchema }),
  ),
  'debug:setVariable': method(
    'Set a local, upvalue or vararg of a frame (scope ref from debug:scopes) to the value of an expression evaluated in that frame.',
    byId.extend({ ref: anyRef, name: z.string().min(1).max(256), value: expression }),
    z.object({ value: valuePreviewSchema }),
  ),
};

export const debugEvents = {
  'debug:stopped': event('A debugged run stopped; it waits for debug:continue or a step.', z.object({ id: sessionIdSchema, stop: debugStopSchema })),
  'debug:continued': event('A stopped run goes on (its refs and frame ids are no longer valid).', byId),
  'debug:ended': event('A debugged run ended (its result is debug:run\'s reply).', byId.extend({ success: z.boolean() })),
  'debug:breakpoints': event("A script's breakpoints changed.", z.object({ script: z.string(), breakpoints: z.array(breakpointSchema) })),
};
