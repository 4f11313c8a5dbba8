// Which Redis a one-off tool (the CLI, the bench) talks to: an explicit URL, else the configured one,
// else the data dir's embedded server (found running, or started for the duration of the command).
import { join } from 'node:path';
import { acquireEmbeddedRedis } from '../redis/embedded-redis';
import { SettingsStore } from '../settings/settings-store';

export interface ResolvedRedis {
  url: string;
  source: 'flag' | 'configured' | 'embedded';
  release(): Promise<void>;
}

const REDIS_URL = /^rediss?:\/\//;

export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

export async function resolveRedis(dataDir: string, explicitUrl?: string): Promise<ResolvedRedis> {
  if (explicitUrl !== undefined) {
    if (!REDIS_URL.test(explicitUrl)) throw new RedisUrlError(`"${explicitUrl}" is not a Redis URL — use redis://host:port[/db] or rediss://…`);
    return { url: explicitUrl, source: 'flag', release: async () => undefined };
  }
  const settings = await SettingsStore.open(join(dataDir, 'settings.json'));
  const configured = settings.get().redisUrl;
  if (configured) return { url: configured, source: 'configured', release: async () => undefined };
  const lease = await acquireEmbeddedRedis(dataDir);
  return { url: lease.url, source: 'embedded', release: () => lease.release() };
}
