// The packages and env CLI commands as a user runs them: the real bin/bioxen.mjs, a temp data dir.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
let dataDir: string;

function bioxen(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bioxen.mjs'), ...args, '--data-dir', dataDir], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'bioxen-cli-packages-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-rocks.mjs')], { stdio: 'pipe' });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('bioxen packages / env', () => {
  it('creates an environment, installs offline, lists and checks health', () => {
    expect(bioxen('env', 'create', 'cli').stdout).toMatch(/created cli \(Lua 5\.4\)/);
    const install = bioxen('packages', 'install', 'bioxen-seq', '--env', 'cli', '--offline');
    expect(install.code).toBe(0);
    expect(install.stdout).toMatch(/installed bioxen-seq 0\.1\.0-1 into cli/);
    expect(install.stderr).toMatch(/bioxen-seq 0\.1\.0-1 is now installed/);
    const list = JSON.parse(bioxen('packages', 'list', '--env', 'cli', '--json').stdout) as { name: string; modules: string[] }[];
    expect(list).toEqual([expect.objectContaining({ name: 'bioxen-seq', modules: ['bioxen.seq'] })]);
    const health = bioxen('env', 'health', 'cli');
    expect(health.code).toBe(0);
    expect(health.stdout).toMatch(/cli: healthy/);
    expect(JSON.parse(bioxen('env', 'list', '--json').stdout)).toEqual([expect.objectContaining({ name: 'cli', luaVersion: '5.4' })]);
  }, 120_000);

  it('exec and repl load an installed rock from the environment: --env, or the one saved with a VM (--vm ID, repl ID)', () => {
    // The runtime's own lua/packages also holds bioxen.seq: package.searchpath shows which copy require finds.
    const code = 'return require("bioxen.seq").reverse_complement("AACG"), package.searchpath("bioxen.seq", package.path)';
    const installed = join(dataDir, 'envs', 'cli', 'share', 'lua', '5.4', 'bioxen', 'seq.lua');
    expect(bioxen('exec', '--env', 'cli', '-e', code)).toMatchObject({ code: 0, stdout: `CGTT\t${installed}\n` });
    const definition = {
      id: 'seq-lab',
      luaExecutable: 'lua5.4',
      environment: 'cli',
      capabilities: { networked: false, fs: false, olfi: false, metrics: false },
      limits: { instructionQuota: 1_000_000, memoryMb: 64, timeoutMs: 10_000, outputBytes: 4096 },
      interactive: false,
      createdAt: 0,
    };
    writeFileSync(join(dataDir, 'vms.json'), JSON.stringify({ version: 1, vms: [definition] }));
    expect(bioxen('exec', '--vm', 'seq-lab', '-e', code)).toMatchObject({ code: 0, stdout: `CGTT\t${installed}\n` });
    const repl = spawnSync(process.execPath, [join(ROOT, 'bin', 'bioxen.mjs'), 'repl', 'seq-lab', '--data-dir', dataDir], { input: `${code.replace('return ', 'print(')})\nexit\n`, encoding: 'utf8', timeout: 90_000 });
    expect(repl.stdout).toContain(`CGTT\t${installed}\n`);
    const missing = bioxen('exec', '--env', 'ghost', '-e', 'return 1');
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('environment "ghost" not found — create it with: bioxen env create ghost') });
  }, 120_000);

  it('searches with JSON output and previews a dependency tree', () => {
    const hits = JSON.parse(bioxen('packages', 'search', 'ode', 'simulation', '--json', '--offline').stdout) as { name: string }[];
    expect(hits[0]!.name).toBe('bioxen-circuits');
    expect(bioxen('packages', 'install', 'bioxen-circuits', '--env', 'cli', '--preview', '--offline').stdout.trim()).toBe('bioxen-circuits 0.1.0-1');
  }, 60_000);

  it('updates an installed package and recommends others', () => {
    expect(bioxen('packages', 'update', 'bioxen-seq', '--env', 'cli', '--offline').stdout).toMatch(/bioxen-seq 0\.1\.0-1 is already the newest in cli/);
    expect(bioxen('packages', 'update', 'bioxen-circuits', '--env', 'cli', '--offline').stderr).toMatch(/bioxen-circuits is not installed in environment "cli"/);
    const recs = JSON.parse(bioxen('packages', 'recommend', '--env', 'cli', '--json', '--offline').stdout) as { name: string }[];
    expect(recs.map((r) => r.name)).toEqual(expect.arrayContaining(['bioxen-circuits', 'bioxen-olfi']));
    expect(recs.map((r) => r.name)).not.toContain('bioxen-seq');
  }, 60_000);

  it('fails with a message a user can act on', () => {
    const unknown = bioxen('packages', 'install', 'no-such-rock', '--env', 'cli', '--offline');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/"no-such-rock" is not in any reachable repository — check the name with: bioxen packages search no-such-rock/);
    const noEnv = bioxen('packages', 'install', 'bioxen-seq');
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toMatch(/--env ENV is required/);
    const missing = bioxen('packages', 'list', '--env', 'ghost');
    expect(missing.stderr).toMatch(/environment "ghost" not found — create it with: bioxen env create ghost/);
    const profile = bioxen('env', 'bootstrap', 'cli', '--profile', 'huge', '--offline');
    expect(profile.stderr).toMatch(/unknown profile "huge" — use one of minimal, standard/);
  }, 60_000);
});
