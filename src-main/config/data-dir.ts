// Where the workbench keeps its state (sessions, scripts, environments, Redis data, settings).
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Precedence: explicit flag (`--data-dir`), then `BIOXEN_DATA_DIR`, then the platform's app-data folder. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return resolve(flag);
  if (env.BIOXEN_DATA_DIR) return resolve(env.BIOXEN_DATA_DIR);
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'BioXen Workbench');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'BioXen Workbench');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'bioxen-workbench');
}
