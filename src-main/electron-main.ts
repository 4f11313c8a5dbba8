// Electron entry: single instance, services, IPC handlers, menu, one secure window. Logic lives in
// the services and in src-main/electron/.
import { app, dialog, ipcMain, Menu, protocol, shell } from 'electron';
import { join } from 'node:path';
import { createApi } from './api/index';
import { resolveDataDir } from './config/data-dir';
import { appMenuTemplate } from './electron/app-menu';
import { registerAppScheme, serveAppProtocol } from './electron/app-protocol';
import { registerIpcHandlers } from './electron/ipc-bridge';
import { guardAllWebContents } from './electron/secure-window';
import { claimSingleInstance } from './electron/single-instance';
import { WorkbenchWindows } from './electron/workbench-windows';
import { BrowserHost } from './host/browser-host';
import { publishHost } from './host/workbench-endpoint';
import { createServices, type Services } from './services';

const devServer = process.env.ELECTRON_RENDERER_URL;
const rendererDir = join(__dirname, '../renderer');
const windows = new WorkbenchWindows({
  preload: join(__dirname, '../preload/index.cjs'),
  renderer: devServer ? { url: devServer } : { dir: rendererDir },
});
// Privileged schemes can only be registered before the app is ready.
registerAppScheme(protocol);

if (!claimSingleInstance(app, () => windows.focus())) {
  app.quit();
} else {
  guardAllWebContents(app);
  start().catch((err: unknown) => {
    // Before the window exists there is nowhere else to say it (e.g. an invalid settings.json).
    dialog.showErrorBox('BioXen Workbench could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  serveAppProtocol(protocol, rendererDir);
  const dataDir = resolveDataDir(app.commandLine.getSwitchValue('data-dir') || undefined);
  const services = await createServices({ dataDir, appRoot: app.getAppPath(), chooseLuaExecutable });
  const api = createApi(services);
  const unregister = registerIpcHandlers(ipcMain, api, windows);
  // Local tools (bioxen dap attaching to a session) reach the same services over a token-protected
  // WebSocket on 127.0.0.1; its port and token are in the data dir's private endpoint record.
  const socket = await BrowserHost.start({ api });
  const unpublish = publishHost(dataDir, socket, 'electron');
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform: process.platform,
        send: (command) => windows.focused()?.webContents.send('app:command', { command }),
        openDataDir: () => void shell.openPath(dataDir),
      }),
    ),
  );
  windows.create();
  app.on('activate', () => windows.focus());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  quitAfterDisposing(services, async () => {
    unpublish();
    await socket.close();
    unregister();
    api.dispose();
  });
}

/** "Add interpreter…": the main process opens the dialog, so the path comes from the user, never from the page. */
async function chooseLuaExecutable(): Promise<string | undefined> {
  const options = { title: 'Choose a Lua interpreter', buttonLabel: 'Add interpreter', properties: ['openFile' as const, 'dontAddToRecent' as const] };
  const parent = windows.focused();
  const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

/** Holds the quit until every Lua VM, Redis and visualizer process is stopped. */
function quitAfterDisposing(services: Services, detach: () => Promise<void>): void {
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    void detach()
      .finally(() => services.dispose())
      .finally(() => app.exit(0));
  });
}
