import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseRedis, resolveRedis, type ResolvedRedis } from './redis-endpoint';
import { TestRedis, shutdownNoSave } from './test-redis';
import { waitFor } from '../testing/test-helpers';

const env = new TestRedis();
const resolved: ResolvedRedis[] = [];

afterEach(async () => {
  for (const r of resolved.splice(0)) await r.release();
  await env.cleanup();
});

describe('resolveRedis (the CLI and the bench)', () => {
  it("keeps a command's embedded Redis running through a SHUTDOWN, on the same port, and says so", async () => {
    const messages: string[] = [];
    const redis = await resolveRedis(env.tempDir(), undefined, (message) => messages.push(message));
    resolved.push(redis);
    expect(redis.source).toBe('embedded');
    const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', '{}');
      await shutdownNoSave(redis.url);
      await waitFor('the restart message', () => messages.some((m) => m.includes('restarted')));
      expect(messages[0]).toMatch(/^embedded Redis stopped at .* \(it exited normally \(SHUTDOWN\?\)\) — restarting it/);
      expect(messages[1]).toMatch(/— restarted at .* on port \d+ with the same data/);
      expect(messages.join('\n')).not.toContain(new URL(redis.url).password);
      expect(await client.call('XLEN', 'olfi_stream')).toBe(1);
    } finally {
      client.disconnect();
    }
  });
});

describe('chooseRedis (the one rule for which Redis)', () => {
  it('takes an explicit URL over the configured one, the configured one over the embedded server', () => {
    expect(chooseRedis('redis://configured:6379', 'redis://flag:6380')).toEqual({ source: 'flag', url: 'redis://flag:6380' });
    expect(chooseRedis('redis://configured:6379')).toEqual({ source: 'configured', url: 'redis://configured:6379' });
    expect(chooseRedis(null)).toEqual({ source: 'embedded' });
    expect(chooseRedis(undefined)).toEqual({ source: 'embedded' });
    expect(chooseRedis(null, 'redis://flag:6380')).toEqual({ source: 'flag', url: 'redis://flag:6380' });
  });
});
