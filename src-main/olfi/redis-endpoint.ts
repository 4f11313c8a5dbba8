// Which Redis: the rule (chooseRedis) the workbench's Ol-Fi service, its metrics and the CLI all follow, and the
// one-off tools' resolver (the CLI, the bench): an explicit URL, else the configured one, else the data dir's
// embedded server (found running, or started for the duration of the command); and the stream keys the workbench
// of that data dir uses, so the terminal and the panel meet on the same streams.
import { join } from 'node:path';
import { acquireEmbeddedRedis, describeEmbeddedRedisEvent } from '../redis/embedded-redis';
import { DEFAULT_SETTINGS, SettingsStore } from '../settings/settings-store';

/** Which Redis, and why: a URL given for this one command, the one in Settings, or the data dir's embedded server. */
export type RedisChoice = { source: 'flag' | 'configured'; url: string } | { source: 'embedded' };

/**
 * The one rule for which Redis the workbench, its metrics and the CLI talk to: an explicit URL (a command's
 * --redis) beats the configured one (Settings' redisUrl), and with neither it is the data dir's embedded server.
 */
export function chooseRedis(configured: string | null | undefined, explicitUrl?: string): RedisChoice {
  if (explicitUrl !== undefined) return { source: 'flag', url: explicitUrl };
  if (configured) return { source: 'configured', url: configured };
  return { source: 'embedded' };
}

export interface ResolvedRedis {
  url: string;
  source: RedisChoice['source'];
  /** The Ol-Fi and metrics stream keys in the data dir's Settings. */
  streams: { olfi: string; metrics: string };
  release(): Promise<void>;
}

const REDIS_URL = /^rediss?:\/\//;

export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

/**
 * With `log`, an embedded server this command started, or shares with a process that ends first, is kept running
 * for as long as the command runs (restarted on the same port after a SHUTDOWN or crash), and `log` hears about it.
 */
export async function resolveRedis(dataDir: string, explicitUrl?: string, log?: (message: string) => void): Promise<ResolvedRedis> {
  if (explicitUrl !== undefined && !REDIS_URL.test(explicitUrl)) throw new RedisUrlError(`"${explicitUrl}" is not a Redis URL — use redis://host:port[/db] or rediss://…`);
  // With an explicit URL a broken settings file only costs the stream defaults; without one it is the answer.
  const settings = await SettingsStore.open(join(dataDir, 'settings.json')).then(
    (store) => store.get(),
    (err: unknown) => {
      if (explicitUrl === undefined) throw err;
      return DEFAULT_SETTINGS;
    },
  );
  const streams = { olfi: settings.olfiStream, metrics: settings.metricsStream };
  const nothingToRelease = async () => undefined;
  const choice = chooseRedis(settings.redisUrl, explicitUrl);
  if (choice.source !== 'embedded') return { ...choice, streams, release: nothingToRelease };
  const lease = await acquireEmbeddedRedis(dataDir);
  if (log) lease.supervise((event) => log(describeEmbeddedRedisEvent(event)));
  return { url: lease.url, source: 'embedded', streams, release: () => lease.release() };
}
