// `bioxen dap`: the Debug Adapter Protocol on stdio, over the debug service. A launch runs one Lua file
// in a new sandboxed session (its Lua, capabilities and limits from the launch configuration) under the
// runner's debugger, with a DebugService of its own; an attach drives a running workbench's debug
// service for one of its sessions (dap-attach.ts). The adapter only translates DAP requests to debug
// service calls and its events back. Types and framing are the published ones (@vscode/debugprotocol,
// @vscode/debugadapter).
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import * as dap from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Breakpoint, BreakpointSpec, DebugStop, StackFrame, VariablesPage } from '../../src-preload/contract/debug';
import type { MethodOutput } from '../../src-preload/contract/index';
import type { ValuePreview } from '../../src-preload/contract/value-preview';
import { DebugService } from '../debug/debug-service';
import { AttachedSession, type BioxenAttachArguments } from './dap-attach';
import { luaSourceFromFile } from '../vm/byte-text';
import { limitsSchema } from '../../src-preload/contract/sessions';
import { DEFAULT_CAPABILITIES } from '../vm/limits';
import type { OutputChunk, VMCapabilities, VMLimits } from '../vm/types';
import { VMManager } from '../vm/vm-manager';

const THREAD_ID = 1;
const SESSION_ID = 'dap';

/** What a launch configuration of type "bioxen" may say (README: "Debugging from VS Code"). */
export interface BioxenLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The Lua file to run. */
  program: string;
  /** A Lua interpreter: name, path or version (5.1 … 5.4, luajit); default the best found. */
  lua?: string;
  /** Capabilities to grant, by name (networked, fs, olfi, …); default the CLI's. */
  capabilities?: string[];
  limits?: Partial<VMLimits>;
  stopOnEntry?: boolean;
}

/** What the adapter drives: a launch's own DebugService, or an attached workbench session. */
export interface DebugTarget {
  /** The chunk name the debug service knows a file by, and back (undefined: no file). */
  scriptOf(path: string): string;
  pathOf(script: string): string | undefined;
  setBreakpoints(script: string, specs: BreakpointSpec[]): Promise<Breakpoint[]>;
  stack(): Promise<StackFrame[]>;
  scopes(frame: number): Promise<MethodOutput<'debug:scopes'>['scopes']>;
  variables(ref: number, start: number, count: number): Promise<VariablesPage>;
  evaluate(frame: number, expression: string, context: 'watch' | 'repl' | 'hover'): Promise<ValuePreview>;
  setVariable(ref: number, name: string, value: string): Promise<ValuePreview>;
  resume(how: 'continue' | 'next' | 'stepIn' | 'stepOut'): Promise<void>;
  pause(): Promise<void>;
}

/** A launch's session in this process: files are `@/abs/path` chunks. */
function launchTarget(debug: DebugService): DebugTarget {
  return {
    scriptOf: (path) => `@${resolve(path)}`,
    pathOf: (script) => (script.startsWith('@') ? script.slice(1) : undefined),
    setBreakpoints: (script, specs) => debug.setBreakpoints(script, specs),
    stack: () => debug.stack(SESSION_ID),
    scopes: (frame) => debug.scopes(SESSION_ID, frame),
    variables: (ref, start, count) => debug.variables(SESSION_ID, ref, start, count),
    evaluate: (frame, expression, context) => debug.evaluate(SESSION_ID, frame, expression, context),
    setVariable: (ref, name, value) => debug.setVariable(SESSION_ID, ref, name, value),
    resume: (how) => debug.resume(SESSION_ID, how),
    pause: async () => debug.pause(SESSION_ID),
  };
}

// Runner refs are negative for a frame's scopes and positive for values; DAP's must be positive.
const toDapRef = (ref: number) => (ref > 0 ? ref * 2 : -ref * 2 + 1);
const fromDapRef = (ref: number) => (ref % 2 === 0 ? ref / 2 : -(ref - 1) / 2);

const OUTPUT_CATEGORY: Partial<Record<OutputChunk['stream'], string>> = {
  stdout: 'stdout',
  value: 'stdout',
  stderr: 'stderr',
  error: 'stderr',
  system: 'console',
};

