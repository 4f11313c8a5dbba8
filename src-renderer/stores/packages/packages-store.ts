// Packages domain store: environments, catalog search, the selected package's detail and the
// running install's progress and log. A cache of the main side (the Curator); refreshed on
// packages:changed, progress streamed from packages:progress.
import { createStore } from 'zustand/vanilla';
import type { EventPayload, MethodOutput } from '../../../src-preload/contract';
import type { DependencyNodeShape } from '../../../src-preload/contract/packages';
import { errorMessage, type BridgeClient } from '../../bridge';
import { failureText } from '../store-errors';

export type CatalogEntry = MethodOutput<'packages:info'>['entry'];
export type Environment = MethodOutput<'packages:environments'>['environments'][number];
export type InstalledRock = MethodOutput<'packages:list'>['rocks'][number];
export type Health = MethodOutput<'packages:health'>;
export type Progress = EventPayload<'packages:progress'>;
export type RepositoryStatus = MethodOutput<'packages:repositories'>['repositories'][number];

export interface PackageDetail {
  entry: CatalogEntry;
  installedIn: { env: string; version: string }[];
  /** Dependency tree for the selected environment; null while loading or without an environment. */
  tree: DependencyNodeShape | null;
  treeError: string | null;
}

export interface InstallJob {
  env: string;
  name: string;
  action: 'install' | 'remove' | 'bootstrap';
  phase: Progress['phase'] | 'removing';
  step: number;
  total: number;
  log: string[];
  error: string | null;
}

export interface PackagesState {
  categories: Record<string, string>;
  profiles: Record<string, { description: string; packages: string[] }>;
  environments: Environment[];
  selectedEnv: string | null;
  installed: Record<string, InstalledRock[]>;
  /** Recommendations for each environment, refreshed with its package list. */
  recommendations: Record<string, CatalogEntry[]>;
  health: Record<string, Health>;
  query: string;
  category: string;
  hits: CatalogEntry[];
  unreachable: RepositoryStatus[];
  /** Repository entries left out of the catalog (a name or version that is not LuaRocks'), each naming its repository. */
  repositoryWarnings: string[];
  searching: boolean;
  selected: string | null;
  detail: PackageDetail | null;
  job: InstallJob | null;
  lastError: string | null;
}

export interface PackagesActions {
  connect(): () => void;
  load(): Promise<void>;
  search(query: string, category?: string): Promise<void>;
  select(name: string | null): Promise<void>;
  selectEnv(env: string): Promise<void>;
  install(spec: string): Promise<void>;
  remove(name: string): Promise<void>;
  createEnvironment(name: string, luaVersion: '5.1' | '5.2' | '5.3' | '5.4'): Promise<boolean>;
  deleteEnvironment(name: string): Promise<void>;
  bootstrap(env: string, profile: string): Promise<void>;
  checkHealth(env: string): Promise<void>;
  bindSession(sessionId: string, env: string): Promise<void>;
  clearError(): void;
}

export type PackagesStore = PackagesState & PackagesActions;

/** The live log keeps the last lines only: a C build can print thousands. */
export const MAX_LOG_LINES = 400;

export function appendLog(log: readonly string[], line: string): string[] {
  const next = log.length >= MAX_LOG_LINES ? log.slice(log.length - MAX_LOG_LINES + 1) : [...log];
  next.push(line);
  return next;
}

/** Progress as a fraction 0..1 for the bar; a finished job is full. */
export function progressFraction(job: Pick<InstallJob, 'phase' | 'step' | 'total'>): number {
  if (job.phase === 'done') return 1;
  if (job.total <= 0) return 0;
  return Math.min(1, Math.max(0, job.step / job.total));
}

