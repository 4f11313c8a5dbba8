// The Electron entry under plain Node with a stubbed `electron`: it builds the real services,
// registers a handler per contract method, opens one secure window, sets the menu, serves the contract
// to local tools on a token-protected 127.0.0.1 socket, and on quit stops every Lua process before exiting.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../src-preload/contract/index';
import { connectContractClient } from './host/contract-client';
import { ENDPOINT_FILE, readEndpoint } from './host/workbench-endpoint';
import { alive, waitFor } from './testing/test-helpers';

const dataDir = mkdtempSync(join(tmpdir(), 'bioxen-electron-main-'));
const stub = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, input: unknown) => Promise<unknown>>(),
  windows: [] as { options: { webPreferences: Record<string, unknown> }; webContents: Record<string, unknown> }[],
  menu: undefined as unknown,
  startupError: undefined as string | undefined,
  exitCode: undefined as number | undefined,
  appEvents: undefined as unknown as import('node:events').EventEmitter,
  ready: false,
  privilegedSchemes: [] as { scheme: string; readyAlready: boolean }[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  stub.appEvents = new Emitter();
  class BrowserWindow extends Emitter {
    webContents: Record<string, unknown>;
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      const contents = new Emitter();
      this.webContents = Object.assign(contents as unknown as Record<string, unknown>, {
        id: stub.windows.length + 1,
        session: {
          setPermissionRequestHandler: () => undefined,
          setPermissionCheckHandler: () => undefined,
          webRequest: { onHeadersReceived: () => undefined },
        },
        setWindowOpenHandler: () => undefined,
        send: () => undefined,
        isDestroyed: () => false,
        mainFrame: { url: '', parent: null, processId: 1, routingId: 1 },
      });
      stub.windows.push(this);
    }
    loadURL(url: string) {
      (this.webContents.mainFrame as { url: string }).url = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
  }
  const app = Object.assign(stub.appEvents, {
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve().then(() => void (stub.ready = true)),
    commandLine: { getSwitchValue: (name: string) => (name === 'data-dir' ? dataDir : '') },
    getAppPath: () => join(import.meta.dirname, '..'),
    quit: () => undefined,
    exit: (code: number) => void (stub.exitCode = code),
  });
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: (_t: string, message: string) => void (stub.startupError = message) },
    ipcMain: { handle: (name: string, h: never) => stub.handlers.set(name, h), removeHandler: (name: string) => stub.handlers.delete(name) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => {
        for (const { scheme } of schemes) stub.privilegedSchemes.push({ scheme, readyAlready: stub.ready });
      },
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void stub.protocolHandlers.set(scheme, handler),
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => void (stub.menu = m) },
    shell: { openPath: () => Promise.resolve('') },
  };
});

describe('electron-main', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('wires services, handlers, menu and a secure window, and disposes everything on quit', async () => {
    await import('./electron-main');
    await waitFor('the window', () => stub.windows.length === 1 || stub.startupError !== undefined);
    expect(stub.startupError).toBeUndefined();
    expect(stub.windows[0]!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect([...stub.handlers.keys()].sort()).toEqual([...methodNames].sort());
    // The renderer comes from app://, registered as privileged before ready and handled after it.
    expect(stub.privilegedSchemes).toEqual([{ scheme: 'app', readyAlready: false }]);
    expect((stub.windows[0]!.webContents.mainFrame as { url: string }).url).toBe('app://bioxen/index.html');
    expect((await stub.protocolHandlers.get('app')!(new Request('app://bioxen/%2e%2e/package.json'))).status).toBe(404);
    expect(Array.isArray(stub.menu)).toBe(true);

    const contents = stub.windows[0]!.webContents;
    const event = { sender: contents, senderFrame: contents.mainFrame };
    const info = (await stub.handlers.get('app:info')!(event, {})) as { ok: boolean; value: { transport: string; dataDir: string } };
    expect(info).toMatchObject({ ok: true, value: { transport: 'electron', dataDir } });
    const created = (await stub.handlers.get('sessions:create')!(event, { id: 'electron-1' })) as { ok: true; value: { pid: number } };
    expect(created.ok).toBe(true);
    expect(alive(created.value.pid)).toBe(true);

    // The same services over a token-protected socket on 127.0.0.1 for local tools, recorded privately.
    const endpointPath = join(dataDir, ENDPOINT_FILE);
    expect(statSync(endpointPath).mode & 0o777).toBe(0o600);
    const endpoint = readEndpoint(dataDir);
    expect(endpoint).toMatchObject({ host: '127.0.0.1', kind: 'electron', pid: process.pid });
    const origin = `http://127.0.0.1:${endpoint.port}`;
    const client = await connectContractClient(origin, endpoint.token);
    const listed = await client.invoke('sessions:list', {});
    expect(listed.ok && listed.value.sessions.map((s) => s.info.id)).toEqual(['electron-1']);
    client.close();
    await expect(connectContractClient(origin, 'not-the-token')).rejects.toThrow(/HTTP 401/);
    // A browser page may not use it, even with the token: no renderer is served there.
    await expect(connectContractClient(origin, endpoint.token, { Origin: origin })).rejects.toThrow(/HTTP 403/);
    expect((await fetch(`${origin}/index.html`)).status).toBe(404);

    const quit = { preventDefault: vi.fn() };
    stub.appEvents.emit('before-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled();
    await waitFor('the exit after disposal', () => stub.exitCode === 0);
    await waitFor('the Lua process to end', () => !alive(created.value.pid), 10_000);
    expect(stub.handlers.size).toBe(0);
    expect(existsSync(endpointPath)).toBe(false);
  });
});
