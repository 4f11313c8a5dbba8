// The values store against the real browser host, engine and lua5.4, over the renderer's own
// WebSocket transport: opening nodes a page at a time, a value that is gone, and reopening what was
// open from new roots after the program ran again.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createApi } from '../../../src-main/api';
import { BrowserHost } from '../../../src-main/host/browser-host';
import { createServices, type Services } from '../../../src-main/services';
import { webSocketUrl } from '../../bridge';
import { BridgeClient } from '../../bridge/bridge-client';
import { WebSocketTransport } from '../../bridge/websocket-transport';
import { webSocketProtocols } from '../../../src-preload/contract/wire';
import { createValuesStore } from './values-store';

let dataDir: string;
let services: Services;
let host: BrowserHost;
let client: BridgeClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'bioxen-values-store-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>store test</title>');
  services = await createServices({ dataDir });
  host = await BrowserHost.start({ api: createApi(services), rendererDir, port: 0 });
  const transport = new WebSocketTransport({
    url: webSocketUrl(new URL(host.url)),
    protocols: webSocketProtocols(host.token),
    createSocket: (socketUrl, protocols) => new NodeWebSocket(socketUrl, protocols) as unknown as WebSocket,
  });
  client = new BridgeClient(transport);
  await client.invoke('sessions:create', { id: 'vals', luaVersion: 'lua5.4' });
});

afterAll(async () => {
  client?.dispose();
  await host?.close();
  await services?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

async function returned(code: string) {
  const result = await client.invoke('sessions:run', { id: 'vals', code });
  const preview = result.previews?.[0];
  if (!preview) throw new Error(`no preview from ${code}: ${JSON.stringify(result)}`);
  return preview;
}

describe('values store over the browser host', () => {
  it('opens a node a page at a time and says when a value is gone', async () => {
    const store = createValuesStore(client);
    const big = await returned('big = {} for i = 1, 250 do big[i] = i end return big');
    await store.getState().toggle('vals', 'c|big', big);
    expect(store.getState().nodes['c|big']).toMatchObject({ open: true, loading: false, total: 250, next: 101 });
    expect(store.getState().nodes['c|big']!.items).toHaveLength(100);
    await store.getState().more('vals', 'c|big', big);
    expect(store.getState().nodes['c|big']!.items.map((i) => i.value.text).slice(99, 101)).toEqual(['100', '101']);

    const temporary = await returned('return { 1, 2 }');
    await client.invoke('sessions:run', { id: 'vals', code: 'collectgarbage() collectgarbage()' });
    await store.getState().toggle('vals', 'c|tmp', temporary);
    expect(store.getState().nodes['c|tmp']).toMatchObject({ open: true, gone: true, error: expect.stringContaining('re-run to expand it') });
  });

  it('reopens what was open from new roots, with the values the program has now', async () => {
    const store = createValuesStore(client);
    const first = await returned('cfg = { genes = { "lacI" }, rate = 1 } return cfg');
    await store.getState().toggle('vals', 'g:cfg', first);
    const genes = store.getState().nodes['g:cfg']!.items.find((i) => i.key.text === '"genes"')!;
    const genesIndex = store.getState().nodes['g:cfg']!.items.indexOf(genes);
    await store.getState().toggle('vals', `g:cfg/${genesIndex}`, genes.value);
    expect(store.getState().nodes[`g:cfg/${genesIndex}`]!.items).toHaveLength(1);

    const second = await returned('cfg.genes[2] = "tetR" return cfg');
    await store.getState().reopen('vals', 'g:', [{ id: 'g:cfg', value: second }]);
    const reopened = store.getState().nodes[`g:cfg/${genesIndex}`]!;
    expect(reopened.open).toBe(true);
    expect(reopened.items.map((i) => i.value.text)).toEqual(['"lacI"', '"tetR"']);
  });
});
