// Where the workbench keeps its state (sessions, scripts, environments, Redis data, settings).
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Data-dir files that hold secrets (a Redis password, the embedded server's record): 0600. */
export const SECRET_FILES = ['settings.json', join('redis', 'server.json')] as const;

/** Precedence: explicit flag (`--data-dir`), then `BIOXEN_DATA_DIR`, then the platform's app-data folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return resolve(flag);
  if (env.BIOXEN_DATA_DIR) return resolve(env.BIOXEN_DATA_DIR);
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'BioXen Workbench');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'BioXen Workbench');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'bioxen-workbench');
}

/**
 * Creates the data dir 0700 (in one step, with the mode), or tightens an existing one to 0700, and the files
 * that hold secrets to 0600. Nothing else is touched: the user's scripts keep the modes they have. Links
 * are never followed, and only what this user owns is changed.
 */
export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
  for (const file of SECRET_FILES) tighten(join(dir, file), 0o600);
}

function tighten(path: string, allowed: number): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isSymbolicLink() || (process.getuid !== undefined && stat.uid !== process.getuid())) return;
  if (stat.mode & 0o777 & ~allowed) chmodSync(path, stat.mode & allowed);
}
