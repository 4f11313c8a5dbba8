import { describe, expect, it } from 'vitest';
import { clampLayout, DEFAULT_LAYOUT, selectEditorPrefs, selectLuaVersions, type SettingsState } from './settings-store';

const empty: SettingsState = { settings: null, appInfo: null, layout: DEFAULT_LAYOUT, settingsOpen: false, lastError: null };

describe('settings store', () => {
  it('gives subscribers the same fallback object until settings arrive (a fresh one each time loops React)', () => {
    expect(selectEditorPrefs(empty)).toBe(selectEditorPrefs({ ...empty }));
    expect(selectLuaVersions(empty)).toBe(selectLuaVersions({ ...empty }));
  });

  it('clamps stored pane sizes so no pane can disappear', () => {
    expect(clampLayout({ sidebarWidths: { sessions: 5, olfi: 5000 }, consoleHeight: 99_999 })).toEqual({ sidebarWidths: { sessions: 180, olfi: 1000 }, consoleHeight: 900 });
    expect(clampLayout({ sidebarWidths: { sessions: Number.NaN } })).toEqual(DEFAULT_LAYOUT);
    expect(clampLayout({ sidebarWidths: 'wide' as never })).toEqual(DEFAULT_LAYOUT);
  });
});
