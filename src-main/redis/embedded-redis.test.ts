import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { shutdownNoSave } from '../olfi/test-redis';
import { acquireEmbeddedRedis, type EmbeddedRedisEvent, type EmbeddedRedisLease } from './embedded-redis';

const leases: EmbeddedRedisLease[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const lease of leases.splice(0).reverse()) await lease.release();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-embedded-'));
  dirs.push(dir);
  return dir;
}

async function acquire(dir: string): Promise<EmbeddedRedisLease> {
  const lease = await acquireEmbeddedRedis(dir);
  leases.push(lease);
  return lease;
}

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } catch (err) {
    return (err as Error).message;
  } finally {
    client.disconnect();
  }
}

/** The first reply line to a PING over a bare socket, as another local user's program would send it: no password. */
function rawPing(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('error', (err) => (reply ||= err.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(reply.trim()));
  });
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function record(dir: string): { port: number; pid: number } {
  return JSON.parse(readFileSync(join(dir, 'redis', 'server.json'), 'utf8')) as { port: number; pid: number };
}

describe('acquireEmbeddedRedis', () => {
  it("answers only clients that AUTH with the data dir's secret, kept in 0600 files and off every command line", async () => {
    const dir = dataDir();
    const first = await acquire(dir);
    const secret = readFileSync(join(dir, 'redis', 'secret'), 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const { port, pid } = record(dir);
    expect(await rawPing(port)).toMatch(/NOAUTH/);
    expect(await ping(first.url)).toBe('PONG');
    expect(new URL(first.url).password).toBe(secret);
    // Another command of the same data dir (the CLI) finds the server and the secret; nobody else's ps shows it.
    const second = await acquire(dir);
    expect(second).toMatchObject({ owned: false, url: first.url });
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(secret);
    expect(mode(join(dir, 'redis'))).toBe(0o700);
    expect(mode(join(dir, 'redis', 'secret'))).toBe(0o600);
    expect(mode(join(dir, 'redis', 'server.json'))).toBe(0o600);
    // The secret outlives the server: the next start of this data dir uses the same one, and a directory or
    // secret an older version left readable by others is tightened.
    await first.release();
    chmodSync(join(dir, 'redis'), 0o755);
    chmodSync(join(dir, 'redis', 'secret'), 0o644);
    const again = await acquire(dir);
    expect(again).toMatchObject({ owned: true, url: first.url.replace(`:${port}`, `:${new URL(again.url).port}`) });
    expect(mode(join(dir, 'redis'))).toBe(0o700);
    expect(mode(join(dir, 'redis', 'secret'))).toBe(0o600);
  });

  it('a supervised server that is SHUTDOWN or killed starts again on the same port with the same data', async () => {
    const dir = dataDir();
    const lease = await acquire(dir);
    const events: EmbeddedRedisEvent[] = [];
    lease.supervise((event) => events.push(event));
    const { port, pid } = record(dir);
    const client = new Redis(lease.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    try {
      await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', '{}');
      await shutdownNoSave(lease.url);
      await waitUntil(() => events.some((e) => e.kind === 'restarted'), 'the restart after SHUTDOWN');
      expect(events[0]).toMatchObject({ kind: 'stopped', why: expect.stringContaining('SHUTDOWN') });
      expect(events[1]).toMatchObject({ kind: 'restarted', port });
      expect(record(dir)).toEqual({ port, pid: lease.server!.info!.pid });
      expect(record(dir).pid).not.toBe(pid);
      expect(await client.call('XLEN', 'olfi_stream')).toBe(1);
      expect(await rawPing(port)).toMatch(/NOAUTH/);

      process.kill(lease.server!.info!.pid, 'SIGKILL');
      await waitUntil(() => events.filter((e) => e.kind === 'restarted').length === 2, 'the restart after SIGKILL');
      expect(events[2]).toMatchObject({ kind: 'stopped', why: 'it was killed by SIGKILL' });
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
    // release() is not a crash: nothing restarts it.
    await lease.release();
    expect(events).toHaveLength(4);
    expect(await ping(lease.url)).not.toBe('PONG');
  });

  it('gives up on a server that keeps stopping, and says why', async () => {
    const lease = await acquire(dataDir());
    const events: EmbeddedRedisEvent[] = [];
    lease.supervise((event) => events.push(event));
    for (let restarts = 1; restarts <= 5; restarts++) {
      process.kill(lease.server!.info!.pid, 'SIGKILL');
      await waitUntil(() => events.filter((e) => e.kind === 'restarted').length === restarts, `restart ${restarts}`);
    }
    process.kill(lease.server!.info!.pid, 'SIGKILL');
    await waitUntil(() => events.some((e) => e.kind === 'restart-failed'), 'giving up');
    expect(events.at(-1)).toMatchObject({ kind: 'restart-failed', error: expect.stringContaining('stopped 6 times within 60 s') });
    expect(lease.server!.state).toBe('crashed');
  });

  it('a supervised lease on a server another process started takes over when that server is gone: same port, same data', async () => {
    const dir = dataDir();
    const owner = await acquire(dir);
    const shared = await acquire(dir);
    const events: EmbeddedRedisEvent[] = [];
    shared.supervise((event) => events.push(event));
    const port = record(dir).port;
    const client = new Redis(shared.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    try {
      await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', '{}');
      // The owner (a bioxen command) ends, and its server with it.
      await owner.release();
      await waitUntil(() => events.some((e) => e.kind === 'restarted'), 'the take-over');
      expect(events.map((e) => e.kind)).toEqual(['stopped', 'restarted']);
      expect(shared).toMatchObject({ owned: true, url: owner.url });
      expect(record(dir)).toEqual({ port, pid: shared.server!.info!.pid });
      expect(await client.call('XLEN', 'olfi_stream')).toBe(1);
    } finally {
      client.disconnect();
    }
    await shared.release();
    expect(await ping(owner.url)).not.toBe('PONG');
  });

  it('refuses to start a second server on the same data while the recorded one is stopped (SIGSTOP)', async () => {
    const dir = dataDir();
    await acquire(dir);
    const { pid } = record(dir);
    process.kill(pid, 'SIGSTOP');
    try {
      await expect(acquireEmbeddedRedis(dir)).rejects.toThrow(`(pid ${pid}, port ${record(dir).port}) does not answer — it may be stopped (kill -CONT ${pid})`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await acquire(dir)).toMatchObject({ owned: false });
  });

  it('waits for a recorded server that is on its way out (stopped, not yet exited) and then starts its own', async () => {
    const dir = dataDir();
    await acquire(dir);
    const { pid } = record(dir);
    // A workbench that just quit: its server stops answering, then exits a moment later.
    process.kill(pid, 'SIGSTOP');
    setTimeout(() => {
      process.kill(pid, 'SIGKILL');
      process.kill(pid, 'SIGCONT');
    }, 1500);
    const next = await acquire(dir);
    expect(next).toMatchObject({ owned: true });
    expect(record(dir).pid).not.toBe(pid);
  });

  it('starts one server per data dir and lets a second user share it without owning it', async () => {
    const dir = dataDir();
    const first = await acquire(dir);
    expect(first.owned).toBe(true);
    const second = await acquire(dir);
    expect(second).toMatchObject({ owned: false, url: first.url });
    await second.release();
    expect(await ping(first.url)).toBe('PONG');
    await first.release();
    expect(await ping(first.url)).not.toBe('PONG');
  });

  it('starts a fresh server when the recorded one is gone', async () => {
    const dir = dataDir();
    const first = await acquire(dir);
    const record = readFileSync(join(dir, 'redis', 'server.json'), 'utf8');
    await first.server!.killHard();
    const again = await acquire(dir);
    expect(again.owned).toBe(true);
    expect(readFileSync(join(dir, 'redis', 'server.json'), 'utf8')).not.toBe(record);
    expect(await ping(again.url)).toBe('PONG');
  });
});

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
