// The package curator: one object owning environments, repositories, the catalog and installs.
// Seed names: `Curator` is this class; `PackageManager` is an alias of it (a facade: the seed's
// "orchestrates package operations" is exactly what Curator does); `getCurator` returns one shared
// instance per data dir; `searchPackages` and `bootstrapLuaEnvironment` are thin functions over it.
// `EnvironmentManager`, `RepositoryManager`, `PackageRegistry` and `PackageInstaller` are the real
// parts (their own files).
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { loadCuratedCatalog } from './curated-catalog';
import { EnvironmentManager, type EnvironmentHealth, type EnvironmentInfo, type InstalledRock } from './environment-manager';
import { PackageError } from './package-error';
import { PackageInstaller, type DependencyNode, type InstallProgress, type InstallResult } from './package-installer';
import { PackageRegistry, type CatalogEntry, type SearchHit, type SearchOptions } from './package-registry';
import { RepositoryManager, type RepositoryStatus } from './repository-manager';
import { bundledRocksDir, curatedCatalogPath } from './resource-paths';
import type { BootstrapResult } from '../../src-preload/contract/packages';

export interface CuratorOptions {
  dataDir: string;
  bundledDir?: string;
  catalogPath?: string;
  includePublic?: boolean;
  /** Reachability probe / download timeout per repository. */
  repositoryTimeoutMs?: number;
  installTimeoutMs?: number;
  /** How long a catalog refresh stays fresh before the repositories are probed again. */
  catalogTtlMs?: number;
}

export type { BootstrapResult } from '../../src-preload/contract/packages';

export interface CuratorEvents {
  /** Every install step and luarocks output line, whoever started the install. */
  progress: [InstallProgress];
  /** An environment was created, deleted or its packages changed. */
  changed: [string];
}

export class Curator extends EventEmitter<CuratorEvents> {
  readonly environments: EnvironmentManager;
  readonly repositories: RepositoryManager;
  readonly registry: PackageRegistry;
  readonly installer: PackageInstaller;
  private refreshed = new Map<string, number>();
  private readonly ttlMs: number;

  constructor(options: CuratorOptions) {
    super();
    this.environments = new EnvironmentManager(options.dataDir);
    this.repositories = new RepositoryManager({
      dataDir: options.dataDir,
      bundledDir: options.bundledDir ?? bundledRocksDir,
      ...(options.includePublic !== undefined ? { includePublic: options.includePublic } : {}),
      ...(options.repositoryTimeoutMs !== undefined ? { timeoutMs: options.repositoryTimeoutMs } : {}),
    });
    this.registry = new PackageRegistry(loadCuratedCatalog(options.catalogPath ?? curatedCatalogPath), this.repositories);
    this.installer = new PackageInstaller(this.environments, this.registry, {
      homeDir: join(options.dataDir, 'cache', 'luarocks-home'),
      ...(options.installTimeoutMs !== undefined ? { timeoutMs: options.installTimeoutMs } : {}),
    });
    this.ttlMs = options.catalogTtlMs ?? 60_000;
  }

  /** Stops running installs (they roll back) and refuses new ones. */
  dispose(): void {
    this.installer.dispose();
  }

  /** Probe the repositories and reload their manifests unless done within the TTL (or forced). */
  async refreshCatalog(luaVersion = '5.4', force = false): Promise<RepositoryStatus[]> {
    const at = this.refreshed.get(luaVersion);
    if (!force && at !== undefined && Date.now() - at < this.ttlMs) return this.registry.unreachable;
    await this.registry.refresh(luaVersion);
    // The registry holds one Lua version's manifests at a time: a refresh for another version replaces them.
    this.refreshed.clear();
    this.refreshed.set(luaVersion, Date.now());
    return this.registry.unreachable;
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    await this.refreshCatalog();
    return this.registry.search(query, options);
  }

  async info(name: string): Promise<CatalogEntry> {
    await this.refreshCatalog();
    const entry = this.registry.get(name);
    if (!entry) throw new PackageError('not_found', `package "${name}" is not in the catalog — search with: bioxen packages search ${name}`);
    return entry;
  }

  /** Environments that have `name` installed, with the version. */
  async installedWhere(name: string): Promise<{ env: string; version: string }[]> {
    const out: { env: string; version: string }[] = [];
    for (const env of this.environments.list()) {
      const rock = (await this.environments.installed(env.name)).find((r) => r.name === name);
      if (rock) out.push({ env: env.name, version: rock.version });
    }
    return out;
  }

