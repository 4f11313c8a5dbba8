// Browser host under a flood of idle connections (issue 9 §6): another process opens 1,100 silent TCP
// sockets, then the page's own WebSocket connects. Figures: how long the page takes to connect and get
// its first reply, the most pending connections the host held at once, and how long until the host
// had closed every idle socket.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Api } from '../../src-main/api/api';
import { workspaceApi } from '../../src-main/api/workspace-api';
import { BrowserHost } from '../../src-main/host/browser-host';
import { connectContractClient } from '../../src-main/host/contract-client';
import type { Services } from '../../src-main/services';
import { Workspace } from '../../src-main/workspace/workspace';

const IDLE_SOCKETS = 1_100;

// The flood: connects every socket, says "connected" once all are, and "closed" once the host closed them all.
const FLOOD = `
const { connect } = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
let connected = 0, closed = 0;
for (let i = 0; i < n; i++) {
  const s = connect(port, '127.0.0.1');
  s.on('error', () => {});
  s.once('connect', () => ++connected === n && console.log('connected'));
  s.once('close', () => ++closed === n && (console.log('closed'), process.exit(0)));
}`;

export async function bench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-host-bench-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html>');
  const api = new Api({ workspace: new Workspace(join(dir, 'scripts'), dir) } as unknown as Services, [workspaceApi], () => undefined);
  const host = await BrowserHost.start({ api, rendererDir: dir });
  let maxPending = 0;
  const sampler = setInterval(() => (maxPending = Math.max(maxPending, host.pendingConnections)), 5);
  const flood = spawn(process.execPath, ['-e', FLOOD, String(host.port), String(IDLE_SOCKETS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: flood.stdout! });
  const said = (word: string) => new Promise<void>((resolve) => lines.on('line', (line) => line === word && resolve()));
  try {
    const floodStarted = performance.now();
    const allClosed = said('closed');
    await Promise.race([said('connected'), allClosed]);
    const pageStarted = performance.now();
    const page = await connectContractClient(host.origin, host.token, { origin: host.origin });
    const reply = await page.invoke('workspace:list', {});
    if (!reply.ok) throw new Error(`workspace:list: ${reply.error.message}`);
    const pageMs = performance.now() - pageStarted;
    await allClosed;
    const allClosedS = (performance.now() - floodStarted) / 1000;
    page.close();
    return {
      host_flood_page_connect_ms: Math.round(pageMs),
      host_flood_max_pending_connections: maxPending,
      host_flood_idle_closed_s: Math.round(allClosedS * 10) / 10,
    };
  } finally {
    clearInterval(sampler);
    flood.kill();
    await host.close();
    api.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
