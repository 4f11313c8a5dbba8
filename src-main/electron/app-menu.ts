// The application menu. Editor shortcuts (save, run, new session) are handled by the page itself
// in both transports, so their menu items show the accelerator without capturing the key, and a
// click sends the command to the focused window.
import type { MenuItemConstructorOptions } from 'electron';
import type { appCommandSchema } from '../../src-preload/contract/app';
import type { z } from 'zod';

export type AppCommand = z.infer<typeof appCommandSchema>;

export interface MenuActions {
  platform: NodeJS.Platform;
  send(command: AppCommand): void;
  openDataDir(): void;
}

export function appMenuTemplate({ platform, send, openDataDir }: MenuActions): MenuItemConstructorOptions[] {
  const command = (label: string, accelerator: string, cmd: AppCommand): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator: false,
    click: () => send(cmd),
  });
  const mac = platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        command('New Session…', 'CmdOrCtrl+Shift+N', 'newSession'),
        command('New Script from Example…', 'CmdOrCtrl+N', 'newScript'),
        { type: 'separator' },
        command('Run', 'CmdOrCtrl+Enter', 'run'),
        { type: 'separator' },
        command('Save', 'CmdOrCtrl+S', 'save'),
        command('Save As…', 'CmdOrCtrl+Shift+S', 'saveAs'),
        { type: 'separator' },
        { label: 'Open Data Folder', click: openDataDir },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Welcome', click: () => send('welcome') }, { role: 'about' }] },
  ];
}
