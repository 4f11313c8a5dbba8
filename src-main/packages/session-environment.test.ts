// Sessions bound to an environment see its rocks: the real VM engine (lua5.4 runner, sandbox) with
// the curator's resolveEnvironment. The engine gets a Lua root without lua/packages, so the bundled
// sources cannot stand in for what the environment installed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VMManager } from '../vm/vm-manager';
import { Curator } from './curator';
import { buildFixtureRepository, FIXTURE_ROCKS } from './fixtures/fixture-repository';
import { resourcesDir } from './resource-paths';

const projectRoot = join(resourcesDir, '..');
let root: string;
let curator: Curator;
let vms: VMManager;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bioxen-session-env-'));
  const bundled = join(root, 'bundled');
  execFileSync(process.execPath, [join(projectRoot, 'scripts', 'build-rocks.mjs')], { env: { ...process.env, BIOXEN_ROCKS_DIR: bundled }, stdio: 'pipe' });
  const fixtures = buildFixtureRepository(join(root, 'fixtures'), FIXTURE_ROCKS.filter((r) => r.name === 'fixture-cmod'));
  curator = new Curator({ dataDir: join(root, 'data'), bundledDir: bundled, includePublic: false });
  curator.repositories.add(fixtures);
  curator.createEnvironment('bio');
  await curator.install('bio', 'bioxen-seq');
  await curator.install('bio', 'fixture-cmod');
  curator.createEnvironment('circuits');
  await curator.install('circuits', 'bioxen-circuits');
  const luaRoot = join(root, 'lua-root');
  mkdirSync(join(luaRoot, 'lua'), { recursive: true });
  symlinkSync(join(projectRoot, 'lua', 'runtime'), join(luaRoot, 'lua', 'runtime'));
  vms = new VMManager({ dataDir: join(root, 'vm-data'), luaRoot, resolveEnvironment: curator.environments.resolveEnvironment });
}, 120_000);

afterAll(async () => {
  await vms?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('sessions bound to environments', () => {
  it('requires an installed rock in a sandboxed VM, and not without the environment', async () => {
    await vms.createVM('with-env', { environment: 'bio' });
    const ok = await vms.executeVMSync('with-env', 'return require("bioxen.seq").reverse_complement("AACG")');
    expect(ok.values).toEqual(['CGTT']);
    await vms.createVM('no-env');
    const missing = await vms.executeVMSync('no-env', 'return require("bioxen.seq")');
    expect(missing.success).toBe(false);
    expect(missing.error?.message).toMatch(/bioxen\.seq/);
  });

  it('loads a C rock only with the native capability', async () => {
    await vms.createVM('native', { environment: 'bio', capabilities: { native: true } });
    expect((await vms.executeVMSync('native', 'return require("fixture.cmod").add(20, 22)')).values[0]).toMatch(/^42(\.0)?$/);
    await vms.createVM('plain', { environment: 'bio' });
    const blocked = await vms.executeVMSync('plain', 'return require("fixture.cmod")');
    expect(blocked.success).toBe(false);
    expect(blocked.error?.message).toMatch(/native capability/);
  });

  it('switches a live session to another environment and loads a package there', async () => {
    const session = await vms.createInteractiveVM('live', { environment: 'bio' });
    await session.setEnvironment('circuits');
    await session.loadPackage('bioxen.circuits');
    const result = await session.run('return #circuits.simulate(circuits.models.toggle_switch(), { t_end = 30, emit = false }).events');
    expect(result.values).toEqual(['1']);
    await expect(session.setEnvironment('nope')).rejects.toThrow(/Unknown environment "nope"/);
  });
});
