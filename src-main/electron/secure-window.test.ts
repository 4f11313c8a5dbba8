// Electron-only wiring under plain Node: `electron` is replaced by a recording stub.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const created: FakeWindow[] = [];

class FakeContents extends EventEmitter {
  windowOpenHandler?: () => { action: string };
  permissionRequest?: (c: unknown, p: string, cb: (ok: boolean) => void) => void;
  permissionCheck?: () => boolean;
  headersHook?: (details: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
  setWindowOpenHandler(h: () => { action: string }) {
    this.windowOpenHandler = h;
  }
  session = {
    setPermissionRequestHandler: (h: FakeContents['permissionRequest']) => (this.permissionRequest = h),
    setPermissionCheckHandler: (h: FakeContents['permissionCheck']) => (this.permissionCheck = h),
    webRequest: { onHeadersReceived: (h: FakeContents['headersHook']) => (this.headersHook = h) },
  };
}

class FakeWindow extends EventEmitter {
  webContents = new FakeContents();
  loaded?: string;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super();
    created.push(this);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
}

vi.mock('electron', () => ({ BrowserWindow: FakeWindow }));

const { createSecureWindow, guardAllWebContents } = await import('./secure-window');
const { WorkbenchWindows } = await import('./workbench-windows');

const SECURE = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
};

describe('secure window factory', () => {
  beforeEach(() => void created.splice(0));

  it('gives every workbench window the secure preferences, even when options try to override them', () => {
    const windows = new WorkbenchWindows({ preload: '/app/out/preload/index.cjs', renderer: { dir: '/app/out/renderer' } });
    windows.create();
    windows.create();
    createSecureWindow({ preload: '/p.cjs', renderer: { url: 'http://localhost:5173' } }, { webPreferences: { nodeIntegration: true, sandbox: false } } as never);
    expect(created).toHaveLength(3);
    for (const win of created) expect(win.options.webPreferences).toMatchObject(SECURE);
    expect(created[0]!.options.webPreferences.preload).toBe('/app/out/preload/index.cjs');
    // The built renderer comes from the privileged app:// scheme, never file://.
    expect(created[0]!.loaded).toBe('app://bioxen/index.html');
    expect(windows.windows()).toHaveLength(2);
  });

  it('denies navigation, pop-ups, webviews and every permission', () => {
    const win = createSecureWindow({ preload: '/p.cjs', renderer: { dir: '/r' } }) as unknown as FakeWindow;
    const contents = win.webContents;
    // The window stays on the page main loaded; the page itself can navigate nowhere, not even within app://.
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://evil/index.html', 'app://bioxen/index.html']) {
        const event = { preventDefault: vi.fn() };
        contents.emit(name, event, url);
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled();
      }
    }
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
    const granted = vi.fn();
    contents.permissionRequest?.(contents, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(contents.permissionCheck?.()).toBe(false);
  });

  it('adds the CSP header to every response, allowing only the dev server socket in dev', () => {
    const built = createSecureWindow({ preload: '/p.cjs', renderer: { dir: '/r' } }) as unknown as FakeWindow;
    const dev = createSecureWindow({ preload: '/p.cjs', renderer: { url: 'http://localhost:5173/' } }) as unknown as FakeWindow;
    const headersOf = (win: FakeWindow) => {
      let out: Record<string, string[]> = {};
      win.webContents.headersHook?.({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (out = r.responseHeaders));
      return out;
    };
    const csp = headersOf(built)['Content-Security-Policy']![0]!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self'$/);
    expect(headersOf(built)['X-Other']).toEqual(['1']);
    expect(headersOf(dev)['Content-Security-Policy']![0]).toContain("connect-src 'self' ws://localhost:5173");
  });

  it('guards web contents the app creates outside the factory', () => {
    const app = new EventEmitter();
    guardAllWebContents(app as never);
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    const event = { preventDefault: vi.fn() };
    contents.emit('will-navigate', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
  });
});
