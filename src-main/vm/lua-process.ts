// LuaProcess: the one owner of one runner process (`lua5.x lua/runtime/runner.lua`).
// State machine: starting → idle ⇄ busy → exited (disposed) | crashed (died on its own).
// Requests queue here and go to the runner one at a time; a watchdog interrupts a run that
// outlives its wall-clock limit and kills + restarts the runner if the interrupt does not land.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawnChild } from '../process/child-process';
import { privateRuntimeDir } from '../process/private-runtime-dir';
import { SpawnQueue } from '../process/spawn-queue';
import { luaSourceFromFile, rejoinBytes } from './byte-text';
import { LuaVMError, VMUnavailableError } from './errors';
import { describeLimit, mergeLimits } from './limits';
import type { VMLogger } from './logger';
import { plotChunk } from './plot-data';
import { parseRunnerLine, type RunnerDebugConfig, type RunnerDebugStop, type RunnerMessage, type RunnerOutcome, type RunnerRequest } from './runner-protocol';
import { echoText, type TreeOptions } from './value-text';
import type { ExecResult, LuaExecutable, OutputStream, SandboxGuard, SessionState, VMCapabilities, VMLimits } from './types';

/** How long an interrupted run may take to stop before the runner is killed and restarted. */
export const INTERRUPT_GRACE_MS = 1000;
const PRLIMIT = '/usr/bin/prlimit';
const STDERR_TAIL_BYTES = 4096;
const MAX_LINE_CHARS = 64 * 1024 * 1024;
const MAX_QUEUED = 10_000;
/** Runners of every manager in this process start through one queue, so a burst of creates never freezes the host. */
const runnerSpawns = new SpawnQueue(8);
/** Runners started by this host so far: each counts its value refs from its own base (see inspect.lua). */
let runnersStarted = 0;
const REFS_PER_RUNNER = 2 ** 32;
/** Environment variables that would change what the runner's interpreter does at startup. */
const STRIPPED_ENV = /^LUA_(INIT|PATH|CPATH)/;

export type ChunkListener = (stream: OutputStream, text: string) => void;

export interface LuaProcessOptions {
  id: string;
  lua: LuaExecutable;
  runnerPath: string;
  workDir: string;
  /** `;`-separated Lua search templates of the bundled packages (lua/packages/<name>/src). */
  packagesPath: string;
  limits: VMLimits;
  capabilities: VMCapabilities;
  envPaths?: { path: string; cpath: string };
  logger: VMLogger;
  onEmit?: (kind: string, data: unknown) => void;
  onCall?: (kind: string, data: unknown) => Promise<unknown>;
  onStateChange?: (state: SessionState, reason?: string) => void;
  /** The runner was replaced (watchdog or restart()): the Lua state is gone. */
  onRestart?: (reason: string) => void;
}

export interface RequestOptions {
  onChunk?: ChunkListener;
  timeoutMs?: number;
  /** Abort: a queued request is dropped, a running one interrupted. */
  signal?: AbortSignal;
  /** A debugged run (request.debug) stopped; it waits for debugCommand() until one resumes it. */
  onDebugStop?: (stop: RunnerDebugStop) => void;
}

/** Debugger commands that let a stopped run go on (lua/runtime/debugger.lua). */
const RESUMING_COMMANDS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'runTo', 'interrupt']);

interface Pending {
  id: number;
  req: RunnerRequest;
  onChunk?: ChunkListener;
  timeoutMs: number;
  resolve: (outcome: RunnerOutcome) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
  graceTimer?: NodeJS.Timeout;
  timedOut: boolean;
  interrupting: boolean;
  onDebugStop?: (stop: RunnerDebugStop) => void;
  /** Stopped in the debugger: the wall-clock timeout is not running; `remainingMs` is what is left of it. */
  stopped?: boolean;
  deadline?: number;
  remainingMs?: number;
  pausing?: boolean;
  /** Commands sent to the stopped run and not answered yet: the code they run (an evaluation) is on the clock. */
  commandsRunning?: number;
  debugReplies?: Map<number, { resolve: (body: unknown) => void; reject: (err: Error) => void }>;
}

