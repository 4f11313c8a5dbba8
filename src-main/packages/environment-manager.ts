// Environments: each one a LuaRocks tree <dataDir>/envs/<name> for one Lua version. Sessions bound
// to an environment get its package.path/cpath (luaPaths / resolveEnvironment for the VM engine).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveInside } from '../config/resolve-inside';
import { readLuaData } from './lua-data';
import { anyLua, isLuaVersion, LUA_VERSIONS, luaFor } from './lua-executables';
import { PackageError } from './package-error';
import { isRockName, isRockVersion } from './rock-version';
import { runTool } from './tool-process';
import type { BrokenRock, EnvironmentHealth, EnvironmentInfo, InstalledRock } from '../../src-preload/contract/packages';

export type { BrokenRock, EnvironmentHealth, EnvironmentInfo, InstalledRock } from '../../src-preload/contract/packages';

export interface LuaPaths {
  path: string;
  cpath: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const META = 'bioxen-env.json';
const HEALTH_TIMEOUT_MS = 60_000;

export class EnvironmentManager {
  readonly root: string;

  constructor(readonly dataDir: string) {
    this.root = join(dataDir, 'envs');
  }

  /** A path under the data dir for something the package manager writes or deletes; refuses one that leads out (symlinks included). */
  inside(...parts: string[]): string {
    return resolveInside(this.dataDir, ...parts);
  }

  create(name: string, options: { luaVersion?: string } = {}): EnvironmentInfo {
    this.checkName(name);
    const luaVersion = options.luaVersion ?? '5.4';
    if (!isLuaVersion(luaVersion)) {
      throw new PackageError('invalid_input', `Lua version "${luaVersion}" is not supported — use one of ${LUA_VERSIONS.join(', ')}`);
    }
    const path = this.treePath(name);
    if (existsSync(path)) throw new PackageError('already_exists', `environment "${name}" already exists — pick another name or delete it first`);
    mkdirSync(path, { recursive: true });
    const info: EnvironmentInfo = { name, luaVersion, path, createdAt: new Date().toISOString() };
    this.writeInfo(info);
    return info;
  }

  list(): EnvironmentInfo[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .filter((name) => NAME.test(name) && existsSync(join(this.root, name, META)))
      .sort()
      .map((name) => this.get(name));
  }

  get(name: string): EnvironmentInfo {
    this.checkName(name);
    const file = join(this.treePath(name), META);
    if (!existsSync(file)) throw new PackageError('not_found', `environment "${name}" not found — create it with: bioxen env create ${name}`);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<EnvironmentInfo>;
    if (typeof raw.luaVersion !== 'string' || !isLuaVersion(raw.luaVersion)) {
      throw new PackageError('internal', `environment "${name}" has a damaged ${META} — delete and recreate it`);
    }
    return { name, luaVersion: raw.luaVersion, path: this.treePath(name), createdAt: String(raw.createdAt ?? ''), ...(raw.profile ? { profile: raw.profile } : {}) };
  }

  exists(name: string): boolean {
    return NAME.test(name) && existsSync(join(this.treePath(name), META));
  }

  setProfile(name: string, profile: string): void {
    this.writeInfo({ ...this.get(name), profile });
  }

  delete(name: string): void {
    this.get(name);
    rmSync(this.treePath(name), { recursive: true, force: true });
  }

  treePath(name: string): string {
    return this.inside('envs', name);
  }

  luaPaths(name: string): LuaPaths {
    const { path, luaVersion } = this.get(name);
    return {
      path: [join(path, 'share', 'lua', luaVersion, '?.lua'), join(path, 'share', 'lua', luaVersion, '?', 'init.lua')].join(';'),
      cpath: join(path, 'lib', 'lua', luaVersion, '?.so'),
    };
  }

  /** For the VM engine: an unknown environment is undefined, not an error. */
  readonly resolveEnvironment = (name: string): LuaPaths | undefined => (this.exists(name) ? this.luaPaths(name) : undefined);

  /** What the tree's LuaRocks manifest says is installed. */
  async installed(name: string): Promise<InstalledRock[]> {
    const { path, luaVersion } = this.get(name);
    const manifest = join(path, 'lib', 'luarocks', `rocks-${luaVersion}`, 'manifest');
    if (!existsSync(manifest)) return [];
    const [result] = await readLuaData(requireLua(), [manifest], { what: `LuaRocks manifest of environment "${name}"` });
    if (!result?.data) throw new PackageError('internal', `the LuaRocks manifest of environment "${name}" does not load (${result?.error}) — reinstall its packages`);
    return installedFromManifest(result.data);
  }

