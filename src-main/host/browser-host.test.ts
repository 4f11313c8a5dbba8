import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { webSocketProtocols, WS_MAX_FRAME_BYTES, WS_PATH, WS_PROTOCOL } from '../../src-preload/contract/wire';
import { Api } from '../api/api';
import { settingsApi } from '../api/settings-api';
import { workspaceApi } from '../api/workspace-api';
import type { Services } from '../services';
import { SettingsStore } from '../settings/settings-store';
import { waitFor } from '../testing/test-helpers';
import { Workspace } from '../workspace/workspace';
import { BrowserHost } from './browser-host';
import { connectContractClient } from './contract-client';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with the HTTP status of a refused upgrade, or 101 and the selected protocol when accepted. */
function upgradeStatus(port: number, protocols: string[], headers: Record<string, string> = {}, query = ''): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}${query}`, protocols, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(`101 ${ws.protocol}`);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => reject(err));
  });
}

function openRaw(port: number, token: string): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}`, webSocketProtocols(token));
  const inbox: Record<string, unknown>[] = [];
  const waiters: ((m: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as Record<string, unknown>;
    const waiter = waiters.shift();
    if (waiter) waiter(msg);
    else inbox.push(msg);
  });
  const next = () => (inbox.length ? Promise.resolve(inbox.shift()!) : new Promise<Record<string, unknown>>((r) => waiters.push(r)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

describe('BrowserHost', () => {
  let dir: string;
  let rendererDir: string;
  let api: Api;
  let host: BrowserHost;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bioxen-host-'));
    rendererDir = join(dir, 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title><script src="./assets/app.js"></script>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    const services = {
      workspace: new Workspace(join(dir, 'scripts'), join(dir, 'examples')),
      settings: await SettingsStore.open(join(dir, 'settings.json')),
    } as unknown as Services;
    api = new Api(services, [workspaceApi, settingsApi], () => undefined);
    host = await BrowserHost.start({ api, rendererDir, token: 'test-token-123' });
  });

  afterEach(async () => {
    await host.close();
    api.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 and prints a URL carrying the token in its fragment only', () => {
    expect(host.host).toBe('127.0.0.1');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=test-token-123`);
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
  });

  it('serves the page and assets without the token: they hold no secret, with CSP and security headers', async () => {
    const page = await get(host.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>t</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    for (const directive of ["object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(csp).toContain(`connect-src ws://127.0.0.1:${host.port};`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = await get(host.port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    for (const response of [page, asset]) expect(JSON.stringify(response)).not.toContain('test-token-123');
    // The page's own socket origin follows the name it was opened by (localhost or 127.0.0.1), nothing wider.
    expect(String((await get(host.port, '/', { host: `localhost:${host.port}` })).headers['content-security-policy'])).toContain(`connect-src ws://localhost:${host.port};`);
  });

  it('never sets a cookie, whatever a request from this or another origin carries', async () => {
    const other = `http://127.0.0.1:${host.port + 1}`;
    const requests: [string, Record<string, string>][] = [
      ['/', {}],
      ['/?token=test-token-123', {}],
      ['/?token=test-token-123', { origin: other, referer: `${other}/` }],
      ['/assets/app.js', { origin: other, cookie: `bioxen_token_${host.port}=test-token-123` }],
      ['/assets/app.js?token=test-token-123', { 'sec-fetch-site': 'same-site' }],
      [WS_PATH, { origin: other }],
      ['/missing', {}],
      ['/', { host: `evil.example:${host.port}` }],
    ];
    for (const [path, headers] of requests) {
      const response = await get(host.port, path, headers);
      expect(response.headers['set-cookie'], path).toBeUndefined();
      expect(JSON.stringify(response), path).not.toContain('test-token-123');
    }
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await get(host.port, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get(host.port, '/..%2fsecret.txt')).status).toBe(404);
    expect((await get(host.port, '/assets')).status).toBe(404);
    expect((await get(host.port, '/favicon.ico')).status).toBe(204);
  });

  it('follows no symlink out of the renderer folder; links inside it are served', async () => {
    await symlink(join(dir, 'secret.txt'), join(rendererDir, 'leak.txt'));
    await symlink(dir, join(rendererDir, 'escape'));
    await symlink(join(rendererDir, 'assets', 'app.js'), join(rendererDir, 'inside.js'));
    for (const path of ['/leak.txt', '/escape/secret.txt', '/escape/%2e%2e/secret.txt']) {
      const response = await get(host.port, path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('secret');
    }
    expect((await get(host.port, '/inside.js')).body).toBe('console.log(1)');
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    expect((await get(host.port, '/', { host: `evil.example:${host.port}` })).status).toBe(400);
    expect((await get(host.port, '/', { host: `127.0.0.1:${host.port};script-src:${host.port}` })).status).toBe(400);
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-123'), { host: `evil.example:${host.port}` })).toBe(400);
  });

  it('opens the WebSocket only with the token as a subprotocol, from no Origin or the page\'s own', async () => {
    expect(await upgradeStatus(host.port, [])).toBe(401);
    expect(await upgradeStatus(host.port, [WS_PROTOCOL])).toBe(401);
    expect(await upgradeStatus(host.port, webSocketProtocols('wrong-token'))).toBe(401);
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-12'))).toBe(401);
    // The old ways in are closed: a token in the query (it lands in logs) or in a cookie.
    expect(await upgradeStatus(host.port, [WS_PROTOCOL], {}, '?token=test-token-123')).toBe(401);
    expect(await upgradeStatus(host.port, [WS_PROTOCOL], { cookie: `bioxen_token_${host.port}=test-token-123` })).toBe(401);
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-123'), { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-123'), { origin: `http://127.0.0.1:${host.port + 1}` })).toBe(403);
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-123'), { origin: `http://localhost:${host.port}` })).toBe(403);
    // The host selects the contract protocol, so its reply never echoes the token.
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-123'), { origin: `http://127.0.0.1:${host.port}` })).toBe(`101 ${WS_PROTOCOL}`);
    expect(await upgradeStatus(host.port, webSocketProtocols('test-token-123'))).toBe(`101 ${WS_PROTOCOL}`);
    expect(host.connectedPages).toBeLessThanOrEqual(2);
  });

  it('answers invalid, oversized and binary frames with an error envelope and keeps the socket open', async () => {
    const { ws, next } = await openRaw(host.port, 'test-token-123');
    ws.send('not json');
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'invalid_input' } });
    ws.send(JSON.stringify({ id: 7, input: {} }));
    expect(await next()).toMatchObject({ id: 7, ok: false, error: { code: 'invalid_input', message: expect.stringContaining('method') } });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'invalid_input', message: expect.stringContaining('binary') } });
    ws.send(JSON.stringify({ id: 8, method: 'workspace:write', input: { name: 'a.lua', content: 'x'.repeat(WS_MAX_FRAME_BYTES) } }));
    expect(await next()).toMatchObject({ id: null, ok: false, error: { code: 'limit_exceeded' } });
    ws.send(JSON.stringify({ id: 9, method: 'nope:nothing', input: {} }));
    expect(await next()).toMatchObject({ id: 9, ok: false, error: { code: 'not_found' } });
    ws.send(JSON.stringify({ id: 10, method: 'workspace:read', input: { name: '../x.lua' } }));
    expect(await next()).toMatchObject({ id: 10, ok: false, error: { code: 'invalid_input', message: expect.stringContaining('name') } });
    ws.send(JSON.stringify({ id: 11, method: 'workspace:list', input: {} }));
    expect(await next()).toMatchObject({ id: 11, ok: true, value: { scripts: [] } });
    ws.close();
  });

  it('carries calls and fans events out to every connected page', async () => {
    const writer = await connectContractClient(host.origin, 'test-token-123');
    const watcher = await connectContractClient(host.origin, 'test-token-123');
    const seen = new Promise((resolve) => watcher.on('workspace:changed', resolve));
    const saved = await writer.invoke('workspace:write', { name: 'growth.lua', content: 'return 1' });
    expect(saved).toMatchObject({ ok: true, value: { name: 'growth.lua', size: 8 } });
    expect(await seen).toMatchObject({ meta: { name: 'growth.lua' } });
    expect(await watcher.invoke('workspace:read', { name: 'growth.lua' })).toMatchObject({ ok: true, value: { content: 'return 1' } });
    expect(await writer.invoke('workspace:read', { name: 'missing.lua' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    writer.close();
    watcher.close();
  });

  it('refuses a non-loopback bind unless --host was explicit, and a missing renderer build', async () => {
    await expect(BrowserHost.start({ api, rendererDir, host: '0.0.0.0' })).rejects.toThrow(/Pass --host 0\.0\.0\.0 explicitly/);
    await expect(BrowserHost.start({ api, rendererDir: join(dir, 'nope') })).rejects.toThrow(/npm run build/);
  });
});

describe('BrowserHost shutdown', () => {
  it('closes connected pages with 1001 and finishes even when a page never answers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bioxen-host-close-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    const services = { workspace: new Workspace(join(dir, 'scripts'), dir), settings: await SettingsStore.open(join(dir, 's.json')) } as unknown as Services;
    const api = new Api(services, [workspaceApi], () => undefined);
    const host = await BrowserHost.start({ api, rendererDir: dir });
    const polite = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}`, webSocketProtocols(host.token));
    const closed = new Promise<number>((resolve) => polite.once('close', (code) => resolve(code)));
    await new Promise((r) => polite.once('open', r));
    const mute = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}`, webSocketProtocols(host.token));
    await new Promise((r) => mute.once('open', r));
    // A page that stops reading: its socket never answers the close frame.
    (mute as unknown as { _socket: { pause(): void } })._socket.pause();
    // Resolving at all is the point: the paused page would otherwise hold the server open forever.
    await host.close();
    expect(await closed).toBe(1001);
    for (let i = 0; i < 200 && host.connectedPages > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(host.connectedPages).toBe(0);
    mute.terminate();
    api.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});

describe('BrowserHost connection hygiene', () => {
  it('closes idle and half-sent connections, and a flood of them never keeps the page\'s WebSocket out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bioxen-host-flood-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    const services = { workspace: new Workspace(join(dir, 'scripts'), dir), settings: await SettingsStore.open(join(dir, 's.json')) } as unknown as Services;
    const api = new Api(services, [workspaceApi], () => undefined);
    const host = await BrowserHost.start({ api, rendererDir: dir, connectionLimits: { perAddress: 64, total: 256, idleMs: 2_000 } });
    const flood: Socket[] = [];
    let closed = 0;
    try {
      for (let i = 0; i < 300; i++) {
        const socket = connect(host.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => closed++);
        // A third never send a byte, a third start a request and stall, a third finish one and stay for keep-alive.
        if (i % 3 === 1) socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        if (i % 3 === 2) socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`);
        socket.resume();
        flood.push(socket);
      }
      await Promise.all(flood.map((socket) => new Promise((r) => (socket.connecting ? socket.once('connect', r) : r(undefined)))));
      const page = await connectContractClient(host.origin, host.token, { origin: host.origin });
      expect(await page.invoke('workspace:list', {})).toMatchObject({ ok: true, value: { scripts: [] } });
      // All from 127.0.0.1: never more than the per-address cap held at once, the oldest idle ones made room.
      expect(host.pendingConnections).toBeLessThanOrEqual(64);
      await waitFor('every idle connection to be closed', () => closed === flood.length);
      expect(host.pendingConnections).toBe(0);
      // The page's socket is authenticated: idle as it may be, it stays.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await page.invoke('workspace:list', {})).toMatchObject({ ok: true });
      expect(host.connectedPages).toBe(1);
      page.close();
    } finally {
      for (const socket of flood) socket.destroy();
      await host.close();
      api.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
