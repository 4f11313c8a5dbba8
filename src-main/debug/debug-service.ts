// DebugService: breakpoints kept per script, debugged runs of sessions' code, and the commands a
// stopped run answers. The runner's debugger (lua/runtime/debugger.lua) does the work; this keeps
// the state the UI hydrates from (breakpoints, which runs are stopped where) and turns the runner's
// replies into the contract's shapes. LuaProcess pauses a run's wall-clock timeout while it is stopped.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  debugStopSchema,
  stackFrameSchema,
  scopeSchema,
  variablesPageSchema,
  type Breakpoint,
  type BreakpointSpec,
  type DebugRunState,
  type DebugStop,
  type ExceptionMode,
  type StackFrame,
  type VariablesPage,
} from '../../src-preload/contract/debug';
import { stringPageSchema, type StringPage } from '../../src-preload/contract/values';
import { valuePreviewSchema, type ValuePreview } from '../../src-preload/contract/value-preview';
import { z } from 'zod';
import { LuaVMError } from '../vm/errors';
import type { RunnerDebugConfig, RunnerDebugStop } from '../vm/runner-protocol';
import type { ExecResult } from '../vm/types';
import type { VMManager } from '../vm/vm-manager';

export interface DebugServiceEvents {
  stopped: [id: string, stop: DebugStop];
  continued: [id: string];
  ended: [id: string, success: boolean];
  breakpoints: [script: string, breakpoints: Breakpoint[]];
}

interface DebugRun {
  id: string;
  script: string;
  stop?: DebugStop;
  /** A pause asked for only to hand the run changed breakpoints: its stop is not shown. */
  quietPause: boolean;
  userPause: boolean;
  /** Scripts whose breakpoints changed since the run last had them. */
  dirty: Set<string>;
}

interface Attachment {
  session: string;
  /** The client's breakpoints per script (its session's runs only). */
  breakpoints: Map<string, Breakpoint[]>;
}

const RESUMES = { continue: 'continue', next: 'next', stepIn: 'stepIn', stepOut: 'stepOut' } as const;
type Resume = keyof typeof RESUMES;

export class DebugService extends EventEmitter<DebugServiceEvents> {
  private readonly breakpoints = new Map<string, Breakpoint[]>();
  private exceptions: ExceptionMode = 'none';
  private readonly runs = new Map<string, DebugRun>();
  /** Debugger clients attached to sessions, by attachment key. */
  private readonly attachments = new Map<string, Attachment>();
  private nextBreakpointId = 1;

  constructor(private readonly vm: VMManager) {
    super();
  }

  // Breakpoints ---------------------------------------------------------------------------------

  /**
   * Replaces a script's breakpoints: the workbench's own, or (with an attachment) a debugger client's,
   * which apply to its session's runs only. A line holds one breakpoint in the runner: where the
   * workbench has one, a client's on the same line is reported unverified and the workbench's applies.
   */
  async setBreakpoints(script: string, specs: BreakpointSpec[], attachment?: string): Promise<Breakpoint[]> {
    const client = attachment === undefined ? undefined : this.requireAttachment(attachment);
    const own = client ? new Set((this.breakpoints.get(script) ?? []).map((b) => b.line)) : new Set<number>();
    const list: Breakpoint[] = specs.map((spec) =>
      own.has(spec.line)
        ? { ...spec, id: this.nextBreakpointId++, verified: false, message: 'the workbench has a breakpoint on this line; it applies instead' }
        : { ...spec, id: this.nextBreakpointId++, verified: true },
    );
    const kept = client ? client.breakpoints : this.breakpoints;
    if (list.length) kept.set(script, list);
    else kept.delete(script);
    if (!client) this.emit('breakpoints', script, list);
    for (const run of this.runs.values()) if (!client || run.id === client.session) await this.deliver(run, [script]);
    return list;
  }

  listBreakpoints(): { scripts: { script: string; breakpoints: Breakpoint[] }[]; exceptions: ExceptionMode } {
    return { scripts: [...this.breakpoints].map(([script, breakpoints]) => ({ script, breakpoints })), exceptions: this.exceptions };
  }