  async health(name: string): Promise<EnvironmentHealth> {
    const info = this.get(name);
    const problems: string[] = [];
    const luaExecutable = luaFor(info.luaVersion);
    if (!luaExecutable) problems.push(`no Lua ${info.luaVersion} interpreter — install it (apt install lua${info.luaVersion})`);
    const luarocks = await runTool('luarocks', ['--version'], { env: { PATH: process.env.PATH }, timeoutMs: HEALTH_TIMEOUT_MS }).catch(() => undefined);
    const luarocksVersion = luarocks?.code === 0 ? /(\d+\.\d+\.\d+)/.exec(luarocks.stdout)?.[1] : undefined;
    if (!luarocksVersion) problems.push('luarocks not found — install it (apt install luarocks)');
    const rocks = await this.installed(name);
    const broken = luaExecutable ? await this.findBroken(name, luaExecutable, rocks) : [];
    for (const b of broken) problems.push(`${b.name} ${b.version}: module ${b.module} does not load — reinstall it (bioxen packages install ${b.name} --env ${name})`);
    return {
      name,
      luaVersion: info.luaVersion,
      ...(luaExecutable ? { luaExecutable } : {}),
      luarocksAvailable: luarocksVersion !== undefined,
      ...(luarocksVersion ? { luarocksVersion } : {}),
      installedCount: rocks.length,
      broken,
      problems,
      healthy: problems.length === 0,
    };
  }

  // A rock is broken when one of its modules no longer loads with the environment's paths.
  private async findBroken(name: string, lua: string, rocks: InstalledRock[]): Promise<BrokenRock[]> {
    const checks = rocks.flatMap((r) => r.modules.map((module) => ({ rock: r, module })));
    if (checks.length === 0) return [];
    const paths = this.luaPaths(name);
    const script = 'for m in (os.getenv("BIOXEN_MODULES") .. "\\n"):gmatch("([^\\n]+)\\n") do local ok, err = pcall(require, m) if not ok then io.write(m, "\\t", (tostring(err):gsub("\\n", " ")), "\\n") end end';
    const env = { PATH: process.env.PATH, LUA_PATH: `${paths.path};;`, LUA_CPATH: `${paths.cpath};;`, BIOXEN_MODULES: checks.map((c) => c.module).join('\n') };
    const result = await runTool(lua, ['-e', script], { env, timeoutMs: HEALTH_TIMEOUT_MS });
    const failed = new Map(result.stdout.split('\n').filter(Boolean).map((line) => line.split('\t', 2) as [string, string]));
    return checks.filter((c) => failed.has(c.module)).map((c) => ({ name: c.rock.name, version: c.rock.version, module: c.module, error: failed.get(c.module)! }));
  }

  private checkName(name: string): void {
    if (!NAME.test(name)) throw new PackageError('invalid_input', `bad environment name "${name}" — use letters, digits, - and _ (at most 64), starting with a letter or digit`);
  }

  private writeInfo(info: EnvironmentInfo): void {
    const { path: _path, name: _name, ...stored } = info;
    writeFileSync(this.inside('envs', info.name, META), JSON.stringify(stored, null, 2));
  }
}

export function requireLua(): string {
  const lua = anyLua();
  if (!lua) throw new PackageError('unavailable', 'no Lua interpreter found — install one (apt install lua5.4)');
  return lua;
}

type ManifestEntry = { modules?: Record<string, string>; dependencies?: Record<string, string> };

// The tree's manifest lists what rockspecs from repositories named: only LuaRocks names and versions count.
function installedFromManifest(data: Record<string, unknown>): InstalledRock[] {
  const repository = (data.repository ?? {}) as Record<string, Record<string, ManifestEntry[]>>;
  return Object.entries(repository).filter(([name]) => isRockName(name)).flatMap(([name, versions]) =>
    Object.entries(versions).filter(([version]) => isRockVersion(version)).map(([version, entries]) => {
      const entry = entries[0] ?? {};
      return { name, version, modules: Object.keys(entry.modules ?? {}).sort(), dependencies: entry.dependencies ?? {} };
    }),
  ).sort((a, b) => a.name.localeCompare(b.name));
}
