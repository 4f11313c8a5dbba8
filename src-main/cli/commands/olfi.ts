// `bioxen olfi publish|tail|simulate`: the Ol-Fi stream from a terminal.
import { Redis } from 'ioredis';
import { numberFlag, parseArgs, stringFlag as text, untilStopped, UsageError, type CliCommand, type Flags } from '../command';
import { resolveDataDir } from '../../config/data-dir';
import { buildFrame, MESSAGE_TYPES, PRIORITIES, type MessageType, type Priority } from '../../olfi/frame-codec';
import { OlFiPublisher } from '../../olfi/olfi-publisher';
import { OlFiScenario } from '../../olfi/olfi-scenario';
import { OlFiStreamFollower } from '../../olfi/stream-follower';
import { redactRedisUrl } from '../../olfi/redis-connection';
import { resolveRedis, RedisUrlError, type ResolvedRedis } from '../../olfi/redis-endpoint';
import type { OlFiEntry } from '../../olfi/stream-entry';
import { isoTime, streamIdTimeMs, visibleText } from '../../../src-preload/contract/outside-values';

const CONNECTION = ['redis', 'stream', 'data-dir'] as const;

async function connection(flags: Flags): Promise<ResolvedRedis> {
  try {
    return await resolveRedis(resolveDataDir(text(flags, 'data-dir')), text(flags, 'redis'), (message) => process.stderr.write(`bioxen: ${message}\n`));
  } catch (err) {
    if (err instanceof RedisUrlError) throw new UsageError(err.message);
    throw err;
  }
}

function client(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 3 ? null : 200) });
  redis.on('error', () => undefined);
  return redis;
}

function frameFromFlags(flags: Flags): string {
  const frame = text(flags, 'frame');
  const payload = text(flags, 'payload');
  if ((frame === undefined) === (payload === undefined)) throw new UsageError('give exactly one of --frame JSON or --payload TEXT');
  if (frame !== undefined) return frame;
  const type = (text(flags, 'type') ?? 'BROADCAST').toUpperCase();
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) throw new UsageError(`--type must be one of ${MESSAGE_TYPES.join(', ')}`);
  const priority = text(flags, 'priority') ?? 'normal';
  if (!(PRIORITIES as readonly string[]).includes(priority)) throw new UsageError(`--priority must be one of ${PRIORITIES.join(', ')}`);
  return JSON.stringify(
    buildFrame({ address: text(flags, 'address') ?? '*', source: text(flags, 'source'), type: type as MessageType, priority: priority as Priority, payload }),
  );
}

const publish: CliCommand = {
  path: ['olfi', 'publish'],
  usage: 'olfi publish --mvoc NAME (--frame JSON | --payload TEXT [--address A] [--source S] [--type T] [--priority P]) [--force] [--redis URL] [--stream KEY (default: the Ol-Fi stream key in Settings)] [--data-dir D]',
  summary: 'XADD one Ol-Fi frame (checked first; --force sends an invalid one anyway).',
  async run(args) {
    const { flags } = parseArgs(args, { string: [...CONNECTION, 'mvoc', 'frame', 'payload', 'address', 'source', 'type', 'priority'], boolean: ['force'] });
    const mvoc = text(flags, 'mvoc');
    if (!mvoc) throw new UsageError('--mvoc NAME is required (a compound of the MVOC library, e.g. ACETOIN)');
    const frame = frameFromFlags(flags);
    const redis = await connection(flags);
    const conn = client(redis.url);
    try {
      const publisher = new OlFiPublisher(conn, { streamKey: text(flags, 'stream') ?? redis.streams.olfi, url: redis.url });
      const result = await publisher.publish(mvoc, frame, { force: flags.force === true });
      const verdict = result.classification.status === 'valid' ? 'valid' : `${result.classification.status}: ${result.classification.reason}`;
      process.stdout.write(`${result.id} ${result.mvoc} → ${publisher.streamKey} on ${redactRedisUrl(redis.url)} (${verdict})\n`);
      return 0;
    } finally {
      conn.disconnect();
      await redis.release();
    }
  },
};

/** One line per entry; text from the stream is shown with control and bidi characters escaped, so a frame cannot rewrite the terminal. */
function formatEntry(entry: OlFiEntry): string {
  const time = isoTime(streamIdTimeMs(entry.id));
  const mark = entry.status === 'valid' ? '✓' : '✗';
  const f = entry.frame;
  const body = f ? `${f.source ?? '?'} → ${f.address} ${f.control.type} #${f.control.sequence} ${f.control.priority} "${f.payload.slice(0, 60)}"` : (entry.raw ?? '').slice(0, 60);
  const reason = entry.status === 'valid' ? '' : ` [${entry.status}: ${entry.reason}]`;
  const extra = entry.extra ? ` ${Object.entries(entry.extra).map(([k, v]) => `${k}=${v}`).join(' ')}` : '';
  return `${time} ${entry.id} ${visibleText(`${entry.mvoc ?? '(no mvoc)'} ${mark} ${body}${reason}${extra}`)}\n`;
}

