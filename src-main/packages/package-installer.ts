// Installs and removes rocks in an environment with the real `luarocks`: pinned servers (only the
// reachable repositories, in priority order, written to a private config), --lua-version, --tree,
// a timeout and a clean environment. Operations on one environment run one at a time; an install
// works on the live tree after taking a snapshot, and a failure puts the snapshot back, so the tree
// ends exactly as it was.
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentInfo, EnvironmentManager, InstalledRock } from './environment-manager';
import { withEnvironmentLock } from './environment-lock';
import { PackageError } from './package-error';
import type { PackageRegistry } from './package-registry';
import { parseConstraints, parsePackageSpec, pickVersion } from './rock-version';
import type { Repository } from './repository-manager';
import { ToolProcess, type ToolResult } from './tool-process';
import type { DependencyNodeShape as DependencyNode, InstallProgress, InstallResult } from '../../src-preload/contract/packages';

export type InstallPhase = InstallProgress['phase'];

export type { DependencyNodeShape as DependencyNode, InstallProgress, InstallResult } from '../../src-preload/contract/packages';

export interface InstallerOptions {
  timeoutMs?: number;
  /** Where luarocks gets a private HOME (its cache), so a user's ~/.luarocks config stays out. */
  homeDir: string;
}

const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_DEPTH = 12;

export class PackageInstaller {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly running = new Set<ToolProcess>();
  private disposed = false;
  private readonly timeoutMs: number;

  constructor(
    private readonly environments: EnvironmentManager,
    private readonly registry: PackageRegistry,
    private readonly options: InstallerOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** What installing `spec` would bring in: the chosen version and its dependency tree. */
  async preview(envName: string, spec: string): Promise<DependencyNode> {
    const env = this.environments.get(envName);
    const { name, constraint } = parsePackageSpec(spec);
    const installed = await this.installedMap(env.name);
    this.resolve(name, constraint);
    return this.node(name, constraint, installed, new Set(), 0);
  }

  install(envName: string, spec: string, onProgress: (p: InstallProgress) => void = () => {}): Promise<InstallResult> {
    const env = this.environments.get(envName);
    const { name, constraint } = parsePackageSpec(spec);
    return this.serialized(env.name, async () => {
      this.recover(env);
      onProgress({ env: env.name, name, phase: 'resolving', step: 0, total: 1 });
      const version = this.resolve(name, constraint);
      const before = await this.installedMap(env.name);
      const total = Math.max(countMissing(await this.node(name, `== ${version}`, before, new Set(), 0)), 1);
      await this.withSnapshot(env, name, total, onProgress, () => this.runInstall(env, name, version, total, onProgress));
      const after = await this.installedMap(env.name);
      const changed = [...after.entries()].filter(([n, v]) => before.get(n) !== v).map(([n, v]) => ({ name: n, version: v }));
      onProgress({ env: env.name, name, phase: 'done', step: total, total });
      return { env: env.name, name, version, installed: changed };
    });
  }

  // The live tree is copied first; any failure (exit code, timeout, kill, exception) puts the copy back.
  private async withSnapshot(env: EnvironmentInfo, name: string, total: number, onProgress: (p: InstallProgress) => void, work: () => Promise<void>): Promise<void> {
    const snapshot = this.snapshotPath(env);
    cpSync(env.path, snapshot, { recursive: true, verbatimSymlinks: true });
    try {
      await work();
    } catch (err) {
      onProgress({ env: env.name, name, phase: 'restoring', step: 0, total });
      rmSync(env.path, { recursive: true, force: true });
      renameSync(snapshot, env.path);
      onProgress({ env: env.name, name, phase: 'failed', step: 0, total });
      throw err;
    }
    rmSync(snapshot, { recursive: true, force: true });
  }

  private async runInstall(env: EnvironmentInfo, name: string, version: string, total: number, onProgress: (p: InstallProgress) => void): Promise<void> {
    let step = 0;
    const result = await this.luarocks(env, ['install', name, version], (line) => {
      if (/ is now installed in /.test(line)) step = Math.min(step + 1, total);
      onProgress({ env: env.name, name, phase: 'installing', step, total, line });
    });
    if (result.code === 0) return;
    if (this.disposed) throw new PackageError('unavailable', `installing ${name} was stopped because the workbench is shutting down — the environment is unchanged`);
    throw failure(result, `installing ${name} ${version} into environment "${env.name}"`, this.timeoutMs);
  }

  remove(envName: string, name: string, onLine: (line: string) => void = () => {}): Promise<void> {
    const env = this.environments.get(envName);
    return this.serialized(env.name, async () => {
      this.recover(env);
      const installed = await this.installedMap(env.name);
      if (!installed.has(name)) throw new PackageError('not_found', `${name} is not installed in environment "${env.name}" — see: bioxen packages list --env ${env.name}`);
      const result = await this.luarocks(env, ['remove', name], onLine);
      if (result.code !== 0) throw failure(result, `removing ${name} from environment "${env.name}"`, this.timeoutMs);
    });
  }

  list(envName: string): Promise<InstalledRock[]> {
    return this.environments.installed(envName);
  }

  private resolve(name: string, constraint: string): string {
    const entry = this.registry.get(name);
    const unreachable = this.registry.unreachable.map((r) => r.location);
    const note = unreachable.length ? ` (unreachable now: ${unreachable.join(', ')})` : '';
    if (!entry || entry.versions.length === 0) {
      throw new PackageError('not_found', `package "${name}" is not in any reachable repository${note} — check the name with: bioxen packages search ${name}`);
    }
    const versions = entry.versions.map((v) => v.version);
    const chosen = pickVersion(versions, parseConstraints(constraint));
    if (!chosen) throw new PackageError('not_found', `no version of ${name} matches "${constraint}" — available: ${versions.join(', ')}${note}`);
    return chosen;
  }

  private async node(name: string, constraint: string, installed: Map<string, string>, seen: Set<string>, depth: number): Promise<DependencyNode> {
    const installedVersion = installed.get(name);
    const entry = this.registry.get(name);
    const version = entry && pickVersion(entry.versions.map((v) => v.version), parseConstraints(constraint));
    const node: DependencyNode = { name, constraint, ...(version ? { version } : {}), ...(installedVersion ? { installedVersion } : {}), dependencies: [] };
    if (!version || seen.has(name) || depth >= MAX_DEPTH) return node;
    const deps = await this.registry.dependencies(name, version);
    if (deps === undefined) return { ...node, unknown: true };
    for (const dep of deps) {
      const parsed = /^\s*([^\s<>=~!]+)\s*(.*)$/.exec(dep);
      if (!parsed || parsed[1] === 'lua') continue;
      node.dependencies.push(await this.node(parsed[1]!, parsed[2]!.trim(), installed, new Set([...seen, name]), depth + 1));
    }
    return node;
  }

  private async installedMap(env: string): Promise<Map<string, string>> {
    return new Map((await this.environments.installed(env)).map((r) => [r.name, r.version]));
  }

  // In-process queue first (so one process never polls its own lock), then the cross-process lock.
  private serialized<T>(env: string, task: () => Promise<T>): Promise<T> {
    const lockDir = this.environments.inside('envs', `.${env}.lock`);
    const previous = this.queues.get(env) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => withEnvironmentLock(lockDir, env, this.timeoutMs, task));
    this.queues.set(env, next);
    void next.catch(() => undefined).finally(() => {
      if (this.queues.get(env) === next) this.queues.delete(env);
    });
    return next;
  }

