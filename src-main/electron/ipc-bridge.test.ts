import type { IpcMain } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../src-preload/contract/index';
import type { Api } from '../api/index';
import { refuseSender, registerIpcHandlers, rendererUrlMatcher, type TrustedSenders } from './ipc-bridge';

type Handler = (event: unknown, input: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: (name: string, h: Handler) => {
      if (handlers.has(name)) throw new Error(`second handler for ${name}`);
      handlers.set(name, h);
    },
    removeHandler: (name: string) => void handlers.delete(name),
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  return Object.assign(ipcMain, { handlers });
}

function fakeApi() {
  let listener: ((name: string, payload: unknown) => void) | undefined;
  const api = {
    invoke: vi.fn(async (name: string, input: unknown) => ({ ok: true, value: { name, input } })),
    onEvent: (l: typeof listener) => {
      listener = l;
      return () => (listener = undefined);
    },
  };
  return { api, emit: (name: string, payload: unknown) => listener?.(name, payload), subscribed: () => listener !== undefined };
}

const rendererDir = '/opt/bioxen/out/renderer';

let nextId = 1;
function ourWindow() {
  const id = nextId++;
  const mainFrame = { url: 'app://bioxen/index.html?x=1#y', parent: null, processId: 100 + id, routingId: 1 };
  return { id, mainFrame, send: vi.fn(), isDestroyed: () => false };
}

describe('IPC bridge', () => {
  const win = ourWindow();
  const trust: TrustedSenders = { windows: () => [win as never], isRendererUrl: rendererUrlMatcher({ dir: rendererDir }) };

  it('registers one handler per contract method and removes them all', () => {
    const ipc = fakeIpcMain();
    const { api, subscribed } = fakeApi();
    const unregister = registerIpcHandlers(ipc, api as unknown as Api, trust);
    expect([...ipc.handlers.keys()].sort()).toEqual([...methodNames].sort());
    expect(subscribed()).toBe(true);
    unregister();
    expect(ipc.handlers.size).toBe(0);
    expect(subscribed()).toBe(false);
  });

  it('passes calls from our window main frame to the api with the electron transport', async () => {
    const ipc = fakeIpcMain();
    const { api } = fakeApi();
    registerIpcHandlers(ipc, api as unknown as Api, trust);
    const reply = await ipc.handlers.get('sessions:list')!({ sender: { ...win }, senderFrame: { ...win.mainFrame } }, {});
    expect(reply).toEqual({ ok: true, value: { name: 'sessions:list', input: {} } });
    expect(api.invoke).toHaveBeenCalledWith('sessions:list', {}, { transport: 'electron' });
  });

  it('refuses a foreign sender: another web contents, a subframe, a different page, a vanished frame', async () => {
    const ipc = fakeIpcMain();
    const { api } = fakeApi();
    registerIpcHandlers(ipc, api as unknown as Api, trust);
    const call = (event: unknown) => ipc.handlers.get('workspace:write')!(event, { name: 'a.lua', content: '' });
    const stranger = ourWindow();
    const subframe = { ...win.mainFrame, parent: win.mainFrame, routingId: 2 };
    const evilPage = { ...win.mainFrame, url: 'https://evil.example/' };
    const cases = [
      { sender: stranger, senderFrame: stranger.mainFrame },
      { sender: win, senderFrame: subframe },
      { sender: win, senderFrame: { ...win.mainFrame, routingId: 7 } },
      { sender: { ...win, mainFrame: evilPage }, senderFrame: evilPage },
      { sender: win, senderFrame: null },
    ];
    for (const event of cases) expect(await call(event)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(api.invoke).not.toHaveBeenCalled();
  });

  it('recognizes only our renderer URL', () => {
    const dev = rendererUrlMatcher({ url: 'http://localhost:5173/' });
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    const built = rendererUrlMatcher({ dir: rendererDir });
    expect(built('app://bioxen/index.html')).toBe(true);
    expect(built('app://bioxen/other.html')).toBe(false);
    expect(built('app://evil/index.html')).toBe(false);
    expect(built('app://user@bioxen/index.html')).toBe(false);
    // The old file:// load is no longer trusted: any local file could claim to be the renderer.
    expect(built('file:///opt/bioxen/out/renderer/index.html')).toBe(false);
    expect(built('https://bioxen/index.html')).toBe(false);
    expect(built('not a url')).toBe(false);
    expect(refuseSender({ sender: win as never, senderFrame: win.mainFrame as never }, { ...trust, windows: () => [] })).toMatch(/workbench windows/);
  });

  it('sends contract events to every open window', () => {
    const ipc = fakeIpcMain();
    const { api, emit } = fakeApi();
    const other = ourWindow();
    registerIpcHandlers(ipc, api as unknown as Api, { ...trust, windows: () => [win as never, other as never] });
    emit('sessions:output', { id: 's', chunks: [] });
    expect(win.send).toHaveBeenCalledWith('sessions:output', { id: 's', chunks: [] });
    expect(other.send).toHaveBeenCalledWith('sessions:output', { id: 's', chunks: [] });
  });
});
