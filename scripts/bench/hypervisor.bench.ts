// Hypervisor metrics figures: validation throughput, TCP bridge ingest, Redis republishing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HypervisorBridge } from '../../src-main/hypervisor/hypervisor-bridge';
import { HypervisorSimulator } from '../../src-main/hypervisor/hypervisor-simulator';
import { MetricIngest } from '../../src-main/hypervisor/metric-ingest';
import { MetricsStreamPublisher } from '../../src-main/hypervisor/metrics-stream-publisher';
import { RedisServerProcess } from '../../src-main/redis/redis-server-process';

const LINES = 200_000;

/** LINES realistic samples (100 cellular VMs) as one buffer. */
function sampleLines(): Buffer {
  const sim = new HypervisorSimulator({ port: 0, vms: 100, rateHz: 10 });
  let text = '';
  for (let tick = 0; tick < LINES / 100; tick++) text += sim.nextLines(1_700_000_000_000 + tick * 100);
  return Buffer.from(text);
}

function validationRate(data: Buffer): number {
  let accepted = 0;
  const ingest = new MetricIngest({ maxLineBytes: 1 << 20, recentInvalid: 10, now: Date.now }, () => accepted++);
  const started = performance.now();
  for (let i = 0; i < data.length; i += 64 * 1024) ingest.push(data.subarray(i, i + 64 * 1024));
  const seconds = (performance.now() - started) / 1000;
  if (accepted !== LINES) throw new Error(`validation accepted ${accepted} of ${LINES} lines`);
  return LINES / seconds;
}

async function bridgeRate(data: Buffer): Promise<number> {
  const server = createServer((socket) => socket.end(data));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const bridge = new HypervisorBridge({ port: (server.address() as { port: number }).port, store: { maxVms: 200 } });
  try {
    const started = performance.now();
    let accepted = 0;
    await new Promise<void>((resolve) => {
      bridge.on('metric', () => ++accepted === LINES && resolve());
      bridge.start();
    });
    return LINES / ((performance.now() - started) / 1000);
  } finally {
    await bridge.stop();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

async function publishRate(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-bench-redis-'));
  const redis = new RedisServerProcess();
  try {
    const { url } = await redis.start({ dataDir: dir, persistence: 'none' });
    const publisher = new MetricsStreamPublisher({ url, queueLimit: 100_000 });
    while (!publisher.stats().connected) await new Promise((r) => setTimeout(r, 10));
    const count = 50_000;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      publisher.publish({ vm: `cell-${i % 100}`, t: i, atp: 3, growth: 0.5, geneExpression: { lacI: 1, tetR: 2, cI: 3 }, series: {}, receivedAt: i });
    }
    while (publisher.stats().published + publisher.stats().dropped < count) await new Promise((r) => setTimeout(r, 5));
    const rate = count / ((performance.now() - started) / 1000);
    await publisher.dispose();
    return rate;
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<Record<string, number>> {
  const data = sampleLines();
  return {
    hypervisor_validate_lines_per_s: Math.round(validationRate(data)),
    hypervisor_bridge_tcp_lines_per_s: Math.round(await bridgeRate(data)),
    hypervisor_redis_publish_per_s: Math.round(await publishRate()),
  };
}
