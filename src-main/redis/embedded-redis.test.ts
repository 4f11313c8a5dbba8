import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireEmbeddedRedis, type EmbeddedRedisLease } from './embedded-redis';

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

describe('acquireEmbeddedRedis', () => {
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
