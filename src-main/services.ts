// Composition root: builds every service for one data dir. Electron main, the browser host and the
// tests all start here; nothing in here imports electron.
import { join } from 'node:path';
import { AppInfoService, findAppRoot } from './app-info';
import { MetricsService } from './hypervisor/metrics-service';
import { OlFiService } from './olfi/olfi-service';
import { Curator } from './packages/curator';
import { SettingsStore } from './settings/settings-store';
import { VisualizerProcess } from './visualizer/visualizer-process';
import { LuaInterpreters } from './vm/lua-discovery';
import { VMManager } from './vm/vm-manager';
import { Luacheck } from './workspace/luacheck';
import { Workspace } from './workspace/workspace';

export interface ServicesOptions {
  dataDir: string;
  /** Where package.json, resources/ and lua/ live; found from this file when omitted. */
  appRoot?: string;
  /** Recreate the persistent sessions saved in the data dir (default true). */
  restoreSessions?: boolean;
  log?: (message: string) => void;
  /** The desktop app's native file dialog for "Add interpreter…" (run by the Electron main process). */
  chooseLuaExecutable?: () => Promise<string | undefined>;
}

export interface Services {
  readonly dataDir: string;
  readonly appRoot: string;
  readonly vm: VMManager;
  readonly workspace: Workspace;
  readonly settings: SettingsStore;
  /** The Lua interpreters a window may choose, by id: PATH's and the ones added by a trusted act. */
  readonly lua: LuaInterpreters;
  readonly app: AppInfoService;
  /** Editor lint warnings; reports nothing when luacheck is not installed. */
  readonly luacheck: Luacheck;
  readonly packages: Curator;
  /** Cellular-VM metrics from a BioXen hypervisor; also answers the Lua `metrics` host calls. */
  readonly metrics: MetricsService;
  /** Ol-Fi stream: embedded or configured Redis, live mirror, publisher; publishes Lua VMs' olfi.send. */
  readonly olfi: OlFiService;
  /** The LÖVE Ol-Fi visualizer window (a separate process). */
  readonly visualizer: VisualizerProcess;
  /** Stops every child process and connection; safe to call twice. */
  dispose(): Promise<void>;
}

export async function createServices(options: ServicesOptions): Promise<Services> {
  const appRoot = options.appRoot ?? findAppRoot();
  const { dataDir } = options;
  const log = options.log ?? ((m) => console.error(m));
  const lua = new LuaInterpreters({ dataDir, log, ...(options.chooseLuaExecutable ? { chooseExecutable: options.chooseLuaExecutable } : {}) });
  const settings = await SettingsStore.open(join(dataDir, 'settings.json'), { lua, log });
  const packages = new Curator({ dataDir, bundledDir: join(appRoot, 'resources', 'rocks'), catalogPath: join(appRoot, 'resources', 'catalog', 'packages.json') });
  const vm = new VMManager({
    dataDir,
    resolveEnvironment: packages.environments.resolveEnvironment,
    luaRoot: appRoot,
    luaExecutable: settings.get().luaExecutable ?? undefined,
    resolveLua: (requested) => lua.resolve(requested),
    defaultLimits: settings.get().limits,
  });
  const workspace = new Workspace(join(dataDir, 'scripts'), join(appRoot, 'resources', 'examples'));
  const app = new AppInfoService(appRoot, dataDir, () => lua.list());
  // Metrics go to the same Redis as Ol-Fi: the configured URL, else the embedded server Ol-Fi started.
  const metricsRedisUrl = () => settings.get().redisUrl ?? (olfi.status().source === 'embedded' ? olfi.clientUrl() : undefined);
  const metrics = new MetricsService({ redisUrl: metricsRedisUrl, redisReady: () => olfi.start(), endpoint: settings.get().hypervisorEndpoint ?? undefined, stream: () => settings.get().metricsStream });
  metrics.attachHostCalls(vm);
  const olfi = new OlFiService({ dataDir, redisUrl: () => settings.get().redisUrl, streamKey: () => settings.get().olfiStream, metricsStreamKey: () => settings.get().metricsStream });
  olfi.attachEngine(vm);
  olfi.attachSettings(settings);
  metrics.attachSettings(settings);
  metrics.attachRedis(olfi);
  void olfi.start();
  void metrics.start();
  const visualizer = new VisualizerProcess({ appRoot });
  let disposed: Promise<void> | undefined;
  const services: Services = {
    dataDir,
    appRoot,
    vm,
    workspace,
    settings,
    lua,
    app,
    luacheck: new Luacheck(),
    packages,
    metrics,
    olfi,
    visualizer,
    dispose: () => (disposed ??= Promise.all([vm.dispose(), metrics.dispose(), olfi.dispose(), visualizer.dispose(), packages.dispose()]).then(() => undefined)),
  };
  if (options.restoreSessions ?? true) {
    const { failed } = await vm.restorePersistent();
    for (const f of failed) log(`could not restore persistent session "${f.id}": ${f.error}`);
  }
  return services;
}
