// InteractiveSession: one REPL over one LuaProcess. Input is fed a line at a time with lua.c's
// semantics (expressions echo, incomplete chunks wait for more lines); every piece of output lands
// in the session's ring buffer, where each reader has its own cursor, so detaching loses nothing.
import { AttachError, DetachError, InteractiveSessionError, LimitExceededError, LuaVMError } from './errors';
import type { ExecOptions, LuaProcess } from './lua-process';
import { OutputBuffer, type OutputBufferLimits } from './output-buffer';
import { childrenPageSchema, globalEntrySchema, MAX_GLOBALS, stringPageSchema, type ChildrenPage, type GlobalEntry, type StringPage } from '../../src-preload/contract/values';
import type { ValuePreview } from '../../src-preload/contract/value-preview';
import type { RunnerOutcome } from './runner-protocol';
import type { ExecResult, OutputChunk, OutputStream, SessionInfo, VMLimits } from './types';
import { echoText, type TreeOptions } from './value-text';

export const DEFAULT_READER = 'default';
const OUTPUT_BATCH_MS = 16;
const MAX_ATTACHED = 64;

export type EnvironmentResolver = (name: string) => { path: string; cpath: string } | undefined | Promise<{ path: string; cpath: string } | undefined>;

export interface InteractiveSessionOptions {
  process: LuaProcess;
  persistent?: boolean;
  environment?: string;
  buffer?: OutputBufferLimits;
  resolveEnvironment?: EnvironmentResolver;
  /** Batched (~16 ms) output for UIs. */
  onOutput?: (chunks: OutputChunk[]) => void;
  /** Attach/detach changed what info() reports. */
  onChange?: () => void;
  /** The session was bound to another environment (persistent definitions record it). */
  onEnvironmentChange?: (name: string) => void;
}

export interface InputResult {
  /** The REPL waits for more lines to complete a chunk (show the `>> ` prompt). */
  more: boolean;
  /** The last line's result failed. */
  failed: boolean;
  /** A line ended itself with os.exit(status); the lines after it were not run. */
  exit?: number;
}

export interface AttachResult {
  session: InteractiveSession;
  readerId: string;
  /** Output the reader had not seen yet (everything kept, for a new reader). */
  replay: OutputChunk[];
  nextSeq: number;
}

