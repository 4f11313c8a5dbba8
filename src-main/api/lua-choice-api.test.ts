// Trust boundary: a window chooses a Lua interpreter only by the id of one the workbench discovered.
// A path (or an unknown id) in settings:update or sessions:create is invalid_input before anything
// runs: the "Lua" here is a shell script that leaves a marker file when it is run.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../services';
import { createApi, type Api } from './index';

const websocket = { transport: 'websocket' } as const;
let dir: string;
let marker: string;
let fakeLua: string;
let services: Services;
let api: Api;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bioxen-lua-choice-'));
  marker = join(dir, 'ran');
  fakeLua = join(dir, 'not-lua.sh');
  writeFileSync(fakeLua, `#!/bin/sh\ntouch '${marker}'\necho 'Lua 5.4.6  Copyright (C) 1994-2023 Lua.org, PUC-Rio'\n`);
  chmodSync(fakeLua, 0o755);
  services = await createServices({ dataDir: join(dir, 'data'), restoreSessions: false, log: () => undefined });
  api = createApi(services, () => undefined);
});

afterAll(async () => {
  api?.dispose();
  await services?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('choosing a Lua interpreter over the contract', () => {
  it('refuses paths and unknown ids with invalid_input and never runs them', async () => {
    for (const [name, input] of [
      ['settings:update', { luaExecutable: fakeLua }],
      ['settings:update', { luaExecutable: '/bin/sh' }],
      ['settings:update', { luaExecutable: 'sh' }],
      ['sessions:create', { id: 'evil-1', luaVersion: fakeLua }],
      ['sessions:create', { id: 'evil-2', luaVersion: 'sh' }],
      ['sessions:create', { id: 'evil-3', luaVersion: '../../bin/sh' }],
    ] as const) {
      const reply = await api.invoke(name, input, websocket);
      expect(reply, `${name} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(existsSync(marker)).toBe(false);
    expect(services.settings.get().luaExecutable).toBeNull();
    expect(services.vm.listSessions()).toEqual([]);
  });

  it('accepts the id of a discovered interpreter, which app:info lists', async () => {
    const info = await api.invoke('app:info', {}, websocket);
    if (!info.ok) throw new Error(info.error.message);
    expect((info.value as { luaVersions: { id: string }[] }).luaVersions.map((l) => l.id)).toEqual(expect.arrayContaining(['lua5.4', 'luajit']));
    expect(await api.invoke('settings:update', { luaExecutable: '5.3' }, websocket)).toMatchObject({ ok: true, value: { luaExecutable: 'lua5.3' } });
    expect(await api.invoke('settings:update', { luaExecutable: 'luajit' }, websocket)).toMatchObject({ ok: true, value: { luaExecutable: 'luajit' } });
    const session = await api.invoke('sessions:create', { id: 'jit' }, websocket);
    expect(session).toMatchObject({ ok: true, value: { luaVersion: '5.1', luaExecutable: expect.stringContaining('luajit') } });
    expect(await api.invoke('sessions:create', { id: 'five-three', luaVersion: 'lua5.3' }, websocket)).toMatchObject({ ok: true, value: { luaVersion: '5.3' } });
  });

  it('adds an interpreter only through a dialog the desktop app runs: a browser is told to use the CLI', async () => {
    const reply = await api.invoke('settings:addLuaExecutable', {}, websocket);
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('bioxen lua-versions --add') } });
    expect(await api.invoke('settings:addLuaExecutable', { path: fakeLua }, websocket)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(existsSync(marker)).toBe(false);
  });
});
