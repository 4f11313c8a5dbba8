// Lua VM engine figures, measured through the public VMManager on lua5.4.
import { execFileSync } from 'node:child_process';
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

/** Measures the longest gap between turns of the event loop (a 1 ms timer's lateness) while `work` runs. */
async function maxLoopBlock(work: () => Promise<unknown>): Promise<number> {
  let maxBlock = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last - 1);
    last = now;
  }, 1);
  await work();
  clearInterval(probe);
  return maxBlock;
}

/**
 * The longest the event loop went without a turn while 200 createVM calls ran at once. The same probe over
 * an idle loop for as long is the machine's own noise (the OS descheduling the process on a loaded box).
 */
async function createBurst(): Promise<Record<string, number>> {
  await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet });
  await manager.createVM('bench-burst-warm');
  const started = performance.now();
  const block = await maxLoopBlock(() => Promise.all(Array.from({ length: 200 }, (_, i) => manager.createVM(`bench-burst-${i}`))));
  const ms = performance.now() - started;
  const idle = await maxLoopBlock(() => new Promise((r) => setTimeout(r, ms)));
  return { create_200_sessions_max_loop_block_ms: round(block, 1), idle_max_loop_block_ms: round(idle, 1), create_200_sessions_s: round(ms / 1000) };
}

// CPU-bound scripts, timed inside Lua with os.clock() (CPU time, so other load on the machine
// skews both sides alike). See README "Lua strings are bytes; what the sandbox costs".
const OVERHEAD_EXPLANATION =
  'Limits are checked from a hook. With the native guard (lua/native/guard.c, "timer") no hook is set between checks: ' +
  'a 1 ms timer signal sets a one-shot hook on the running thread, so the script runs at plain-Lua speed and pays only the ' +
  'checks (~1,000/s, a few microseconds each). string.rep and table.concat check the size of their result in C before ' +
  'building it (guard.c size_checked: a few type tests, a call into the sandbox only for results over 4 KiB; a large ' +
  'concat under a memory limit is joined in batches). What is left on allocation-heavy code (string_ops) is mostly the ' +
  "runtime's own live heap (~300 KB against plain Lua's ~30 KB): the new strings are spread over more memory between " +
  'collections. The count-hook fallback ("count hook" figures) makes PUC Lua take its slow path (a luaG_traceexec call) ' +
  'on every instruction whatever the count: about 2x on a tight numeric loop.';
// Each about 0.3-0.5 s of CPU under plain lua5.4 on the bench machine: long enough that the timer's
// ticks and the scheduler's noise are small against it.
const CPU_SCRIPTS: Record<string, string> = {
  numeric_loop: 'local x = 0 for i = 1, 5e7 do x = x + i % 7 end',
  concat_300k: 'local t = {} for i = 1, 300000 do t[i] = tostring(i) end local s for r = 1, 30 do s = table.concat(t, ",") end',
  string_ops: 'local n = 0 for i = 1, 4e5 do local s = string.format("%d:%s", i, ("x"):rep(i % 10)) n = n + #(s:upper():gsub("X", "y")) end',
};

/**
 * Session CPU time / plain lua5.4 CPU time, per script and overall. Computed so that one noisy run cannot move it:
 * each script runs `pairs` times under plain lua5.4 (a fresh process each time) and `pairs` times in a session (a
 * fresh VM each time: a heap left grown by an earlier script slows allocation-heavy code, which plain Lua's fresh
 * process never sees), the two interleaved and their order alternated so that drift in the machine's load falls on
 * both sides alike. Each pair gives a ratio; a script's figure is the median of its pairs' ratios; the overall
 * figure is the largest script figure, a bound on what a user's code pays rather than an average.
 */
