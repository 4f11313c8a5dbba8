// `bioxen hypervisor simulate|watch`: a stand-in hypervisor and a terminal view of a real one.
import { numberFlag, parseArgs, untilStopped, UsageError, type CliCommand } from '../command';
import { HypervisorBridge, type ConnectionStyle } from '../../metrics/hypervisor-bridge';
import { HypervisorSimulator } from '../../metrics/hypervisor-simulator';
import { DEFAULT_HYPERVISOR_HOST, DEFAULT_HYPERVISOR_PORT, parseEndpoint } from '../../metrics/endpoint';
import { DEFAULT_STREAM } from '../../metrics/metrics-stream-publisher';
import { resolveDataDir } from '../../config/data-dir';
import { resolveRedis, type ResolvedRedis } from '../../olfi/redis-endpoint';
import type { StoredMetric } from '../../metrics/metrics-store';

const simulate: CliCommand = {
  path: ['hypervisor', 'simulate'],
  usage: 'hypervisor simulate [--port N] [--vms K] [--rate HZ] [--speed X] [--seed S] [--style stream|per-connection] [--host H] [--allow-remote] [--duration S]',
  summary:
    'Serve realistic cellular-VM metrics (ATP, growth, repressilator gene expression) as JSON over TCP: newline-delimited on a long-lived connection (--style stream, the default), or one sample per connection, closed after it (--style per-connection, as BioXen\'s Python send_to_lua).',
  async run(args) {
    const { flags } = parseArgs(args, { string: ['port', 'vms', 'rate', 'speed', 'seed', 'host', 'duration', 'style'], boolean: ['allow-remote'] });
    const style = typeof flags.style === 'string' ? flags.style : 'stream';
    let sim: HypervisorSimulator;
    try {
      sim = new HypervisorSimulator({
        style: style as ConnectionStyle,
        host: typeof flags.host === 'string' ? flags.host : DEFAULT_HYPERVISOR_HOST,
        port: numberFlag(flags, 'port', DEFAULT_HYPERVISOR_PORT),
        vms: numberFlag(flags, 'vms', 3),
        rateHz: numberFlag(flags, 'rate', 10),
        speed: numberFlag(flags, 'speed', 1),
        seed: numberFlag(flags, 'seed', 1),
        allowRemote: flags['allow-remote'] === true,
      });
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const duration = numberFlag(flags, 'duration', undefined, { above: 0 });
    const port = await sim.start();
    const how = style === 'per-connection' ? 'one sample per connection' : 'newline-delimited stream';
    process.stdout.write(`hypervisor simulator listening on ${typeof flags.host === 'string' ? flags.host : DEFAULT_HYPERVISOR_HOST}:${port} — VMs ${sim.vmIds.join(', ')} at ${numberFlag(flags, 'rate', 10)} Hz, ${how} (Ctrl-C to stop)\n`);
    await untilStopped(duration);
    const stats = sim.stats();
    await sim.stop();
    process.stdout.write(`stopped: ${stats.ticks} ticks, ${stats.linesSent} lines sent, ${stats.linesSkipped} skipped for slow clients\n`);
    return 0;
  },
};

function formatSample(sample: StoredMetric): string {
  const genes = Object.entries(sample.geneExpression)
    .map(([gene, level]) => `${gene}=${level.toFixed(1)}`)
    .join(' ');
  const atp = sample.atp === undefined ? '' : ` atp=${sample.atp.toFixed(3)}mM`;
  const growth = sample.growth === undefined ? '' : ` growth=${sample.growth.toFixed(3)}`;
  return `${sample.vm} t=${sample.t.toFixed(2)}${atp}${growth} ${genes}\n`;
}

const watch: CliCommand = {
  path: ['hypervisor', 'watch'],
  usage: 'hypervisor watch [--endpoint HOST:PORT] [--publish] [--redis URL] [--stream KEY (default: the metrics stream key in Settings)] [--data-dir DIR] [--json] [--duration S]',
  summary:
    'Connect to a BioXen hypervisor and print each validated sample; --publish republishes to the Redis stream (the configured Redis, else the data dir\'s embedded one; --redis URL picks another).',
  async run(args) {
    const { flags } = parseArgs(args, { string: ['endpoint', 'redis', 'stream', 'duration', 'data-dir'], boolean: ['json', 'publish'] });
    const duration = numberFlag(flags, 'duration', undefined, { above: 0 });
    let endpoint: { host: string; port: number };
    try {
      endpoint = parseEndpoint(typeof flags.endpoint === 'string' ? flags.endpoint : `${DEFAULT_HYPERVISOR_HOST}:${DEFAULT_HYPERVISOR_PORT}`);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const redisFlag = typeof flags.redis === 'string' ? flags.redis : undefined;
    let redis: ResolvedRedis | undefined;
    if (flags.publish === true || redisFlag) redis = await resolveRedis(resolveDataDir(typeof flags['data-dir'] === 'string' ? flags['data-dir'] : undefined), redisFlag);
    const stream = typeof flags.stream === 'string' ? flags.stream : (redis?.streams.metrics ?? DEFAULT_STREAM);
    if (redis) process.stderr.write(`[bridge] republishing to ${stream} on the ${redis.source} Redis\n`);
    let bridge: HypervisorBridge;
    try {
      bridge = new HypervisorBridge({ ...endpoint, ...(redis && { redis: { url: redis.url, stream } }) });
    } catch (err) {
      await redis?.release();
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    bridge.on('metric', (sample) => process.stdout.write(flags.json ? JSON.stringify(sample) + '\n' : formatSample(sample)));
    bridge.on('invalid', (bad) => process.stderr.write(`rejected line (${bad.reason}): ${bad.detail}\n`));
    bridge.on('state', (status) => {
      const why = status.state === 'backoff' && status.lastError ? ` — ${status.lastError}; retrying` : '';
      const style = status.style && status.state === 'connected' ? ` (${status.style})` : '';
      process.stderr.write(`[bridge] ${status.state} ${status.host}:${status.port}${style}${why}\n`);
    });
    bridge.start();
    await untilStopped(duration);
    await bridge.stop();
    const { ingest, publisher } = bridge.status();
    await redis?.release();
    const published = publisher ? `, ${publisher.published} published to ${publisher.stream} (${publisher.dropped} dropped)` : '';
    process.stderr.write(`accepted ${ingest.linesAccepted} lines, rejected ${ingest.linesRejected}${published}\n`);
    return 0;
  },
};

export const hypervisorCommands: CliCommand[] = [simulate, watch];
