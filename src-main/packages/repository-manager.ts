// Rock servers in priority order: the bundled local repository (always there, offline), the
// directories and URLs the user adds (persisted in <dataDir>/repositories.json), then the public
// LuaRocks server. An unreachable server is reported as such; installs and the catalog use the rest.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readLuaData } from './lua-data';
import { requireLua } from './environment-manager';
import { PackageError } from './package-error';

export type RepositoryKind = 'bundled' | 'directory' | 'url' | 'public';

export interface Repository {
  kind: RepositoryKind;
  /** An absolute directory or an http(s) URL, as LuaRocks takes it in rocks_servers. */
  location: string;
}

export interface RepositoryStatus extends Repository {
  reachable: boolean;
  error?: string;
}

/** One repository's manifest: package name → versions it serves (with arch: all, src, rockspec, …). */
export interface RepositoryManifest {
  repository: Repository;
  packages: Record<string, Record<string, string[]>>;
}

export const PUBLIC_LUAROCKS = 'https://luarocks.org';
const FILE = 'repositories.json';
// A remote manifest for one Lua version is a few MB; a cap keeps a hostile server from filling memory.
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
// A public manifest is megabytes of Lua: download and parse it at most this often.
const REMOTE_MANIFEST_TTL_MS = 15 * 60_000;
const MAX_ROCKSPEC_BYTES = 1024 * 1024;

export interface RepositoryManagerOptions {
  dataDir: string;
  bundledDir: string;
  /** Include the public LuaRocks server (default true). */
  includePublic?: boolean;
  /** How long a reachability probe or manifest download may take. */
  timeoutMs?: number;
}

export class RepositoryManager {
  private readonly file: string;
  private readonly timeoutMs: number;
  private readonly remoteManifests = new Map<string, { at: number; packages: Record<string, Record<string, string[]>> }>();

  constructor(private readonly options: RepositoryManagerOptions) {
    this.file = join(options.dataDir, FILE);
    this.timeoutMs = options.timeoutMs ?? 4000;
  }

  list(): Repository[] {
    const user = this.userLocations().map((location): Repository => ({ kind: isUrl(location) ? 'url' : 'directory', location }));
    const publicRepo: Repository[] = this.options.includePublic === false ? [] : [{ kind: 'public', location: PUBLIC_LUAROCKS }];
    return [{ kind: 'bundled', location: resolve(this.options.bundledDir) }, ...user, ...publicRepo];
  }

  add(location: string): Repository {
    const normalized = isUrl(location) ? location.replace(/\/+$/, '') : resolve(location);
    if (!isUrl(normalized)) {
      if (!isAbsolute(normalized) || !existsSync(normalized) || !statSync(normalized).isDirectory()) {
        throw new PackageError('invalid_input', `repository directory "${location}" does not exist — give a folder holding .rock files and a manifest (luarocks-admin make-manifest DIR)`);
      }
    } else if (!/^https?:\/\//.test(normalized)) {
      throw new PackageError('invalid_input', `repository URL "${location}" must start with http:// or https://`);
    }
    const locations = this.userLocations();
    if (locations.includes(normalized) || this.list().some((r) => r.location === normalized)) {
      throw new PackageError('already_exists', `repository ${normalized} is already in the list`);
    }
    this.save([...locations, normalized]);
    return { kind: isUrl(normalized) ? 'url' : 'directory', location: normalized };
  }

  remove(location: string): void {
    const locations = this.userLocations();
    const kept = locations.filter((l) => l !== location && l !== resolve(location));
    if (kept.length === locations.length) throw new PackageError('not_found', `repository ${location} is not a user repository — list them with bioxen packages repos`);
    this.save(kept);
  }

  /** Probe every repository in parallel, each with the short timeout. */
  check(): Promise<RepositoryStatus[]> {
    return Promise.all(this.list().map((repo) => this.probe(repo)));
  }

