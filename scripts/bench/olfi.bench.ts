// Ol-Fi figures against a private redis-server:
//   olfi_mirror_rss_mb          RSS of a process holding 100k classified frames in the mirror (olfi-rss-probe.ts)
//   olfi_mirror_live_mb         the same process's live heap + external memory after a full GC
//   olfi_ingest_per_s           300k-entry backlog → read, parsed, classified and buffered by the mirror
//   olfi_xadd_to_update_p99_ms  XADD at 1,000 frames/s → the mirror's batched update event, 99th percentile
//                               (olfi-panel.bench.ts measures on to the row drawn in the window: olfi_xadd_to_panel_p99_ms)
//   olfi_tail_per_s             `bioxen olfi tail --json --from 0` over a 100k backlog: entries printed per second, every
//                               one exactly once (from its first line to its exit; start-up excluded)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { buildFrame } from '../../src-main/olfi/frame-codec';
import { OlFiMirror, type MirrorUpdate } from '../../src-main/olfi/olfi-mirror';
import { OlFiPublisher } from '../../src-main/olfi/olfi-publisher';
import { RedisServerProcess } from '../../src-main/redis/redis-server-process';

const execFileAsync = promisify(execFile);

function frameFields(i: number): string[] {
  const frame = buildFrame({ address: `CELL_${String(i % 100).padStart(4, '0')}`, source: 'CELL_0001', type: 'STATUS', payload: `density=${(i % 1000) / 1000};atp=2.5mM`, sequence: i % 65536 });
  return ['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame)];
}

async function fill(client: Redis, key: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 10_000) {
    const pipeline = client.pipeline();
    for (let i = start; i < Math.min(count, start + 10_000); i++) pipeline.call('XADD', key, '*', ...frameFields(i));
    await pipeline.exec();
  }
}

/** Starts a mirror reading `key` from the beginning and resolves with the seconds it took to buffer `count`. */
async function readAll(url: string, key: string, count: number, capacity: number): Promise<{ seconds: number; mirror: OlFiMirror }> {
  const mirror = new OlFiMirror({ url, streamKey: key, capacity, start: { from: '0-0' } });
  const started = performance.now();
  await new Promise<void>((resolve) => {
    mirror.on('update', (u: MirrorUpdate) => {
      if (u.received >= count) resolve();
    });
    mirror.start();
  });
  return { seconds: (performance.now() - started) / 1000, mirror };
}

async function latencyP99(url: string, client: Redis): Promise<number> {
  const key = 'olfi_latency';
  const mirror = new OlFiMirror({ url, streamKey: key, capacity: 10_000 });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  mirror.on('update', (u) => {
    const now = performance.now();
    for (const entry of u.entries) {
      const t = sentAt.get(entry.frame?.payload ?? '');
      if (t !== undefined) latencies.push(now - t);
    }
  });
  mirror.start();
  while (mirror.status.lastId === '') await new Promise((r) => setTimeout(r, 10));
  const publisher = new OlFiPublisher(client, { streamKey: key });
  const total = 5000;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    // Pace at 1,000 frames/s against the wall clock, sending in small bursts as timers allow.
    const due = started + i;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const payload = `t${i}`;
    sentAt.set(payload, performance.now());
    void publisher.publish('ACETOIN', buildFrame({ address: 'CELL_0002', type: 'PING', payload }));
  }
  const deadline = performance.now() + 10_000;
  while (latencies.length < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await mirror.stop();
  if (latencies.length < total) throw new Error(`only ${latencies.length} of ${total} frames reached the mirror`);
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(total * 0.99)]!;
}

/** RSS and live memory of a fresh process holding `count` mirrored frames (the probe script, with gc exposed). */
async function mirrorMemory(url: string, key: string, count: number): Promise<{ rssMb: number; liveMb: number }> {
  const probe = fileURLToPath(new URL('./olfi-rss-probe.ts', import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', '--import', 'tsx', probe, url, key, String(count)], { timeout: 120_000 });
  return JSON.parse(stdout) as { rssMb: number; liveMb: number };
}

/** Entries per second `bioxen olfi tail` prints from a backlog of `count`; throws unless it printed every one and exited 0. */
async function tailRate(url: string, key: string, count: number, dataDir: string): Promise<number> {
  const cli = fileURLToPath(new URL('../../bin/bioxen.mjs', import.meta.url));
  const args = [cli, 'olfi', 'tail', '--json', '--from', '0', '--count', String(count), '--redis', url, '--stream', key, '--data-dir', dataDir];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let lines = 0;
  let first = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    first ||= performance.now();
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0 || lines !== count) throw new Error(`olfi tail printed ${lines} of ${count} entries (exit ${code})`);
  return count / ((performance.now() - first) / 1000);
}

export async function bench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-olfi-bench-'));
  const server = new RedisServerProcess();
  const { url } = await server.start({ dataDir: dir, persistence: 'none' });
  const client = new Redis(url);
  try {
    await fill(client, 'olfi_rss', 100_000);
    const memory = await mirrorMemory(url, 'olfi_rss', 100_000);
    const tailPerSecond = await tailRate(url, 'olfi_rss', 100_000, dir);

    await fill(client, 'olfi_backlog', 300_000);
    const ingest = await readAll(url, 'olfi_backlog', 300_000, 300_000);
    await ingest.mirror.stop();

    const p99 = await latencyP99(url, client);
    return {
      olfi_mirror_rss_mb: Math.round(memory.rssMb),
      olfi_mirror_live_mb: Math.round(memory.liveMb),
      olfi_ingest_per_s: Math.round(300_000 / ingest.seconds),
      olfi_xadd_to_update_p99_ms: Math.round(p99 * 10) / 10,
      olfi_tail_per_s: Math.round(tailPerSecond),
    };
  } finally {
    client.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
