import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsStore } from '../settings/settings-store';
import { LuaChoiceError, LuaNotFoundError } from './errors';
import { discoverLua, LuaInterpreters, parseBanner, probeLua, resolveLua, which } from './lua-discovery';
import { VMManager } from './vm-manager';
import { VMLogger } from './logger';

const scratch = mkdtempSync(join(tmpdir(), 'bioxen-lua-discovery-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('Lua discovery', () => {
  it('parses PUC Lua and LuaJIT banners', () => {
    expect(parseBanner('Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio')).toEqual({ version: '5.4', banner: 'Lua 5.4.4', isLuaJIT: false });
    expect(parseBanner('LuaJIT 2.1.0-beta3 -- Copyright (C) 2005-2022 Mike Pall.')).toEqual({ version: '5.1', banner: 'LuaJIT 2.1.0-beta3', isLuaJIT: true });
    expect(parseBanner('Python 3.11')).toBeUndefined();
  });

  it('finds the installed interpreters, lua5.4 first, each once, each with its id', async () => {
    const found = await discoverLua();
    expect(found[0]).toMatchObject({ id: 'lua5.4', version: '5.4', isLuaJIT: false });
    expect(found.find((l) => l.isLuaJIT)).toMatchObject({ id: 'luajit' });
    expect(found.some((l) => l.version === '5.1' && !l.isLuaJIT)).toBe(true);
    expect(new Set(found.map((l) => l.banner)).size).toBe(found.length);
  });

  it('resolves names, versions and paths; explains what is missing', async () => {
    expect((await resolveLua()).version).toBe('5.4');
    expect(await resolveLua('5.1')).toMatchObject({ version: '5.1', isLuaJIT: false });
    expect((await probeLua('luajit')).isLuaJIT).toBe(true);
    await expect(probeLua('lua9.9')).rejects.toThrow(LuaNotFoundError);
    await expect(probeLua('/bin/true')).rejects.toThrow(/does not look like Lua/);
    if (!which('lua5.2')) await expect(resolveLua('5.2')).rejects.toThrow(/No Lua 5.2 found/);
  });

  it('does not take a program that only fakes the banner for Lua', async () => {
    const fake = script('fake-lua', `echo 'Lua 5.4.6  Copyright (C) 1994-2023 Lua.org, PUC-Rio'; echo "bioxen-probe:42:Lua 5.4"`);
    await expect(probeLua(fake)).rejects.toThrow(/did not evaluate Lua/);
  });
});

describe('LuaInterpreters: the set a window may choose from', () => {
  it('adds a real interpreter for good (kept in the data dir) and refuses a fake one', async () => {
    const dataDir = join(scratch, 'data-add');
    const interpreters = new LuaInterpreters({ dataDir });
    const fake = script('pretend-lua', `echo 'Lua 5.4.6  Copyright (C) 1994-2023 Lua.org, PUC-Rio'`);
    await expect(interpreters.add(fake)).rejects.toThrow(/did not evaluate Lua.*nothing was added/);
    await expect(interpreters.add(join(scratch, 'missing'))).rejects.toBeInstanceOf(LuaChoiceError);
    const wrapper = script('my-lua', `exec ${which('lua5.3')} "$@"`);
    const added = await interpreters.add(wrapper);
    expect(added).toMatchObject({ version: '5.3', path: wrapper, id: expect.stringMatching(/^my-lua-[0-9a-f]{8}$/) });
    expect(await interpreters.add(wrapper)).toEqual(added);
    const reopened = new LuaInterpreters({ dataDir });
    expect((await reopened.list()).map((l) => l.id)).toEqual(expect.arrayContaining(['lua5.4', added.id]));
    expect(await reopened.resolve(added.id)).toMatchObject({ path: wrapper });
    await expect(reopened.resolve(fake)).rejects.toBeInstanceOf(LuaChoiceError);
  });

  it('adds what the desktop app\'s file dialog returns, only for the desktop app; a cancelled dialog adds nothing', async () => {
    const dataDir = join(scratch, 'data-dialog');
    const wrapper = script('dialog-lua', `exec ${which('lua5.2') ?? which('lua5.1')} "$@"`);
    let answer: string | undefined = wrapper;
    const interpreters = new LuaInterpreters({ dataDir, chooseExecutable: async () => answer });
    await expect(interpreters.addChosen('websocket')).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('bioxen lua-versions --add') });
    expect(await interpreters.addChosen('electron')).toMatchObject({ path: wrapper, id: expect.stringMatching(/^dialog-lua-/) });
    answer = undefined;
    expect(await interpreters.addChosen('electron')).toBeNull();
    await expect(new LuaInterpreters({ dataDir }).addChosen('electron')).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('maps an older settings file\'s Lua path to its id, and drops a path that is not a discovered Lua without running it', async () => {
    const marker = join(scratch, 'settings-ran');
    const evil = script('evil-lua', `touch '${marker}'`);
    const lua = new LuaInterpreters();
    const warnings: string[] = [];
    const open = async (luaExecutable: string) => {
      const file = join(scratch, `settings-${warnings.length}-${Math.random()}.json`);
      writeFileSync(file, JSON.stringify({ theme: 'light', luaExecutable }));
      return (await SettingsStore.open(file, { lua, log: (m) => warnings.push(m) })).get();
    };
    expect(await open(which('lua5.4')!)).toMatchObject({ theme: 'light', luaExecutable: 'lua5.4' });
    expect(await open('luajit')).toMatchObject({ luaExecutable: 'luajit' });
    expect(warnings).toEqual([]);
    expect(await open(evil)).toMatchObject({ theme: 'light', luaExecutable: null });
    expect(warnings).toEqual([expect.stringContaining('not a Lua interpreter the workbench discovered')]);
    expect(existsSync(marker)).toBe(false);
  });

  it('restores saved VMs whose Lua is known and drops one whose saved path is another program', async () => {
    const marker = join(scratch, 'vm-ran');
    const evil = script('evil-vm-lua', `touch '${marker}'`);
    const dataDir = join(scratch, 'data-vms');
    const definition = (id: string, luaExecutable: string) => ({
      id,
      luaExecutable,
      capabilities: { networked: false, fs: false, olfi: false, metrics: false },
      limits: { instructionQuota: 0, memoryMb: 64, timeoutMs: 0, outputBytes: 65536 },
      interactive: true,
      createdAt: 0,
    });
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'vms.json'), JSON.stringify({ version: 1, vms: [definition('good', which('lua5.4')!), definition('bad', evil)] }));
    const lua = new LuaInterpreters();
    await using manager = new VMManager({ dataDir, resolveLua: (requested) => lua.resolve(requested), logger: new VMLogger({ sink: () => undefined }, {}) });
    const { restored, failed } = await manager.restorePersistent();
    expect(restored).toEqual(['good']);
    expect(failed).toEqual([{ id: 'bad', error: expect.stringContaining('not an interpreter the workbench discovered') }]);
    expect(existsSync(marker)).toBe(false);
  });
});
