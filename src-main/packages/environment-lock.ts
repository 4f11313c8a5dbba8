// A cross-process lock on one environment (a directory created atomically, holding the owner's
// pid), so the app and the CLI never run luarocks on the same tree at once. A lock whose owner is
// gone is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PackageError } from './package-error';
import { pidExists } from '../process/pid';

const POLL_MS = 100;


function ownerOf(lockDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(lockDir, 'pid'), 'utf8'), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryTake(lockDir: string): boolean {
  try {
    mkdirSync(lockDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return false;
  }
  writeFileSync(join(lockDir, 'pid'), String(process.pid));
  return true;
}

/** Wait for the lock (up to waitMs), run task, release. */
export async function withEnvironmentLock<T>(lockDir: string, env: string, waitMs: number, task: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  while (!tryTake(lockDir)) {
    const owner = ownerOf(lockDir);
    // A lock without a pid file is being created right now; one whose owner died is stale.
    if (owner !== undefined && !pidExists(owner)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new PackageError('conflict', `environment "${env}" is busy with another package operation${owner ? ` (process ${owner})` : ''} — wait for it to finish and try again`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await task();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
