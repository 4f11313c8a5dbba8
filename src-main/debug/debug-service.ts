// DebugService: breakpoints kept per script, debugged runs of sessions' code, and the commands a
// stopped run answers. The runner's debugger (lua/runtime/debugger.lua) does the work; this keeps
// the state the UI hydrates from (breakpoints, which runs are stopped where) and turns the runner's
// replies into the contract's shapes. LuaProcess pauses a run's wall-clock timeout while it is stopped.
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

const RESUMES = { continue: 'continue', next: 'next', stepIn: 'stepIn', stepOut: 'stepOut' } as const;
type Resume = keyof typeof RESUMES;

export class DebugService extends EventEmitter<DebugServiceEvents> {
  private readonly breakpoints = new Map<string, Breakpoint[]>();
  private exceptions: ExceptionMode = 'none';
  private readonly runs = new Map<string, DebugRun>();
  private nextBreakpointId = 1;

  constructor(private readonly vm: VMManager) {
    super();
  }

  // Breakpoints ---------------------------------------------------------------------------------

  async setBreakpoints(script: string, specs: BreakpointSpec[]): Promise<Breakpoint[]> {
    const list = specs.map((spec) => ({ ...spec, id: this.nextBreakpointId++, verified: true }));
    if (list.length) this.breakpoints.set(script, list);
    else this.breakpoints.delete(script);
    this.emit('breakpoints', script, list);
    for (const run of this.runs.values()) {
      run.dirty.add(script);
      if (run.stop) await this.syncBreakpoints(run);
      else if (this.vm.getVM(run.id).pauseRun()) run.quietPause = true;
    }
    return list;
  }

  listBreakpoints(): { scripts: { script: string; breakpoints: Breakpoint[] }[]; exceptions: ExceptionMode } {
    return { scripts: [...this.breakpoints].map(([script, breakpoints]) => ({ script, breakpoints })), exceptions: this.exceptions };
  }

  async setExceptions(mode: ExceptionMode): Promise<void> {
    this.exceptions = mode;
    for (const run of this.runs.values()) if (run.stop) await this.command(run.id, 'setExceptions', { mode });
  }

  private runnerBreakpoints(script: string): RunnerDebugConfig['breakpoints'][string] {
    return (this.breakpoints.get(script) ?? []).map(({ id, line, condition, hitCondition, logMessage }) => ({ id, line, condition, hitCondition, logMessage }));
  }

  private async syncBreakpoints(run: DebugRun): Promise<void> {
    for (const script of [...run.dirty]) {
      run.dirty.delete(script);
      await this.command(run.id, 'setBreakpoints', { source: script, breakpoints: this.runnerBreakpoints(script) });
    }
  }

  // Runs ----------------------------------------------------------------------------------------

  /** Runs code in the session under the debugger; resolves with the result when the run ends. */
  async run(id: string, code: string, script: string, options: { stopOnEntry?: boolean } = {}): Promise<ExecResult> {
    const session = this.vm.getSession(id);
    if (this.runs.has(id)) throw new LuaVMError(`Session "${id}" already has a debugged run — continue or interrupt it first`, 'conflict');
    const run: DebugRun = { id, script, quietPause: false, userPause: false, dirty: new Set() };
    const breakpoints: RunnerDebugConfig['breakpoints'] = {};
    for (const name of this.breakpoints.keys()) breakpoints[name] = this.runnerBreakpoints(name);
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
