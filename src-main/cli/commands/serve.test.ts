// `bioxen serve` as a real process: refusals before anything starts, and a clean shutdown that
// leaves no Lua process behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectContractClient } from '../../host/contract-client';
import { alive, waitFor } from '../../testing/test-helpers';

const bin = join(import.meta.dirname, '../../../bin/bioxen.mjs');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [bin, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

describe('bioxen serve', () => {
  let dir: string;
  let run: Run | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bioxen-serve-'));
    await mkdir(join(dir, 'renderer'));
    await writeFile(join(dir, 'renderer', 'index.html'), '<!doctype html><title>served</title>');
  });
  afterEach(async () => {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGKILL');
      await run.exit;
    }
    run = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a non-loopback address that did not come from --host', async () => {
    run = start(['--data-dir', join(dir, 'data')], { BIOXEN_HOST: '0.0.0.0', BIOXEN_RENDERER_DIR: join(dir, 'renderer') });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toMatch(/refusing to listen on 0\.0\.0\.0.*--host 0\.0\.0\.0/);
  });

  it('says to build when the renderer is missing, and rejects a bad port', async () => {
    run = start(['--data-dir', join(dir, 'data')], { BIOXEN_RENDERER_DIR: join(dir, 'missing') });
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain('npm run build');
    run = start(['--port', '99999'], { BIOXEN_RENDERER_DIR: join(dir, 'renderer') });
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('--port must be an integer');
  });

  it('prints the token URL, serves the page, and stops every VM on SIGTERM', async () => {
    run = start(['--port', '0', '--data-dir', join(dir, 'data')], { BIOXEN_RENDERER_DIR: join(dir, 'renderer') });
    const current = run;
    const url = await waitFor('the URL', () => /serving at (http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)\n/.exec(current.stdout())?.[1]);
    const { origin, hash } = new URL(url);
    const token = new URLSearchParams(hash.slice(1)).get('token')!;
    const page = await fetch(origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('served');
    await expect(connectContractClient(origin, 'wrong-token')).rejects.toThrow(/HTTP 401/);

    const client = await connectContractClient(origin, token);
    const created = await client.invoke('sessions:create', { id: 'to-be-stopped' });
    if (!created.ok) throw new Error(created.error.message);
    const pid = created.value.pid!;
    expect(alive(pid)).toBe(true);
    client.close();

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain('stopping the workbench');
    await waitFor('the Lua process to end', () => (alive(pid) ? undefined : true), 10_000);
  });

  it('--open hands the browser a private launch file, never the token on a command line', async () => {
    // A stand-in for xdg-open: records its argv, the file's content and permissions while it exists.
    const record = join(dir, 'opener-record');
    const opener = join(dir, 'fake-opener.sh');
    await writeFile(opener, `#!/bin/sh\n{ printf 'argv:%s\\n' "$0" "$@"; stat -c 'mode:%a' "$1" "$(dirname "$1")"; cat "$1"; } > '${record}.tmp'\nmv '${record}.tmp' '${record}'\n`);
    await chmod(opener, 0o755);
    run = start(['--port', '0', '--open', '--data-dir', join(dir, 'data')], { BIOXEN_RENDERER_DIR: join(dir, 'renderer'), BIOXEN_OPENER: opener });
    const current = run;
    const url = await waitFor('the URL', () => /serving at (http:\/\/\S+#token=([\w-]+))\n/.exec(current.stdout()) ?? undefined);
    const token = url[2]!;
    const recorded = await waitFor('the opener to run', () => (existsSync(record) ? readFile(record, 'utf8') : undefined));
    const argv = recorded.split('\n').filter((line) => line.startsWith('argv:'));
    expect(argv).toHaveLength(2);
    expect(argv.join('\n')).not.toContain(token);
    const launchFile = argv[1]!.slice('argv:'.length);
    expect(recorded).toContain('mode:600\nmode:700\n');
    expect(recorded).toContain(`location.replace(${JSON.stringify(url[1])})`);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(existsSync(launchFile)).toBe(false);
  });
});
