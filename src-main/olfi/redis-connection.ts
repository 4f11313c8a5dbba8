// How the Ol-Fi side talks to Redis: connection factory, URL redaction, reply shapes and error wording.
import { Redis, type RedisOptions } from 'ioredis';

export type RedisFactory = (url: string, options: RedisOptions) => Redis;

export const defaultRedisFactory: RedisFactory = (url, options) => new Redis(url, options);

export { redactRedisUrl } from '../redis/redis-url';

/** A wait between reconnect attempts that the owner can end at once (on stop or close). */
export class ReconnectPause {
  private wakeNow: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeNow = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeNow = done;
    });
  }

  wake(): void {
    this.wakeNow?.();
  }
}

/** Backoff between reconnect attempts: 50 ms doubling to 3 s, with jitter so several readers do not stampede. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(50 * 2 ** Math.min(attempt, 6), 3000);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

export type RawStreamEntry = [id: string, fields: string[]];

function isRawEntry(value: unknown): value is RawStreamEntry {
  return Array.isArray(value) && typeof value[0] === 'string' && Array.isArray(value[1]) && value[1].every((f) => typeof f === 'string');
}

/**
 * XREAD reply → the entries of its first stream. RESP2 gives [[key, entries]] (or null); ioredis's
 * generic `call` hands a single-stream reply over as [key, entries], so both are accepted.
 */
export function entriesOfXread(reply: unknown): RawStreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const stream = typeof reply[0] === 'string' ? reply : reply[0];
  if (!Array.isArray(stream) || !Array.isArray(stream[1])) throw new Error('unexpected XREAD reply shape from Redis');
  return entriesOfRange(stream[1]);
}

/** XRANGE / XREVRANGE reply → entries; entries of an unexpected shape are skipped, never thrown. */
export function entriesOfRange(reply: unknown): RawStreamEntry[] {
  if (!Array.isArray(reply)) throw new Error('unexpected XRANGE reply shape from Redis');
  return reply.filter(isRawEntry);
}

// Node's codes for a server certificate whose chain ends in a CA it does not trust (a private CA, a self-signed cert).
const UNTRUSTED_CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/** Turns ioredis/Redis errors into text a user can act on. */
export function describeRedisError(err: unknown, redactedUrl: string): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNTRUSTED_CERT_CODES.has(code)) {
    return `TLS certificate not trusted — set NODE_EXTRA_CA_CERTS to your CA file (${redactedUrl}: ${message})`;
  }
  if (/ECONNREFUSED/.test(message)) return `cannot connect to ${redactedUrl} (connection refused) — is redis-server running?`;
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `cannot resolve the host of ${redactedUrl} — check the Redis URL in Settings`;
  if (/WRONGPASS|NOAUTH|invalid password/i.test(message)) return `Redis at ${redactedUrl} refused the credentials — check the user and password in the Redis URL`;
  if (/max retries per request|Connection is closed|ECONNRESET/i.test(message)) {
    return `lost the connection to ${redactedUrl} — is redis-server still running? (an embedded server started by another bioxen command stops when that command exits)`;
  }
  if (/WRONGTYPE/.test(message)) return `the stream key holds a value that is not a stream — choose another stream key or delete that key`;
  return `${message} (${redactedUrl})`;
}
