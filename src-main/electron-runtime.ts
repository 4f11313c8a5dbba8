// Whether the Electron runtime can start on this machine (its binary is downloaded separately and
// may be missing, e.g. on headless build boxes). Plain Node: the browser host reports it too.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function electronBinary(appRoot: string): string | null {
  const pathFile = join(appRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(appRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

export function electronAvailable(appRoot: string): boolean {
  return Boolean(process.versions.electron) || electronBinary(appRoot) !== null;
}