  async setExceptions(mode: ExceptionMode): Promise<void> {
    this.exceptions = mode;
    for (const run of this.runs.values()) if (run.stop) await this.command(run.id, 'setExceptions', { mode });
  }

  /** A debugger client (bioxen dap) attaches to a session; the key names its breakpoints. */
  attach(id: string): string {
    this.vm.getSession(id);
    const key = randomUUID();
    this.attachments.set(key, { session: id, breakpoints: new Map() });
    return key;
  }

  /** The client's breakpoints go; a stopped run of its session goes on (as a debugger's detach leaves the program running). */
  async detach(key: string): Promise<void> {
    const client = this.attachments.get(key);
    if (!client) return;
    this.attachments.delete(key);
    const run = this.runs.get(client.session);
    if (!run) return;
    await this.deliver(run, [...client.breakpoints.keys()]);
    if (run.stop) await this.resume(run.id, 'continue');
  }

  private requireAttachment(key: string): Attachment {
    const client = this.attachments.get(key);
    if (!client) throw new LuaVMError(`No debugger is attached as "${key}" — attach again (debug:attach)`, 'not_found');
    return client;
  }

  /** What the runner of a session's run holds for a script: the workbench's breakpoints, then its clients' on free lines. */
  private runnerBreakpoints(script: string, session: string): RunnerDebugConfig['breakpoints'][string] {
    const list = [...(this.breakpoints.get(script) ?? [])];
    const taken = new Set(list.map((b) => b.line));
    for (const client of this.attachments.values()) {
      if (client.session !== session) continue;
      for (const b of client.breakpoints.get(script) ?? []) {
        if (taken.has(b.line)) continue;
        taken.add(b.line);
        list.push(b);
      }
    }
    return list.map(({ id, line, condition, hitCondition, logMessage }) => ({ id, line, condition, hitCondition, logMessage }));
  }

  /** Every script with breakpoints for a session's runs. */
  private scriptsFor(session: string): Set<string> {
    const scripts = new Set(this.breakpoints.keys());
    for (const client of this.attachments.values()) if (client.session === session) for (const script of client.breakpoints.keys()) scripts.add(script);
    return scripts;
  }

  /** Hands a run the scripts' changed breakpoints: at once when stopped, else at a quiet pause. */
  private async deliver(run: DebugRun, scripts: Iterable<string>): Promise<void> {
    for (const script of scripts) run.dirty.add(script);
    if (run.stop) await this.syncBreakpoints(run);
    else if (this.vm.getVM(run.id).pauseRun()) run.quietPause = true;
  }

  private async syncBreakpoints(run: DebugRun): Promise<void> {
    for (const script of [...run.dirty]) {
      run.dirty.delete(script);
      await this.command(run.id, 'setBreakpoints', { source: script, breakpoints: this.runnerBreakpoints(script, run.id) });
    }
  }

  // Runs ----------------------------------------------------------------------------------------

  /** Runs code in the session under the debugger; resolves with the result when the run ends. */
  async run(id: string, code: string, script: string, options: { stopOnEntry?: boolean } = {}): Promise<ExecResult> {
    const session = this.vm.getSession(id);
    if (this.runs.has(id)) throw new LuaVMError(`Session "${id}" already has a debugged run — continue or interrupt it first`, 'conflict');
    const run: DebugRun = { id, script, quietPause: false, userPause: false, dirty: new Set() };
    const breakpoints: RunnerDebugConfig['breakpoints'] = {};
    for (const name of this.scriptsFor(id)) breakpoints[name] = this.runnerBreakpoints(name, id);
    this.runs.set(id, run);
    let success = false;
    try {
      const result = await session.run(code, script, undefined, {
        config: { breakpoints, exceptions: this.exceptions, stopOnEntry: options.stopOnEntry ?? false },
        onStop: (stop) => void this.onStop(run, stop),
      });
      success = result.success;
      return result;
    } finally {
      this.runs.delete(id);
      this.emit('ended', id, success);
    }
  }

