// The window's settings store, bound to the window's bridge client.
import { useStore } from 'zustand';
import { bridge } from '../../bridge';
import { createSettingsStore, type SettingsStore } from './settings-store';

export const settingsStore = createSettingsStore(bridge(), window.localStorage);

export function useSettings<T>(selector: (state: SettingsStore) => T): T {
  return useStore(settingsStore, selector);
}

export { selectEditorPrefs, selectLuaVersions, selectTheme } from './settings-store';
export type { AppInfo, LayoutSizes } from './settings-store';
