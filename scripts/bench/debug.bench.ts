// Debugger figures (lua/runtime/debugger.lua), through LuaProcess on lua5.4: what attaching the debugger
// costs a CPU-bound script that never reaches its breakpoint, and a step's round trip.
import { performance } from 'node:perf_hooks';
import type { LuaProcess } from '../../src-main/vm/lua-process';
import { VMLogger } from '../../src-main/vm/logger';
import type { RunnerDebugConfig, RunnerDebugStop } from '../../src-main/vm/runner-protocol';
import { VMManager } from '../../src-main/vm/vm-manager';

const quiet = new VMLogger({ sink: () => undefined });
const round = (v: number, digits = 3) => Number(v.toFixed(digits));
const SOURCE = '@bench.lua';

// Line 2 holds the breakpoint; `never` is never called.
const NEVER = 'local function never()\n  return 1\nend\n';
const SCRIPTS: Record<string, string> = {
  // The CPU-bound script: a tight numeric loop.
  numeric_loop: 'local x = 0 for i = 1, 3e7 do x = x + i % 7 end',
  // Library calls: every one is a call event for the debugger's filter.
  string_ops: 'local n = 0 for i = 1, 2e5 do local s = string.format("%d:%s", i, ("x"):rep(i % 10)) n = n + #(s:upper():gsub("X", "y")) end',
  // A Lua function call per iteration: the filter's worst case.
  calls: 'local function f(a) return a + 1 end local x = 0 for i = 1, 5e6 do x = f(x) end',
};

const neverHit: RunnerDebugConfig = { breakpoints: { [SOURCE]: [{ id: 1, line: 2 }] } };

async function cpuSeconds(vm: LuaProcess, body: string, debug: boolean): Promise<number> {
  const code = `${NEVER}local t0 = os.clock() ${body} return os.clock() - t0`;
  const result = await vm.runForResult({ op: 'exec', code, name: SOURCE }, debug ? { debug: { config: neverHit, onStop: () => undefined } } : {});
  if (!result.success) throw new Error(`bench script failed: ${result.stderr}`);
  return Number(result.values[0]);
}

/** Debugged CPU time / undebugged CPU time in the same runner, best of 3 each. */
async function overhead(vm: LuaProcess): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const [name, body] of Object.entries(SCRIPTS)) {
    let plain = Infinity;
    let debugged = Infinity;
    for (let i = 0; i < 3; i++) {
      plain = Math.min(plain, await cpuSeconds(vm, body, false));
      debugged = Math.min(debugged, await cpuSeconds(vm, body, true));
    }
    figures[`debug_overhead_ratio_${name}`] = round(debugged / plain, 2);
  }
  figures.debug_overhead_ratio = figures.debug_overhead_ratio_numeric_loop!;
  return figures;
}

/** From sending `next` to the runner's stop arriving, over 500 steps of a loop. */
async function stepRtt(vm: LuaProcess): Promise<Record<string, number>> {
  let waiting: ((s: RunnerDebugStop) => void) | undefined;
  const stops: RunnerDebugStop[] = [];
  const nextStop = () => {
    const s = stops.shift();
    return s ? Promise.resolve(s) : new Promise<RunnerDebugStop>((r) => (waiting = r));
  };
  const code = 'local n = 0\nwhile true do\n  n = n + 1\nend';
  const done = vm.runForResult(
    { op: 'exec', code, name: SOURCE },
    {
      limits: { timeoutMs: 0 },
      debug: {
        config: { breakpoints: { [SOURCE]: [{ id: 1, line: 3 }] } },
        onStop: (s) => {
          if (waiting) {
            const w = waiting;
            waiting = undefined;
            w(s);
          } else stops.push(s);
        },
      },
    },
  );
  await nextStop();
  await vm.debugCommand('setBreakpoints', { source: SOURCE, breakpoints: [] });
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    const stopped = nextStop();
    await vm.debugCommand('next');
    await stopped;
    times.push(performance.now() - t0);
  }
  vm.interrupt();
  await done;
  times.sort((a, b) => a - b);
  return { debug_step_rtt_p50_ms: round(times[Math.floor(times.length / 2)]!), debug_step_rtt_p99_ms: round(times[Math.floor(times.length * 0.99)]!) };
}

export async function bench(): Promise<Record<string, number>> {
  await using manager = new VMManager({ luaExecutable: 'lua5.4', logger: quiet, defaultLimits: { instructionQuota: 0, timeoutMs: 0 } });
  const vm = await manager.createVM('bench-debug');
  return { ...(await overhead(vm)), ...(await stepRtt(vm)) };
}
