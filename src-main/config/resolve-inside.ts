// Paths built from names that came from outside (repository manifests, rockspecs, a window) must stay
// in the folder they are meant for. resolveInside is the one check: it resolves "..", then follows
// the symlinks of the part of the path that exists, so neither a name nor a planted link leads out.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ErrorCode } from '../../src-preload/contract/define';

export class PathEscapeError extends Error {
  override readonly name = 'PathEscapeError';
  readonly code: ErrorCode = 'forbidden';
}

/** `root/...parts`, resolved; throws PathEscapeError unless it is root or below it, symlinks included. */
export function resolveInside(root: string, ...parts: string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...parts);
  const shown = JSON.stringify(parts.join('/').slice(0, 200));
  if (parts.some((p) => p.includes('\0'))) throw new PathEscapeError(`refused path ${shown}: it contains a NUL byte`);
  if (!within(base, target)) throw new PathEscapeError(`refused path ${shown}: it leads out of ${base}`);
  const [realBase, realTarget] = [realOfExisting(base), realOfExisting(target)];
  if (realBase === undefined || realTarget === undefined || !within(realBase, realTarget)) {
    throw new PathEscapeError(`refused path ${shown}: a symbolic link under ${base} leads out of it — remove the link`);
  }
  return target;
}

function within(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of the longest existing prefix, with the rest appended; a dangling link counts as leading out. */
function realOfExisting(path: string): string | undefined {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.unshift(existing.slice(parent.length).replace(/^[/\\]/, ''));
      existing = parent;
    }
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return undefined;
  }
}
