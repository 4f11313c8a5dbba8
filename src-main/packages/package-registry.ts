// The catalog: curated metadata merged with what the reachable repositories serve (versions,
// dependencies from rockspecs kept next to rocks). Search ranks by name, then tags, then
// description; recommendations follow the seed Curator's rules.
import { readLuaData } from './lua-data';
import { requireLua } from './environment-manager';
import type { CuratedCatalog, CuratedPackage } from './curated-catalog';
import { compareVersions, isRockName } from './rock-version';
import type { Repository, RepositoryManager, RepositoryManifest, RepositoryStatus } from './repository-manager';
import type { CatalogEntry, SearchHit } from '../../src-preload/contract/packages';

export type { AvailableVersion, CatalogEntry, SearchHit } from '../../src-preload/contract/packages';

export interface SearchOptions {
  category?: string;
  limit?: number;
}

interface Indexed {
  entry: CatalogEntry;
  name: string;
  tags: string[];
  words: string;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

export class PackageRegistry {
  private indexed: Indexed[] = [];
  private byName = new Map<string, CatalogEntry>();
  /** Repositories whose manifests loaded at the last refresh, in priority order. */
  reachable: Repository[] = [];
  unreachable: RepositoryStatus[] = [];
  /** Entries of the repositories' manifests and rockspecs left out since the last refresh, each naming its repository. */
  warnings: string[] = [];
  private dependencyCache = new Map<string, string[]>();

  constructor(
    readonly curated: CuratedCatalog,
    private readonly repositories: RepositoryManager,
  ) {
    this.rebuild([]);
  }

  /** Re-read the repositories' manifests for a Lua version; unreachable ones are recorded, not fatal. */
  async refresh(luaVersion = '5.4', statuses?: RepositoryStatus[]): Promise<void> {
    const { manifests, unreachable } = await this.repositories.manifests(luaVersion, statuses);
    this.unreachable = unreachable;
    this.reachable = manifests.map((m) => m.repository);
    this.warnings = manifests.flatMap((m) => m.skipped);
    this.rebuild(manifests);
  }

  entries(): CatalogEntry[] {
    return this.indexed.map((i) => i.entry);
  }

  get(name: string): CatalogEntry | undefined {
    return this.byName.get(name.toLowerCase());
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const tokens = query.toLowerCase().split(/\s+/).filter(Boolean);
    const limit = Math.min(Math.max(options.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
    const hits: SearchHit[] = [];
    for (const item of this.indexed) {
      if (options.category && item.entry.category !== options.category) continue;
      let score = 0;
      for (const token of tokens) {
        const s = tokenScore(item, token);
        if (s === 0) {
          score = -1;
          break;
        }
        score += s;
      }
      if (score < 0) continue;
      hits.push({ entry: item.entry, score: score + item.entry.priority / 10 + (item.entry.curated ? 0.5 : 0) });
    }
    hits.sort((a, b) => b.score - a.score || a.entry.name.localeCompare(b.entry.name));
    return hits.slice(0, limit);
  }

  /**
   * Up to five packages worth adding to an environment, highest priority first (the seed Curator's
   * rules): luasocket once lua-cjson is there, inspect next to a test framework, and any curated
   * package of priority 7 or more that is missing.
   */
  recommendations(installed: readonly string[]): CatalogEntry[] {
    const have = new Set(installed);
    const picks = new Set<string>();
    if (have.has('lua-cjson')) picks.add('luasocket');
    if (have.has('busted') || have.has('luassert')) picks.add('inspect');
    if ([...have].some((n) => n.startsWith('bioxen-'))) for (const n of ['bioxen-seq', 'bioxen-circuits', 'bioxen-olfi']) picks.add(n);
    for (const p of this.curated.packages) if (p.priority >= 7) picks.add(p.name);
    return [...picks]
      .filter((n) => !have.has(n))
      .map((n) => this.get(n))
      .filter((e): e is CatalogEntry => e !== undefined)
      .sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name))
      .slice(0, 5);
  }

  /**
   * Dependencies ("name constraint") of one version, read from the rockspec its repository serves.
   * One whose name is not a LuaRocks name is left out (and reported): it could become a path.
   */
  async dependencies(name: string, version: string): Promise<string[] | undefined> {
    const key = `${name}@${version}`;
    const cached = this.dependencyCache.get(key);
    if (cached) return cached;
    const available = this.get(name)?.versions.find((v) => v.version === version);
    const path = available && (await this.repositories.rockspecPath(available.repository, name, version));
    if (!path) return undefined;
    const [result] = await readLuaData(requireLua(), [path], { what: `rockspec of ${name} ${version} from ${available.repository.location}` });
    const listed = Array.isArray(result?.data?.dependencies) ? (result.data.dependencies as unknown[]).map(String) : [];
    const deps = listed.filter((dep) => {
      const depName = /^\s*([^\s<>=~!]+)/.exec(dep)?.[1] ?? '';
      if (isRockName(depName.toLowerCase())) return true;
      this.warnings.push(`${name} ${version} from ${available.repository.location}: skipped dependency ${JSON.stringify(dep.slice(0, 120))}: not a LuaRocks package name`);
      return false;
    });
    this.dependencyCache.set(key, deps);
    return deps;
  }

  private rebuild(manifests: RepositoryManifest[]): void {
    const entries = new Map<string, CatalogEntry>();
    for (const p of this.curated.packages) entries.set(p.name, fromCurated(p));
    for (const manifest of manifests) {
      for (const [name, versions] of manifest.packages) {
        const entry = entries.get(name) ?? uncurated(name);
        for (const [version, arches] of versions) {
          if (entry.versions.some((v) => v.version === version)) continue;
          entry.versions.push({ version, repository: manifest.repository, arches });
        }
        if (manifest.repository.kind === 'bundled') entry.bundled = true;
        entries.set(name, entry);
      }
    }
    for (const entry of entries.values()) entry.versions.sort((a, b) => compareVersions(b.version, a.version));
    this.byName = entries;
    this.dependencyCache.clear();
    // Module names are searchable too: people look for "lfs" or "cjson", not the rock's name.
    const modules = new Map(this.curated.packages.map((p) => [p.name, p.modules.join(' ')]));
    this.indexed = [...entries.values()].map((entry) => ({
      entry,
      name: entry.name.toLowerCase(),
      tags: entry.tags.map((t) => t.toLowerCase()),
      words: `${entry.description} ${entry.category} ${modules.get(entry.name) ?? ''}`.toLowerCase(),
    }));
  }
}

function tokenScore(item: Indexed, token: string): number {
  if (item.name === token) return 100;
  if (item.name.startsWith(token)) return 60;
  if (item.name.includes(token)) return 40;
  if (item.tags.includes(token)) return 30;
  if (item.tags.some((t) => t.startsWith(token))) return 15;
  if (item.words.includes(token)) return 10;
  return 0;
}

function fromCurated(p: CuratedPackage): CatalogEntry {
  return { name: p.name, category: p.category, description: p.description, priority: p.priority, tags: [...p.tags], pureLua: p.pureLua, curated: true, bundled: false, versions: [] };
}

function uncurated(name: string): CatalogEntry {
  return { name, category: 'other', description: '', priority: 1, tags: [], curated: false, bundled: false, versions: [] };
}
