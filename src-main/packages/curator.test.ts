// Integration: the real luarocks, lua5.4 and gcc against the bundled repository (built here by
// scripts/build-rocks.mjs) and a fixture repository, in temp dirs.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapLuaEnvironment, Curator, getCurator } from './curator';
import { buildFixtureRepository } from './fixtures/fixture-repository';
import type { InstallProgress } from './package-installer';
import { resourcesDir } from './resource-paths';

const INSTALL_TIMEOUT = 120_000;
let root: string;
let curator: Curator;

function requireIn(env: string, code: string): string {
  const paths = curator.environments.luaPaths(env);
  return execFileSync('lua5.4', ['-e', `package.path = ${JSON.stringify(paths.path)}; package.cpath = ${JSON.stringify(paths.cpath)}; ${code}`], { encoding: 'utf8' }).trim();
}

function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const st = statSync(path);
      hash.update(`${path}:${st.mode}\n`);
      if (st.isDirectory()) walk(path);
      else hash.update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bioxen-curator-'));
  const bundled = join(root, 'bundled');
  execFileSync(process.execPath, [join(resourcesDir, '..', 'scripts', 'build-rocks.mjs')], { env: { ...process.env, BIOXEN_ROCKS_DIR: bundled }, stdio: 'pipe' });
  const fixtures = buildFixtureRepository(join(root, 'fixture-repo'));
  curator = new Curator({ dataDir: join(root, 'data'), bundledDir: bundled, includePublic: false, repositoryTimeoutMs: 2000, catalogTtlMs: 0 });
  curator.repositories.add(fixtures);
}, INSTALL_TIMEOUT);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('environments', () => {
  it('creates, lists, rejects bad names, duplicates and versions, and deletes', () => {
    curator.createEnvironment('scratch');
    expect(curator.environments.list().map((e) => e.name)).toContain('scratch');
    expect(() => curator.createEnvironment('scratch')).toThrow(/already exists/);
    expect(() => curator.createEnvironment('../evil')).toThrow(/bad environment name/);
    expect(() => curator.createEnvironment('old', '4.0')).toThrow(/Lua version "4.0" is not supported/);
    expect(curator.environments.resolveEnvironment('scratch')?.path).toContain(join('scratch', 'share', 'lua', '5.4'));
    expect(curator.environments.resolveEnvironment('nope')).toBeUndefined();
    curator.environments.delete('scratch');
    expect(() => curator.environments.get('scratch')).toThrow(/not found — create it/);
  });
});

