// Rock servers in priority order: the bundled local repository (always there, offline), the
// directories and URLs the user adds (persisted in <dataDir>/repositories.json), then the public
// LuaRocks server. An unreachable server is reported as such; installs and the catalog use the rest.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { resolveInside } from '../config/resolve-inside';
import { readLuaData } from './lua-data';
import { requireLua } from './environment-manager';
import { PackageError } from './package-error';
import { isRockName, isRockVersion } from './rock-version';
import type { Repository, RepositoryStatus } from '../../src-preload/contract/packages';

export type RepositoryKind = Repository['kind'];
export type { Repository, RepositoryStatus } from '../../src-preload/contract/packages';

/** Package name → versions it serves (with arch: all, src, rockspec, …); only names and versions in LuaRocks' grammar. */
export type ManifestPackages = Map<string, Map<string, string[]>>;

/** One repository's manifest, and why entries of it were left out. */
export interface RepositoryManifest {
  repository: Repository;
  packages: ManifestPackages;
  /** "<repository>: skipped package "../x": …" — entries whose name or version could become a path. */
  skipped: string[];
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
  private readonly remoteManifests = new Map<string, { at: number; manifest: ParsedManifest }>();

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
        manifests.push({ repository: { kind: status.kind, location: status.location }, ...(await this.readManifest(status, luaVersion)) });
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
    if (!isRockName(name) || !isRockVersion(version)) throw new PackageError('invalid_input', `${JSON.stringify(`${name}-${version}`.slice(0, 120))} is not a LuaRocks package name and version`);
    const file = `${name}-${version}.rockspec`;
    if (!isUrl(repo.location)) {
      const path = join(repo.location, file);
      return existsSync(path) ? path : undefined;
    }
    const cached = resolveInside(this.options.dataDir, 'cache', 'rockspecs', encodeURIComponent(repo.location), file);
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

  private async readManifest(repo: Repository, luaVersion: string): Promise<ParsedManifest> {
    if (!isUrl(repo.location)) {
      const specific = join(repo.location, `manifest-${luaVersion}`);
      return parseManifest(repo.location, await readOne(existsSync(specific) ? specific : join(repo.location, 'manifest'), repo.location));
    }
    const key = `${repo.location}|${luaVersion}`;
    const cached = this.remoteManifests.get(key);
    if (cached && Date.now() - cached.at < REMOTE_MANIFEST_TTL_MS) return cached.manifest;
    const manifest = await this.downloadManifest(repo, luaVersion);
    this.remoteManifests.set(key, { at: Date.now(), manifest });
    return manifest;
  }

  private async downloadManifest(repo: Repository, luaVersion: string): Promise<ParsedManifest> {
    const response = await fetch(`${repo.location}/manifest-${luaVersion}`, { signal: AbortSignal.timeout(this.timeoutMs * 10) });
    if (!response.ok) throw new PackageError('unavailable', `${repo.location}/manifest-${luaVersion} answered HTTP ${response.status}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_MANIFEST_BYTES) {
      await response.body?.cancel();
      throw new PackageError('limit_exceeded', `manifest of ${repo.location} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    }
    const text = await response.text();
    if (text.length > MAX_MANIFEST_BYTES) throw new PackageError('limit_exceeded', `manifest of ${repo.location} is larger than ${MAX_MANIFEST_BYTES} bytes`);
    const scratch = resolveInside(this.options.dataDir, 'cache', 'tmp');
    mkdirSync(scratch, { recursive: true });
    const dir = mkdtempSync(join(scratch, 'manifest-'));
    try {
      writeFileSync(join(dir, 'manifest'), text);
      return parseManifest(repo.location, await readOne(join(dir, 'manifest'), repo.location));
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
    writeFileSync(resolveInside(this.options.dataDir, FILE), JSON.stringify({ repositories: locations }, null, 2));
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

async function readOne(path: string, location: string): Promise<Record<string, unknown>> {
  const [result] = await readLuaData(requireLua(), [path], { what: `manifest of ${location}` });
  if (!result?.data) throw new PackageError('unavailable', `manifest of ${location} does not load: ${result?.error}`);
  return result.data;
}

interface ParsedManifest {
  packages: ManifestPackages;
  skipped: string[];
}

const MAX_SKIPPED_REPORTED = 20;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keeps the entries whose name and version follow LuaRocks' grammar; the others are reported, never used. */
function parseManifest(location: string, data: Record<string, unknown>): ParsedManifest {
  const packages: ManifestPackages = new Map();
  const skipped: string[] = [];
  const skip = (what: string) => skipped.push(`${location}: skipped ${what}`);
  const repository = isPlainObject(data.repository) ? data.repository : {};
  for (const [name, versions] of Object.entries(repository)) {
    if (!isRockName(name)) {
      skip(`package ${JSON.stringify(name.slice(0, 120))}: not a LuaRocks package name (lowercase letters, digits, "-", "_", "." — no "/" or "..")`);
      continue;
    }
    const kept = new Map<string, string[]>();
    for (const [version, entries] of Object.entries(isPlainObject(versions) ? versions : {})) {
      if (!isRockVersion(version)) {
        skip(`version ${JSON.stringify(version.slice(0, 60))} of ${name}: not a LuaRocks version (like 1.2.3-1, scm-1 or dev-1)`);
        continue;
      }
      kept.set(version, (Array.isArray(entries) ? entries : []).map((e) => String(isPlainObject(e) ? (e.arch ?? '') : '')));
    }
    if (kept.size > 0) packages.set(name, kept);
  }
  if (skipped.length > MAX_SKIPPED_REPORTED) skipped.splice(MAX_SKIPPED_REPORTED, Infinity, `${location}: skipped ${skipped.length - MAX_SKIPPED_REPORTED} more entries`);
  return { packages, skipped };
}
