// A folder only this user can enter, for the files that steer child processes (a runner's interrupt request).
// In shared /tmp under a guessable name another local user could plant a symlink there (an interrupt then
// overwrote its target) or write the file (and interrupt someone else's run). The folder is made inside
// XDG_RUNTIME_DIR (per user, 0700) when there is a usable one, else in the temp dir; either way by mkdtemp:
// an unguessable name, created 0700 in one step. One per process, removed when it exits.
import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

let current: string | undefined;

export function privateRuntimeDir(): string {
  if (current && isPrivateDir(current)) return current;
  const made = mkdtempSync(join(runtimeBase(), 'bioxen-'));
  if (!isPrivateDir(made)) throw new Error(`${made} is not a private folder (0700, owned by this user) — check the permissions of ${runtimeBase()}`);
  if (current === undefined) process.once('exit', () => current && rmSync(current, { recursive: true, force: true }));
  current = made;
  return made;
}

function runtimeBase(): string {
  const xdg = process.env.XDG_RUNTIME_DIR;
  return xdg && isAbsolute(xdg) && isPrivateDir(xdg) ? xdg : tmpdir();
}

/** A real folder (not a link to one), owned by this user, that nobody else may enter. */
function isPrivateDir(path: string): boolean {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid()) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}