describe('installs', () => {
  it('installs a bundled rock offline and requires it with the environment paths', async () => {
    curator.createEnvironment('bio');
    const progress: InstallProgress[] = [];
    const result = await curator.install('bio', 'bioxen-seq', (p) => progress.push(p));
    expect(result.version).toBe('0.1.0-1');
    expect(result.installed).toEqual([{ name: 'bioxen-seq', version: '0.1.0-1' }]);
    expect(progress[0]!.phase).toBe('resolving');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', step: 1, total: 1 });
    expect(progress.some((p) => p.line?.includes('is now installed'))).toBe(true);
    expect(requireIn('bio', 'print(require("bioxen.seq").reverse_complement("ATGC"))')).toBe('GCAT');
    expect((await curator.list('bio')).map((r) => r.name)).toEqual(['bioxen-seq']);
  }, INSTALL_TIMEOUT);

  it('builds a C rock against liblua5.4-dev and loads it', async () => {
    curator.createEnvironment('native');
    await curator.install('native', 'fixture-cmod');
    expect(readdirSync(join(curator.environments.treePath('native'), 'lib', 'lua', '5.4', 'fixture'))).toContain('cmod.so');
    expect(requireIn('native', 'print(require("fixture.cmod").add(2, 3))')).toMatch(/^5(\.0)?$/);
  }, INSTALL_TIMEOUT);

  it('previews and installs a dependency chain, picking the version the constraint allows', async () => {
    curator.createEnvironment('chain');
    const plan = await curator.preview('chain', 'fixture-app');
    expect(plan).toMatchObject({ name: 'fixture-app', version: '1.0-1', dependencies: [{ name: 'fixture-lib', constraint: '>= 1.0, < 2', version: '1.2-1' }] });
    const progress: InstallProgress[] = [];
    const result = await curator.install('chain', 'fixture-app', (p) => progress.push(p));
    expect(result.installed).toEqual([
      { name: 'fixture-app', version: '1.0-1' },
      { name: 'fixture-lib', version: '1.2-1' },
    ]);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', total: 2 });
    expect(requireIn('chain', 'print(require("fixture.app").lib_version)')).toBe('1.2');
    const again = await curator.preview('chain', 'fixture-app');
    expect(again.installedVersion).toBe('1.0-1');
  }, INSTALL_TIMEOUT);

  it('honours version constraints and names the available versions when none match', async () => {
    curator.createEnvironment('versions');
    expect((await curator.install('versions', 'fixture-lib@1.0')).version).toBe('1.0-1');
    expect((await curator.install('versions', 'fixture-lib ~> 1')).version).toBe('1.2-1');
    expect((await curator.install('versions', 'fixture-lib >= 2')).version).toBe('2.0-1');
    expect(requireIn('versions', 'print(require("fixture.lib").version)')).toBe('2.0');
    await expect(curator.install('versions', 'fixture-lib@3.0')).rejects.toThrow(/no version of fixture-lib matches "3.0" — available: 2.0-1, 1.2-1, 1.0-1/);
  }, INSTALL_TIMEOUT);

  it('reports an unknown package clearly', async () => {
    curator.createEnvironment('unknown');
    await expect(curator.install('unknown', 'no-such-rock')).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/"no-such-rock" is not in any reachable repository.*bioxen packages search/) });
  }, INSTALL_TIMEOUT);

  it('leaves the tree exactly as it was when a build fails', async () => {
    curator.createEnvironment('failing');
    await curator.install('failing', 'bioxen-seq');
    const tree = curator.environments.treePath('failing');
    const before = treeDigest(tree);
    const lines: string[] = [];
    await expect(curator.install('failing', 'fixture-broken', (p) => p.line && lines.push(p.line))).rejects.toMatchObject({ code: 'lua_error', message: expect.stringMatching(/installing fixture-broken 1.0-1 .* failed: .* the environment is unchanged/) });
    expect(lines.join('\n')).toMatch(/this_is_not_c/);
    expect(treeDigest(tree)).toBe(before);
    expect(readdirSync(join(tree, '..')).filter((n) => n.includes('snapshot'))).toEqual([]);
  }, INSTALL_TIMEOUT);

  it('dispose stops a running install, rolls it back and refuses new ones', async () => {
    const quitting = new Curator({ dataDir: join(root, 'data'), bundledDir: join(root, 'bundled'), includePublic: false });
    quitting.createEnvironment('quitting');
    const tree = quitting.environments.treePath('quitting');
    const before = treeDigest(tree);
    const install = quitting.install('quitting', 'fixture-cmod', (p) => {
      if (p.phase === 'installing') quitting.dispose();
    });
    await expect(install).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/stopped because the workbench is shutting down — the environment is unchanged/) });
    expect(treeDigest(tree)).toBe(before);
    await expect(quitting.install('quitting', 'bioxen-seq')).rejects.toThrow(/has been shut down/);
  }, INSTALL_TIMEOUT);

  it('waits for another process holding the environment, and takes over a dead owner\'s lock', async () => {
    curator.createEnvironment('locked');
    const lockDir = join(curator.environments.root, '.locked.lock');
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(holder.pid));
      const impatient = new Curator({ dataDir: join(root, 'data'), bundledDir: join(root, 'bundled'), includePublic: false, installTimeoutMs: 500 });
      await expect(impatient.install('locked', 'bioxen-seq')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`environment "locked" is busy with another package operation (process ${holder.pid})`) });
    } finally {
      holder.kill('SIGKILL');
      await new Promise((done) => holder.once('exit', done));
    }
    expect((await curator.install('locked', 'bioxen-seq')).version).toBe('0.1.0-1');
    expect(existsSync(lockDir)).toBe(false);
  }, INSTALL_TIMEOUT);

  it('serializes two concurrent installs into one environment', async () => {
    curator.createEnvironment('concurrent');
    const [a, b] = await Promise.all([curator.install('concurrent', 'bioxen-circuits'), curator.install('concurrent', 'fixture-lib@1.0')]);
    expect(a.installed).toEqual([{ name: 'bioxen-circuits', version: '0.1.0-1' }]);
    expect(b.installed).toEqual([{ name: 'fixture-lib', version: '1.0-1' }]);
    expect((await curator.list('concurrent')).map((r) => `${r.name} ${r.version}`)).toEqual(['bioxen-circuits 0.1.0-1', 'fixture-lib 1.0-1']);
  }, INSTALL_TIMEOUT);

  it('puts back the snapshot an interrupted install left behind before the next operation', async () => {
    curator.createEnvironment('crashed');
    await curator.install('crashed', 'bioxen-seq');
    const tree = curator.environments.treePath('crashed');
    cpSync(tree, join(tree, '..', '.crashed.snapshot'), { recursive: true });
    rmSync(join(tree, 'lib'), { recursive: true });
    await curator.install('crashed', 'fixture-lib@1.0');
    expect((await curator.list('crashed')).map((r) => r.name)).toEqual(['bioxen-seq', 'fixture-lib']);
    expect(existsSync(join(tree, '..', '.crashed.snapshot'))).toBe(false);
  }, INSTALL_TIMEOUT);

  it('stops an install that exceeds its timeout and leaves the tree unchanged', async () => {
    curator.createEnvironment('slow');
    await curator.install('slow', 'bioxen-seq');
    const hasty = new Curator({ dataDir: join(root, 'data'), bundledDir: join(root, 'bundled'), includePublic: false, installTimeoutMs: 1 });
    const tree = hasty.environments.treePath('slow');
    const before = treeDigest(tree);
    await expect(hasty.install('slow', 'bioxen-circuits')).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/took longer than 1 ms and was stopped — the environment is unchanged/) });
    expect(treeDigest(tree)).toBe(before);
  }, INSTALL_TIMEOUT);

  it('installs into a Lua 5.1 environment and the rock loads in lua5.1 and LuaJIT', async () => {
    curator.createEnvironment('old', '5.1');
    await curator.install('old', 'bioxen-seq');
    const paths = curator.environments.luaPaths('old');
    expect(paths.path).toContain(join('share', 'lua', '5.1'));
    for (const lua of ['lua5.1', 'luajit']) {
      const out = execFileSync(lua, ['-e', `package.path = ${JSON.stringify(paths.path)}; print(require("bioxen.seq").translate("ATGGGC"))`], { encoding: 'utf8' });
      expect(out.trim()).toBe('MG');
    }
  }, INSTALL_TIMEOUT);

  it('removes a rock and refuses to remove one that is not installed', async () => {
    curator.createEnvironment('removal');
    await curator.install('removal', 'bioxen-circuits');
    await curator.install('removal', 'fixture-lib@1.0');
    await curator.remove('removal', 'fixture-lib');
    expect((await curator.list('removal')).map((r) => r.name)).toEqual(['bioxen-circuits']);
    await expect(curator.remove('removal', 'fixture-lib')).rejects.toThrow(/fixture-lib is not installed in environment "removal"/);
  }, INSTALL_TIMEOUT);
});

