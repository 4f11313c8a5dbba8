// What app:info reports: the workbench version, the Lua executables found, and where things are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, LuaExecutable } from '../src-preload/contract/app';
import { electronAvailable } from './electron-runtime';

export type { AppInfo } from '../src-preload/contract/app';

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
