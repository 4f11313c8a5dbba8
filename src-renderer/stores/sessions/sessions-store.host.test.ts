// The sessions store against the real browser host, engine and lua5.4, over the renderer's own
// WebSocket transport: what the console shows after typing, and what a reloaded window hydrates.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createApi } from '../../../src-main/api';
import { BrowserHost } from '../../../src-main/host/browser-host';
import { createServices, type Services } from '../../../src-main/services';
import { BridgeClient } from '../../bridge/bridge-client';
import { WebSocketTransport } from '../../bridge/websocket-transport';
import { webSocketUrl } from '../../bridge';
import { webSocketProtocols } from '../../../src-preload/contract/wire';
import { promptOf, toConsoleLines } from '../../features/console/console-lines';
import { createSessionsStore } from './sessions-store';
import { waitFor } from '../../../src-main/testing/test-helpers';

let dataDir: string;
let rendererDir: string;
let services: Services;
let host: BrowserHost;
let api: ReturnType<typeof createApi>;
const clients: BridgeClient[] = [];

function connectStore() {
  const url = new URL(host.url);
  const transport = new WebSocketTransport({
    url: webSocketUrl(url),
    protocols: webSocketProtocols(host.token),
    createSocket: (socketUrl, protocols) => new NodeWebSocket(socketUrl, protocols) as unknown as WebSocket,
  });
  const client = new BridgeClient(transport);
  clients.push(client);
  const store = createSessionsStore(client);
  store.getState().connect();
  return store;
}


const consoleText = (store: ReturnType<typeof createSessionsStore>, id: string) =>
  toConsoleLines(store.getState().outputs[id]?.chunks ?? []).map((line) => `${line.stream}:${line.text}`);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bioxen-renderer-store-'));
  // The store talks only to the contract socket; the host just needs some page to serve.
  rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>store test</title>');
  services = await createServices({ dataDir });
  api = createApi(services);
  host = await BrowserHost.start({ api, rendererDir, port: 0 });
});

afterAll(async () => {
  clients.forEach((client) => client.dispose());
  await host?.close();
  await services?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sessions store over the browser host', () => {
  it('hydrates, creates a session and shows REPL input, values and continuation state', async () => {
    const store = connectStore();
    await waitFor('the first hydration', () => store.getState().hydrated);
    const info = await store.getState().create({ id: 'store-a' });
    expect(info?.id).toBe('store-a');
    expect(store.getState().activeId).toBe('store-a');

    await store.getState().sendInput('store-a', 'function twice(n)');
    expect(store.getState().replPending['store-a']).toBe(true);
    await store.getState().sendInput('store-a', 'return n * 2');
    await store.getState().sendInput('store-a', 'end');
    expect(store.getState().replPending['store-a']).toBe(false);
    await store.getState().sendInput('store-a', 'twice(21)');
    await waitFor('the value 42 in the console', () => consoleText(store, 'store-a').includes('value:42'));
    expect(consoleText(store, 'store-a')).toContain('input:twice(21)');
    // Lines that continued the function's chunk come back marked and show the `>> ` prompt.
    const echoed = toConsoleLines(store.getState().outputs['store-a']!.chunks).filter((line) => line.stream === 'input');
    expect(echoed.map((line) => promptOf(line) + line.text)).toEqual(['> function twice(n)', '>> return n * 2', '>> end', '> twice(21)']);
    expect(store.getState().history['store-a']).toEqual(['function twice(n)', 'return n * 2', 'end', 'twice(21)']);
  });

  it('a second window (a reload) hydrates the same session and its output', async () => {
    const store = connectStore();
    await waitFor('hydration', () => store.getState().hydrated);
    expect(Object.keys(store.getState().infos)).toContain('store-a');
    expect(consoleText(store, 'store-a')).toContain('value:42');
  });

  it('turns a failed call into a readable banner instead of a rejection', async () => {
    const store = connectStore();
    await waitFor('hydration', () => store.getState().hydrated);
    expect(await store.getState().create({ id: 'store-a' })).toBeNull();
    expect(store.getState().lastError).toMatch(/creating the session: .*store-a/);
  });

  it('removes a terminated session from every window', async () => {
    const first = connectStore();
    const second = connectStore();
    await waitFor('hydration', () => first.getState().hydrated && second.getState().hydrated);
    await first.getState().terminate('store-a');
    await waitFor('the other window to drop the session', () => !second.getState().infos['store-a']);
    expect(first.getState().outputs['store-a']).toBeUndefined();
  });

  it('reconnects when the host comes back and re-hydrates what changed while it was away', async () => {
    const store = connectStore();
    await waitFor('hydration', () => store.getState().hydrated);
    const { port, token } = host;
    await host.close();
    await waitFor('the store to notice the lost connection', () => store.getState().connection !== 'open');
    await api.invoke('sessions:create', { id: 'made-offline' }, { transport: 'websocket' });
    await api.invoke('sessions:sendInput', { id: 'made-offline', line: 'return "seen after reconnect"' }, { transport: 'websocket' });
    host = await BrowserHost.start({ api, rendererDir, port, token });
    await waitFor('reconnection and re-hydration', () => store.getState().connection === 'open' && !!store.getState().infos['made-offline']);
    await waitFor('the output made while disconnected', () => consoleText(store, 'made-offline').includes('value:seen after reconnect'));
  });
});
