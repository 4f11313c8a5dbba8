import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_MAX_FRAME_BYTES, WS_PATH } from '../../src-preload/contract/wire';
import { Api } from '../api/api';
import { settingsApi } from '../api/settings-api';
import { workspaceApi } from '../api/workspace-api';
import type { Services } from '../services';
import { SettingsStore } from '../settings/settings-store';
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

/** Opens a raw socket; resolves with the HTTP status of a refused upgrade, or 101 when accepted. */
function upgradeStatus(port: number, query: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}${query}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', (err) => reject(err));
  });
}

function openRaw(port: number, token: string): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}?token=${token}`);
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

  it('binds 127.0.0.1 and prints a URL carrying the token', () => {
    expect(host.host).toBe('127.0.0.1');
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=test-token-123`);
  });

  it('refuses pages and assets without the token, and a wrong token', async () => {
    expect((await get(host.port, '/')).status).toBe(401);
    expect((await get(host.port, '/?token=nope')).status).toBe(401);
    const denied = await get(host.port, '/assets/app.js');
    expect(denied.status).toBe(401);
    expect(denied.body).toContain('?token=');
  });

  it('serves the page with the token, CSP and security headers, then assets by cookie', async () => {
    const page = await get(host.port, '/?token=test-token-123');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>t</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toBe(`bioxen_token_${host.port}=test-token-123`);
    const asset = await get(host.port, '/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await get(host.port, '/%2e%2e/secret.txt?token=test-token-123')).status).toBe(404);
    expect((await get(host.port, '/..%2fsecret.txt?token=test-token-123')).status).toBe(404);
    expect((await get(host.port, '/assets?token=test-token-123')).status).toBe(404);
    expect((await get(host.port, '/favicon.ico?token=test-token-123')).status).toBe(204);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    expect((await get(host.port, '/?token=test-token-123', { host: `evil.example:${host.port}` })).status).toBe(400);
  });

  it('refuses WebSocket upgrades without the token, with a wrong one, or from another origin', async () => {
    expect(await upgradeStatus(host.port, '')).toBe(401);
    expect(await upgradeStatus(host.port, '?token=wrong')).toBe(401);
    expect(await upgradeStatus(host.port, '?token=test-token-123', { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(host.port, '?token=test-token-123', { origin: `http://localhost:${host.port}` })).toBe(403);
    expect(await upgradeStatus(host.port, '?token=test-token-123', { origin: `http://127.0.0.1:${host.port}` })).toBe(101);
    expect(host.connectedPages).toBeLessThanOrEqual(1);
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
    const writer = await connectContractClient(`http://127.0.0.1:${host.port}`, 'test-token-123');
    const watcher = await connectContractClient(`http://127.0.0.1:${host.port}`, 'test-token-123');
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
    const polite = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`);
    const closed = new Promise<number>((resolve) => polite.once('close', (code) => resolve(code)));
    await new Promise((r) => polite.once('open', r));
    const mute = new WebSocket(`ws://127.0.0.1:${host.port}${WS_PATH}?token=${host.token}`);
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
