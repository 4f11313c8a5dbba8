// Hypervisor metrics figures: validation throughput, TCP bridge ingest, Redis republishing.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HypervisorBridge } from '../../src-main/metrics/hypervisor-bridge';
import { HypervisorSimulator } from '../../src-main/metrics/hypervisor-simulator';
import { MetricIngest } from '../../src-main/metrics/metric-ingest';
import { MetricsStreamPublisher } from '../../src-main/metrics/metrics-stream-publisher';
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

/**
 * A hypervisor sending 50,000 lines/s (500 every 10 ms) for 5 s to a bridge that republishes to a
 * real redis-server: the share of its samples that reach the stream, and the rate they got there
 * (below 50,000 when the bridge held the hypervisor back because Redis could not keep up).
 */
async function republish50k(data: Buffer): Promise<{ ratio: number; linesPerS: number }> {
  const lines: Buffer[] = [];
  for (let start = 0; start < data.length; ) {
    const end = data.indexOf(0x0a, start) + 1;
    lines.push(data.subarray(start, end));
    start = end;
  }
  const perTick = 500;
  const total = 250_000;
  const server = createServer((socket) => {
    socket.on('error', () => {});
    let sent = 0;
    const started = performance.now();
    const pump = () => {
      // Paced by the clock, not by the timer: a late tick sends what is due.
      const due = Math.min(total, Math.floor((performance.now() - started) / 10 + 1) * perTick);
      const chunk: Buffer[] = [];
      for (; sent < due; sent++) chunk.push(lines[sent % lines.length]!);
      if (chunk.length) socket.write(Buffer.concat(chunk));
      if (sent < total) setTimeout(pump, 10);
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-bench-redis-'));
  const redis = new RedisServerProcess();
  try {
    const { url } = await redis.start({ dataDir: dir, persistence: 'none' });
    const bridge = new HypervisorBridge({ port: (server.address() as { port: number }).port, store: { maxVms: 200 }, redis: { url, stream: 'bench_metrics' } });
    while (!bridge.status().publisher?.connected) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    bridge.start();
    const settled = () => {
      const { ingest, publisher } = bridge.status();
      return ingest.linesAccepted === total && publisher!.published + publisher!.dropped === total && publisher!.queued === 0;
    };
    const deadline = Date.now() + 120_000;
    while (!settled() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - started) / 1000;
    const { ingest, publisher } = bridge.status();
    await bridge.stop();
    if (ingest.linesAccepted !== total) throw new Error(`bridge accepted ${ingest.linesAccepted} of ${total} lines`);
    return { ratio: publisher!.published / total, linesPerS: publisher!.published / seconds };
  } finally {
    await redis.stop();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<Record<string, number>> {
  const data = sampleLines();
  const republish = await republish50k(data);
  return {
    hypervisor_validate_lines_per_s: Math.round(validationRate(data)),
    hypervisor_bridge_tcp_lines_per_s: Math.round(await bridgeRate(data)),
    hypervisor_redis_publish_per_s: Math.round(await publishRate()),
    hypervisor_republish_ratio_50k: Math.round(republish.ratio * 10_000) / 10_000,
    hypervisor_republish_50k_lines_per_s: Math.round(republish.linesPerS),
  };
}
