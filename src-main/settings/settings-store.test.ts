import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsStore } from './settings-store';

describe('SettingsStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bioxen-settings-'));
    file = join(dir, 'settings.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('starts from the defaults when the file is missing', async () => {
    expect((await SettingsStore.open(file)).get()).toEqual(DEFAULT_SETTINGS);
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
