import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointFromSetting } from '../metrics/endpoint';
import { DEFAULT_SETTINGS, SettingsStore } from './settings-store';

describe('SettingsStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bioxen-settings-'));
    file = join(dir, 'settings.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps keys it does not know (a newer version\'s, or the user\'s own) on the next save', async () => {
    const saved = { theme: 'light', fromNewerVersion: { colour: 'teal' }, myNote: 'keep me', limits: { memoryMb: 64, gpuMb: 3 }, editor: { fontSize: 16, ligatures: true } };
    await writeFile(file, JSON.stringify(saved));
    const store = await SettingsStore.open(file);
    expect(store.get()).not.toHaveProperty('myNote');
    await store.update({ theme: 'dark', limits: { memoryMb: 128 } });
    await store.update({ editor: { fontSize: 18 } });
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written).toMatchObject({ theme: 'dark', fromNewerVersion: { colour: 'teal' }, myNote: 'keep me', limits: { memoryMb: 128, gpuMb: 3 }, editor: { fontSize: 18, ligatures: true } });
    expect((await SettingsStore.open(file)).get().limits.memoryMb).toBe(128);
  });

  it('writes settings.json 0600 (it may hold a Redis password) in a 0700 folder', async () => {
    const nested = join(dir, 'fresh-data', 'settings.json');
    const store = await SettingsStore.open(nested);
    await store.update({ redisUrl: 'redis://lab:s3cret@10.0.0.5:6380/2' });
    expect((await stat(nested)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'fresh-data'))).mode & 0o777).toBe(0o700);
  });

  it('starts from the defaults when the file is missing', async () => {
    expect((await SettingsStore.open(file)).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('shows windows the Redis URL with its password masked and keeps the password when it comes back masked', async () => {
    const store = await SettingsStore.open(file);
    await store.update({ redisUrl: 'redis://lab:s3cret@10.0.0.5:6380/2' });
    expect(store.view().redisUrl).toBe('redis://lab:***@10.0.0.5:6380/2');
    expect(JSON.stringify(store.view())).not.toContain('s3cret');
    const kept = await store.updateFromView({ redisUrl: store.view().redisUrl, theme: 'light' });
    expect(kept.redisUrl).toBe('redis://lab:***@10.0.0.5:6380/2');
    expect(store.get().redisUrl).toBe('redis://lab:s3cret@10.0.0.5:6380/2');
    await store.updateFromView({ redisUrl: 'redis://lab:other@10.0.0.5:6380/2' });
    expect(store.get().redisUrl).toBe('redis://lab:other@10.0.0.5:6380/2');
  });

  it('keeps the Ol-Fi stream key, olfi_stream by default, and refuses one with spaces', async () => {
    const store = await SettingsStore.open(file);
    expect(store.get().olfiStream).toBe('olfi_stream');
    await expect(store.update({ olfiStream: 'bad key' })).rejects.toThrow(/must not contain spaces/);
    expect((await store.update({ olfiStream: 'lab:olfi' })).olfiStream).toBe('lab:olfi');
  });

  it('keeps the metrics stream key, bioxen_metrics by default, and refuses one equal to the Ol-Fi stream key', async () => {
    const store = await SettingsStore.open(file);
    expect(store.get().metricsStream).toBe('bioxen_metrics');
    await expect(store.update({ metricsStream: 'bad key' })).rejects.toThrow(/metrics stream key may only use letters, digits/);
    await expect(store.update({ metricsStream: 'olfi_stream' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'settings: metricsStream: the metrics stream key must differ from the Ol-Fi stream key: Ol-Fi frames and hypervisor metrics each need their own stream',
    });
    await expect(store.update({ olfiStream: 'bioxen_metrics' })).rejects.toThrow(/must differ from the Ol-Fi stream key/);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect((await store.update({ metricsStream: 'lab:metrics' })).metricsStream).toBe('lab:metrics');
    expect((await SettingsStore.open(file)).get().metricsStream).toBe('lab:metrics');
  });

  it('loads a settings file from before the metrics stream key, and names the file when its two streams are equal', async () => {
    const before = { ...DEFAULT_SETTINGS, olfiStream: 'lab_olfi' } as Partial<typeof DEFAULT_SETTINGS>;
    delete before.metricsStream;
    await writeFile(file, JSON.stringify(before));
    expect((await SettingsStore.open(file)).get()).toEqual({ ...DEFAULT_SETTINGS, olfiStream: 'lab_olfi', metricsStream: 'bioxen_metrics' });
    // Ol-Fi on the metrics' default stream: the metrics move aside instead of the file being refused.
    await writeFile(file, JSON.stringify({ ...before, olfiStream: 'bioxen_metrics' }));
    expect((await SettingsStore.open(file)).get()).toMatchObject({ olfiStream: 'bioxen_metrics', metricsStream: 'bioxen_hypervisor_metrics' });
    await writeFile(file, JSON.stringify({ olfiStream: 'same', metricsStream: 'same' }));
    await expect(SettingsStore.open(file)).rejects.toThrow(/settings\.json: metricsStream: the metrics stream key must differ from the Ol-Fi stream key.*delete the file/);
  });

  it('merges a partial update, persists it and announces it', async () => {
    const store = await SettingsStore.open(file);
    const seen: string[] = [];
    store.on('changed', (s) => seen.push(s.theme));
    const next = await store.update({ theme: 'light', limits: { memoryMb: 64 } });
    expect(next.theme).toBe('light');
    expect(next.limits).toEqual({ ...DEFAULT_SETTINGS.limits, memoryMb: 64 });
    expect(seen).toEqual(['light']);
    const reopened = await SettingsStore.open(file);
    expect(reopened.get()).toEqual(next);
    expect(JSON.parse(await readFile(file, 'utf8')).limits.memoryMb).toBe(64);
  });

  it('rejects an invalid update without changing anything', async () => {
    const store = await SettingsStore.open(file);
    await expect(store.update({ redisUrl: 'http://localhost' } as never)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('redisUrl') });
    await expect(store.update({ limits: { memoryMb: -1 } })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('takes the hypervisor endpoint as tcp://host:port or host:port, and the bridge parses what it takes', async () => {
    const store = await SettingsStore.open(file);
    const accepted: [string, { host: string; port: number }][] = [
      ['tcp://127.0.0.1:12345', { host: '127.0.0.1', port: 12345 }],
      ['tcp://hv.lab:4000', { host: 'hv.lab', port: 4000 }],
      ['tcp://[::1]:9000', { host: '::1', port: 9000 }],
      ['hv.lab:1', { host: 'hv.lab', port: 1 }],
      ['10.0.0.2:65535', { host: '10.0.0.2', port: 65535 }],
      ['[fe80::1]:12345', { host: 'fe80::1', port: 12345 }],
      // URLs saved by earlier versions stay valid.
      ['http://127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
      ['ws://hv.lab:9001', { host: 'hv.lab', port: 9001 }],
    ];
    for (const [value, endpoint] of accepted) {
      expect((await store.update({ hypervisorEndpoint: value })).hypervisorEndpoint).toBe(value);
      expect(endpointFromSetting(value)).toEqual(endpoint);
    }
    for (const value of ['hv.lab', 'hv.lab:0', 'hv.lab:65536', 'hv_lab:4000', '[not-ipv6]:1', 'tcp://hv.lab', 'tcp://hv.lab:0', 'tcp://hv.lab:1/path', 'udp://hv.lab:1', ':12345']) {
      await expect(store.update({ hypervisorEndpoint: value }), value).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining('hypervisorEndpoint: the hypervisor endpoint must be tcp://host:port or host:port with a port from 1 to 65535'),
      });
    }
    expect(store.get().hypervisorEndpoint).toBe('ws://hv.lab:9001');
    expect((await store.update({ hypervisorEndpoint: null })).hypervisorEndpoint).toBeNull();
  });

  it('fills fields a file omits and names the file when it is broken', async () => {
    await writeFile(file, JSON.stringify({ theme: 'light' }));
    expect((await SettingsStore.open(file)).get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'light' });
    await writeFile(file, '{ nope');
    await expect(SettingsStore.open(file)).rejects.toThrow(/settings\.json is not valid JSON.*delete it/);
    await writeFile(file, JSON.stringify({ theme: 'pink' }));
    await expect(SettingsStore.open(file)).rejects.toThrow(/theme/);
  });

  it('keeps both of two concurrent updates', async () => {
    const store = await SettingsStore.open(file);
    await Promise.all([store.update({ theme: 'light' }), store.update({ editor: { fontSize: 20 } })]);
    const reopened = (await SettingsStore.open(file)).get();
    expect([reopened.theme, reopened.editor.fontSize]).toEqual(['light', 20]);
  });

  it('returns copies, so callers cannot mutate the stored settings', async () => {
    const store = await SettingsStore.open(file);
    store.get().limits.memoryMb = 1;
    expect(store.get().limits.memoryMb).toBe(DEFAULT_SETTINGS.limits.memoryMb);
  });
});
