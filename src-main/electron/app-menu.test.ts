import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { appMenuTemplate } from './app-menu';
import { claimSingleInstance } from './single-instance';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

describe('application menu', () => {
  it('has File, Edit, View, Window and Help with the usual entries', () => {
    const send = vi.fn();
    const items = flatten(appMenuTemplate({ platform: 'linux', send, openDataDir: vi.fn() }));
    const labels = items.map((i) => i.label ?? i.role);
    expect(labels).toEqual(expect.arrayContaining(['File', 'editMenu', 'View', 'windowMenu', 'help', 'reload', 'toggleDevTools', 'quit', 'about']));
    expect(labels).not.toContain('appMenu');
    expect(flatten(appMenuTemplate({ platform: 'darwin', send, openDataDir: vi.fn() })).map((i) => i.role)).toContain('appMenu');
  });

  it('sends editor commands to the page without stealing their keys', () => {
    const send = vi.fn();
    const items = flatten(appMenuTemplate({ platform: 'linux', send, openDataDir: vi.fn() }));
    const byLabel = (label: string) => items.find((i) => i.label === label)!;
    for (const [label, accelerator, command] of [
      ['New Session…', 'CmdOrCtrl+Shift+N', 'newSession'],
      ['Save', 'CmdOrCtrl+S', 'save'],
      ['Save As…', 'CmdOrCtrl+Shift+S', 'saveAs'],
      ['Run', 'CmdOrCtrl+Enter', 'run'],
    ] as const) {
      const item = byLabel(label);
      expect(item.accelerator).toBe(accelerator);
      expect(item.registerAccelerator).toBe(false);
      (item.click as () => void)();
      expect(send).toHaveBeenLastCalledWith(command);
    }
  });

  it('opens the welcome tab from Help', () => {
    const send = vi.fn();
    const item = flatten(appMenuTemplate({ platform: 'linux', send, openDataDir: vi.fn() })).find((i) => i.label === 'Welcome')!;
    (item.click as () => void)();
    expect(send).toHaveBeenCalledWith('welcome');
  });

  it('opens the data folder from File', () => {
    const openDataDir = vi.fn();
    const item = flatten(appMenuTemplate({ platform: 'linux', send: vi.fn(), openDataDir })).find((i) => i.label === 'Open Data Folder')!;
    (item.click as () => void)();
    expect(openDataDir).toHaveBeenCalled();
  });
});

describe('single instance', () => {
  it('yields to a running instance', () => {
    const app = { requestSingleInstanceLock: () => false, on: vi.fn() };
    expect(claimSingleInstance(app as never, vi.fn())).toBe(false);
    expect(app.on).not.toHaveBeenCalled();
  });

  it('focuses the window when a second launch happens', () => {
    const handlers: Record<string, () => void> = {};
    const app = { requestSingleInstanceLock: () => true, on: (event: string, h: () => void) => (handlers[event] = h) };
    const focus = vi.fn();
    expect(claimSingleInstance(app as never, focus)).toBe(true);
    handlers['second-instance']!();
    expect(focus).toHaveBeenCalledOnce();
  });
});
