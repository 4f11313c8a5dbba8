// Which Lua interpreter serves each Lua version a LuaRocks tree can target. LuaJIT speaks 5.1.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const LUA_VERSIONS = ['5.1', '5.2', '5.3', '5.4'] as const;
export type LuaVersion = (typeof LUA_VERSIONS)[number];

const CANDIDATES: Record<LuaVersion, readonly string[]> = {
  '5.1': ['lua5.1', 'luajit'],
  '5.2': ['lua5.2'],
  '5.3': ['lua5.3'],
  '5.4': ['lua5.4'],
};

/** Absolute path of `command` on PATH, or undefined. */
export function findOnPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

export function luaFor(version: LuaVersion): string | undefined {
  for (const name of CANDIDATES[version]) {
    const found = findOnPath(name);
    if (found) return found;
  }
  return undefined;
}

/** Any interpreter: reading Lua data files works with every version. */
export function anyLua(): string | undefined {
  return luaFor('5.4') ?? luaFor('5.3') ?? luaFor('5.1') ?? luaFor('5.2');
}

export function isLuaVersion(value: string): value is LuaVersion {
  return (LUA_VERSIONS as readonly string[]).includes(value);
}