describe('repositories', () => {
  it('reports an unreachable server and keeps installing from the others', async () => {
    const data = join(root, 'data-unreachable');
    const offline = new Curator({ dataDir: data, bundledDir: join(root, 'bundled'), includePublic: false, repositoryTimeoutMs: 1500, catalogTtlMs: 0 });
    offline.repositories.add('http://127.0.0.1:9/rocks');
    const statuses = await offline.repositories.check();
    expect(statuses.map((s) => [s.kind, s.reachable])).toEqual([
      ['bundled', true],
      ['url', false],
    ]);
    expect(statuses[1]!.error).toMatch(/http:\/\/127.0.0.1:9\/rocks is unreachable .* check the network or remove it/);
    offline.createEnvironment('e');
    expect((await offline.install('e', 'bioxen-seq')).version).toBe('0.1.0-1');
    await expect(offline.install('e', 'penlight')).rejects.toThrow(/unreachable now: http:\/\/127.0.0.1:9\/rocks/);
  }, INSTALL_TIMEOUT);
});

describe('URL repositories', () => {
  let server: Server;
  afterAll(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  it('lists and installs from a rock server over HTTP', async () => {
    const served = join(root, 'fixture-repo');
    server = createServer((req, res) => {
      const file = join(served, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (!file.startsWith(served) || !existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': statSync(file).size });
      res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const web = new Curator({ dataDir: join(root, 'data-web'), bundledDir: join(root, 'bundled'), includePublic: false, catalogTtlMs: 0 });
    expect(web.repositories.add(`${url}/`)).toEqual({ kind: 'url', location: url });
    expect((await web.repositories.check()).map((s) => s.reachable)).toEqual([true, true]);
    const entry = await web.info('fixture-lib');
    expect(entry.versions.map((v) => `${v.version} ${v.repository.kind}`)).toEqual(['2.0-1 url', '1.2-1 url', '1.0-1 url']);
    web.createEnvironment('web');
    expect(await web.preview('web', 'fixture-app')).toMatchObject({ version: '1.0-1', dependencies: [{ name: 'fixture-lib', version: '1.2-1' }] });
    const result = await web.install('web', 'fixture-app');
    expect(result.installed.map((r) => `${r.name} ${r.version}`)).toEqual(['fixture-app 1.0-1', 'fixture-lib 1.2-1']);
  }, INSTALL_TIMEOUT);
});

describe('health, bootstrap, catalog', () => {
  it('bootstraps a BioXen profile and reports the environment healthy, then finds a broken rock', async () => {
    const result = await bootstrapLuaEnvironment(curator, 'boot', 'bioxen-minimal');
    expect(result).toMatchObject({ ok: true, installed: ['bioxen-seq'], failed: [] });
    expect(curator.environments.get('boot').profile).toBe('bioxen-minimal');
    const healthy = await curator.health('boot');
    expect(healthy).toMatchObject({ healthy: true, luarocksAvailable: true, installedCount: 1, broken: [] });
    unlinkSync(join(curator.environments.treePath('boot'), 'share', 'lua', '5.4', 'bioxen', 'seq.lua'));
    const sick = await curator.health('boot');
    expect(sick.healthy).toBe(false);
    expect(sick.broken).toMatchObject([{ name: 'bioxen-seq', module: 'bioxen.seq' }]);
    expect(sick.problems[0]).toMatch(/reinstall it \(bioxen packages install bioxen-seq --env boot\)/);
  }, INSTALL_TIMEOUT);

  it('reports each package of a profile that cannot be installed and installs the rest', async () => {
    const result = await bootstrapLuaEnvironment(curator, 'partial', 'bioxen-full');
    expect(result.ok).toBe(false);
    expect(result.installed).toEqual(expect.arrayContaining(['bioxen-seq', 'bioxen-circuits']));
    expect(result.failed.map((f) => f.name)).toEqual(expect.arrayContaining(['lua-cjson', 'penlight']));
    await expect(curator.bootstrap('partial', 'nope')).rejects.toThrow(/unknown profile "nope" — use one of minimal, standard/);
  }, INSTALL_TIMEOUT);

  it('merges curated metadata with repository versions and ranks search results', async () => {
    const hits = await curator.search('sequence');
    expect(hits[0]!.entry.name).toBe('bioxen-seq');
    expect(hits[0]!.entry).toMatchObject({ curated: true, bundled: true, category: 'biology', versions: [{ version: '0.1.0-1' }] });
    const fixture = await curator.info('fixture-lib');
    expect(fixture.versions.map((v) => v.version)).toEqual(['2.0-1', '1.2-1', '1.0-1']);
    expect((await curator.search('json', { category: 'data' })).map((h) => h.entry.name)).toEqual(['lua-cjson']);
    expect((await curator.search('lfs'))[0]!.entry.name).toBe('luafilesystem');
    curator.createEnvironment('catalog');
    await curator.install('catalog', 'bioxen-seq');
    expect(await curator.installedWhere('bioxen-seq')).toEqual(expect.arrayContaining([{ env: 'catalog', version: '0.1.0-1' }]));
    const recs = (await curator.recommendations('catalog')).map((r) => r.name);
    expect(recs).toEqual(['bioxen-circuits', 'bioxen-olfi', 'lua-cjson', 'bioxen-metrics', 'luafilesystem']);
  }, INSTALL_TIMEOUT);

  it('shares one curator per data dir', () => {
    const options = { dataDir: join(root, 'shared'), includePublic: false };
    expect(getCurator(options)).toBe(getCurator(options));
    expect(existsSync(join(root, 'shared'))).toBe(false);
  });
});
