// Composition root: builds every service for one data dir. Electron main, the browser host and the
// tests all start here; nothing in here imports electron.
import { join } from 'node:path';
import { AppInfoService } from './app-info';
import { findAppRoot } from './app-root';
import { prepareDataDir } from './config/data-dir';
import { DebugService } from './debug/debug-service';
import { EditorService } from './editor/editor-service';
import { checkJsonFile, readOrMoveAside, removeStaleTempFiles } from './config/data-file';
import { MetricsService } from './metrics/metrics-service';
import { OlFiService } from './olfi/olfi-service';
import { chooseRedis } from './olfi/redis-endpoint';
import { Curator } from './packages/curator';
import { LAYOUT_TEMP_FILE, LayoutFile } from './settings/layout-file';
import { SETTINGS_TEMP_FILE, SettingsError, SettingsStore } from './settings/settings-store';
import { VisualizerProcess } from './visualizer/visualizer-process';
import { LuaInterpreters } from './vm/lua-discovery';
import { VMS_TEMP_FILE } from './vm/persistent-store';
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
  /** Breakpoints and debugged runs of the sessions' code. */
  readonly debug: DebugService;
  /** Syntax checks with a chosen Lua's parser and completions from a session's globals. */
  readonly editor: EditorService;
  readonly workspace: Workspace;
  readonly settings: SettingsStore;
  /** The window's main-area layout (tabs, groups, split), kept across restarts. */
  readonly layout: LayoutFile;
  /** Problems met at start (a data-dir file that could not be read was moved aside), for the UI to show. */
  readonly warnings: readonly string[];
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
  prepareDataDir(dataDir);
  // Saves a kill interrupted; only the workbench's own temp-file names, never anything else.
  removeStaleTempFiles(dataDir, [SETTINGS_TEMP_FILE, VMS_TEMP_FILE, LAYOUT_TEMP_FILE]);
  const log = options.log ?? ((m) => console.error(m));
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    log(`warning: ${message}`);
  };
  const lua = new LuaInterpreters({ dataDir, log, ...(options.chooseLuaExecutable ? { chooseExecutable: options.chooseLuaExecutable } : {}) });
  const settingsFile = join(dataDir, 'settings.json');
  const openSettings = () => SettingsStore.open(settingsFile, { lua, log });
  const settings = await readOrMoveAside(settingsFile, openSettings, openSettings, warn, (err) => err instanceof SettingsError);
  const layoutFile = join(dataDir, 'layout.json');
  const openLayout = () => LayoutFile.open(layoutFile, log);
  const layout = await readOrMoveAside(layoutFile, openLayout, openLayout, warn);
  // Read on first use by the packages service; checked now, so a bad one is moved aside instead of failing every call.
  const repositoriesFile = join(dataDir, 'repositories.json');
  await readOrMoveAside(repositoriesFile, () => checkJsonFile(repositoriesFile, 'fix or delete it'), () => undefined, warn);
  const packages = new Curator({ dataDir, bundledDir: join(appRoot, 'resources', 'rocks'), catalogPath: join(appRoot, 'resources', 'catalog', 'packages.json') });
  const luaChoice = {
    luaRoot: appRoot,
    luaExecutable: settings.get().luaExecutable ?? undefined,
    resolveLua: (requested?: string) => lua.resolve(requested),
  };
  const vm = new VMManager({ dataDir, resolveEnvironment: packages.environments.resolveEnvironment, defaultLimits: settings.get().limits, ...luaChoice });
  const editor = new EditorService({ sessions: vm, limits: settings.get().limits, ...luaChoice });
  const workspace = new Workspace(join(dataDir, 'scripts'), join(appRoot, 'resources', 'examples'));
  await workspace.removeStaleTempFiles();
  const app = new AppInfoService(appRoot, dataDir, () => lua.list(), warnings);
  // Metrics go to the same Redis as Ol-Fi: the configured URL, else the embedded server once Ol-Fi has started it.
  const metricsRedisUrl = () => {
    const choice = chooseRedis(settings.get().redisUrl);
    if (choice.source !== 'embedded') return choice.url;
    return olfi.status().source === 'embedded' ? olfi.clientUrl() : undefined;
  };
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
    debug: new DebugService(vm),
    editor,
    workspace,
    settings,
    layout,
    warnings,
    lua,
    app,
    luacheck: new Luacheck(),
    packages,
    metrics,
    olfi,
    visualizer,
    dispose: () => (disposed ??= Promise.all([vm.dispose(), editor.dispose(), metrics.dispose(), olfi.dispose(), visualizer.dispose(), packages.dispose()]).then(() => undefined)),
  };
  if (options.restoreSessions ?? true) {
    try {
      const restore = () => vm.restorePersistent();
      const { failed } = await readOrMoveAside(join(dataDir, 'vms.json'), restore, restore, warn);
      for (const f of failed) log(`could not restore persistent session "${f.id}": ${f.error}`);
    } catch (err) {
      // Children (redis-server, runners) have started by now: a failed start must not leave them running.
      await services.dispose();
      throw err;
    }
  }
  return services;
}
