// Test helper: private redis-server instances in temp dirs, plain clients, and polling waits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisServerProcess, type RedisServerStartOptions } from '../redis/redis-server-process';

export class TestRedis {
  private readonly servers: RedisServerProcess[] = [];
  private readonly clients: Redis[] = [];
  private readonly dirs: string[] = [];

  tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'bioxen-olfi-'));
    this.dirs.push(dir);
    return dir;
  }

  async server(options: Partial<RedisServerStartOptions> = {}): Promise<{ server: RedisServerProcess; url: string; port: number }> {
    const server = new RedisServerProcess();
    this.servers.push(server);
    const info = await server.start({ dataDir: this.tempDir(), persistence: 'none', ...options });
    return { server, url: info.url, port: info.port };
  }

  /** A server object that is not started yet (for late-start tests). */
  unstarted(): RedisServerProcess {
    const server = new RedisServerProcess();
    this.servers.push(server);
    return server;
  }

  client(url: string): Redis {
    const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    this.clients.push(client);
    return client;
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    await Promise.all(this.servers.splice(0).map((s) => s.dispose()));
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SHUTDOWN NOSAVE from a client that gives up with its connection: the tests' retrying clients would send it
 * again to the server that replaces it.
 */
export async function shutdownNoSave(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  // The server closes the connection instead of replying.
  await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
  client.disconnect();
}

/** XADDs `count` entries in pipelined chunks; frame(i) gives each entry's fields. */
export async function addEntries(client: Redis, key: string, count: number, fields: (i: number) => string[], chunk = 5000): Promise<void> {
  for (let start = 0; start < count; start += chunk) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(count, start + chunk); i++) pipeline.call('XADD', key, '*', ...fields(i));
    await pipeline.exec();
  }
}
