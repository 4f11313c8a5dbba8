// EditorService: the editor's questions about Lua code — does it compile (with a given Lua's own
// parser), and which names a session can complete. It owns the compile-only checker runners (one
// per Lua version, started on first use); completions ask the session the VM engine hands out, so
// the engine keeps no editor state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAppRoot } from '../app-root';
import { LuaVMError, VMManagerError } from '../vm/errors';
import type { InteractiveSession } from '../vm/interactive-session';
import { DEFAULT_CAPABILITIES, DEFAULT_LIMITS, mergeLimits } from '../vm/limits';
import { resolveLua } from '../vm/lua-discovery';
import { LuaProcess } from '../vm/lua-process';
import { VMLogger } from '../vm/logger';
import type { LuaExecutable, VMLimits } from '../vm/types';

export interface SyntaxDiagnostic {
  line: number;
  message: string;
}

/** The one thing the editor needs from the VM engine: a session by id (VMManager.getSession). */
export interface SessionSource {
  getSession(vmId: string): Pick<InteractiveSession, 'completions' | 'info'>;
}

export interface EditorServiceOptions {
  sessions: SessionSource;
  /** Folder holding lua/runtime; found next to the sources by default. */
  luaRoot?: string;
  /** Same meaning as VMManagerOptions.resolveLua: the workbench passes LuaInterpreters.resolve. */
  resolveLua?: (requested?: string) => Promise<LuaExecutable>;
  /** The Lua to check with when the caller names none. */
  luaExecutable?: string;
  limits?: Partial<VMLimits>;
  logger?: VMLogger;
}

export class EditorService {
  private readonly checkers = new Map<string, Promise<LuaProcess>>();
  private readonly limits: VMLimits;
  private readonly logger: VMLogger;
  private readonly runnerPath: string;
  private workDir: string | undefined;
  private disposed = false;

  constructor(private readonly options: EditorServiceOptions) {
    this.limits = mergeLimits(DEFAULT_LIMITS, options.limits);
    this.logger = options.logger ?? new VMLogger({ component: 'EditorService' });
    this.runnerPath = join(options.luaRoot ?? findAppRoot(), 'lua', 'runtime', 'runner.lua');
  }

  /** Compile-only check with the given Lua version's parser (default: the configured Lua). */
  async checkSyntax(code: string, luaVersion?: string): Promise<SyntaxDiagnostic[]> {
    if (this.disposed) throw new VMManagerError('This EditorService was disposed — create a new one', 'unavailable');
    const key = luaVersion ?? '';
    let checker = this.checkers.get(key);
    if (!checker) {
      checker = this.startChecker(luaVersion);
      checker.catch(() => this.checkers.delete(key));
      this.checkers.set(key, checker);
    }
    const process = await checker;
    const outcome = await process.request({ op: 'check', code, name: '=editor' });
    if (outcome.t === 'error') throw new LuaVMError(`Syntax check failed: ${outcome.message}`, 'internal');
    return outcome.t === 'done' ? (outcome.errors ?? []) : [];
  }

  /** The members of `prefix` (a global table's dotted path; '' for the globals) in the session's Lua state. */
  completions(vmId: string, prefix = ''): Promise<{ name: string; type: string }[]> {
    try {
      return this.options.sessions.getSession(vmId).completions(prefix);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private async startChecker(luaVersion: string | undefined): Promise<LuaProcess> {
    const lua = await (this.options.resolveLua ?? resolveLua)(luaVersion ?? this.options.luaExecutable);
    // The checker only compiles; its work dir stays empty and goes with the service.
    this.workDir ??= mkdtempSync(join(tmpdir(), 'bioxen-syntax-check-'));
    const process = new LuaProcess({
      id: `syntax-check-${lua.version}`,
      lua,
      runnerPath: this.runnerPath,
      workDir: this.workDir,
      packagesPath: '',
      limits: this.limits,
      capabilities: { ...DEFAULT_CAPABILITIES },
      logger: this.logger.child('syntax-check'),
    });
    await process.start();
    return process;
  }

  /** Kills the checker runners. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const checkers = [...this.checkers.values()];
    this.checkers.clear();
    await Promise.all(checkers.map((c) => c.then((p) => p.dispose(), () => undefined)));
    if (this.workDir) rmSync(this.workDir, { recursive: true, force: true });
  }
}
