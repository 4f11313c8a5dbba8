// Settings domain store: the main side's settings.json (theme, editor, defaults for new sessions),
// app info (discovered Lua versions, transport) and window-local layout sizes kept in localStorage.
import { createStore } from 'zustand/vanilla';
import type { MethodOutput } from '../../../src-preload/contract';
import type { Settings, SettingsPatch } from '../../../src-preload/contract/settings';
import type { BridgeClient } from '../../bridge';
import { failureText } from '../store-errors';

export type AppInfo = MethodOutput<'app:info'>;

export interface LayoutSizes {
  /** Sidebar width per activity view (a table of frames wants more room than a session list). */
  sidebarWidths: Record<string, number>;
  consoleHeight: number;
}

export interface SettingsState {
  settings: Settings | null;
  appInfo: AppInfo | null;
  layout: LayoutSizes;
  settingsOpen: boolean;
  lastError: string | null;
}

export interface SettingsActions {
  connect(): () => void;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<void>;
  /** The desktop app's "Add interpreter…" (a native dialog the main process opens); a browser gets the CLI command to use. */
  addLuaExecutable(): Promise<void>;
  setLayout(patch: Partial<LayoutSizes>): void;
  setSettingsOpen(open: boolean): void;
}

export type SettingsStore = SettingsState & SettingsActions;

export const DEFAULT_LAYOUT: LayoutSizes = { sidebarWidths: {}, consoleHeight: 260 };
export const SIDEBAR_WIDTH_RANGE = { min: 180, max: 1000 } as const;
const LAYOUT_KEY = 'bioxen.layout';

/** Sizes are clamped so a bad stored value can never hide a pane. */
export function clampLayout(layout: Partial<LayoutSizes>): LayoutSizes {
  const clamp = (value: unknown, min: number, max: number, fallback: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
  const widths = typeof layout.sidebarWidths === 'object' && layout.sidebarWidths !== null ? layout.sidebarWidths : {};
  const sidebarWidths = Object.fromEntries(
    Object.entries(widths)
      .filter(([, width]) => typeof width === 'number' && Number.isFinite(width))
      .map(([view, width]) => [view, clamp(width, SIDEBAR_WIDTH_RANGE.min, SIDEBAR_WIDTH_RANGE.max, 0)]),
  );
  return { sidebarWidths, consoleHeight: clamp(layout.consoleHeight, 80, 900, DEFAULT_LAYOUT.consoleHeight) };
}

function readStoredLayout(storage: Storage | undefined): LayoutSizes {
  try {
    return clampLayout(JSON.parse(storage?.getItem(LAYOUT_KEY) ?? '{}') as Partial<LayoutSizes>);
  } catch {
    return DEFAULT_LAYOUT;
  }
}

export function createSettingsStore(client: BridgeClient, storage?: Storage) {
  return createStore<SettingsStore>()((set, get) => ({
    settings: null,
    appInfo: null,
    layout: readStoredLayout(storage),
    settingsOpen: false,
    lastError: null,

    connect() {
      const unsubscribers = [
        client.on('settings:changed', (settings) => set({ settings })),
        client.onStatus((status) => {
          if (status === 'open') void get().load();
        }),
      ];
      return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
    },

    async load() {
      try {
        const [settings, appInfo] = await Promise.all([client.invoke('settings:get', {}), client.invoke('app:info', {})]);
        set({ settings, appInfo, lastError: null });
      } catch (error) {
        set({ lastError: failureText('loading settings', error) });
      }
    },

    async update(patch) {
      try {
        set({ settings: await client.invoke('settings:update', patch), lastError: null });
      } catch (error) {
        set({ lastError: failureText('saving settings', error) });
      }
    },

    async addLuaExecutable() {
      try {
        const { added } = await client.invoke('settings:addLuaExecutable', {});
        if (!added) return;
        set({ appInfo: await client.invoke('app:info', {}), lastError: null });
        await get().update({ luaExecutable: added.id });
      } catch (error) {
        set({ lastError: failureText('adding a Lua interpreter', error) });
      }
    },

    setLayout(patch) {
      const layout = clampLayout({ ...get().layout, ...patch });
      set({ layout });
      storage?.setItem(LAYOUT_KEY, JSON.stringify(layout));
    },

    setSettingsOpen(settingsOpen) {
      set({ settingsOpen });
    },
  }));
}

export const selectTheme = (state: SettingsState) => state.settings?.theme ?? 'dark';
/** Used until settings arrive; one constant object, so subscribers see a stable value. */
const DEFAULT_EDITOR_PREFS: Settings['editor'] = { fontSize: 14, autosaveMs: 1000 };
export const selectEditorPrefs = (state: SettingsState) => state.settings?.editor ?? DEFAULT_EDITOR_PREFS;
const NO_LUA_VERSIONS: AppInfo['luaVersions'] = [];
export const selectLuaVersions = (state: SettingsState) => state.appInfo?.luaVersions ?? NO_LUA_VERSIONS;
