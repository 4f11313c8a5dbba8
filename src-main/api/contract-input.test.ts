// Hostile input through the real dispatcher: bad example and script names, Windows device names and
// prototype keys as profile names all come back as invalid_input, mention no absolute path, and
// leave nothing behind.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAppRoot } from '../app-root';
import { Curator } from '../packages/curator';
import type { Services } from '../services';
import { Workspace } from '../workspace/workspace';
import { Api } from './api';
import { packagesApi } from './packages-api';
import { workspaceApi } from './workspace-api';

const ctx = { transport: 'websocket' } as const;
let dir: string;
let api: Api;
let workspace: Workspace;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bioxen-contract-input-'));
  const appRoot = findAppRoot();
  workspace = new Workspace(join(dir, 'scripts'), join(appRoot, 'resources', 'examples'));
  const packages = new Curator({ dataDir: dir, includePublic: false });
  api = new Api({ workspace, packages } as unknown as Services, [workspaceApi, packagesApi], () => undefined);
});

afterAll(() => {
  api?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function expectInvalid(name: string, input: unknown): Promise<void> {
  const reply = await api.invoke(name, input, ctx);
  expect(reply, `${name} ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  if (!reply.ok) expect(reply.error.message).not.toMatch(/(^|[\s"'(])\/(tmp|work|home|root|usr)\//);
}

describe('contract input the services must refuse', () => {
  it('workspace:fromExample refuses a NUL byte, folders and device names as invalid_input without paths', async () => {
    for (const example of ['hello\0.lua', 'hello.lua\0', '../../../etc/passwd', 'nested/hello.lua', 'CON.lua', 'x'.repeat(150)]) {
      await expectInvalid('workspace:fromExample', { example });
    }
    await expectInvalid('workspace:fromExample', { example: readdirSync(join(findAppRoot(), 'resources', 'examples'))[0], name: 'nul.lua\0' });
    expect(existsSync(join(dir, 'scripts')) ? readdirSync(join(dir, 'scripts')) : []).toEqual([]);
  });

  it('refuses Windows device names as script names on every platform, in any case and with any extension', async () => {
    const devices = ['CON', 'con', 'Nul', 'AUX', 'prn', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM0', 'Lpt0'];
    for (const device of devices) {
      for (const name of [`${device}.lua`, `${device}.txt.lua`, `${device} .lua`]) {
        await expectInvalid('workspace:write', { name, content: '' });
        await expectInvalid('workspace:saveAs', { name, content: '' });
        await expectInvalid('workspace:read', { name });
      }
    }
    await expectInvalid('workspace:sessionScript', { sessionId: 'CON' });
    await expectInvalid('workspace:sessionScript', { sessionId: 'lpt1.x' });
    expect(await api.invoke('workspace:write', { name: 'console.lua', content: 'print(1)' }, ctx)).toMatchObject({ ok: true });
    expect(await api.invoke('workspace:write', { name: 'COM10.lua', content: '' }, ctx)).toMatchObject({ ok: true });
    expect(readdirSync(join(dir, 'scripts')).sort()).toEqual(['COM10.lua', 'console.lua']);
  });

  it('packages:bootstrap refuses prototype keys and unknown profiles and creates no environment', async () => {
    for (const profile of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'no-such-profile']) {
      await expectInvalid('packages:bootstrap', { env: 'proto-env', profile });
    }
    expect(existsSync(join(dir, 'envs', 'proto-env'))).toBe(false);
    expect(await api.invoke('packages:environments', {}, ctx)).toEqual({ ok: true, value: { environments: [] } });
  });
});
