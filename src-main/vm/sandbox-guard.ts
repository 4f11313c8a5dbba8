// Which guard would enforce the limits of a runner on a given interpreter: asked of that interpreter
// itself, loading the sandbox as a runner does (the native guard loads only where it was built for
// the interpreter and its symbols resolve; see lua/runtime/sandbox.lua and scripts/build-native.mjs).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { withParentDeathSignal } from '../process/child-process';
import type { SandboxGuard } from './types';
import { findAppRoot } from '../app-root';

export function probeSandboxGuard(luaPath: string, luaRoot = findAppRoot()): Promise<SandboxGuard> {
  const sandbox = join(luaRoot, 'lua', 'runtime', 'sandbox.lua');
  const code = `local g = dofile(${JSON.stringify(sandbox)}).guard io.write(g.kind, "\\n", g.reason or "")`;
  const [command, args] = withParentDeathSignal(luaPath, ['-e', code]);
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 10_000, env: process.env }, (err, stdout, stderr) => {
      const [kind, ...reason] = stdout.split('\n');
      if (!err && (kind === 'timer' || kind === 'count-hook')) {
        resolve(reason.join('\n') ? { kind, reason: reason.join('\n') } : { kind });
        return;
      }
      resolve({ kind: 'count-hook', reason: `the sandbox did not load on ${luaPath}: ${(stderr || err?.message || stdout).trim().split('\n')[0]}` });
    });
  });
}