async function sandboxCpuOverhead(manager: VMManager, suffix = '', pairs = 7): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  let worst = 0;
  let vms = 0;
  for (const [name, body] of Object.entries(CPU_SCRIPTS)) {
    const timed = `local t0 = os.clock() ${body} return os.clock() - t0`;
    const plainRun = () => Number(execFileSync('lua5.4', ['-e', `print((function() ${timed} end)())`], { encoding: 'utf8' }));
    const sessionRun = async () => {
      const id = `bench-cpu-${vms++}`;
      await manager.createVM(id);
      try {
        const r = await manager.executeVMSync(id, timed);
        if (!r.success) throw new Error(`${name} failed in the sandbox: ${r.stderr}`);
        return Number(r.values[0]);
      } finally {
        await manager.terminateVMSession(id);
      }
    };
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      let plain: number;
      let session: number;
      if (i % 2 === 0) {
        plain = plainRun();
        session = await sessionRun();
      } else {
        session = await sessionRun();
        plain = plainRun();
      }
      ratios.push(session / plain);
    }
    const ratio = median(ratios);
    figures[`sandbox_cpu_overhead_ratio_${name}${suffix}`] = round(ratio, 2);
    worst = Math.max(worst, ratio);
  }
  figures[`sandbox_cpu_overhead_ratio${suffix}`] = round(worst, 2);
  return figures;
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * How promptly the limits land: interrupt (host interrupt() → the run's error reply), quota and memory overshoot
 * (measured inside the run by an xpcall handler, which the limit's error reaches before it ends the run).
 */
async function limitPromptness(manager: VMManager, suffix: string): Promise<Record<string, number>> {
  const s = await manager.createInteractiveVM('bench-limits', { limits: { instructionQuota: 0, memoryMb: 64 } });
  const latencies: number[] = [];
  for (let i = 0; i < 15; i++) {
    const pending = s.sendInput('local x = 0 while true do x = x + 1 end');
    while (s.process.state !== 'busy') await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setTimeout(r, 20));
    const t = performance.now();
    s.interrupt();
    await pending;
    latencies.push(performance.now() - t);
  }
  const vm = s.process;
  // Quota: CPU time from the start to the limit, against what the quota buys (the count hook charges exact
  // instructions: its overshoot is about 10,000 instructions by construction, so only its time is shown). The
  // script's own xpcall handler sees the limit first and prints the figure; the run then ends with the limit.
  const quota = 50_000_000;
  const lastNumber = (text: string) => Number(text.trim().split('\n').at(-1));
  const overshoot: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await vm.executeString(
      'local t0 = os.clock() xpcall(function() local x = 0 while true do x = x + 1 end end, function(m) print(os.clock() - t0) return m end)',
      { limits: { instructionQuota: quota } },
    );
    const perMs = /(\d+) instructions per CPU ms/.exec(r.error?.message ?? '');
    const cpuMs = lastNumber(r.stdout) * 1000;
    if (Number.isFinite(cpuMs)) overshoot.push(perMs ? cpuMs - quota / Number(perMs[1]) : cpuMs);
  }
  const memory: number[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await vm.executeString('xpcall(function() local t = {} for i = 1, 1e8 do t[i] = {i} end end, function(m) print(collectgarbage("count")) return m end)', {
      limits: { instructionQuota: 0, memoryMb: 64 },
    });
    const kb = lastNumber(r.stdout);
    if (Number.isFinite(kb)) memory.push(kb - 64 * 1024);
  }
  await manager.terminateVMSession('bench-limits');
  return {
    [`interrupt_latency_p50_ms${suffix}`]: round(median(latencies), 2),
    [`interrupt_latency_max_ms${suffix}`]: round(Math.max(...latencies), 2),
    [suffix ? `quota_stop_cpu_ms${suffix}` : 'quota_overshoot_cpu_ms']: round(median(overshoot), 2),
    [`memory_overshoot_kb${suffix}`]: Math.round(median(memory)),
  };
}

/** The count-hook fallback's figures, for comparison: the same scripts with the native guard switched off. */
async function countHookFigures(): Promise<Record<string, number>> {
  process.env.BIOXEN_SANDBOX_GUARD = 'count-hook';
  try {
    await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet });
    return { ...(await sandboxCpuOverhead(manager, '_count_hook', 5)), ...(await limitPromptness(manager, '_count_hook')) };
  } finally {
    delete process.env.BIOXEN_SANDBOX_GUARD;
  }
}

export async function bench(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  {
    await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet });
    Object.assign(figures, await syncExec(manager), await interactiveRtt(manager), await sandboxCpuOverhead(manager));
    figures.sandbox_guard = manager.getVM('bench-sync').guard?.kind ?? 'unknown';
    figures.sandbox_cpu_overhead_explanation = OVERHEAD_EXPLANATION;
    Object.assign(figures, await limitPromptness(manager, ''));
  }
  Object.assign(figures, await countHookFigures());
  Object.assign(figures, await sessions(), await createBurst());
  return figures;
}
