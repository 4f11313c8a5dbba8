// The packages domain through the real dispatcher and services: envelopes, validation, progress
// events, and a session bound to an environment the API created.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { EventName } from '../../src-preload/contract/index';
import { createServices, type Services } from '../services';
import { createApi, type Api } from './index';

const ctx = { transport: 'websocket' } as const;
let dir: string;
let services: Services;
let api: Api;
const events: { name: EventName; payload: unknown }[] = [];

async function ok(name: string, input: unknown): Promise<any> {
  const reply = await api.invoke(name, input, ctx);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.value;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bioxen-packages-api-'));
  services = await createServices({ dataDir: dir, restoreSessions: false });
  execFileSync(process.execPath, [join(services.appRoot, 'scripts', 'build-rocks.mjs')], { stdio: 'pipe' });
  api = createApi(services, () => undefined);
  api.onEvent((name, payload) => events.push({ name, payload }));
}, 60_000);

afterAll(async () => {
  api?.dispose();
  await services?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('packages API', () => {
  it('searches the catalog and lists categories and profiles', async () => {
    const { hits } = await ok('packages:search', { query: 'circuit' });
    expect(hits[0].entry).toMatchObject({ name: 'bioxen-circuits', bundled: true });
    const catalog = await ok('packages:catalog', {});
    expect(Object.keys(catalog.profiles)).toEqual(expect.arrayContaining(['bioxen-minimal', 'standard']));
    expect(catalog.categories.biology).toBe('Biological analysis');
  }, 30_000);

  it('creates an environment, installs with progress events, and a session uses it', async () => {
    await ok('packages:createEnvironment', { name: 'api-env' });
    expect(events).toContainEqual({ name: 'packages:changed', payload: { env: 'api-env' } });
    const result = await ok('packages:install', { env: 'api-env', spec: 'bioxen-seq' });
    expect(result).toMatchObject({ name: 'bioxen-seq', version: '0.1.0-1' });
    const progress = events.filter((e) => e.name === 'packages:progress').map((e) => e.payload as { phase: string; line?: string });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['resolving', 'installing', 'done']));
    expect(progress.some((p) => p.line?.includes('is now installed'))).toBe(true);
    const { rocks } = await ok('packages:list', { env: 'api-env' });
    expect(rocks.map((r: { name: string }) => r.name)).toEqual(['bioxen-seq']);
    expect((await ok('packages:info', { name: 'bioxen-seq' })).installedIn).toEqual([{ env: 'api-env', version: '0.1.0-1' }]);
    expect((await ok('packages:health', { env: 'api-env' })).healthy).toBe(true);
    expect((await ok('packages:update', { env: 'api-env', name: 'bioxen-seq' })).installed).toEqual([]);
    const recs = (await ok('packages:recommendations', { env: 'api-env' })).packages.map((p: { name: string }) => p.name);
    expect(recs).toContain('bioxen-circuits');
    expect(recs).not.toContain('bioxen-seq');
    await services.vm.createVM('api-vm', { environment: 'api-env' });
    expect((await services.vm.executeVMSync('api-vm', 'return require("bioxen.seq").gc_content("GGCA")')).values).toEqual(['0.75']);
  }, 60_000);

  it('switches a live session to an environment', async () => {
    await services.vm.createInteractiveVM('api-live');
    expect(await ok('packages:bindSession', { sessionId: 'api-live', env: 'api-env' })).toEqual({ sessionId: 'api-live', env: 'api-env' });
    expect(services.vm.getSession('api-live').environment).toBe('api-env');
    // The session list learns the new environment from the change event, without a refresh.
    await vi.waitFor(() => expect(events).toContainEqual({ name: 'sessions:changed', payload: { id: 'api-live', info: expect.objectContaining({ environment: 'api-env' }) } }), { timeout: 10_000 });
    const ghost = await api.invoke('packages:bindSession', { sessionId: 'api-live', env: 'ghost' }, ctx);
    expect(ghost).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('environment "ghost" not found') } });
  }, 30_000);

  it('answers bad input and unknown packages with typed error envelopes', async () => {
    const bad = await api.invoke('packages:install', { env: '../x', spec: 'bioxen-seq' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await api.invoke('packages:install', { env: 'api-env', spec: 'no-such-rock' }, ctx);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('"no-such-rock" is not in any reachable repository') } });
    const missingEnv = await api.invoke('packages:list', { env: 'ghost' }, ctx);
    expect(missingEnv).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('bioxen env create ghost') } });
  }, 30_000);
});
