// Finds Lua executables and reports their versions. Debian's plain `lua` is often 5.1, so nothing
// here assumes a version from a name: every candidate is asked (`-v`), and the answer is cached.
import { execFile } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { LuaNotFoundError } from './errors';
import type { LuaExecutable } from './types';

/** Preference order when no executable is requested. */
export const LUA_CANDIDATES = ['lua5.4', 'lua5.3', 'luajit', 'lua5.2', 'lua', 'lua5.1'] as const;

const probes = new Map<string, Promise<LuaExecutable>>();

/** Absolute path of `name` on PATH (or `name` itself when it is a path), if executable. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const isExecutable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (name.includes('/') || isAbsolute(name)) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Parses `lua -v` output: "Lua 5.4.4  Copyright…" or "LuaJIT 2.1.0-beta3 -- …". */
export function parseBanner(text: string): { version: string; banner: string; isLuaJIT: boolean } | undefined {
  const jit = /LuaJIT \S+/.exec(text);
  if (jit) return { version: '5.1', banner: jit[0], isLuaJIT: true };
  const lua = /Lua (5\.[1-4])(\.\d+)?/.exec(text);
  if (lua) return { version: lua[1]!, banner: lua[0], isLuaJIT: false };
  return undefined;
}

function runVersion(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-v'], { timeout: 5000, env: { PATH: process.env.PATH ?? '' } }, (err, stdout, stderr) => {
      // Lua 5.1 prints its banner on stderr.
      if (err && !stdout && !stderr) reject(err);
      else resolve(`${stdout}${stderr}`);
    });
  });
}

/** Asks one executable for its version (cached per path). */
export function probeLua(nameOrPath: string): Promise<LuaExecutable> {
  const path = which(nameOrPath);
  if (!path) {
    return Promise.reject(
      new LuaNotFoundError(`Lua executable "${nameOrPath}" not found or not executable — install it (apt install lua5.4) or pass a full path`),
    );
  }
  let probe = probes.get(path);
  if (!probe) {
    probe = runVersion(path).then(
      (text) => {
        const parsed = parseBanner(text);
        if (!parsed) throw new LuaNotFoundError(`"${path}" does not look like Lua: \`${path} -v\` printed "${text.trim().slice(0, 120)}"`);
        return { path, ...parsed };
      },
      (err: Error) => {
        throw new LuaNotFoundError(`"${path} -v" failed (${err.message}) — check the executable or pick another Lua`);
      },
    );
    probe.catch(() => probes.delete(path));
    probes.set(path, probe);
  }
  return probe;
}

/** Every Lua found on PATH, in preference order, without duplicates (`lua` is often a link to one of the others). */
export async function discoverLua(env: NodeJS.ProcessEnv = process.env): Promise<LuaExecutable[]> {
  const found: LuaExecutable[] = [];
  const seen = new Set<string>();
  for (const name of LUA_CANDIDATES) {
    const path = which(name, env);
    if (!path) continue;
    let real = path;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    try {
      found.push(await probeLua(path));
    } catch {
      // A broken candidate is skipped; the caller sees only working ones.
    }
  }
  return found;
}

/**
 * The executable to run: the requested one (a name, a path, or a version such as "5.1" or
 * "luajit"), otherwise the best discovered.
 */
export async function resolveLua(requested?: string): Promise<LuaExecutable> {
  if (requested && /^5\.[1-4]$/.test(requested)) {
    const match = (await discoverLua()).find((l) => l.version === requested && !l.isLuaJIT) ?? (await discoverLua()).find((l) => l.version === requested);
    if (!match) throw new LuaNotFoundError(`No Lua ${requested} found on PATH — install it (apt install lua${requested}) or pass an executable path`);
    return match;
  }
  if (requested) return probeLua(requested);
  const best = (await discoverLua())[0];
  if (!best) throw new LuaNotFoundError('No Lua found on PATH (looked for lua5.4, lua5.3, luajit, lua5.2, lua, lua5.1) — install one: apt install lua5.4');
  return best;
}