  async preview(env: string, spec: string): Promise<DependencyNode> {
    await this.refreshCatalog(this.environments.get(env).luaVersion);
    return this.installer.preview(env, spec);
  }

  async install(env: string, spec: string, onProgress?: (p: InstallProgress) => void): Promise<InstallResult> {
    await this.refreshCatalog(this.environments.get(env).luaVersion);
    try {
      return await this.installer.install(env, spec, (p) => {
        onProgress?.(p);
        this.emit('progress', p);
      });
    } finally {
      this.emit('changed', env);
    }
  }

  /** Install the newest available version of a package the environment already has. */
  async update(env: string, name: string, onProgress?: (p: InstallProgress) => void): Promise<InstallResult> {
    if (!(await this.list(env)).some((r) => r.name === name)) {
      throw new PackageError('not_found', `${name} is not installed in environment "${env}" — install it with: bioxen packages install ${name} --env ${env}`);
    }
    return this.install(env, name, onProgress);
  }

  async remove(env: string, name: string, onLine?: (line: string) => void): Promise<void> {
    await this.installer.remove(env, name, onLine);
    this.emit('changed', env);
  }

  list(env: string): Promise<InstalledRock[]> {
    return this.installer.list(env);
  }

  createEnvironment(name: string, luaVersion?: string): EnvironmentInfo {
    const info = this.environments.create(name, luaVersion ? { luaVersion } : {});
    this.emit('changed', name);
    return info;
  }

  deleteEnvironment(name: string): void {
    this.environments.delete(name);
    this.emit('changed', name);
  }

  health(env: string): Promise<EnvironmentHealth> {
    return this.environments.health(env);
  }

  async recommendations(env: string): Promise<CatalogEntry[]> {
    await this.refreshCatalog(this.environments.get(env).luaVersion);
    return this.registry.recommendations((await this.list(env)).map((r) => r.name));
  }

  profiles(): Record<string, { description: string; packages: string[] }> {
    return this.registry.curated.profiles;
  }

  /** One profile by name; only the catalog's own entries count ("constructor" or "__proto__" is not a profile). */
  profile(name: string): { description: string; packages: string[] } {
    const profiles = this.profiles();
    if (!Object.hasOwn(profiles, name)) {
      throw new PackageError('invalid_input', `unknown profile ${JSON.stringify(name.slice(0, 60))} — use one of ${Object.keys(profiles).join(', ')}`);
    }
    return profiles[name]!;
  }

  /** Install every package of a profile; one failing package does not stop the others. */
  async bootstrap(env: string, profile: string, onProgress?: (p: InstallProgress) => void): Promise<BootstrapResult> {
    const definition = this.profile(profile);
    const have = new Set((await this.list(env)).map((r) => r.name));
    const result: BootstrapResult = { env, profile, installed: [], alreadyInstalled: [], failed: [], ok: true };
    for (const name of definition.packages) {
      if (have.has(name)) {
        result.alreadyInstalled.push(name);
        continue;
      }
      try {
        const done = await this.install(env, name, onProgress);
        result.installed.push(...done.installed.map((r) => r.name).filter((n) => !result.installed.includes(n)));
        for (const r of done.installed) have.add(r.name);
      } catch (err) {
        result.failed.push({ name, error: err instanceof Error ? err.message : String(err) });
      }
    }
    result.ok = result.failed.length === 0;
    this.environments.setProfile(env, profile);
    return result;
  }
}

/** The seed's PackageManager: the same facade under its seed name. */
export { Curator as PackageManager };

const curators = new Map<string, Curator>();

/** One Curator per data dir, shared by the CLI, the API and scripts. */
export function getCurator(options: CuratorOptions): Curator {
  const existing = curators.get(options.dataDir);
  if (existing) return existing;
  const curator = new Curator(options);
  curators.set(options.dataDir, curator);
  return curator;
}

export function searchPackages(curator: Curator, query: string, options?: SearchOptions): Promise<SearchHit[]> {
  return curator.search(query, options);
}

/** Create the environment if needed (Lua 5.4) and install a profile into it (seed default: standard). */
export async function bootstrapLuaEnvironment(curator: Curator, env: string, profile = 'standard', onProgress?: (p: InstallProgress) => void): Promise<BootstrapResult> {
  curator.profile(profile);
  if (!curator.environments.exists(env)) curator.createEnvironment(env);
  return curator.bootstrap(env, profile, onProgress);
}
