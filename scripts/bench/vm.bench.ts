// Lua VM engine figures, measured through the public VMManager on lua5.4.
import { performance } from 'node:perf_hooks';
import { VMLogger } from '../../src-main/vm/logger';
import { VMManager } from '../../src-main/vm/vm-manager';

const quiet = new VMLogger({ sink: () => undefined });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

const round = (v: number, digits = 3) => Number(v.toFixed(digits));

async function syncExec(manager: VMManager): Promise<Record<string, number>> {
  await manager.createVM('bench-sync');
  for (let i = 0; i < 300; i++) await manager.executeVMSync('bench-sync', `print(${i} + 1)`);
  const runs = 5000;
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = await manager.executeVMSync('bench-sync', `print(${i} + 1)`);
    times.push(performance.now() - t);
    if (r.stdout !== `${i + 1}\n`) throw new Error(`unexpected output ${JSON.stringify(r.stdout)}`);
  }
  const total = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { sync_exec_p50_ms: round(percentile(times, 50)), sync_exec_p99_ms: round(percentile(times, 99)), sync_exec_per_s: Math.round(runs / total) };
}

async function interactiveRtt(manager: VMManager): Promise<Record<string, number>> {
  const session = await manager.createInteractiveVM('bench-rtt');
  const times: number[] = [];
  for (let i = 0; i < 2300; i++) {
    const t = performance.now();
    await session.sendInput(`print(${i})`);
    const out = session.readOutput();
    const elapsed = performance.now() - t;
    if (out !== `${i}\n`) throw new Error(`unexpected output ${JSON.stringify(out)}`);
    if (i >= 300) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return { interactive_rtt_p50_ms: round(percentile(times, 50)) };
}

async function sessions(): Promise<Record<string, number>> {
  await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet });
  const started = performance.now();
  const created = await Promise.all(Array.from({ length: 50 }, (_, i) => manager.createInteractiveVM(`bench-${i}`)));
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  const rss = created.map((s) => s.process.memoryKb() ?? Number.NaN);
  const meanKb = rss.reduce((a, b) => a + b, 0) / rss.length;
  return { create_50_sessions_s: round(seconds), idle_session_rss_mb: round(meanKb / 1024, 2) };
}

/** The longest the event loop went without a turn while 200 createVM calls ran at once (a 1 ms timer's lateness). */
async function createBurst(): Promise<Record<string, number>> {
  await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet });
  await manager.createVM('bench-burst-warm');
  let maxBlock = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  await Promise.all(Array.from({ length: 200 }, (_, i) => manager.createVM(`bench-burst-${i}`)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(probe);
  return { create_200_sessions_max_loop_block_ms: round(maxBlock, 1), create_200_sessions_s: round(seconds) };
}

export async function bench(): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  {
    await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet });
    Object.assign(figures, await syncExec(manager), await interactiveRtt(manager));
  }
  Object.assign(figures, await sessions(), await createBurst());
  return figures;
}