export interface ExecOptions {
  limits?: Partial<VMLimits>;
  chunkName?: string;
  onChunk?: ChunkListener;
  signal?: AbortSignal;
  /** Fill returned tables in to this depth and width (for text: the echo then shows them as trees). */
  tree?: TreeOptions;
  /** Run under the debugger: its breakpoints and settings, and where its stops go. */
  debug?: { config: RunnerDebugConfig; onStop: (stop: RunnerDebugStop) => void };
}

export class LuaProcess {
  readonly id: string;
  readonly lua: LuaExecutable;
  private child: ChildProcessWithoutNullStreams | undefined;
  private _state: SessionState = 'starting';
  private _reason: string | undefined;
  private readonly queue: Pending[] = [];
  private inflight: Pending | undefined;
  private nextId = 1;
  /** The pieces of the runner's current line, not yet ended by a newline. */
  private lineParts: string[] = [];
  private lineLength = 0;
  private stderrTail = '';
  private ready: Promise<void> | undefined;
  private envPaths: { path: string; cpath: string } | undefined;
  private _guard: SandboxGuard | undefined;
  /** The runner polls this file for the id of the request to interrupt (see runner.lua); unguessable, in a 0700 folder. */
  readonly interruptFile = join(privateRuntimeDir(), `interrupt-${randomBytes(12).toString('hex')}`);
  readonly limits: VMLimits;
  readonly capabilities: VMCapabilities;

  constructor(private readonly options: LuaProcessOptions) {
    this.id = options.id;
    this.lua = options.lua;
    this.limits = { ...options.limits };
    this.capabilities = { ...options.capabilities };
    this.envPaths = options.envPaths;
  }

  get state(): SessionState {
    return this._state;
  }

  /** Why the runner crashed or exited, or why it was last restarted. */
  get reason(): string | undefined {
    return this._reason;
  }

  /** What enforces this runner's limits, as its init reply said (undefined until it started). */
  get guard(): SandboxGuard | undefined {
    return this._guard;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this._state !== 'crashed' && this._state !== 'exited';
  }

  /** Spawns the runner and waits for its init reply. Idempotent. */
  start(): Promise<void> {
    this.ready ??= this.spawnRunner();
    return this.ready;
  }

