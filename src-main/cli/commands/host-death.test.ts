// Nothing outlives its host: a Lua runner stuck in one long C call (a backtracking pattern never reaches the
// Lua hook that checks its parent) still ends when `bioxen exec` is killed or interrupted, or when
// `bioxen serve` is killed with kill -9. Descendants are collected from /proc before the kill.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectContractClient } from '../../host/contract-client';
import { cpuTicks, descendants, running } from '../../testing/process-tree';
import { scratchDir, waitFor } from '../../testing/test-helpers';

const bin = join(import.meta.dirname, '../../../bin/bioxen.mjs');
/** Backtracks for far longer than any test: one C call (string.find) that never returns to Lua. */
const STUCK = 'return ("a"):rep(26):find(("a*"):rep(26).."b")';
const scratch = scratchDir('bioxen-host-death-');

interface Host {
  child: ChildProcess;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startHost(args: string[], env: Record<string, string> = {}, input?: string): Host {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  // Left open: end of input would end the REPL on its own.
  if (input !== undefined) child.stdin!.write(input);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stdout: () => out, exit };
}

/** Waits until a Lua runner under `host` has spent 0.1 s of CPU (it is inside the stuck call), then lists every descendant. */
async function stuckTree(host: Host): Promise<number[]> {
  await waitFor('a busy Lua runner', () => descendants(host.child.pid!).some((p) => p.comm.startsWith('lua') && cpuTicks(p.pid) >= 10), 90_000);
  return descendants(host.child.pid!).map((p) => p.pid);
}

async function expectAllGone(pids: number[]): Promise<void> {
  expect(pids.length).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 2000));
  expect(pids.filter(running)).toEqual([]);
}

describe.concurrent('a host that dies takes its children with it', () => {
  afterAll(() => scratch.remove());

  it.each([
    ['SIGKILL', null],
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('bioxen exec: %s during a run stuck in a C call', async (signal, exitCode) => {
    const dataDir = join(scratch.path, `exec-${signal}`);
    const host = startHost(['exec', '--lua', 'lua5.4', '-e', STUCK], { BIOXEN_DATA_DIR: dataDir });
    const pids = await stuckTree(host);
    host.child.kill(signal);
    const exit = await host.exit;
    expect(exit.code).toBe(exitCode);
    await expectAllGone(pids);
  }, 120_000);

  it('bioxen repl: SIGTERM while a line runs the stuck call', async () => {
    const host = startHost(['repl', '--lua', 'lua5.4', '--data-dir', join(scratch.path, 'repl')], {}, `${STUCK}\n`);
    const pids = await stuckTree(host);
    host.child.kill('SIGTERM');
    expect((await host.exit).code).toBe(143);
    await expectAllGone(pids);
  }, 120_000);

  it('bioxen serve: kill -9 while a session runs the stuck call', async () => {
    const renderer = join(scratch.path, 'renderer');
    mkdirSync(renderer, { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>served</title>');
    const host = startHost(['serve', '--port', '0', '--data-dir', join(scratch.path, 'serve-data')], { BIOXEN_RENDERER_DIR: renderer });
    const url = new URL(await waitFor('the URL', () => /serving at (\S+)/.exec(host.stdout())?.[1], 90_000));
    const token = url.searchParams.get('token') ?? new URLSearchParams(url.hash.slice(1)).get('token');
    const client = await connectContractClient(url.origin, token!);
    try {
      const created = await client.invoke('sessions:create', { id: 'stuck' });
      if (!created.ok) throw new Error(created.error.message);
      void client.invoke('sessions:run', { id: 'stuck', code: STUCK });
      const pids = await stuckTree(host);
      host.child.kill('SIGKILL');
      await host.exit;
      await expectAllGone(pids);
    } finally {
      client.close();
    }
  }, 120_000);
});