  private async onStop(run: DebugRun, raw: RunnerDebugStop): Promise<void> {
    const stop = debugStopSchema.parse({ reason: raw.reason, script: raw.source, line: raw.line, hits: raw.hits, text: raw.text });
    try {
      if (run.dirty.size) await this.syncBreakpoints(run);
      if (stop.reason === 'pause' && run.quietPause && !run.userPause) {
        run.quietPause = false;
        await this.command(run.id, 'continue');
        return;
      }
    } catch {
      // The run ended meanwhile (interrupt, timeout): debug:ended says so.
      return;
    }
    run.quietPause = run.userPause = false;
    run.stop = stop;
    this.emit('stopped', run.id, stop);
  }

  listRuns(): DebugRunState[] {
    return [...this.runs.values()].map(({ id, script, stop }) => ({ id, script, ...(stop ? { stop } : {}) }));
  }

  pause(id: string): void {
    const run = this.requireRun(id);
    if (run.stop) return;
    run.userPause = true;
    this.vm.getVM(id).pauseRun();
  }

  async resume(id: string, how: Resume): Promise<void> {
    await this.resumeWith(id, RESUMES[how], {});
  }

  async runTo(id: string, script: string, line: number): Promise<void> {
    await this.resumeWith(id, 'runTo', { source: script, line });
  }

  private async resumeWith(id: string, cmd: string, args: Record<string, unknown>): Promise<void> {
    const run = this.requireStopped(id);
    run.stop = undefined;
    this.emit('continued', id);
    await this.command(id, cmd, args);
  }

  // While stopped -------------------------------------------------------------------------------

  async stack(id: string): Promise<StackFrame[]> {
    this.requireStopped(id);
    const body = await this.command(id, 'stack');
    return z.object({ frames: z.array(runnerFrameSchema) }).parse(body).frames.map(({ source, ...f }) => stackFrameSchema.parse({ ...f, script: source }));
  }

  async scopes(id: string, frame: number): Promise<z.output<typeof scopeSchema>[]> {
    this.requireStopped(id);
    return z.object({ scopes: z.array(scopeSchema) }).parse(await this.command(id, 'scopes', { frame })).scopes;
  }

  async variables(id: string, ref: number, start: number, count: number): Promise<VariablesPage> {
    this.requireStopped(id);
    return variablesPageSchema.parse(await this.command(id, 'variables', { ref, start, count }));
  }

  async stringPage(id: string, ref: number, start: number, count: number): Promise<StringPage> {
    this.requireStopped(id);
    return stringPageSchema.parse(await this.command(id, 'string', { ref, start, count }));
  }

  async evaluate(id: string, frame: number, expression: string, context: string): Promise<ValuePreview> {
    this.requireStopped(id);
    return valueReply.parse(await this.command(id, 'evaluate', { frame, expression, context })).value;
  }

  async setVariable(id: string, ref: number, name: string, value: string): Promise<ValuePreview> {
    this.requireStopped(id);
    return valueReply.parse(await this.command(id, 'setVariable', { ref, name, value })).value;
  }

  private command(id: string, cmd: string, args: Record<string, unknown> = {}): Promise<unknown> {
    return this.vm.getVM(id).debugCommand(cmd, args);
  }

  private requireRun(id: string): DebugRun {
    this.vm.getSession(id);
    const run = this.runs.get(id);
    if (!run) throw new LuaVMError(`Session "${id}" has no debugged run — start one with debug:run`, 'conflict');
    return run;
  }

  private requireStopped(id: string): DebugRun {
    const run = this.requireRun(id);
    if (!run.stop) throw new LuaVMError(`The debugged run of session "${id}" is not stopped — pause it or wait for a breakpoint`, 'conflict');
    return run;
  }
}

/** A frame as the runner reports it (its chunk name is `source`). */
const runnerFrameSchema = stackFrameSchema.omit({ script: true }).extend({ source: z.string().optional() });
const valueReply = z.object({ value: valuePreviewSchema });
