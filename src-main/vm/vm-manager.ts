// VMManager: the engine's public API (the seed's, in TypeScript casing). It owns every VM's
// LuaProcess and InteractiveSession, persists the definitions of persistent VMs, routes Lua's
// emit/call to the host, and reports state changes and batched output as events.
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAppRoot } from '../app-root';
import { SessionAlreadyExistsError, SessionNotFoundError, VMManagerError } from './errors';
import { DEFAULT_READER, InteractiveSession, type AttachResult, type EnvironmentResolver, type InputResult } from './interactive-session';
import { DEFAULT_CAPABILITIES, DEFAULT_LIMITS, mergeCapabilities, mergeLimits } from './limits';
import { resolveLua } from './lua-discovery';
import { LuaProcess, type ExecOptions } from './lua-process';
import { VMLogger } from './logger';
import type { OutputBufferLimits } from './output-buffer';
import { PersistentStore, savedVMOptions, savedVMsFile, type PersistentVMDefinition } from './persistent-store';
import { ExecHandle } from './exec-handle';
import { SessionManager } from './session-manager';
import { Turnstile } from '../process/spawn-queue';
import { SESSION_ID_PATTERN, SESSION_ID_RULE } from '../../src-preload/contract/session-id';
import type { ExecResult, LuaExecutable, SessionInfo, VMCapabilities, VMLimits, VMManagerEvents, VMOptions } from './types';

const DEFAULT_MAX_VMS = 512;
const creationTurns = new Turnstile();

export type HostCallHandler = (vmId: string, data: unknown) => unknown;

export interface VMManagerOptions {
  /** Where persistent VM definitions (vms.json) and VM work dirs live; without it, a temp dir. */
  dataDir?: string;
  /** Maps an environment name to its LuaRocks paths (injected by the packages service). */
  resolveEnvironment?: EnvironmentResolver;
  defaultLimits?: Partial<VMLimits>;
  defaultCapabilities?: Partial<VMCapabilities>;
  /** Default Lua executable (name, path or version); otherwise the best discovered. */
  luaExecutable?: string;
  /**
   * Turns a requested Lua into an executable. The workbench passes LuaInterpreters.resolve, so only
   * interpreters it discovered or had added ever run; the CLI and tests take any name or path.
   */
  resolveLua?: (requested?: string) => Promise<LuaExecutable>;
  logger?: VMLogger;
  debugMode?: boolean;
  /** Folder holding lua/runtime and lua/packages; found next to the sources by default. */
  luaRoot?: string;
  buffer?: OutputBufferLimits;
  maxVMs?: number;
}

export interface CreateInteractiveOptions extends VMOptions {
  /** Attach the default reader right away (the seed's auto_attach). Default true. */
  autoAttach?: boolean;
}

interface VMRecord {
  process: LuaProcess;
  session?: InteractiveSession;
  options: VMOptions;
  persistent: boolean;
  interactive: boolean;
  createdAt: number;
}

/** Search templates for the bundled packages: lua/packages/<name>/src/?.lua and ?/init.lua. */
export function bundledPackagesPath(luaRoot: string): string {
  const packages = join(luaRoot, 'lua', 'packages');
  if (!existsSync(packages)) return '';
  return readdirSync(packages, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(packages, d.name, 'src')))
    .map((d) => `${join(packages, d.name, 'src')}/?.lua;${join(packages, d.name, 'src')}/?/init.lua`)
    .join(';');
}

export class VMManager extends EventEmitter {
  readonly logger: VMLogger;
  readonly sessionManager: SessionManager;
  private readonly vms = new Map<string, VMRecord>();
  private readonly creating = new Set<string>();
  private readonly callHandlers = new Map<string, HostCallHandler>();
  private readonly defaultLimits: VMLimits;
  private readonly defaultCapabilities: VMCapabilities;
  private readonly luaRoot: string;
  private readonly runnerPath: string;
  private readonly packagesPath: string;
  private readonly store: PersistentStore | undefined;
  private tempRoot: string | undefined;
  private disposed = false;

