// The packages store against the real browser host, curator and luarocks, over the renderer's own
// WebSocket transport: what the Packages view shows while searching and installing.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeClient } from '../../bridge/bridge-client';
import { startStoreHost, type StoreHost } from '../../testing/store-host';
import { appendLog, createPackagesStore, MAX_LOG_LINES, progressFraction } from './packages-store';
import { waitFor } from '../../../src-main/testing/test-helpers';

const ROOT = resolve(import.meta.dirname, '../../..');
let env: StoreHost;
let client: BridgeClient;

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-rocks.mjs')], { stdio: 'pipe' });
  env = await startStoreHost('bioxen-packages-store-');
  client = env.client;
}, 60_000);

afterAll(() => env?.stop());

describe('packages store over the browser host', () => {
  it('creates an environment, searches, shows the dependency tree, installs with a streamed log', async () => {
    const store = createPackagesStore(client);
    const disconnect = store.getState().connect();
    await store.getState().load();
    expect(store.getState().categories.biology).toBe('Biological analysis');
    expect(store.getState().environments).toEqual([]);

    expect(await store.getState().createEnvironment('lab', '5.4')).toBe(true);
    expect(store.getState().selectedEnv).toBe('lab');
    expect(await store.getState().createEnvironment('lab', '5.4')).toBe(false);
    expect(store.getState().lastError).toMatch(/environment "lab" already exists/);

    await store.getState().search('circuit');
    expect(store.getState().hits[0]?.name).toBe('bioxen-circuits');
    await store.getState().search('circuit', 'data');
    expect(store.getState().hits.map((h) => h.name)).not.toContain('bioxen-circuits');

    await store.getState().select('bioxen-circuits');
    expect(store.getState().detail?.tree).toMatchObject({ name: 'bioxen-circuits', version: '0.1.0-1', dependencies: [] });

    await store.getState().install('bioxen-circuits');
    const job = store.getState().job!;
    expect(job).toMatchObject({ env: 'lab', phase: 'done', error: null });
    expect(progressFraction(job)).toBe(1);
    await waitFor('the streamed luarocks log', () => store.getState().job!.log.some((l) => l.includes('bioxen-circuits 0.1.0-1 is now installed')));
    expect(store.getState().installed.lab?.map((r) => r.name)).toEqual(['bioxen-circuits']);
    expect(store.getState().detail?.installedIn).toEqual([{ env: 'lab', version: '0.1.0-1' }]);
    expect(store.getState().recommendations.lab?.map((r) => r.name)).toEqual(expect.arrayContaining(['bioxen-seq', 'bioxen-olfi']));

    await store.getState().install('bioxen-circuits@9.9');
    expect(store.getState().job).toMatchObject({ phase: 'failed', error: expect.stringContaining('no version of bioxen-circuits matches "9.9"') });

    await store.getState().checkHealth('lab');
    expect(store.getState().health.lab).toMatchObject({ healthy: true, installedCount: 1 });
    disconnect();
  }, 60_000);

  it('keeps only the last lines of a long install log', () => {
    let log: string[] = [];
    for (let i = 0; i < MAX_LOG_LINES + 50; i++) log = appendLog(log, `line ${i}`);
    expect(log).toHaveLength(MAX_LOG_LINES);
    expect(log[0]).toBe('line 50');
    expect(log.at(-1)).toBe(`line ${MAX_LOG_LINES + 49}`);
    expect(progressFraction({ phase: 'installing', step: 1, total: 4 })).toBe(0.25);
    expect(progressFraction({ phase: 'resolving', step: 0, total: 0 })).toBe(0);
  });
});