  /** Resident memory of the runner in KiB, from /proc (Linux). */
  memoryKb(): number | undefined {
    const pid = this.pid;
    if (!pid || !this.alive) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  // Requests ------------------------------------------------------------------------------------

  request(req: RunnerRequest, opts: RequestOptions = {}): Promise<RunnerOutcome> {
    if (!this.alive) return Promise.reject(this.unavailable());
    if (opts.signal?.aborted) return Promise.reject(cancelled());
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(new LuaVMError(`VM "${this.id}" already has ${MAX_QUEUED} requests waiting — wait for some to finish`, 'limit_exceeded'));
    }
    return new Promise<RunnerOutcome>((resolve, reject) => {
      const pending: Pending = {
        id: this.nextId++,
        req,
        onChunk: opts.onChunk,
        timeoutMs: opts.timeoutMs ?? this.limits.timeoutMs,
        resolve,
        reject,
        timedOut: false,
        interrupting: false,
        onDebugStop: opts.onDebugStop,
      };
      opts.signal?.addEventListener('abort', () => this.abort(pending), { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  private abort(p: Pending): void {
    const queued = this.queue.indexOf(p);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      p.reject(cancelled());
    } else if (this.inflight === p) {
      this.interrupt();
    }
  }

  /** Runs code in a fresh sandbox environment (the seed's `lua -e` semantics, without a spawn). */
  async executeString(code: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (typeof code !== 'string' || code.trim() === '') {
      throw new LuaVMError('No Lua code given — pass a non-empty string of Lua source', 'invalid_input');
    }
    return this.runForResult({ op: 'exec', code, name: opts.chunkName ?? '=stdin' }, opts);
  }

  async executeFile(path: string, opts: ExecOptions = {}): Promise<ExecResult> {
    let code: string;
    try {
      // The file's bytes, not its UTF-8 reading: a Latin-1 byte in a string literal stays one byte.
      code = luaSourceFromFile(await readFile(path));
    } catch (err) {
      throw new LuaVMError(`Cannot read Lua file "${path}": ${(err as Error).message} — check the path`, 'not_found');
    }
    return this.runForResult({ op: 'exec', code, name: `@${path}` }, opts);
  }

  /** Runs a request that executes code and collects everything into an ExecResult. */
  async runForResult(req: RunnerRequest, opts: ExecOptions = {}): Promise<ExecResult> {
    const limits = mergeLimits(this.limits, opts.limits);
    const stdout: string[] = [];
    const stderr: string[] = [];
    const started = performance.now();
    const outcome = await this.request(
      { ...req, limits: opts.limits ? limits : undefined, tree: opts.tree, debug: opts.debug?.config },
      {
        timeoutMs: limits.timeoutMs,
        signal: opts.signal,
        onDebugStop: opts.debug?.onStop,
        onChunk: (stream, text) => {
          if (stream === 'stderr') stderr.push(text);
          else if (stream !== 'plot') stdout.push(text);
          opts.onChunk?.(stream, text);
        },
      },
    );
    return toExecResult(outcome, rejoinBytes(stdout.join('')), rejoinBytes(stderr.join('')), performance.now() - started);
  }

  /**
   * Stops the running code with "interrupted!" and keeps the Lua state. Code stuck in a C call
   * cannot see the request; after INTERRUPT_GRACE_MS the runner is killed and restarted.
   */
  interrupt(): boolean {
    const p = this.inflight;
    if (this._state !== 'busy' || !p || !this.child) return false;
    if (p.interrupting) return true;
    p.interrupting = true;
    this.options.logger.debug(`${this.id}: interrupt request ${p.id}`);
    try {
      writeInterruptRequest(this.interruptFile, String(p.id));
      // A run stopped in the debugger reads commands, not the file (an evaluation it runs polls the file).
      if (p.stopped && !p.commandsRunning) void this.debugCommand('interrupt').catch(() => undefined);
    } catch (err) {
      // The grace timer still stops the run: it kills and restarts the runner.
      this.options.logger.warn(`${this.id}: could not write the interrupt request ${this.interruptFile}: ${(err as Error).message}`);
    }
    p.graceTimer = setTimeout(() => this.escalate(p), INTERRUPT_GRACE_MS);
    return true;
  }

  /**
   * Asks a debugged run to stop at its next line (it then reports a stop with reason "pause").
   * False when no debugged run is going (or it is stopped already).
   */
  pauseRun(): boolean {
    const p = this.inflight;
    if (this._state !== 'busy' || !p || !p.req.debug || p.stopped || p.interrupting) return false;
    p.pausing = true;
    writeInterruptRequest(this.interruptFile, `pause ${p.id}`);
    return true;
  }

  /** True while the running request is stopped in the debugger. */
  get debugStopped(): boolean {
    return this.inflight?.stopped === true;
  }

  /**
   * Sends a command to the run stopped in the debugger and resolves with its reply body. A
   * resuming command (continue, next, stepIn, stepOut, runTo, interrupt) restarts the run's
   * wall-clock timeout with what was left of it.
   */
  debugCommand(cmd: string, args: Record<string, unknown> = {}): Promise<unknown> {
    const p = this.inflight;
    if (!p || !p.stopped || !this.child) {
      return Promise.reject(new LuaVMError(`VM "${this.id}" is not stopped in the debugger — pause it or wait for a breakpoint`, 'conflict'));
    }
    const seq = this.nextId++;
    p.debugReplies ??= new Map();
    const reply = new Promise<unknown>((resolve, reject) => p.debugReplies?.set(seq, { resolve, reject }));
    this.child.stdin.write(`${JSON.stringify({ ...args, op: 'dbg', seq, cmd })}\n`);
    if (RESUMING_COMMANDS.has(cmd)) {
      p.stopped = false;
      this.resumeClock(p);
    } else {
      p.commandsRunning = (p.commandsRunning ?? 0) + 1;
      if (p.commandsRunning === 1) this.resumeClock(p);
    }
    return reply;
  }

  private resumeClock(p: Pending): void {
    if (p.remainingMs === undefined || p.timedOut) return;
    clearTimeout(p.timer);
    p.deadline = performance.now() + p.remainingMs;
    p.timer = setTimeout(() => this.onTimeout(p), Math.max(0, p.remainingMs));
  }

  private stopClock(p: Pending): void {
    clearTimeout(p.timer);
    if (p.deadline !== undefined) p.remainingMs = p.deadline - performance.now();
  }

  private onDebugStop(p: Pending, stop: RunnerDebugStop): void {
    p.stopped = true;
    p.commandsRunning = 0;
    this.stopClock(p);
    if (p.pausing && !p.interrupting) {
      // A pause asked for while the run stopped by itself is answered by this stop.
      p.pausing = false;
      rmSync(this.interruptFile, { force: true });
    }
    try {
      p.onDebugStop?.(stop);
    } catch (err) {
      this.options.logger.warn(`${this.id}: debug stop listener failed: ${(err as Error).message}`);
    }
  }

  private escalate(p: Pending): void {
    if (this.inflight !== p) return;
    const why = p.timedOut ? `wall-clock timeout (${describeLimit('timeoutMs', p.timeoutMs)})` : 'interrupt';
    const reason = `${why}: the run ignored the interrupt for ${INTERRUPT_GRACE_MS} ms (blocked in a C call?), so the runner was killed and restarted — its Lua state was reset`;
    this.inflight = undefined;
    this.settle(p);
    p.resolve({ t: 'error', message: reason, limit: p.timedOut ? 'timeoutMs' : undefined, interrupted: !p.timedOut || undefined });
    this.replaceRunner(reason, new VMUnavailableError(reason));
  }

  private settle(p: Pending): void {
    clearTimeout(p.timer);
    clearTimeout(p.graceTimer);
    if (p.interrupting || p.pausing) rmSync(this.interruptFile, { force: true });
    p.stopped = false;
    if (p.debugReplies?.size) {
      const gone = new LuaVMError('The debugged run ended before the debugger answered', 'conflict');
      for (const waiter of p.debugReplies.values()) waiter.reject(gone);
      p.debugReplies.clear();
    }
  }

  /** Replaces the runner with a fresh one (after a crash, or to reset the Lua state). */
  async restart(reason = 'restarted on request'): Promise<void> {
    if (this._state === 'exited') throw this.unavailable();
    this.replaceRunner(reason, new VMUnavailableError(`VM "${this.id}" was restarted while this request ran — run it again`));
    await this.ready;
  }

  /** Round trip to the runner; resolves with the Lua heap size in KiB. */
  async stats(): Promise<{ luaMemoryKb: number; rssKb?: number }> {
    const outcome = await this.request({ op: 'stats' });
    if (outcome.t !== 'done') throw new LuaVMError(`stats failed: ${outcome.t === 'error' ? outcome.message : outcome.t}`, 'internal');
    return { luaMemoryKb: outcome.memoryKb ?? 0, rssKb: this.memoryKb() };
  }

  /** Binds a LuaRocks environment's paths (used by `require`). */
  async setEnvironmentPaths(paths: { path: string; cpath: string } | undefined): Promise<void> {
    this.envPaths = paths;
    const outcome = await this.request({ op: 'setenv', path: paths?.path ?? '', cpath: paths?.cpath ?? '' });
    if (outcome.t === 'error') throw new LuaVMError(`Could not bind the environment: ${outcome.message}`);
  }

  async dispose(): Promise<void> {
    if (this._state === 'exited') return;
    this._reason ??= 'terminated';
    this.setState('exited', 'terminated');
    this.failAll(new VMUnavailableError(`VM "${this.id}" was terminated — create it again to run code`));
    this.killChild();
    rmSync(this.interruptFile, { force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  // Process ---------------------------------------------------------------------------------------

  private spawnRunner(): Promise<void> {
    this.setState('starting');
    return runnerSpawns.run(() => (this._state === 'exited' ? Promise.reject(this.unavailable()) : this.launchRunner()));
  }

  private launchRunner(): Promise<void> {
    const { lua, runnerPath, workDir, limits } = this.options;
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!STRIPPED_ENV.test(k)) env[k] = v;
    let command = lua.path;
    let args = [runnerPath];
    // A hard address-space cap catches what the in-Lua memory check cannot (C allocations).
    if (limits.memoryMb > 0 && existsSync(PRLIMIT)) {
      command = PRLIMIT;
      args = [`--as=${(limits.memoryMb * 2 + 256) * 1024 * 1024}`, lua.path, runnerPath];
    }
    // setpriv --pdeathsig wraps prlimit: a runner stuck in one long C call never sees its host die.
    const child = spawnChild(command, args, { cwd: workDir, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.lineParts = [];
    this.lineLength = 0;
    this.stderrTail = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (data: string) => this.onData(child, data));
    child.stderr.on('data', (data: string) => {
      this.stderrTail = (this.stderrTail + data).slice(-STDERR_TAIL_BYTES);
    });
    child.stdin.on('error', () => {
      // EPIPE when the runner died; the exit handler reports it.
    });
    child.on('error', (err) => this.onExit(child, null, null, err.message));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    this.options.logger.debug(`${this.id}: spawned ${lua.path} (pid ${child.pid})`);
    const init = new Promise<RunnerOutcome>((resolve, reject) => {
      // init goes first, ahead of anything queued while the runner was down.
      this.queue.unshift({ id: this.nextId++, req: this.initRequest(), timeoutMs: 0, resolve, reject, timedOut: false, interrupting: false });
    });
    this.dispatch();
    return init.then((outcome) => {
      if (outcome.t === 'error') throw new LuaVMError(`Runner failed to start: ${outcome.message}`, 'internal');
      if (outcome.t === 'done' && outcome.guard) {
        this._guard = outcome.guard;
        if (outcome.guard.kind === 'count-hook') this.options.logger.info(`${this.id}: limits use the count hook, about 2x slower on CPU-bound code: ${outcome.guard.reason ?? 'no reason given'}`);
      }
      if (this._state === 'starting') this.setState(this.inflight ? 'busy' : 'idle');
    });
  }

  private initRequest(): RunnerRequest {
    const { limits, capabilities, workDir, packagesPath } = this.options;
    runnersStarted += 1;
    return {
      op: 'init',
      refBase: runnersStarted * REFS_PER_RUNNER,
      caps: capabilities,
      workDir,
      packagesPath,
      interruptFile: this.interruptFile,
      limits: { instructionQuota: limits.instructionQuota, memoryMb: limits.memoryMb, outputBytes: limits.outputBytes },
      path: this.envPaths?.path ?? '',
      cpath: this.envPaths?.cpath ?? '',
    };
  }

  private replaceRunner(reason: string, inflightError: Error): void {
    this.options.logger.info(`${this.id}: replacing runner: ${reason}`);
    const old = this.inflight;
    this.inflight = undefined;
    if (old) {
      this.settle(old);
      old.reject(inflightError);
    }
    this.killChild();
    this._reason = reason;
    this.ready = this.spawnRunner();
    this.ready.catch((err: Error) => this.options.logger.error(`${this.id}: restart failed: ${err.message}`));
    this.options.onRestart?.(reason);
  }

  private killChild(): void {
    const pid = this.child?.pid;
    this.child = undefined;
    if (!pid) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  private onExit(child: ChildProcessWithoutNullStreams, code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (child !== this.child) return;
    this.child = undefined;
    if (this._state === 'exited') return;
    const detail = this.stderrTail.trim() ? `: ${this.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : '';
    const reason = error ? `failed to start (${error})` : signal ? `killed by ${signal}` : `exited with code ${code}${detail}`;
    this._reason = reason;
    this.options.logger.warn(`${this.id}: runner ${reason}`);
    this.setState('crashed', reason);
    this.failAll(this.unavailable());
  }

  private unavailable(): VMUnavailableError {
    if (this._state === 'exited') return new VMUnavailableError(`VM "${this.id}" was terminated — create it again to run code`);
    return new VMUnavailableError(
      `VM "${this.id}" crashed (${this._reason ?? 'unknown reason'}) — call restart("${this.id}") to start a new runner (its Lua state is lost)`,
    );
  }

  private failAll(err: Error): void {
    const all = this.inflight ? [this.inflight, ...this.queue] : [...this.queue];
    this.inflight = undefined;
    this.queue.length = 0;
    for (const p of all) {
      this.settle(p);
      p.reject(err);
    }
  }

  private setState(state: SessionState, reason?: string): void {
    if (this._state === state) return;
    this._state = state;
    this.options.onStateChange?.(state, reason);
  }

  // Wire ------------------------------------------------------------------------------------------

  private dispatch(): void {
    if (this.inflight || !this.child) return;
    const next = this.queue.shift();
    if (!next) {
      if (this._state === 'busy') this.setState('idle');
      return;
    }
    this.inflight = next;
    if (next.req.op !== 'init') this.setState('busy');
    this.child.stdin.write(`${JSON.stringify({ ...next.req, id: next.id })}\n`);
    if (next.timeoutMs > 0) {
      next.deadline = performance.now() + next.timeoutMs;
      next.timer = setTimeout(() => this.onTimeout(next), next.timeoutMs);
    }
  }

  private onTimeout(p: Pending): void {
    if (this.inflight !== p) return;
    p.timedOut = true;
    this.interrupt();
  }

  // A long line (a plot of a million points is ~17 MB) arrives in many pieces: they are kept
  // apart and joined once, so neither the search for the newline nor the copying grows with the
  // square of the line's length.
  private onData(child: ChildProcessWithoutNullStreams, data: string): void {
    if (child !== this.child) return;
    let start = 0;
    let nl = data.indexOf('\n');
    while (nl !== -1) {
      const piece = data.slice(start, nl);
      const line = this.lineParts.length ? this.lineParts.join('') + piece : piece;
      this.lineParts = [];
      this.lineLength = 0;
      if (line) this.onMessage(parseRunnerLine(line));
      if (child !== this.child) return;
      start = nl + 1;
      nl = data.indexOf('\n', start);
    }
    if (start < data.length) {
      this.lineParts.push(start ? data.slice(start) : data);
      this.lineLength += data.length - start;
    }
    if (this.lineLength > MAX_LINE_CHARS) {
      this.lineParts = [];
      this.lineLength = 0;
      this.replaceRunner('the runner wrote a line longer than 64 MiB (protocol violation)', new LuaVMError('runner protocol violation', 'internal'));
    }
  }

  private onMessage(msg: RunnerMessage): void {
    const p = this.inflight;
    switch (msg.kind) {
      case 'chunk':
        if (p && msg.id === p.id) p.onChunk?.(msg.stream === 'out' ? 'stdout' : 'stderr', msg.text);
        return;
      case 'plot':
        if (p && msg.id === p.id) {
          const chunk = plotChunk(msg.payload);
          p.onChunk?.(chunk.stream, chunk.text);
        }
        return;
      case 'dropped':
        if (p && msg.id === p.id) p.onChunk?.('system', `\n… ${msg.bytes} bytes dropped (output limit ${describeLimit('outputBytes', msg.cap)})\n`);
        return;
      case 'emit':
        try {
          this.options.onEmit?.(msg.emitKind, msg.data);
        } catch (err) {
          // A failing listener must not break the runner's line stream.
          this.options.logger.warn(`${this.id}: emit listener for "${msg.emitKind}" failed: ${(err as Error).message}`);
        }
        return;
      case 'call':
        void this.answerCall(msg.id, msg.callKind, msg.data);
        return;
      case 'debug-stop':
        if (p && msg.id === p.id) this.onDebugStop(p, msg.stop);
        return;
      case 'debug-reply': {
        const waiter = p && msg.id === p.id ? p.debugReplies?.get(msg.seq) : undefined;
        if (!waiter || !p) return;
        p.debugReplies?.delete(msg.seq);
        if (p.stopped && p.commandsRunning) {
          p.commandsRunning -= 1;
          if (p.commandsRunning === 0) {
            this.stopClock(p);
            // An interrupt (or the timeout) that came while an evaluation ran ends the run now.
            if (p.interrupting) void this.debugCommand('interrupt').catch(() => undefined);
          }
        }
        if (msg.ok) waiter.resolve(msg.body ?? {});
        else waiter.reject(new LuaVMError(msg.message ?? 'debugger command failed', 'invalid_input'));
        return;
      }
      case 'protocol':
        this.options.logger.warn(`${this.id}: ${msg.message}`);
        return;
      case 'final':
        if (!p || msg.id !== p.id) return;
        this.settle(p);
        this.inflight = undefined;
        p.resolve(p.timedOut ? timedOutOutcome(msg.outcome, p.timeoutMs) : msg.outcome);
        this.dispatch();
    }
  }

  private async answerCall(id: number, kind: string, data: unknown): Promise<void> {
    let line: string;
    try {
      if (!this.options.onCall) throw new Error(`no host handler for call "${kind}"`);
      line = JSON.stringify({ op: 'reply', id, ok: true, value: (await this.options.onCall(kind, data)) ?? null });
    } catch (err) {
      line = JSON.stringify({ op: 'reply', id, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
    this.child?.stdin.write(`${line}\n`);
  }
}

/**
 * A leftover file is unlinked first (unlink removes a link, never its target); the new one is created with
 * O_EXCL|O_NOFOLLOW, so whatever appears at the path in between is never followed or written through.
 */
function writeInterruptRequest(file: string, token: string): void {
  rmSync(file, { force: true });
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, token);
  } finally {
    closeSync(fd);
  }
}

function cancelled(): LuaVMError {
  return new LuaVMError('The run was cancelled before it started', 'conflict');
}

function timedOutOutcome(outcome: RunnerOutcome, timeoutMs: number): RunnerOutcome {
  if (outcome.t !== 'error' || !outcome.interrupted) return outcome;
  return {
    t: 'error',
    message: `wall-clock timeout exceeded (${describeLimit('timeoutMs', timeoutMs)}) — the run was interrupted; the VM keeps its state`,
    traceback: outcome.traceback,
    limit: 'timeoutMs',
  };
}

export function toExecResult(outcome: RunnerOutcome, stdout: string, stderr: string, durationMs: number): ExecResult {
  if (outcome.t === 'error') {
    const errText = outcome.traceback ?? outcome.message;
    return {
      stdout,
      stderr: stderr + (errText.endsWith('\n') ? errText : `${errText}\n`),
      returnCode: 1,
      success: false,
      values: [],
      durationMs,
      error: { message: outcome.message, line: outcome.line, traceback: outcome.traceback, limit: outcome.limit },
    };
  }
  const values = outcome.t === 'done' ? outcome.values : [];
  const previews = outcome.t === 'done' ? outcome.previews : undefined;
  const exitStatus = outcome.t === 'done' ? outcome.exit : undefined;
  if (exitStatus !== undefined) return { stdout, stderr, returnCode: exitStatus, success: exitStatus === 0, values, exitStatus, durationMs };
  // Returned values print like the Lua 5.4 REPL: `return 2 + 2` → "4".
  const echoed = values.length ? `${echoText(values, previews)}\n` : '';
  return { stdout: stdout + echoed, stderr, returnCode: 0, success: true, values, ...(previews && { previews }), durationMs };
}
