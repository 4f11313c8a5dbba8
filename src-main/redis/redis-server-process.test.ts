import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_NOT_FOUND_MESSAGE, RedisServerError, RedisServerProcess } from './redis-server-process';

const owned: RedisServerProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-redis-'));
  dirs.push(dir);
  return dir;
}

function server(executable?: string): RedisServerProcess {
  const s = new RedisServerProcess(executable);
  owned.push(s);
  return s;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(owned.splice(0).map((s) => s.dispose()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RedisServerProcess', () => {
  it('stops a server that is still starting when the start is aborted, and rejects as cancelled', async () => {
    const s = server();
    const abort = new AbortController();
    const states: string[] = [];
    s.onStateChange((state) => {
      states.push(state);
      if (state === 'starting') abort.abort();
    });
    await expect(s.start({ dataDir: tempDir(), persistence: 'none' }, abort.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(states).toEqual(['starting', 'stopping', 'exited']);
    expect(s.state).toBe('exited');
    expect(s.info).toBeUndefined();
  });

  it('starts on a free loopback port, answers PING, and stops by pid', async () => {
    const s = server();
    const info = await s.start({ dataDir: tempDir(), persistence: 'none' });
    expect(s.state).toBe('ready');
    expect(info.url).toBe(`redis://127.0.0.1:${info.port}`);
    const client = new Redis(info.url, { lazyConnect: true });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await s.stop();
    expect(s.state).toBe('exited');
    expect(isAlive(info.pid)).toBe(false);
  });

  it('reports a missing binary with an actionable message', async () => {
    const s = server('/nonexistent/redis-server');
    const error = await s.start({ dataDir: tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisServerError);
    expect((error as RedisServerError).code).toBe('not-found');
    expect((error as Error).message).toBe(REDIS_NOT_FOUND_MESSAGE);
  });

  it('fails with the server log when the port is taken', async () => {
    const first = server();
    const { port } = await first.start({ dataDir: tempDir(), persistence: 'none' });
    const second = server();
    const error = await second.start({ dataDir: tempDir(), port, persistence: 'none' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisServerError);
    expect((error as Error).message).toMatch(/address already in use/i);
    expect(second.state).toBe('crashed');
  });

  it('survives kill -9 and restarts on the same port with its AOF data', async () => {
    const s = server();
    const info = await s.start({ dataDir: tempDir(), persistence: 'aof-always' });
    const client = new Redis(info.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    await client.set('k', 'kept');
    client.disconnect();
    await s.killHard();
    expect(s.state).toBe('crashed');
    expect(isAlive(info.pid)).toBe(false);
    const again = await s.restart();
    expect(again.port).toBe(info.port);
    expect(again.pid).not.toBe(info.pid);
    const reader = new Redis(again.url, { lazyConnect: true });
    await reader.connect();
    expect(await reader.get('k')).toBe('kept');
    reader.disconnect();
  });

  it('refuses a second start while running', async () => {
    const s = server();
    await s.start({ dataDir: tempDir(), persistence: 'none' });
    await expect(s.start({ dataDir: tempDir() })).rejects.toThrow(/already ready/);
  });
});

describe('RedisServerProcess when its owner dies', () => {
  it('takes the server down with the owning process (no orphaned redis-server)', async () => {
    const dir = tempDir();
    const script = `import { RedisServerProcess } from ${JSON.stringify(new URL('./redis-server-process.ts', import.meta.url).pathname)};
const info = await new RedisServerProcess().start({ dataDir: ${JSON.stringify(dir)}, persistence: 'none' });
console.log(info.pid);
setInterval(() => undefined, 1000);`;
    const { spawn } = await import('node:child_process');
    const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      owner.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (/^\d+\n/.test(out)) resolve(Number(out.trim()));
      });
      owner.once('exit', (code) => reject(new Error(`owner exited early (${code}): ${out}`)));
    });
    expect(isAlive(pid)).toBe(true);
    owner.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });
});
