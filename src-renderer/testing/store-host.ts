// For the stores' integration tests: the real services behind a real browser host, and a client on the
// renderer's own WebSocket transport. Test-only (not part of the renderer bundle).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket as NodeWebSocket } from 'ws';
import { createApi } from '../../src-main/api';
import { BrowserHost } from '../../src-main/host/browser-host';
import { createServices, type Services } from '../../src-main/services';
import { webSocketUrl } from '../bridge';
import { webSocketProtocols } from '../../src-preload/contract/wire';
import { BridgeClient } from '../bridge/bridge-client';
import { WebSocketTransport } from '../bridge/websocket-transport';

export interface StoreHost {
  services: Services;
  host: BrowserHost;
  client: BridgeClient;
  stop(): Promise<void>;
}

export async function startStoreHost(prefix: string, prepare?: (services: Services) => Promise<void>): Promise<StoreHost> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // The stores never load the page; a placeholder keeps these tests independent of the renderer build.
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>placeholder</title>');
  const services = await createServices({ dataDir: join(dir, 'data'), restoreSessions: false });
  await prepare?.(services);
  const host = await BrowserHost.start({ api: createApi(services, () => undefined), rendererDir, port: 0 });
  const url = new URL(host.url);
  const client = new BridgeClient(
    new WebSocketTransport({
      url: webSocketUrl(url),
      protocols: webSocketProtocols(host.token),
      createSocket: (socketUrl, protocols) => new NodeWebSocket(socketUrl, protocols) as unknown as WebSocket,
    }),
  );
  return {
    services,
    host,
    client,
    async stop() {
      client.dispose();
      await host.close();
      await services.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
