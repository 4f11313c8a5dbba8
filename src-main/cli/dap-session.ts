// `bioxen dap`: the Debug Adapter Protocol on stdio, over the debug service. A launch runs one Lua file
// in a new sandboxed session (its Lua, capabilities and limits from the launch configuration) under the
// runner's debugger; the adapter only translates DAP requests to DebugService calls and its events back.
// Types and framing are the published ones (@vscode/debugprotocol, @vscode/debugadapter).
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import * as dap from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugService } from '../debug/debug-service';
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

// Runner refs are negative for a frame's scopes and positive for values; DAP's must be positive.
const toDapRef = (ref: number) => (ref > 0 ? ref * 2 : -ref * 2 + 1);
const fromDapRef = (ref: number) => (ref % 2 === 0 ? ref / 2 : -(ref - 1) / 2);
const scriptOf = (path: string) => `@${resolve(path)}`;

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
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((r) => (this.configured = r));
  private running = false;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.debug.on('stopped', (_id, stop) => {
      const reason = stop.reason === 'exception' ? 'exception' : stop.reason;
      const event = new dap.StoppedEvent(reason, THREAD_ID, stop.text) as DebugProtocol.StoppedEvent;
      if (stop.hits) event.body.hitBreakpointIds = stop.hits;
      this.sendEvent(event);
    });
    this.debug.on('continued', () => this.sendEvent(new dap.ContinuedEvent(THREAD_ID)));
    this.manager.on('output', (_id, chunks) => {
      for (const chunk of chunks) {
        const category = OUTPUT_CATEGORY[chunk.stream];
        if (category) this.sendEvent(new dap.OutputEvent(chunk.text, category));
      }
    });
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
      const set = await this.debug.setBreakpoints(scriptOf(args.source.path), specs);
      response.body = { breakpoints: set.map((b) => ({ id: b.id, verified: b.verified, line: b.line, message: b.message })) };
    });
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    // 'all' covers 'uncaught' too: the widest filter the client checked decides.
    const mode = args.filters.includes('all') ? 'all' : args.filters.includes('uncaught') ? 'uncaught' : 'none';
    await this.answer(response, () => this.debug.setExceptions(mode));
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: BioxenLaunchArguments): Promise<void> {
    await this.answer(response, async () => {
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

  private async runProgram(code: string, program: string, stopOnEntry: boolean): Promise<void> {
    let exitCode = 1;
    try {
      const result = await this.debug.run(SESSION_ID, code, scriptOf(program), { stopOnEntry });
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
      const frames = await this.debug.stack(SESSION_ID);
      response.body = {
        stackFrames: frames.map((f): DebugProtocol.StackFrame => {
          if (f.boundary || !f.script) return { id: f.id, name: f.name, line: 0, column: 0, presentationHint: 'label' };
          const path = f.script.startsWith('@') ? f.script.slice(1) : undefined;
          return { id: f.id, name: f.name, line: f.line ?? 0, column: 1, source: path ? new dap.Source(basename(path), path) : { name: f.script } };
        }),
        totalFrames: frames.length,
      };
    });
  }

  protected override async scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): Promise<void> {
    await this.answer(response, async () => {
      const scopes = await this.debug.scopes(SESSION_ID, args.frameId);
      response.body = { scopes: scopes.map((s) => ({ name: s.name, variablesReference: toDapRef(s.ref), namedVariables: s.count, expensive: false, presentationHint: s.name === 'Locals' ? 'locals' : undefined })) };
    });
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    await this.answer(response, async () => {
      const page = await this.debug.variables(SESSION_ID, fromDapRef(args.variablesReference), (args.start ?? 0) + 1, args.count || 1000);
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
      const value = await this.debug.evaluate(SESSION_ID, args.frameId ?? 1, args.expression, context);
      response.body = { result: value.text, type: value.type, variablesReference: value.ref !== undefined && value.type !== 'string' ? toDapRef(value.ref) : 0 };
    });
  }

  protected override async setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): Promise<void> {
    await this.answer(response, async () => {
      const value = await this.debug.setVariable(SESSION_ID, fromDapRef(args.variablesReference), args.name, args.value);
      response.body = { value: value.text, type: value.type };
    });
  }

  protected override async continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    await this.answer(response, async () => {
      await this.debug.resume(SESSION_ID, 'continue');
      response.body = { allThreadsContinued: true };
    });
  }

  protected override async nextRequest(response: DebugProtocol.NextResponse): Promise<void> {
    await this.answer(response, () => this.debug.resume(SESSION_ID, 'next'));
  }

  protected override async stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    await this.answer(response, () => this.debug.resume(SESSION_ID, 'stepIn'));
  }

  protected override async stepOutRequest(response: DebugProtocol.StepOutResponse): Promise<void> {
    await this.answer(response, () => this.debug.resume(SESSION_ID, 'stepOut'));
  }

  protected override async pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    await this.answer(response, async () => this.debug.pause(SESSION_ID));
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.answer(response, async () => {
      if (this.running) this.manager.getVM(SESSION_ID).interrupt();
    });
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    await this.manager.dispose();
    // Answers, then exits the adapter process.
    super.disconnectRequest(response, args);
  }

  /** Stops the session's runner (when the client went away without a disconnect). */
  stopRunners(): Promise<void> {
    return this.manager.dispose();
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
