// A hostile rock repository: names and versions that are paths, rockspecs that depend on them, and
// manifests that try to eat the machine's memory. Nothing may be written outside the data dir, bad
// entries are reported with the repository's name, and a manifest is read under the session limits.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Curator } from './curator';
import { requireLua } from './environment-manager';
import { readLuaData } from './lua-data';

const PWNED = ['../../../tmp/x/pwned', '../../../../x/pwned', '../../../../../../../../../../tmp/bioxen-pwned'];
let root: string;
let server: Server;
let url: string;

const manifest = `repository = {
  ${PWNED.map((name) => `[${JSON.stringify(name)}] = { ["1-1"] = { { arch = "rockspec" } } },`).join('\n  ')}
  good = { ["1.0-1"] = { { arch = "rockspec" } }, ["../../../../x/v"] = { { arch = "rockspec" } } },
  ["Bad/Name"] = { ["1.0-1"] = { { arch = "rockspec" } } },
}
`;
const rockspec = `package = "good"\nversion = "1.0-1"\nsource = { url = "x" }\ndependencies = { "lua >= 5.1", ${PWNED.map((n) => JSON.stringify(`${n} >= 1`)).join(', ')} }\nbuild = { type = "builtin", modules = {} }\n`;

/** Every file under root except the repository folders and the data dir. */
function strayFiles(dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (dir === root && ['data', 'repos'].includes(name)) return [];
    return statSync(path).isDirectory() ? strayFiles(path) : [relative(root, path)];
  });
}

function filesNamed(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => pattern.test(p));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bioxen-hostile-repo-'));
  server = createServer((req, res) => {
    if (req.url === '/manifest' || req.url === '/manifest-5.4') res.end(manifest);
    else if (req.url?.endsWith('.rockspec')) res.end(rockspec);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(root, { recursive: true, force: true });
  rmSync('/tmp/bioxen-pwned-1-1.rockspec', { force: true });
});

function curatorWith(...repositories: string[]): Curator {
  const curator = new Curator({ dataDir: join(root, 'data'), bundledDir: join(root, 'repos', 'none'), includePublic: false, catalogTtlMs: 0, repositoryTimeoutMs: 5000 });
  for (const repo of repositories) curator.repositories.add(repo);
  return curator;
}

describe('a hostile rock repository', () => {
  it('never writes outside the data dir and reports the entries it skipped, naming the repository', async () => {
    const curator = curatorWith(url);
    if (!curator.environments.exists('target')) curator.createEnvironment('target');
    const hits = await curator.search('pwned');
    expect(hits.map((h) => h.entry.name)).toEqual([]);
    expect((await curator.search('good')).map((h) => [h.entry.name, h.entry.versions.map((v) => v.version)])).toEqual([['good', ['1.0-1']]]);
    expect(curator.registry.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${url}: skipped package "\\.\\./\\.\\./\\.\\./tmp/x/pwned": not a LuaRocks package name`)),
        expect.stringContaining(`${url}: skipped version "../../../../x/v" of good`),
        expect.stringContaining(`${url}: skipped package "Bad/Name"`),
      ]),
    );
    const tree = await curator.preview('target', 'good');
    expect(tree).toMatchObject({ name: 'good', version: '1.0-1', dependencies: [] });
    expect(curator.registry.warnings).toEqual(expect.arrayContaining([expect.stringContaining(`good 1.0-1 from ${url}: skipped dependency "../../../tmp/x/pwned >= 1"`)]));
    for (const spec of PWNED) {
      await expect(curator.preview('target', spec)).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(curator.install('target', spec)).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(strayFiles()).toEqual([]);
    expect(filesNamed(join(root, 'data'), /pwned/)).toEqual([]);
  });

  it('reads manifests under the session memory limit: one that allocates more than 1 GB fails fast and says so', async () => {
    const growing = join(root, 'repos', 'growing');
    const single = join(root, 'repos', 'single');
    mkdirSync(growing, { recursive: true });
    mkdirSync(single, { recursive: true });
    // In an empty environment strings still have their methods: ("x"):rep is reachable.
    writeFileSync(join(growing, 'manifest'), 'local t, s = {}, ("x"):rep(1024 * 1024)\nfor i = 1, 1200 do t[i] = s .. i end\nrepository = {}\n');
    writeFileSync(join(single, 'manifest'), 'local big = ("x"):rep(1300 * 1024 * 1024)\nrepository = {}\n');
    const curator = curatorWith(growing, single);
    const unreachable = await curator.refreshCatalog('5.4', true);
    expect(unreachable).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ location: growing, error: expect.stringMatching(/manifest .* exceeded the memory limit \(256 MiB\)/) }),
        expect.objectContaining({ location: single, error: expect.stringMatching(/manifest .* exceeded the memory limit \(256 MiB\)/) }),
      ]),
    );
    // Each reader stayed below the address-space cap a session's runner gets (2 × 256 + 256 MiB); the one
    // growing a megabyte at a time was stopped by the heap check within a few MiB of its 256.
    const peaks = new Map(unreachable.map((s) => [s.location, Number(/peaked at (\d+) MiB/.exec(s.error ?? '')?.[1])]));
    expect(peaks.get(single)).toBeLessThanOrEqual(768);
    expect(peaks.get(growing)).toBeLessThanOrEqual(256 + 64);
  });

  it('stops a rockspec that never ends at the instruction limit', async () => {
    mkdirSync(join(root, 'repos'), { recursive: true });
    const file = join(root, 'repos', 'endless.rockspec');
    writeFileSync(file, 'package = "endless"\nwhile true do end\n');
    await expect(readLuaData(requireLua(), [file], { what: 'rockspec of endless', limits: { memoryMb: 256, instructionQuota: 1_000_000 } })).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringContaining('rockspec of endless exceeded the instruction limit (1000000 instructions)'),
    });
  });
});
