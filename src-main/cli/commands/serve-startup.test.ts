// `bioxen serve` on a bad data dir: an unreadable file is moved aside with a warning and the rest starts; a
// start that fails anyway exits non-zero and leaves no child behind (it used to hang with redis-server running).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectContractClient } from '../../host/contract-client';
import { processesWorkingIn } from '../../testing/process-tree';
import { scratchDir, waitFor } from '../../testing/test-helpers';

const bin = join(import.meta.dirname, '../../../bin/bioxen.mjs');
const scratch = scratchDir('bioxen-serve-startup-');
const renderer = join(scratch.path, 'renderer');
mkdirSync(renderer);
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>served</title>');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function serve(dataDir: string): Run {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, BIOXEN_RENDERER_DIR: renderer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return { child, stdout: () => out, stderr: () => err, exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe.concurrent('bioxen serve on a bad data dir', () => {
  afterAll(() => scratch.remove());

  it('moves a truncated vms.json and a garbage settings.json aside, warns, and starts; an interrupted save\'s temp file goes', async () => {
    const dataDir = join(scratch.path, 'corrupt');
    mkdirSync(join(dataDir, 'scripts'), { recursive: true });
    writeFileSync(join(dataDir, 'scripts', '.growth.lua.0123456789ab.tmp'), 'half a save');
    writeFileSync(join(dataDir, 'scripts', 'growth.lua'), 'print(1)');
    writeFileSync(join(dataDir, '.settings.0123456789ab.tmp'), '{"theme":');
    writeFileSync(join(dataDir, 'vms.json.4242.tmp'), '{"version":');
    writeFileSync(join(dataDir, 'notes.tmp'), 'the user\'s');
    const vms = '{"version":1,"vms":[{"id":"lab","luaExecu';
    writeFileSync(join(dataDir, 'vms.json'), vms);
    writeFileSync(join(dataDir, 'settings.json'), '\u0000\u0007 not json');
    writeFileSync(join(dataDir, 'repositories.json'), '{"repositories": ["/srv/ro');
    const run = serve(dataDir);
    try {
      const url = new URL(await waitFor('the URL', () => /serving at (\S+)/.exec(run.stdout())?.[1], 60_000));
      expect(run.stderr()).toMatch(/warning: vms\.json is not valid JSON .*moved aside to .*vms\.json\.corrupt-/);
      expect(run.stderr()).toMatch(/warning: settings\.json .*moved aside to .*settings\.json\.corrupt-/);
      const files = readdirSync(dataDir);
      const asideVms = files.find((f) => f.startsWith('vms.json.corrupt-'));
      expect(asideVms).toBeDefined();
      expect(readFileSync(join(dataDir, asideVms!), 'utf8')).toBe(vms);
      expect(files.some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
      expect(files.some((f) => f.startsWith('repositories.json.corrupt-'))).toBe(true);
      expect(existsSync(join(dataDir, 'vms.json'))).toBe(false);
      expect(readdirSync(join(dataDir, 'scripts'))).toEqual(['growth.lua']);
      expect(files.filter((f) => f.endsWith('.tmp'))).toEqual(['notes.tmp']);
      // Made by mkdir with the usual 0755, the data dir is private once the workbench has started on it.
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);

      // The window hears it too: app:info carries the warnings.
      const token = url.searchParams.get('token') ?? new URLSearchParams(url.hash.slice(1)).get('token');
      const client = await connectContractClient(url.origin, token!);
      try {
        const info = await client.invoke('app:info', {});
        if (!info.ok) throw new Error(info.error.message);
        expect(info.value.warnings).toHaveLength(3);
        expect(info.value.warnings.join('\n')).toMatch(/vms\.json.*moved aside/);
      } finally {
        client.close();
      }
    } finally {
      run.child.kill('SIGTERM');
      await run.exit;
    }
  }, 120_000);

  it('a start that fails exits non-zero with every child stopped', async () => {
    const dataDir = join(scratch.path, 'failing');
    // vms.json that cannot be read at all (a directory): nothing to move aside, so the start fails.
    mkdirSync(join(dataDir, 'vms.json'), { recursive: true });
    const run = serve(dataDir);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/cannot read .*vms\.json/);
    expect(processesWorkingIn(dataDir)).toEqual([]);
  }, 120_000);
});
