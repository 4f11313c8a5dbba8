// What app:info reports: the workbench version, the Lua executables found, and where things are.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo, LuaExecutable } from '../src-preload/contract/app';
import { electronAvailable } from './electron-runtime';

export type { AppInfo } from '../src-preload/contract/app';

/** The folder holding the workbench's package.json, from source (tsx) or from the built out/main. */
export function findAppRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'bioxen-workbench') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the workbench's package.json above ${from} — run it from its installation folder`);
  }
}

export class AppInfoService {
  private readonly version: string;

  constructor(
    private readonly appRoot: string,
    private readonly dataDir: string,
    private readonly discoverLua: () => Promise<LuaExecutable[]>,
    private readonly warnings: readonly string[] = [],
  ) {
    this.version = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  }

  async info(transport: AppInfo['transport']): Promise<AppInfo> {
    return {
      name: 'BioXen Workbench',
      version: this.version,
      luaVersions: await this.discoverLua(),
      transport,
      dataDir: this.dataDir,
      electronAvailable: electronAvailable(this.appRoot),
      platform: process.platform,
      warnings: [...this.warnings],
    };
  }
}