  constructor(private readonly options: VMManagerOptions = {}) {
    super();
    this.logger = options.logger ?? new VMLogger({ debugMode: options.debugMode, component: 'VMManager' });
    this.defaultLimits = mergeLimits(DEFAULT_LIMITS, options.defaultLimits);
    this.defaultCapabilities = mergeCapabilities(DEFAULT_CAPABILITIES, options.defaultCapabilities);
    this.luaRoot = options.luaRoot ?? findAppRoot();
    this.runnerPath = join(this.luaRoot, 'lua', 'runtime', 'runner.lua');
    this.packagesPath = bundledPackagesPath(this.luaRoot);
    this.store = options.dataDir ? new PersistentStore(savedVMsFile(options.dataDir)) : undefined;
    this.sessionManager = new SessionManager(this);
  }

  override on<E extends keyof VMManagerEvents>(event: E, listener: VMManagerEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof VMManagerEvents>(event: E, listener: VMManagerEvents[E]): this {
    return super.off(event, listener);
  }

  override once<E extends keyof VMManagerEvents>(event: E, listener: VMManagerEvents[E]): this {
    return super.once(event, listener);
  }

  override emit<E extends keyof VMManagerEvents>(event: E, ...args: Parameters<VMManagerEvents[E]>): boolean {
    return super.emit(event, ...args);
  }

  /** Answers Lua's synchronous `call(kind, data)` (e.g. "metrics.latest"). */
  handleCall(kind: string, handler: HostCallHandler): void {
    this.callHandlers.set(kind, handler);
  }

  // VMs -----------------------------------------------------------------------------------------

  /** Starts a VM (a warm runner) and waits until it is ready. */
  async createVM(vmId: string, options: VMOptions = {}): Promise<LuaProcess> {
    return (await this.createRecord(vmId, options, false)).process;
  }

  private async createRecord(vmId: string, options: VMOptions, interactive: boolean): Promise<VMRecord> {
    this.assertOpen();
    if (typeof vmId !== 'string' || !SESSION_ID_PATTERN.test(vmId)) {
      throw new VMManagerError(`Bad VM id "${String(vmId)}" — ${SESSION_ID_RULE}`);
    }
    if (this.vms.has(vmId) || this.creating.has(vmId)) throw new SessionAlreadyExistsError(vmId);
    const max = this.options.maxVMs ?? DEFAULT_MAX_VMS;
    if (this.vms.size + this.creating.size >= max) {
      throw new VMManagerError(`Too many VMs (${max}) — terminate some before creating more`, 'limit_exceeded');
    }
    this.creating.add(vmId);
    try {
      const process = await this.spawnProcess(vmId, options);
      const record: VMRecord = { process, options, persistent: options.persistent ?? false, interactive, createdAt: Date.now() };
      this.vms.set(vmId, record);
      if (record.persistent) this.savePersistent();
      this.emitSession(vmId);
      return record;
    } finally {
      this.creating.delete(vmId);
    }
  }

  private async spawnProcess(vmId: string, options: VMOptions): Promise<LuaProcess> {
    // One VM's setup per event-loop turn: 200 creates at once must not run 200 path lookups back to back.
    await creationTurns.next();
    const lua: LuaExecutable = await (this.options.resolveLua ?? resolveLua)(options.luaExecutable ?? this.options.luaExecutable);
    const envPaths = options.environment ? await this.environmentPaths(options.environment) : undefined;
    const capabilities = mergeCapabilities(this.defaultCapabilities, options.capabilities, options.networked);
    const process = new LuaProcess({
      id: vmId,
      lua,
      runnerPath: this.runnerPath,
      workDir: this.workDir(vmId),
      packagesPath: this.packagesPath,
      limits: mergeLimits(this.defaultLimits, options.limits),
      capabilities,
      envPaths,
      logger: this.logger.child(`vm:${vmId}`, options.debugMode || this.logger.debugMode),
      onEmit: (kind, data) => this.emit('emit', vmId, kind, data),
      onCall: (kind, data) => this.answerCall(vmId, kind, data),
      onStateChange: (state, reason) => this.onProcessState(vmId, state, reason),
      onRestart: (reason) => this.vms.get(vmId)?.session?.push('system', `runner restarted: ${reason}\n`),
    });
    try {
      await process.start();
    } catch (err) {
      await process.dispose();
      throw err;
    }
    return process;
  }

  private async environmentPaths(name: string): Promise<{ path: string; cpath: string }> {
    const paths = await this.options.resolveEnvironment?.(name);
    if (!paths) {
      throw new VMManagerError(`Unknown environment "${name}" — create it in Packages (or with the packages CLI) first, or leave the environment empty`, 'not_found');
    }
    return paths;
  }

  private workDir(vmId: string): string {
    let dir: string;
    if (this.options.dataDir) dir = join(this.options.dataDir, 'vms', vmId);
    else {
      this.tempRoot ??= mkdtempSync(join(tmpdir(), 'bioxen-vms-'));
      dir = join(this.tempRoot, vmId);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Temp work dirs go entirely; in the data dir only an empty one of a non-persistent VM (files a script wrote stay). */
  private removeWorkDir(vmId: string, persistent: boolean): void {
    if (!this.options.dataDir) {
      if (this.tempRoot) rmSync(join(this.tempRoot, vmId), { recursive: true, force: true });
      return;
    }
    if (persistent) return;
    try {
      rmdirSync(join(this.options.dataDir, 'vms', vmId));
    } catch {
      // Not empty: the script's files are the user's.
    }
  }

  private async answerCall(vmId: string, kind: string, data: unknown): Promise<unknown> {
    const handler = this.callHandlers.get(kind);
    if (!handler) throw new Error(`no host handler for "${kind}" — the workbench does not provide it here`);
    return handler(vmId, data);
  }

  private onProcessState(vmId: string, state: string, reason?: string): void {
    const record = this.vms.get(vmId);
    if (state === 'crashed') record?.session?.push('system', `runner ${reason ?? 'crashed'} — restart the session to continue (its Lua state is lost)\n`);
    this.emitSession(vmId);
  }

  private emitSession(vmId: string): void {
    if (this.listenerCount('session') === 0) return;
    const info = this.infoOf(vmId);
    if (info) this.emit('session', info);
  }

  private record(vmId: string): VMRecord {
    const record = this.vms.get(vmId);
    if (!record) throw new SessionNotFoundError(vmId);
    return record;
  }

  getVM(vmId: string): LuaProcess {
    return this.record(vmId).process;
  }

  hasVM(vmId: string): boolean {
    return this.vms.has(vmId);
  }

  // Execution -----------------------------------------------------------------------------------

  /** Runs code in a fresh environment inside the VM's warm runner. Lua errors come back in the result. */
  executeVMSync(vmId: string, code: string, options: ExecOptions = {}): Promise<ExecResult> {
    try {
      return this.record(vmId).process.executeString(code, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Like executeVMSync, with a handle: status, streamed output events and cancel(). */
  executeVMAsync(vmId: string, code: string, options: Omit<ExecOptions, 'signal' | 'onChunk'> = {}): ExecHandle {
    const process = this.record(vmId).process;
    return new ExecHandle((signal, onChunk) => process.executeString(code, { ...options, signal, onChunk }));
  }

  // Interactive sessions --------------------------------------------------------------------------

  async createInteractiveVM(vmId: string, options: CreateInteractiveOptions = {}): Promise<InteractiveSession> {
    let record = this.vms.get(vmId);
    if (record?.session) throw new SessionAlreadyExistsError(vmId, 'session');
    record ??= await this.createRecord(vmId, options, true);
    record.interactive = true;
    const session = this.ensureSession(vmId, record);
    if (options.autoAttach ?? true) session.attach(DEFAULT_READER);
    if (record.persistent) this.savePersistent();
    return session;
  }

  private ensureSession(vmId: string, record: VMRecord): InteractiveSession {
    record.session ??= new InteractiveSession({
      process: record.process,
      persistent: record.persistent,
      environment: record.options.environment,
      buffer: this.options.buffer,
      resolveEnvironment: this.options.resolveEnvironment,
      onOutput: (chunks) => this.emit('output', vmId, chunks),
      onChange: () => this.emitSession(vmId),
      onEnvironmentChange: () => {
        if (record.persistent) this.savePersistent();
        this.emitSession(vmId);
      },
    });
    return record.session;
  }

  /** The VM's interactive session (created on first use, as the seed's attach did). */
  getSession(vmId: string): InteractiveSession {
    return this.ensureSession(vmId, this.record(vmId));
  }

  /** Attaches a reader and returns what it missed while away. */
  attachToVM(vmId: string, readerId = DEFAULT_READER): AttachResult {
    return this.getSession(vmId).attach(readerId);
  }

  detachFromVM(vmId: string, readerId = DEFAULT_READER): void {
    this.getSession(vmId).detach(readerId);
  }

  sendInput(vmId: string, input: string): Promise<InputResult> {
    try {
      return this.getSession(vmId).sendInput(input);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  readOutput(vmId: string, readerId = DEFAULT_READER): string {
    return this.getSession(vmId).readOutput(readerId);
  }

  interrupt(vmId: string): boolean {
    const record = this.record(vmId);
    return record.session ? record.session.interrupt() : record.process.interrupt();
  }

  /** Replaces the VM's runner (after a crash, or to reset its Lua state). */
  async restart(vmId: string): Promise<void> {
    await this.record(vmId).process.restart('restarted on request');
  }

  async terminateVMSession(vmId: string): Promise<void> {
    const record = this.record(vmId);
    this.vms.delete(vmId);
    record.session?.close();
    await record.process.dispose();
    if (record.persistent) this.savePersistent();
    this.removeWorkDir(vmId, record.persistent);
    this.emit('sessionRemoved', vmId);
  }

  listSessions(): SessionInfo[] {
    return [...this.vms.keys()].map((id) => this.infoOf(id)!);
  }

  private infoOf(vmId: string): SessionInfo | undefined {
    const record = this.vms.get(vmId);
    if (!record) return undefined;
    if (record.session) return record.session.info();
    const p = record.process;
    return {
      id: vmId,
      state: p.state,
      attached: false,
      luaVersion: p.lua.version,
      luaExecutable: p.lua.path,
      environment: record.options.environment,
      persistent: record.persistent,
      capabilities: { ...p.capabilities },
      limits: { ...p.limits },
      pid: p.pid,
      memoryKb: p.memoryKb(),
      createdAt: record.createdAt,
      lastActivity: record.createdAt,
      reason: p.reason,
    };
  }

  // Persistence ---------------------------------------------------------------------------------------

  private savePersistent(): void {
    if (!this.store) return;
    const definitions: PersistentVMDefinition[] = [];
    for (const [id, r] of this.vms) {
      if (!r.persistent) continue;
      definitions.push({
        id,
        luaExecutable: r.process.lua.path,
        environment: r.session?.environment ?? r.options.environment,
        capabilities: r.process.capabilities,
        limits: r.process.limits,
        interactive: r.interactive,
        createdAt: r.createdAt,
      });
    }
    this.store.save(definitions);
  }

  /** Recreates the persistent VMs saved in the data dir. Their Lua state starts fresh. */
  async restorePersistent(): Promise<{ restored: string[]; failed: { id: string; error: string }[] }> {
    const restored: string[] = [];
    const failed: { id: string; error: string }[] = [];
    for (const def of this.store?.load() ?? []) {
      if (this.vms.has(def.id)) continue;
      const options: CreateInteractiveOptions = { ...savedVMOptions(def), persistent: true, autoAttach: false };
      try {
        if (def.interactive) {
          const session = await this.createInteractiveVM(def.id, options);
          session.push('system', 'restored from a previous run — the Lua state started fresh\n');
        } else await this.createVM(def.id, options);
        restored.push(def.id);
      } catch (err) {
        failed.push({ id: def.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { restored, failed };
  }

  // Disposal ------------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.disposed) throw new VMManagerError('This VMManager was disposed — create a new one', 'unavailable');
  }

  /** Kills every runner this manager started. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const all = [...this.vms.values()];
    this.vms.clear();
    for (const r of all) r.session?.close();
    await Promise.all(all.map((r) => r.process.dispose()));
    if (this.tempRoot) rmSync(this.tempRoot, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