  // Under the lock, a snapshot left behind means a previous install died mid-way: it is the good tree.
  private recover(env: EnvironmentInfo): void {
    const snapshot = this.snapshotPath(env);
    if (!existsSync(snapshot)) return;
    rmSync(env.path, { recursive: true, force: true });
    renameSync(snapshot, env.path);
  }

  private snapshotPath(env: EnvironmentInfo): string {
    return this.environments.inside('envs', `.${env.name}.snapshot`);
  }

  /** Kill every running luarocks (and its build children) and refuse new work; interrupted installs are rolled back. */
  dispose(): void {
    this.disposed = true;
    for (const tool of this.running) tool.dispose();
  }

  private async luarocks(env: EnvironmentInfo, args: string[], onLine: (line: string) => void): Promise<ToolResult> {
    if (this.disposed) throw new PackageError('unavailable', 'the package installer has been shut down — restart the workbench');
    const servers = this.registry.reachable;
    if (servers.length === 0) throw new PackageError('unavailable', 'no package repository is reachable — build the bundled one (node scripts/build-rocks.mjs) or check the network');
    mkdirSync(this.environments.inside(this.options.homeDir), { recursive: true });
    const scratchRoot = this.environments.inside('cache', 'tmp');
    mkdirSync(scratchRoot, { recursive: true });
    const scratch = mkdtempSync(join(scratchRoot, 'luarocks-'));
    try {
      const config = join(scratch, 'config.lua');
      writeFileSync(config, luarocksConfig(env.path, servers));
      const env_ = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.options.homeDir, LUAROCKS_CONFIG: config, LANG: 'C', LC_ALL: 'C', TMPDIR: scratch };
      const tool = new ToolProcess('luarocks', ['--lua-version', env.luaVersion, '--tree', env.path, ...args], { env: env_, timeoutMs: this.timeoutMs, onLine });
      this.running.add(tool);
      return await tool.run();
    } finally {
      for (const tool of this.running) if (tool.state !== 'starting' && tool.state !== 'running') this.running.delete(tool);
      rmSync(scratch, { recursive: true, force: true });
    }
  }
}


function luaString(s: string): string {
  return JSON.stringify(s);
}

function luarocksConfig(tree: string, servers: readonly Repository[]): string {
  return [
    `rocks_trees = { { name = "bioxen", root = ${luaString(tree)} } }`,
    `rocks_servers = { ${servers.map((s) => luaString(s.location)).join(', ')} }`,
    'connection_timeout = 10',
    '',
  ].join('\n');
}

function countMissing(node: DependencyNode): number {
  const self = node.installedVersion === node.version ? 0 : 1;
  return self + node.dependencies.reduce((sum, d) => sum + countMissing(d), 0);
}

function failure(result: ToolResult, what: string, timeoutMs: number): PackageError {
  const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
  if (result.timedOut) return new PackageError('timeout', `${what} took longer than ${limit} and was stopped — the environment is unchanged`);
  const text = `${result.stderr}\n${result.stdout}`;
  const errors = text.split('\n').filter((l) => /^Error:|error:/.test(l)).slice(0, 5);
  const detail = (errors.length ? errors : text.trim().split('\n').slice(-5)).join(' | ').trim();
  return new PackageError('lua_error', `${what} failed: ${detail || `luarocks exit ${result.code}`} — the environment is unchanged`);
}