const tail: CliCommand = {
  path: ['olfi', 'tail'],
  usage: 'olfi tail [--json] [--from ID] [--count N] [--redis URL] [--stream KEY (default: the Ol-Fi stream key in Settings)] [--data-dir D]',
  summary: 'Follow the Ol-Fi stream: every new frame (or every one after --from ID; 0 = all) exactly once, in order, classified; stops after --count N.',
  async run(args) {
    const { flags } = parseArgs(args, { string: [...CONNECTION, 'from', 'count'], boolean: ['json'] });
    const count = numberFlag(flags, 'count', undefined, { above: 0 });
    const from = text(flags, 'from');
    if (from !== undefined && !/^\d+(-\d+)?$/.test(from)) throw new UsageError(`--from needs a stream id like 1700000000000-0 (or 0 for the whole stream), got "${from}"`);
    const redis = await connection(flags);
    // Not the mirror: a bounded live view may skip entries, and tail promises every one of them.
    const follower = new OlFiStreamFollower({ url: redis.url, streamKey: text(flags, 'stream') ?? redis.streams.olfi, after: from });
    follower.on('status', (state, reason) => {
      if (state !== 'connected' && state !== 'closed' && reason) process.stderr.write(`olfi tail: ${state}: ${reason}\n`);
    });
    // Ctrl-C, SIGTERM, or the reader of stdout going away (`| head`: EPIPE) ends tail normally.
    const stopped = Promise.race([untilStopped(), new Promise<void>((resolve) => process.stdout.once('error', () => resolve()))]);
    void stopped.then(() => follower.close());
    let printed = 0;
    try {
      for await (const batch of follower.batches()) {
        const take = count === undefined ? batch : batch.slice(0, count - printed);
        printed += take.length;
        // The next batch is read only once this one is out: a slow reader of stdout slows tail down, nothing is dropped.
        if (!process.stdout.write(take.map((entry) => (flags.json === true ? `${JSON.stringify(entry)}\n` : formatEntry(entry))).join(''))) {
          await Promise.race([new Promise((resolve) => process.stdout.once('drain', resolve)), stopped]);
        }
        if (count !== undefined && printed >= count) break;
      }
    } finally {
      follower.close();
      await redis.release();
    }
    return 0;
  },
};

const simulate: CliCommand = {
  path: ['olfi', 'simulate'],
  usage: 'olfi simulate [--rate N] [--duration S] [--cells K] [--noise F] [--seed S] [--redis URL] [--stream KEY (default: the Ol-Fi stream key in Settings)] [--data-dir D]',
  summary: 'Play a cellular-VM scenario (quorum sensing, status exchanges, emergency shutdown) onto the stream at N frames/s.',
  async run(args) {
    const { flags } = parseArgs(args, { string: [...CONNECTION, 'rate', 'duration', 'cells', 'noise', 'seed'] });
    const rate = numberFlag(flags, 'rate', 20, { above: 0 });
    const duration = numberFlag(flags, 'duration', undefined, { above: 0 });
    const noiseText = text(flags, 'noise');
    const noise = noiseText === undefined ? undefined : Number(noiseText);
    if (noise !== undefined && !(noise >= 0 && noise <= 1)) throw new UsageError(`--noise needs a fraction 0–1, got "${noiseText}"`);
    const scenario = new OlFiScenario({ cells: numberFlag(flags, 'cells', 4, { above: 0 }), seed: numberFlag(flags, 'seed', 1, { above: 0 }), noise });
    const redis = await connection(flags);
    const conn = client(redis.url);
    const publisher = new OlFiPublisher(conn, { streamKey: text(flags, 'stream') ?? redis.streams.olfi, url: redis.url });
    process.stdout.write(`simulating on ${publisher.streamKey} at ${redactRedisUrl(redis.url)}, ${rate} frames/s${duration ? ` for ${duration} s` : ' (Ctrl-C to stop)'}\n`);
    const stop = untilStopped(duration);
    let stopped = false;
    void stop.then(() => (stopped = true));
    const started = Date.now();
    let sent = 0;
    try {
      while (!stopped) {
        // Catch up in small batches so the rate holds even when a tick runs late.
        const due = Math.floor(((Date.now() - started) / 1000) * rate) - sent;
        for (let i = 0; i < Math.min(due, 1000); i++) {
          const { mvoc, frame } = scenario.next();
          await publisher.publish(mvoc, frame, { force: true });
          sent++;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(50, 1000 / rate))));
      }
    } finally {
      conn.disconnect();
      await redis.release();
    }
    process.stdout.write(`sent ${sent} frames\n`);
    return 0;
  },
};

export const olfiCommands: CliCommand[] = [publish, tail, simulate];
