// The hypervisor CLI as a user runs it: a simulator process, a watcher process publishing to Redis.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, RedisServerProcess } from '../../redis/redis-server-process';
import { SettingsStore } from '../../settings/settings-store';
import { scratchDir, waitFor } from '../../testing/test-helpers';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/bioxen.mjs');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startSimulator(port: number, ...extra: string[]) {
  const child = spawn(process.execPath, [BIN, 'hypervisor', 'simulate', '--port', String(port), '--vms', '2', '--rate', '20', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  });
  return { child, output: () => output, exited };
}

describe('bioxen hypervisor', () => {
  it('watch prints the simulator\'s samples and republishes them to Redis', async () => {
    const dir = scratchDir('bioxen-cli-hv-');
    cleanups.push(dir.remove);
    const redis = new RedisServerProcess();
    cleanups.push(() => redis.stop());
    const { url } = await redis.start({ dataDir: dir.path, persistence: 'none' });
    const port = await freePort();
    const sim = startSimulator(port);
    await waitFor('the simulator to listen', () => sim.output().includes(`listening on 127.0.0.1:${port}`));

    // The workbench of this data dir republishes on lab_metrics; --stream overrides that.
    const dataDir = join(dir.path, 'workbench');
    await (await SettingsStore.open(join(dataDir, 'settings.json'))).update({ metricsStream: 'lab_metrics' });
    const watch = (...extra: string[]) => run(process.execPath, [BIN, 'hypervisor', 'watch', '--endpoint', `127.0.0.1:${port}`, '--redis', url, '--data-dir', dataDir, ...extra], { timeout: 60_000 });
    const { stdout, stderr } = await watch('--stream', 'cli_metrics', '--duration', '1.5');
    expect(stdout).toMatch(/^cell-01 t=\d+\.\d{2} atp=\d+\.\d{3}mM growth=\d+\.\d{3} lacI=\d+\.\d /m);
    expect(stdout).toMatch(/^cell-02 /m);
    expect(stderr).toMatch(/republishing to cli_metrics on the flag Redis/);
    const accepted = Number(/accepted (\d+) lines, rejected 0, (\d+) published to cli_metrics \(0 dropped\)/.exec(stderr)?.[1]);
    expect(accepted).toBeGreaterThan(4);
    const client = new Redis(url);
    cleanups.push(() => client.disconnect());
    expect(await client.xlen('cli_metrics')).toBe(accepted);
    expect(await client.xlen('lab_metrics')).toBe(0);
    const bySettings = await watch('--duration', '1');
    expect(bySettings.stderr).toMatch(/republishing to lab_metrics on the flag Redis/);
    expect(await client.xlen('lab_metrics')).toBeGreaterThan(0);

    sim.child.kill('SIGTERM');
    await sim.exited;
    expect(sim.output()).toMatch(/stopped: \d+ ticks, \d+ lines sent/);
  });

  it('simulate --style per-connection sends one sample per connection, and watch reads them', async () => {
    const port = await freePort();
    const sim = startSimulator(port, '--style', 'per-connection');
    await waitFor('the simulator to listen', () => sim.output().includes(`listening on 127.0.0.1:${port}`));
    expect(sim.output()).toContain('one sample per connection');
    const { stdout, stderr } = await run(process.execPath, [BIN, 'hypervisor', 'watch', '--endpoint', `127.0.0.1:${port}`, '--duration', '1.5'], { timeout: 60_000 });
    expect(stdout).toMatch(/^cell-01 t=\d+\.\d{2} atp=/m);
    expect(stdout).toMatch(/^cell-02 /m);
    expect(stderr).toContain(`[bridge] connected 127.0.0.1:${port} (per-connection)`);
    expect(stderr).not.toContain('backoff');
    expect(Number(/accepted (\d+) lines, rejected 0/.exec(stderr)?.[1])).toBeGreaterThan(4);
  });

  it('rejects bad options with the usage and exit code 2', async () => {
    const failure = await run(process.execPath, [BIN, 'hypervisor', 'simulate', '--rate', '0']).catch((err: { code: number; stderr: string }) => err);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/--rate 0: use a number of samples per second above 0/);
    const badEndpoint = await run(process.execPath, [BIN, 'hypervisor', 'watch', '--endpoint', 'nohost']).catch((err: { code: number; stderr: string }) => err);
    expect((badEndpoint as { stderr: string }).stderr).toMatch(/"nohost" is not host:port/);
  });
});
