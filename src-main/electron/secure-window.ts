// Every BrowserWindow of the workbench comes from here, with the same locked-down preferences:
// isolated, sandboxed preload; no Node, no webviews; navigation, pop-ups and permissions denied;
// the built renderer loaded from app://bioxen/ (app-protocol.ts), whose responses carry the CSP header;
// the dev server's responses get it added by the session.
import type { App, BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, WebContents, WebPreferences } from 'electron';
import { BrowserWindow } from 'electron';
import { electronCsp } from '../host/content-security-policy';
import { APP_INDEX_URL } from './app-protocol';

export interface WindowSource {
  /** Absolute path of the sandboxed preload bundle (out/preload/index.cjs). */
  preload: string;
  /** The renderer: the dev server URL (electron-vite dev) or the built renderer's folder, served on app://bioxen/. */
  renderer: { url: string } | { dir: string };
}

export function securePreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

export function createSecureWindow(source: WindowSource, options: BrowserWindowConstructorOptions = {}): BrowserWindowType {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    backgroundColor: '#1e1e1e',
    title: 'BioXen Workbench',
    show: false,
    ...options,
    webPreferences: securePreferences(source.preload),
  });
  lockDown(win, 'url' in source.renderer ? source.renderer.url : undefined);
  win.once('ready-to-show', () => win.show());
  void win.loadURL('url' in source.renderer ? source.renderer.url : APP_INDEX_URL);
  return win;
}

/**
 * Applies to every web contents the app ever creates (windows, devtools, anything a bug might open):
 * no navigation away, no pop-ups, no webviews.
 */
export function guardAllWebContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));
}

function denyNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function lockDown(win: BrowserWindowType, devServerUrl: string | undefined): void {
  const contents = win.webContents;
  denyNavigation(contents);
  const session = contents.session;
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [electronCsp(devServerUrl)] } });
  });
}