export class BioxenDebugSession extends dap.DebugSession {
  private readonly manager = new VMManager();
  private readonly debug = new DebugService(this.manager);
  private readonly launched = launchTarget(this.debug);
  /** Set (at once, before it connects) by an attach request: every later request waits for it. */
  private attached?: Promise<AttachedSession>;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  private running = false;
  private gone = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.debug.on('stopped', (_id, stop) => this.onStopped(stop));
    this.debug.on('continued', () => this.sendEvent(new dap.ContinuedEvent(THREAD_ID)));
    this.manager.on('output', (_id, chunks) => this.onOutput(chunks));
  }

  private onStopped(stop: DebugStop): void {
    const event = new dap.StoppedEvent(stop.reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
    if (stop.hits) event.body.hitBreakpointIds = stop.hits;
    this.sendEvent(event);
  }

  private onOutput(chunks: readonly OutputChunk[]): void {
    for (const chunk of chunks) {
      const category = OUTPUT_CATEGORY[chunk.stream];
      if (category) this.sendEvent(new dap.OutputEvent(chunk.text, category));
    }
  }

  private target(): Promise<DebugTarget> | DebugTarget {
    return this.attached ?? this.launched;
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsSetVariable: true,
      supportsEvaluateForHovers: true,
      supportsTerminateRequest: true,
      exceptionBreakpointFilters: [
        { filter: 'uncaught', label: 'Uncaught Errors', description: 'Stop where an error the script does not catch was raised', default: false },
        { filter: 'all', label: 'All Errors', description: 'Stop where any error was raised, also one that pcall or xpcall catches', default: false },
      ],
    };
    this.sendResponse(response);
    this.sendEvent(new dap.InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    await this.answer(response, async () => {
      if (!args.source.path) throw new Error('breakpoints need a source with a path');
      const specs = (args.breakpoints ?? []).map((b) => ({ line: b.line, condition: b.condition || undefined, hitCondition: b.hitCondition || undefined, logMessage: b.logMessage || undefined }));
      const target = await this.target();
      const set = await target.setBreakpoints(target.scriptOf(args.source.path), specs);
      response.body = { breakpoints: set.map((b) => ({ id: b.id, verified: b.verified, line: b.line, message: b.message })) };
    });
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    // 'all' covers 'uncaught' too: the widest filter the client checked decides.
    const mode = args.filters.includes('all') ? 'all' : args.filters.includes('uncaught') ? 'uncaught' : 'none';
    await this.answer(response, async () => {
      // The exception mode is the workbench's (its Debug panel's "Stop on"): a client's filters would change
      // it under the user's feet, so an attached client leaves it as it is.
      if (!this.attached) return this.debug.setExceptions(mode);
      if (mode !== 'none') this.sendEvent(new dap.OutputEvent('Stops at errors follow the workbench\'s "Stop on" choice in its Debug panel; the exception filters here are not applied.\n', 'console'));
    });
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: BioxenLaunchArguments): Promise<void> {
    await this.answer(response, async () => {
      if (this.attached) throw new Error('this debug session is attached to a workbench; a launch needs a debug session of its own');
      if (typeof args.program !== 'string' || !args.program) throw new Error('the launch configuration needs "program": the Lua file to run');
      const program = resolve(args.program);
      let code: string;
      try {
        code = luaSourceFromFile(await readFile(program));
      } catch (err) {
        throw new Error(`cannot read ${program}: ${(err as Error).message}`, { cause: err });
      }
      await this.manager.createInteractiveVM(SESSION_ID, { luaExecutable: args.lua, capabilities: capabilitiesOf(args.capabilities), limits: limitsOf(args.limits) });
      this.running = true;
      void this.configurationDone.then(() => this.runProgram(code, program, args.stopOnEntry ?? false));
    });
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: BioxenAttachArguments): Promise<void> {
    await this.answer(response, async () => {
      if (this.attached || this.running) throw new Error('this debug session already has a target; attach in a debug session of its own');
      // A client may send no arguments at all: every field has a default.
      this.attached = AttachedSession.connect(args ?? {}, {
        stopped: (stop) => this.onStopped(stop),
        continued: () => this.sendEvent(new dap.ContinuedEvent(THREAD_ID)),
        ended: (success) => this.sendEvent(new dap.OutputEvent(`The debugged run ${success ? 'ended' : 'failed'}; the next one (Debug in the workbench) stops at your breakpoints too.\n`, 'console')),
        output: (chunks) => this.onOutput(chunks),
        gone: (message) => this.end(message),
      });
      const session = await this.attached;
      this.sendEvent(new dap.OutputEvent(`Attached to session "${session.sessionId}" of the workbench: start its script with Debug (F5) there; it stops at the breakpoints set here.\n`, 'console'));
      // A run already stopped when the client attached is shown once the client has sent its configuration.
      const stop = session.stoppedAtAttach;
      if (stop) void this.configurationDone.then(() => this.onStopped(stop));
    });
  }

  /** The attached session or its workbench went away: the debug session ends. */
  private end(message: string): void {
    if (this.gone) return;
    this.gone = true;
    this.sendEvent(new dap.OutputEvent(`${message}\n`, 'console'));
    this.sendEvent(new dap.TerminatedEvent());
  }

  private async runProgram(code: string, program: string, stopOnEntry: boolean): Promise<void> {
    let exitCode = 1;
    try {
      const result = await this.debug.run(SESSION_ID, code, this.launched.scriptOf(program), { stopOnEntry });
      exitCode = result.exitStatus ?? (result.success ? 0 : 1);
    } catch (err) {
      this.sendEvent(new dap.OutputEvent(`${(err as Error).message}\n`, 'stderr'));
    }
    this.running = false;
    // Closing the session flushes its batched output before the client hears the end.
    await this.manager.terminateVMSession(SESSION_ID).catch(() => undefined);
    this.sendEvent(new dap.ExitedEvent(exitCode));
    this.sendEvent(new dap.TerminatedEvent());
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new dap.Thread(THREAD_ID, 'Lua')] };
    this.sendResponse(response);
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse): Promise<void> {
    await this.answer(response, async () => {
      const target = await this.target();
      const frames = await target.stack();
      response.body = {
        stackFrames: frames.map((f): DebugProtocol.StackFrame => {
          if (f.boundary || !f.script) return { id: f.id, name: f.name, line: 0, column: 0, presentationHint: 'label' };
          const path = target.pathOf(f.script);
          return { id: f.id, name: f.name, line: f.line ?? 0, column: 1, source: path ? new dap.Source(basename(path), path) : { name: f.script } };
        }),
        totalFrames: frames.length,
      };
    });
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    await this.answer(response, async () => {
      const scopes = await (await this.target()).scopes(args.frameId);
      response.body = { scopes: scopes.map((s) => ({ name: s.name, variablesReference: toDapRef(s.ref), namedVariables: s.count, expensive: false, presentationHint: s.name === 'Locals' ? 'locals' : undefined })) };
    });
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.answer(response, async () => {
      const page = await (await this.target()).variables(fromDapRef(args.variablesReference), (args.start ?? 0) + 1, args.count || 1000);
      response.body = {
        variables: page.items.map((v) => ({
          name: v.name,
          value: v.value.text,
          type: v.value.type,
          variablesReference: v.value.ref !== undefined && v.value.type !== 'string' ? toDapRef(v.value.ref) : 0,
        })),
      };
    });
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    await this.answer(response, async () => {
      const context = args.context === 'repl' || args.context === 'hover' ? args.context : 'watch';
      const value = await (await this.target()).evaluate(args.frameId ?? 1, args.expression, context);
      response.body = { result: value.text, type: value.type, variablesReference: value.ref !== undefined && value.type !== 'string' ? toDapRef(value.ref) : 0 };
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.answer(response, async () => {
      const value = await (await this.target()).setVariable(fromDapRef(args.variablesReference), args.name, args.value);
      response.body = { value: value.text, type: value.type };
    });
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    await this.answer(response, async () => {
      await (await this.target()).resume('continue');
      response.body = { allThreadsContinued: true };
    });
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.answer(response, async () => (await this.target()).resume('next'));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.answer(response, async () => (await this.target()).resume('stepIn'));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.answer(response, async () => (await this.target()).resume('stepOut'));
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.answer(response, async () => (await this.target()).pause());
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.answer(response, async () => {
      if (this.attached) await (await this.attached).interrupt();
      else if (this.running) this.manager.getVM(SESSION_ID).interrupt();
    });
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    // Detaching leaves the workbench's session running; only terminateDebuggee ends its current run.
    const detached = this.detach(args?.terminateDebuggee === true);
    const [error] = await Promise.all([detached.then(() => undefined, (err: Error) => err), this.manager.dispose()]);
    if (error) return this.sendErrorResponse(response, 1, `detaching from the workbench failed: ${error.message}`);
    // Answers, then exits the adapter process.
    super.disconnectRequest(response, args);
  }

  private async detach(interrupt: boolean): Promise<void> {
    const attached = await this.attached?.catch(() => undefined);
    if (!attached || this.gone) return;
    this.gone = true;
    if (interrupt) await attached.interrupt().catch(() => undefined);
    await attached.detach();
  }

  /** Stops the session's runner, or detaches from the workbench (when the client went away without a disconnect). */
  async stopRunners(): Promise<void> {
    await Promise.all([this.detach(false).catch(() => undefined), this.manager.dispose()]);
  }

  /** Runs a request's work; a failure becomes the response's error message (never a crash of the adapter). */
  private async answer(response: DebugProtocol.Response, work: () => unknown): Promise<void> {
    try {
      await work();
      this.sendResponse(response);
    } catch (err) {
      this.sendErrorResponse(response, 1, (err as Error).message);
    }
  }
}

function limitsOf(limits: unknown): Partial<VMLimits> | undefined {
  if (limits === undefined) return undefined;
  const parsed = limitsSchema.partial().safeParse(limits);
  if (!parsed.success) throw new Error(`"limits" is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function capabilitiesOf(names: unknown): Partial<VMCapabilities> | undefined {
  if (names === undefined) return undefined;
  const known = Object.keys(DEFAULT_CAPABILITIES);
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !known.includes(n))) {
    throw new Error(`"capabilities" must be a list of ${known.join(', ')}`);
  }
  return Object.fromEntries(known.map((c) => [c, names.includes(c)])) as Partial<VMCapabilities>;
}
