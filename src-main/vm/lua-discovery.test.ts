import { describe, expect, it } from 'vitest';
import { LuaNotFoundError } from './errors';
import { discoverLua, parseBanner, probeLua, resolveLua, which } from './lua-discovery';

describe('Lua discovery', () => {
  it('parses PUC Lua and LuaJIT banners', () => {
    expect(parseBanner('Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio')).toEqual({ version: '5.4', banner: 'Lua 5.4.4', isLuaJIT: false });
    expect(parseBanner('LuaJIT 2.1.0-beta3 -- Copyright (C) 2005-2022 Mike Pall.')).toEqual({ version: '5.1', banner: 'LuaJIT 2.1.0-beta3', isLuaJIT: true });
    expect(parseBanner('Python 3.11')).toBeUndefined();
  });

  it('finds the installed interpreters, lua5.4 first, each once', async () => {
    const found = await discoverLua();
    expect(found[0]).toMatchObject({ version: '5.4', isLuaJIT: false });
    expect(found.some((l) => l.isLuaJIT)).toBe(true);
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
});