export class InteractiveSession {
  readonly id: string;
  readonly process: LuaProcess;
  readonly createdAt = Date.now();
  lastActivity = Date.now();
  persistent: boolean;
  environment: string | undefined;
  private readonly buffer: OutputBuffer;
  private readonly attachedReaders = new Set<string>();
  private inputChain: Promise<unknown> = Promise.resolve();
  private continuing = false;
  private pendingEvents: OutputChunk[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  /**
   * A text front end (the CLI repl) sets this: returned tables then come filled in to this depth and
   * width, and the 'value' chunk's text shows them as trees instead of `table: 0x…`.
   */
  textTree: TreeOptions | undefined;

  constructor(private readonly options: InteractiveSessionOptions) {
    this.process = options.process;
    this.id = options.process.id;
    this.persistent = options.persistent ?? false;
    this.environment = options.environment;
    this.buffer = new OutputBuffer(options.buffer);
  }

  /** True while any reader is attached. */
  get attached(): boolean {
    return this.attachedReaders.size > 0;
  }

  /** The REPL holds an incomplete chunk and waits for more lines. */
  get awaitingMore(): boolean {
    return this.continuing;
  }

  // Input ---------------------------------------------------------------------------------------

  /** Feeds text to the REPL, one line at a time, in order with any other input. */
  sendInput(input: string): Promise<InputResult> {
    if (typeof input !== 'string') return Promise.reject(new InteractiveSessionError('sendInput needs a string of Lua input', 'invalid_input'));
    const lines = input.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return this.serialize(async () => {
      let result: InputResult = { more: this.continuing, failed: false };
      for (const line of lines) {
        result = await this.feedLine(line.replace(/\r$/, ''));
        if (result.exit !== undefined) break;
      }
      return result;
    });
  }

  private async feedLine(line: string): Promise<InputResult> {
    this.touch();
    this.push('input', `${line}\n`, this.continuing);
    const outcome = await this.process.request({ op: 'repl', line, tree: this.textTree }, { onChunk: (stream, text) => this.push(stream, text) });
    this.continuing = outcome.t === 'more';
    this.pushOutcome(outcome);
    const exit = outcome.t === 'done' ? outcome.exit : undefined;
    return { more: this.continuing, failed: outcome.t === 'error', ...(exit !== undefined && { exit }) };
  }

  /** Runs a whole chunk (the editor buffer) in the session's environment. */
  async run(code: string, chunkName = '=editor', limits?: Partial<VMLimits>, debug?: ExecOptions['debug']): Promise<ExecResult> {
    return (await this.runMarked(code, chunkName, limits, debug)).result;
  }

  /** `run`, and which of the session's output chunks it wrote: seq firstSeq up to (not including) nextSeq. */
  runMarked(
    code: string,
    chunkName = '=editor',
    limits?: Partial<VMLimits>,
    debug?: ExecOptions['debug'],
  ): Promise<{ result: ExecResult; output: { firstSeq: number; nextSeq: number } }> {
    return this.serialize(async () => {
      this.touch();
      const firstSeq = this.buffer.endSeq;
      const result = await this.process.runForResult(
        { op: 'eval', code, name: chunkName },
        { limits, tree: this.textTree, debug, onChunk: (stream, text) => this.push(stream, text) },
      );
      this.pushResult(result);
      return { result, output: { firstSeq, nextSeq: this.buffer.endSeq } };
    });
  }

  /** `require`s a module into the session and binds it to a global of its last name part. */
  loadPackage(name: string): Promise<void> {
    return this.serialize(async () => {
      this.touch();
      this.push('input', `require("${name}")\n`);
      const outcome = await this.process.request({ op: 'require', name }, { onChunk: (stream, text) => this.push(stream, text) });
      if (outcome.t === 'error') {
        this.push('error', `${outcome.message}\n`);
        const message = `Could not load package "${name}": ${outcome.message}`;
        throw outcome.limit ? new LimitExceededError(message, outcome.limit) : new LuaVMError(message);
      }
    });
  }

  /** Binds the session to a LuaRocks environment (its package.path/cpath). */
  async setEnvironment(name: string): Promise<void> {
    const resolve = this.options.resolveEnvironment;
    const paths = resolve ? await resolve(name) : undefined;
    if (!paths) {
      throw new InteractiveSessionError(`Unknown environment "${name}" — create it in Packages first or pick an existing one`, 'not_found');
    }
    await this.process.setEnvironmentPaths(paths);
    this.environment = name;
    this.push('system', `environment "${name}" bound\n`);
    this.options.onEnvironmentChange?.(name);
  }

  /** Interrupts running code (state is kept); while a chunk is incomplete, discards it instead. */
  interrupt(): boolean {
    if (this.process.interrupt()) return true;
    if (!this.continuing) return false;
    this.continuing = false;
    void this.process.request({ op: 'repl', reset: true }).catch(() => undefined);
    this.push('system', 'incomplete input discarded\n');
    return true;
  }

  async completions(prefix = ''): Promise<{ name: string; type: string }[]> {
    const outcome = await this.process.request({ op: 'complete', prefix });
    return outcome.t === 'done' ? (outcome.items ?? []) : [];
  }

  // Values --------------------------------------------------------------------------------------

  /** A page of the entries of the table (or userdata) a preview's ref names. */
  async children(ref: number, start = 1, count = 100): Promise<ChildrenPage> {
    return childrenPageSchema.parse(await this.valuePage({ op: 'children', ref, start, count }));
  }

  /** A page of the long string a preview's ref names, by bytes. */
  async stringPage(ref: number, start = 1, count = 64 * 1024): Promise<StringPage> {
    return stringPageSchema.parse(await this.valuePage({ op: 'string', ref, start, count }));
  }

  /** The session's globals for the inspector: the program's first, builtins only when asked. */
  async globals(builtins = false, filter = ''): Promise<{ items: GlobalEntry[]; total: number }> {
    const outcome = await this.process.request({ op: 'globals', builtins, filter });
    if (outcome.t !== 'done') throw new LuaVMError(`Could not list the globals of "${this.id}": ${outcome.t === 'error' ? outcome.message : outcome.t}`, 'internal');
    const items = globalEntrySchema.array().max(MAX_GLOBALS).safeParse(outcome.globals ?? []);
    if (!items.success) throw new LuaVMError(`The runner of "${this.id}" answered globals with a malformed list — restart the session`, 'internal');
    return { items: items.data, total: outcome.total ?? items.data.length };
  }

  private async valuePage(req: { op: 'children' | 'string'; ref: number; start: number; count: number }): Promise<unknown> {
    const outcome = await this.process.request(req);
    if (outcome.t === 'done') return outcome.page;
    if (outcome.t === 'error' && outcome.gone) {
      throw new InteractiveSessionError(
        `That value of session "${this.id}" is gone: the session ran again and the program no longer holds it (or the runner restarted) — re-run to expand it`,
        'not_found',
      );
    }
    throw new LuaVMError(`Could not read value ${req.ref} of "${this.id}": ${outcome.t === 'error' ? outcome.message : outcome.t}`, 'internal');
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.inputChain.then(task, task);
    this.inputChain = run.catch(() => undefined);
    return run;
  }

  // Output --------------------------------------------------------------------------------------

  /** `continuation` marks echoed input that continues an incomplete chunk. */
  push(stream: OutputStream, text: string, continuation = false, values?: ValuePreview[]): void {
    const chunk = this.buffer.push(stream, text, Date.now(), continuation, values);
    if (!this.options.onOutput) return;
    this.pendingEvents.push(chunk);
    this.batchTimer ??= setTimeout(() => this.flushEvents(), OUTPUT_BATCH_MS);
  }

  private flushEvents(): void {
    this.batchTimer = undefined;
    const chunks = this.pendingEvents;
    this.pendingEvents = [];
    if (chunks.length) this.options.onOutput?.(chunks);
  }

  private pushOutcome(outcome: RunnerOutcome): void {
    if (outcome.t === 'done' && outcome.exit !== undefined) this.push('system', exitNote(outcome.exit));
    if (outcome.t === 'done' && outcome.values.length) {
      this.push('value', `${echoText(outcome.values, outcome.previews)}\n`, false, outcome.previews?.map(previewOnly));
    }
    if (outcome.t === 'error') this.push('error', `${errorText(outcome.message, outcome.traceback)}\n`);
  }

  private pushResult(result: ExecResult): void {
    if (result.exitStatus !== undefined) this.push('system', exitNote(result.exitStatus));
    if (result.values.length) this.push('value', `${echoText(result.values, result.previews)}\n`, false, result.previews?.map(previewOnly));
    if (result.error) this.push('error', `${errorText(result.error.message, result.error.traceback)}\n`);
  }

  /** Drains what `readerId` has not read yet, as text (input echo excluded). */
  readOutput(readerId = DEFAULT_READER): string {
    return this.readChunks(readerId)
      .filter((c) => c.stream !== 'input')
      .map((c) => c.text)
      .join('');
  }

  readChunks(readerId = DEFAULT_READER): OutputChunk[] {
    return this.buffer.read(readerId);
  }

  outputSince(seq: number, max?: number): { chunks: OutputChunk[]; nextSeq: number } {
    return this.buffer.since(seq, max);
  }

  recentOutput(count: number): { chunks: OutputChunk[]; nextSeq: number } {
    return this.buffer.tail(count);
  }

  // Attach / detach -----------------------------------------------------------------------------

  attach(readerId = DEFAULT_READER): AttachResult {
    if (this.process.state === 'exited') {
      throw new AttachError(`Session "${this.id}" was terminated — create it again with createInteractiveVM("${this.id}")`);
    }
    const replay = this.buffer.read(readerId);
    this.attachedReaders.add(readerId);
    // Readers that never detach (closed windows) must not pile up.
    if (this.attachedReaders.size > MAX_ATTACHED) this.attachedReaders.delete(this.attachedReaders.values().next().value!);
    this.options.onChange?.();
    return { session: this, readerId, replay, nextSeq: this.buffer.endSeq };
  }

  detach(readerId = DEFAULT_READER): void {
    if (!this.attachedReaders.delete(readerId)) {
      throw new DetachError(`Session "${this.id}" has no attached reader "${readerId}" — attach before detaching`);
    }
    this.options.onChange?.();
  }

  isAttached(readerId = DEFAULT_READER): boolean {
    return this.attachedReaders.has(readerId);
  }

  info(): SessionInfo {
    const p = this.process;
    const alive = p.state === 'idle' || p.state === 'busy';
    return {
      id: this.id,
      state: alive && p.state === 'idle' && !this.attached ? 'detached' : p.state,
      attached: this.attached,
      luaVersion: p.lua.version,
      luaExecutable: p.lua.path,
      environment: this.environment,
      persistent: this.persistent,
      capabilities: { ...p.capabilities },
      limits: { ...p.limits },
      pid: p.pid,
      memoryKb: p.memoryKb(),
      createdAt: this.createdAt,
      lastActivity: this.lastActivity,
      reason: p.reason,
    };
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  /** Stops event batching; the process is disposed by its owner. */
  close(): void {
    clearTimeout(this.batchTimer);
    this.flushEvents();
  }
}

/** The preview without the children a text tree filled in (the console fetches them when opened). */
function previewOnly({ type, text, ref, count, name }: ValuePreview): ValuePreview {
  return { type, text, ...(ref !== undefined && { ref }), ...(count !== undefined && { count }), ...(name !== undefined && { name }) };
}

/** The message, then the traceback; the runner's cleaned traceback may have dropped the message line. */
function errorText(message: string, traceback: string | undefined): string {
  if (!traceback) return message;
  return traceback.includes(message) ? traceback : `${message}\n${traceback}`;
}

/** The console's line for a script that ended itself with os.exit: the session itself goes on. */
function exitNote(status: number): string {
  return `the script ended with os.exit(${status}); the session keeps its state\n`;
}