export function createPackagesStore(client: BridgeClient) {
  let searchSeq = 0;
  let detailSeq = 0;

  return createStore<PackagesStore>()((set, get) => {
    const fail = (what: string, error: unknown) => set({ lastError: failureText(what, error) });

    const refreshInstalled = async (env: string) => {
      try {
        const [{ rocks }, recs] = await Promise.all([client.invoke('packages:list', { env }), client.invoke('packages:recommendations', { env })]);
        set({ installed: { ...get().installed, [env]: rocks }, recommendations: { ...get().recommendations, [env]: recs.packages } });
      } catch (error) {
        fail(`listing ${env}`, error);
      }
    };

    const refreshEnvironments = async () => {
      const { environments } = await client.invoke('packages:environments', {});
      const current = get().selectedEnv;
      const selectedEnv = current && environments.some((e) => e.name === current) ? current : (environments[0]?.name ?? null);
      set({ environments, selectedEnv });
      await Promise.all(environments.map((e) => refreshInstalled(e.name)));
    };

    return {
      categories: {},
      profiles: {},
      environments: [],
      selectedEnv: null,
      installed: {},
      recommendations: {},
      health: {},
      query: '',
      category: '',
      hits: [],
      unreachable: [],
      repositoryWarnings: [],
      searching: false,
      selected: null,
      detail: null,
      job: null,
      lastError: null,

      connect() {
        const unsubscribers = [
          client.on('packages:progress', (p) => {
            const job = get().job;
            if (!job || job.env !== p.env) return;
            set({ job: { ...job, phase: p.phase, step: p.step, total: Math.max(p.total, 1), log: p.line === undefined ? job.log : appendLog(job.log, p.line) } });
          }),
          client.on('packages:changed', ({ env }) => {
            void refreshEnvironments().catch((error) => fail('loading environments', error));
            if (get().environments.some((e) => e.name === env)) void refreshInstalled(env);
          }),
          client.onStatus((status) => {
            if (status === 'open') void get().load();
          }),
        ];
        return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
      },

      async load() {
        try {
          const catalog = await client.invoke('packages:catalog', {});
          set({ categories: catalog.categories, profiles: catalog.profiles });
          await refreshEnvironments();
          await get().search(get().query, get().category);
        } catch (error) {
          fail('loading packages', error);
        }
      },

      async search(query, category = get().category) {
        const seq = ++searchSeq;
        set({ query, category, searching: true });
        try {
          const result = await client.invoke('packages:search', { query, ...(category ? { category } : {}), limit: 100 });
          if (seq !== searchSeq) return;
          set({ hits: result.hits.map((h) => h.entry), unreachable: result.unreachable, repositoryWarnings: result.warnings, searching: false });
        } catch (error) {
          if (seq === searchSeq) set({ searching: false });
          fail('searching', error);
        }
      },

      async select(name) {
        const seq = ++detailSeq;
        set({ selected: name, detail: null });
        if (!name) return;
        try {
          const info = await client.invoke('packages:info', { name });
          if (seq !== detailSeq) return;
          set({ detail: { ...info, tree: null, treeError: null } });
          const env = get().selectedEnv;
          if (!env || info.entry.versions.length === 0) return;
          try {
            const tree = await client.invoke('packages:preview', { env, spec: name });
            if (seq === detailSeq) set({ detail: { ...get().detail!, tree } });
          } catch (error) {
            if (seq === detailSeq) set({ detail: { ...get().detail!, treeError: errorMessage(error) } });
          }
        } catch (error) {
          if (seq === detailSeq) fail(`loading ${name}`, error);
        }
      },

      async selectEnv(env) {
        set({ selectedEnv: env });
        await refreshInstalled(env);
        const selected = get().selected;
        if (selected) await get().select(selected);
      },

      async install(spec) {
        const env = get().selectedEnv;
        if (!env) return set({ lastError: 'create or pick an environment first' });
        set({ job: { env, name: spec, action: 'install', phase: 'resolving', step: 0, total: 1, log: [], error: null } });
        try {
          const result = await client.invoke('packages:install', { env, spec });
          set({ job: { ...get().job!, phase: 'done', step: get().job!.total, log: appendLog(get().job!.log, `installed ${result.name} ${result.version}`) } });
        } catch (error) {
          set({ job: { ...get().job!, phase: 'failed', error: errorMessage(error) } });
        }
        await refreshInstalled(env);
        if (get().selected) await get().select(get().selected);
      },

      async remove(name) {
        const env = get().selectedEnv;
        if (!env) return;
        set({ job: { env, name, action: 'remove', phase: 'removing', step: 0, total: 1, log: [], error: null } });
        try {
          await client.invoke('packages:remove', { env, name });
          set({ job: { ...get().job!, phase: 'done', step: 1, log: [`removed ${name}`] } });
        } catch (error) {
          set({ job: { ...get().job!, phase: 'failed', error: errorMessage(error) } });
        }
        await refreshInstalled(env);
        if (get().selected) await get().select(get().selected);
      },

      async createEnvironment(name, luaVersion) {
        try {
          await client.invoke('packages:createEnvironment', { name, luaVersion });
          await refreshEnvironments();
          await get().selectEnv(name);
          return true;
        } catch (error) {
          fail(`creating ${name}`, error);
          return false;
        }
      },

      async deleteEnvironment(name) {
        try {
          await client.invoke('packages:deleteEnvironment', { name });
          await refreshEnvironments();
        } catch (error) {
          fail(`deleting ${name}`, error);
        }
      },

      async bootstrap(env, profile) {
        set({ job: { env, name: profile, action: 'bootstrap', phase: 'resolving', step: 0, total: 1, log: [], error: null } });
        try {
          const result = await client.invoke('packages:bootstrap', { env, profile });
          const summary = [`installed: ${result.installed.join(', ') || 'nothing new'}`, ...result.failed.map((f) => `failed ${f.name}: ${f.error}`)];
          const log = summary.reduce(appendLog, get().job!.log);
          set({ job: { ...get().job!, phase: result.ok ? 'done' : 'failed', log, error: result.ok ? null : `${result.failed.length} of the profile's packages failed` } });
        } catch (error) {
          set({ job: { ...get().job!, phase: 'failed', error: errorMessage(error) } });
        }
        await refreshInstalled(env);
      },

      async checkHealth(env) {
        try {
          const health = await client.invoke('packages:health', { env });
          set({ health: { ...get().health, [env]: health } });
        } catch (error) {
          fail(`checking ${env}`, error);
        }
      },

      async bindSession(sessionId, env) {
        try {
          await client.invoke('packages:bindSession', { sessionId, env });
          set({ lastError: null });
        } catch (error) {
          fail(`switching ${sessionId} to ${env}`, error);
        }
      },

      clearError() {
        set({ lastError: null });
      },
    };
  });
}

// One shared empty list: a selector returning a fresh [] would re-render forever.
const NO_ROCKS: InstalledRock[] = [];
const NO_ENTRIES: CatalogEntry[] = [];
export const selectRecommendations = (state: PackagesState): CatalogEntry[] => (state.selectedEnv ? (state.recommendations[state.selectedEnv] ?? NO_ENTRIES) : NO_ENTRIES);
export const selectInstalledInSelectedEnv = (state: PackagesState): InstalledRock[] => (state.selectedEnv ? (state.installed[state.selectedEnv] ?? NO_ROCKS) : NO_ROCKS);
export const selectJobRunning = (state: PackagesState): boolean => state.job !== null && state.job.phase !== 'done' && state.job.phase !== 'failed';