  /** Manifests of the reachable repositories for one Lua version, in priority order. */
  async manifests(luaVersion: string, statuses?: RepositoryStatus[]): Promise<{ manifests: RepositoryManifest[]; unreachable: RepositoryStatus[] }> {
    const checked = statuses ?? (await this.check());
    const unreachable = checked.filter((s) => !s.reachable);
    const manifests: RepositoryManifest[] = [];
    for (const status of checked.filter((s) => s.reachable)) {
      try {
        manifests.push({ repository: { kind: status.kind, location: status.location }, packages: await this.readManifest(status, luaVersion) });
      } catch (err) {
        unreachable.push({ ...status, reachable: false, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { manifests, unreachable };
  }

  /**
   * A local path to the rockspec of one version: the file a directory repository keeps next to its
   * rocks, or a copy downloaded from a URL repository into the cache. Undefined when there is none.
   */
  async rockspecPath(repo: Repository, name: string, version: string): Promise<string | undefined> {
    const file = `${name}-${version}.rockspec`;
    if (!isUrl(repo.location)) {
      const path = join(repo.location, file);
      return existsSync(path) ? path : undefined;
    }
    const cached = join(this.options.dataDir, 'cache', 'rockspecs', encodeURIComponent(repo.location), file);
    if (existsSync(cached)) return cached;
    try {
      const response = await fetch(`${repo.location}/${file}`, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.ok || Number(response.headers.get('content-length') ?? 0) > MAX_ROCKSPEC_BYTES) return undefined;
      const text = await response.text();
      if (text.length > MAX_ROCKSPEC_BYTES) return undefined;
      mkdirSync(dirname(cached), { recursive: true });
      writeFileSync(cached, text);
      return cached;
    } catch {
      return undefined;
    }
  }

  private async probe(repo: Repository): Promise<RepositoryStatus> {
    if (!isUrl(repo.location)) {
      return existsSync(join(repo.location, 'manifest'))
        ? { ...repo, reachable: true }
        : { ...repo, reachable: false, error: `no manifest in ${repo.location}${repo.kind === 'bundled' ? ' — build it with: node scripts/build-rocks.mjs' : ' — run: luarocks-admin make-manifest ' + repo.location}` };
    }
    try {
      const response = await fetch(`${repo.location}/manifest`, { method: 'HEAD', signal: AbortSignal.timeout(this.timeoutMs) });
      return response.ok ? { ...repo, reachable: true } : { ...repo, reachable: false, error: `${repo.location} answered HTTP ${response.status}` };
    } catch (err) {
      const fix = repo.kind === 'public' ? 'check the network; the other repositories keep working' : 'check the network or remove it from the list';
      return { ...repo, reachable: false, error: `${repo.location} is unreachable (${describeFetchError(err)}) — ${fix}` };
    }
  }

  private async readManifest(repo: Repository, luaVersion: string): Promise<Record<string, Record<string, string[]>>> {
    if (!isUrl(repo.location)) {
      const specific = join(repo.location, `manifest-${luaVersion}`);
      return parseManifest(await readOne(existsSync(specific) ? specific : join(repo.location, 'manifest')));
    }
    const key = `${repo.location}|${luaVersion}`;
    const cached = this.remoteManifests.get(key);
    if (cached && Date.now() - cached.at < REMOTE_MANIFEST_TTL_MS) return cached.packages;
    const packages = await this.downloadManifest(repo, luaVersion);
    this.remoteManifests.set(key, { at: Date.now(), packages });
    return packages;
  }

  private async downloadManifest(repo: Repository, luaVersion: string): Promise<Record<string, Record<string, string[]>>> {
    const response = await fetch(`${repo.location}/manifest-${luaVersion}`, { signal: AbortSignal.timeout(this.timeoutMs * 10) });
    if (!response.ok) throw new PackageError('unavailable', `${repo.location}/manifest-${luaVersion} answered HTTP ${response.status}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_MANIFEST_BYTES) {
      await response.body?.cancel();
      throw new PackageError('limit_exceeded', `manifest of ${repo.location} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    const text = await response.text();
    if (text.length > MAX_MANIFEST_BYTES) throw new PackageError('limit_exceeded', `manifest of ${repo.location} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    const dir = mkdtempSync(join(tmpdir(), 'bioxen-manifest-'));
    try {
      writeFileSync(join(dir, 'manifest'), text);
      return parseManifest(await readOne(join(dir, 'manifest')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private userLocations(): string[] {
    if (!existsSync(this.file)) return [];
    const data = JSON.parse(readFileSync(this.file, 'utf8')) as { repositories?: unknown };
    return Array.isArray(data.repositories) ? data.repositories.filter((r): r is string => typeof r === 'string') : [];
  }

  private save(locations: string[]): void {
    mkdirSync(this.options.dataDir, { recursive: true });
    writeFileSync(this.file, JSON.stringify({ repositories: locations }, null, 2));
  }
}

function isUrl(location: string): boolean {
  return /^[a-z]+:\/\//i.test(location);
}

function describeFetchError(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time';
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}

async function readOne(path: string): Promise<Record<string, unknown>> {
  const [result] = await readLuaData(requireLua(), [path]);
  if (!result?.data) throw new PackageError('unavailable', `manifest ${path} does not load: ${result?.error}`);
  return result.data;
}

function parseManifest(data: Record<string, unknown>): Record<string, Record<string, string[]>> {
  const repository = (data.repository ?? {}) as Record<string, Record<string, { arch?: string }[]>>;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [name, versions] of Object.entries(repository)) {
    out[name] = {};
    for (const [version, entries] of Object.entries(versions)) out[name][version] = (Array.isArray(entries) ? entries : []).map((e) => String(e.arch ?? ''));
  }
  return out;
}
