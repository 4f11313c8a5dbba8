// The runner's debugger (lua/runtime/debugger.lua) on every Lua this machine has, driven as the
// host drives it: a debugged exec request, stops reported by the runner, commands while stopped.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LuaProcess } from './lua-process';
import { which } from './lua-discovery';
import type { RunnerDebugConfig, RunnerDebugStop, RunnerOutcome } from './runner-protocol';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));
const SOURCE = '@/work/script.lua';

interface Preview {
  type: string;
  text: string;
  ref?: number;
  count?: number;
}
interface Variable {
  name: string;
  value: Preview;
}

/** One debugged run: its stops arrive in order; commands go to the stopped runner. */
class DebuggedRun {
  private readonly stops: RunnerDebugStop[] = [];
  private waiting: ((s: RunnerDebugStop) => void) | undefined;
  readonly output: string[] = [];
  readonly done: Promise<RunnerOutcome>;

  constructor(
    readonly vm: LuaProcess,
    code: string,
    debug: Partial<RunnerDebugConfig>,
    limits?: Record<string, number>,
  ) {
    this.done = vm.request(
      { op: 'exec', code, name: SOURCE, debug: { breakpoints: {}, ...debug }, limits },
      {
        timeoutMs: limits?.timeoutMs,
        onChunk: (_stream, text) => this.output.push(text),
        onDebugStop: (s) => {
          if (this.waiting) {
            const w = this.waiting;
            this.waiting = undefined;
            w(s);
          } else this.stops.push(s);
        },
      },
    );
  }

  nextStop(): Promise<RunnerDebugStop> {
    const s = this.stops.shift();
    if (s) return Promise.resolve(s);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.done.then((o) => reject(new Error(`run ended without stopping: ${JSON.stringify(o)}`)), reject);
    });
  }

  cmd<T = Record<string, unknown>>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    return this.vm.debugCommand(cmd, args) as Promise<T>;
  }

  async locals(frame = 1): Promise<Record<string, string>> {
    const { scopes } = await this.cmd<{ scopes: { name: string; ref: number }[] }>('scopes', { frame });
    const ref = scopes.find((s) => s.name === 'Locals')?.ref;
    const { items } = await this.cmd<{ items: Variable[] }>('variables', { ref });
    return Object.fromEntries(items.map((v) => [v.name, v.value.text]));
  }

  async eval(expression: string, frame = 1): Promise<string> {
    const r = await this.cmd<{ value: Preview }>('evaluate', { frame, expression });
    return r.value.text;
  }
}

const bp = (line: number, extra: Record<string, unknown> = {}) => ({ [SOURCE]: [{ id: line, line, ...extra }] });

describe.each(versions)('debugger on %s', (lua) => {
  let manager: VMManager;
  let vm: LuaProcess;

  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: lua, defaultLimits: { instructionQuota: 50_000_000, timeoutMs: 20_000 } });
    vm = await manager.createVM('vm');
  });
  afterAll(async () => {
    await manager.dispose();
  });
  // A failed test must not leave its run stopped in front of the next one.
  afterEach(async () => {
    if (vm.state === 'busy') await vm.restart();
  });

  const SCRIPT = [
    'local function add(a, b)', // 1
    '  local sum = a + b', // 2
    '  return sum', // 3
    'end', // 4
    'local total = 0', // 5
    'for i = 1, 3 do', // 6
    '  total = add(total, i)', // 7
    'end', // 8
    'print("total", total)', // 9
    'return total', // 10
  ].join('\n');

  it('stops at a line breakpoint, shows the stack, locals and upvalues, evaluates, continues', async () => {
    const run = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(2) });
    const stop = await run.nextStop();
    expect(stop).toMatchObject({ reason: 'breakpoint', source: SOURCE, line: 2, hits: [2] });
    const { frames } = await run.cmd<{ frames: { name: string; line: number; source: string }[] }>('stack');
    expect(frames.map((f) => [f.name, f.line])).toEqual([
      ['add', 2],
      ['main chunk', 7],
    ]);
    expect(await run.locals()).toEqual({ a: '0', b: '1' });
    expect(await run.locals(2)).toMatchObject({ total: '0', i: '1' });
    expect(await run.eval('a + b * 10')).toBe('10');
    expect(await run.eval('total', 2)).toBe('0');
    await expect(run.cmd('evaluate', { frame: 1, expression: 'nil + 1' })).rejects.toThrow(/arithmetic/);
    await run.cmd('continue');
    expect((await run.nextStop()).line).toBe(2);
    expect(await run.locals()).toEqual({ a: '1', b: '2' });
    await run.cmd('setBreakpoints', { source: SOURCE, breakpoints: [] });
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['6'] });
    expect(run.output.join('')).toBe('total\t6\n');
  });

  it('steps in, over and out, and runs to a cursor', async () => {
    const run = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(7) });
    expect((await run.nextStop()).line).toBe(7);
    await run.cmd('stepIn');
    expect(await run.nextStop()).toMatchObject({ reason: 'step', line: 2 });
    await run.cmd('next');
    expect((await run.nextStop()).line).toBe(3);
    await run.cmd('stepOut');
    // Back in the main chunk: the rest of line 7 raises no line event, the loop's line (6) does.
    const out = await run.nextStop();
    expect([6, 7, 8]).toContain(out.line);
    expect((await run.cmd<{ frames: unknown[] }>('stack')).frames).toHaveLength(1);
    await run.cmd('setBreakpoints', { source: SOURCE, breakpoints: [] });
    // Over the call: the next stop is in the main chunk, not inside add.
    await run.cmd('next');
    const over = await run.nextStop();
    expect([6, 7, 8]).toContain(over.line);
    const { frames } = await run.cmd<{ frames: unknown[] }>('stack');
    expect(frames).toHaveLength(1);
    await run.cmd('runTo', { source: SOURCE, line: 9 });
    expect(await run.nextStop()).toMatchObject({ line: 9 });
    expect(await run.eval('total')).toBe('6');
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['6'] });
  });

  it('honours conditions, hit counts and logpoints', async () => {
    const cond = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(2, { condition: 'b == 3' }) });
    expect(await cond.nextStop()).toMatchObject({ line: 2 });
    expect(await cond.locals()).toEqual({ a: '3', b: '3' });
    await cond.cmd('continue');
    expect(await cond.done).toMatchObject({ t: 'done' });

    const hits = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(2, { hitCondition: '2' }) });
    await hits.nextStop();
    expect(await hits.locals()).toEqual({ a: '1', b: '2' });
    await hits.cmd('continue');
    await hits.nextStop(); // ">= 2": the third hit stops too
    expect(await hits.locals()).toEqual({ a: '3', b: '3' });
    await hits.cmd('continue');
    expect(await hits.done).toMatchObject({ t: 'done' });

    const log = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(3, { logMessage: 'sum is {sum} of {a}' }) });
    expect(await log.done).toMatchObject({ t: 'done', values: ['6'] });
    expect(log.output.join('')).toBe('sum is 1 of 0\nsum is 3 of 1\nsum is 6 of 3\ntotal\t6\n');
  });

  it('sets a local and the script sees the new value', async () => {
    const run = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(3) });
    await run.nextStop();
    const { scopes } = await run.cmd<{ scopes: { name: string; ref: number }[] }>('scopes', { frame: 1 });
    const r = await run.cmd<{ value: Preview }>('setVariable', { ref: scopes[0].ref, name: 'sum', value: '100 + a' });
    expect(r.value.text).toBe('100');
    await run.cmd('setBreakpoints', { source: SOURCE, breakpoints: [] });
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['105'] });
  });

  it('assigning in the console writes a local; the step state is kept', async () => {
    const run = new DebuggedRun(vm, SCRIPT, { breakpoints: bp(7) });
    await run.nextStop();
    await run.cmd('stepIn');
    await run.nextStop();
    await run.cmd('evaluate', { frame: 1, expression: 'b = 50', context: 'repl' });
    expect(await run.locals()).toEqual({ a: '0', b: '50' });
    // Evaluating a function that holds a breakpoint line does not stop in it.
    expect(await run.eval('add(1, 1)', 2)).toBe('2');
    await run.cmd('next');
    expect(await run.nextStop()).toMatchObject({ reason: 'step', line: 3 });
    expect(await run.eval('sum')).toBe('50');
    await run.cmd('setBreakpoints', { source: SOURCE, breakpoints: [] });
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['55'] });
  });

  it('expands tables lazily and caps huge values', async () => {
    const code = ['local big = {}', 'for i = 1, 1600000 do big[i] = i end', 'local s = string.rep("x", 20 * 1024 * 1024)', 'local t = { name = "n", nested = { 1, 2 } }', 'return #big'].join('\n');
    const run = new DebuggedRun(vm, code, { breakpoints: bp(5) }, { memoryMb: 512 });
    await run.nextStop();
    const started = performance.now();
    const { scopes } = await run.cmd<{ scopes: { name: string; ref: number }[] }>('scopes', { frame: 1 });
    const { items } = await run.cmd<{ items: Variable[] }>('variables', { ref: scopes[0].ref });
    const byName = Object.fromEntries(items.map((v) => [v.name, v.value]));
    expect(byName.s.count).toBe(20 * 1024 * 1024);
    expect(byName.s.text.length).toBeLessThan(200);
    expect(byName.big.ref).toBeGreaterThan(0);
    const page = await run.cmd<{ items: Variable[]; total: number; next?: number }>('variables', { ref: byName.big.ref, start: 1_000_000, count: 3 });
    expect(page.items.map((v) => v.value.text)).toEqual(['1000000', '1000001', '1000002']);
    expect(page.total).toBe(1_600_000);
    const nested = await run.cmd<{ items: Variable[] }>('variables', { ref: byName.t.ref });
    expect(nested.items.map((v) => v.name)).toEqual(['name', 'nested']);
    expect(performance.now() - started).toBeLessThan(5_000);
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['1600000'] });
  });

  it('stops on entry, in coroutines with the boundary shown, and pauses a running script', async () => {
    const code = [
      'local co = coroutine.create(function(x)', // 1
      '  local inside = x * 2', // 2
      '  coroutine.yield(inside)', // 3
      '  return inside', // 4
      'end)', // 5
      'local ok, v = coroutine.resume(co, 21)', // 6
      'local n = 0', // 7
      'while n >= 0 do n = n + 1 end', // 8
    ].join('\n');
    const run = new DebuggedRun(vm, code, { breakpoints: bp(2), stopOnEntry: true });
    expect(await run.nextStop()).toMatchObject({ reason: 'entry', line: 1 });
    await run.cmd('continue');
    expect(await run.nextStop()).toMatchObject({ reason: 'breakpoint', line: 2 });
    const { frames } = await run.cmd<{ frames: { name: string; line?: number; boundary?: boolean }[] }>('stack');
    expect(frames[1].boundary).toBe(true);
    if (lua === 'lua5.1' || lua === 'luajit') {
      // 5.1 and LuaJIT cannot name the main thread, so its frames are not reachable from a coroutine.
      expect(frames).toHaveLength(2);
    } else {
      expect(frames.map((f) => f.line)).toEqual([2, undefined, 6]);
    }
    expect(await run.locals()).toMatchObject({ x: '21' });
    await run.cmd('setBreakpoints', { source: SOURCE, breakpoints: [] });
    await run.cmd('continue');
    await new Promise((r) => setTimeout(r, 100));
    expect(vm.pauseRun()).toBe(true);
    const paused = await run.nextStop();
    expect(paused).toMatchObject({ reason: 'pause', line: 8 });
    expect(Number(await run.eval('n'))).toBeGreaterThan(0);
    vm.interrupt();
    expect(await run.done).toMatchObject({ t: 'error', interrupted: true });
  });

  it('breaks on an uncaught error at the frame that raised it', async () => {
    const code = ['local function check(v)', '  if v > 2 then error("too big: " .. v) end', 'end', 'for i = 1, 5 do check(i) end'].join('\n');
    const run = new DebuggedRun(vm, code, { exceptions: 'uncaught' });
    const stop = await run.nextStop();
    expect(stop).toMatchObject({ reason: 'exception', line: 2 });
    expect(stop.text).toContain('too big: 3');
    expect(await run.locals()).toEqual({ v: '3' });
    const { frames } = await run.cmd<{ frames: { name: string }[] }>('stack');
    expect(frames.map((f) => f.name)).toEqual(['check', 'main chunk']);
    await run.cmd('continue');
    const done = await run.done;
    expect(done).toMatchObject({ t: 'error', message: '/work/script.lua:2: too big: 3' });
    // A caught error does not stop.
    const caught = new DebuggedRun(vm, 'local ok = pcall(error, "x") return ok', { exceptions: 'uncaught' });
    expect(await caught.done).toMatchObject({ t: 'done', values: ['false'] });
  });

  it('breaks on a caught error in mode all, then pcall and xpcall return exactly what plain Lua returns', async () => {
    const code = [
      'local function check(v)',
      '  if v > 2 then error("too big: " .. v) end',
      'end',
      'local ok, err = pcall(check, 3)',
      'local ok2, code = xpcall(function() error({ code = 7 }) end, function(e) return type(e) == "table" and e.code end)',
      'local ok3, e3 = pcall(error, "bare")',
      'print(ok, err, ok2, code, ok3, e3)',
    ].join('\n');
    const run = new DebuggedRun(vm, code, { exceptions: 'all' });
    const first = await run.nextStop();
    expect(first).toMatchObject({ reason: 'exception', line: 2 });
    expect(first.text).toBe('/work/script.lua:2: too big: 3');
    expect(await run.locals()).toEqual({ v: '3' });
    await run.cmd('continue');
    expect(await run.nextStop()).toMatchObject({ reason: 'exception', line: 5, text: '(error object is a table value)' });
    await run.cmd('continue');
    expect(await run.nextStop()).toMatchObject({ reason: 'exception', line: 6, text: 'bare' });
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done' });
    const plain = execFileSync(lua, ['-e', `io.write(select(2, pcall(assert((loadstring or load)(io.read("*a"), "${SOURCE}")))) or "")`], {
      input: code,
      encoding: 'utf8',
    });
    expect(plain).toBe('false\t/work/script.lua:2: too big: 3\tfalse\t7\tfalse\tbare\n');
    expect(run.output.join('')).toBe(plain);
    // Mode uncaught does not stop at any of them.
    const uncaught = new DebuggedRun(vm, code, { exceptions: 'uncaught' });
    expect(await uncaught.done).toMatchObject({ t: 'done' });
    expect(uncaught.output.join('')).toBe(plain);
  });

  it('stops in nested and one-line functions whatever the call filter passes over', async () => {
    const code = [
      'local function outer(n)', // 1
      '  local function inner(x)', // 2
      '    return x * 2', // 3
      '  end', // 4
      '  return inner(n) + 1', // 5
      'end', // 6
      'local function one(a) local b = a * 10 return b end', // 7
      // Another chunk, its function spanning line 3: breakpoints are per source.
      'local elsewhere = (loadstring or load)("return function(v)\\n  local w = v\\n  return w\\nend", "=other")()', // 8
      'local r = 0', // 9
      'for i = 1, 2 do r = r + outer(i) + one(i) + elsewhere(i) end', // 10
      'return r', // 11
    ].join('\n');
    const run = new DebuggedRun(vm, code, { breakpoints: { [SOURCE]: [{ id: 3, line: 3 }, { id: 7, line: 7 }] } });
    // Line 7 also holds the main chunk's definition of `one`.
    expect(await run.nextStop()).toMatchObject({ line: 7, hits: [7] });
    expect((await run.cmd<{ frames: unknown[] }>('stack')).frames).toHaveLength(1);
    for (const i of [1, 2]) {
      await run.cmd('continue');
      expect(await run.nextStop()).toMatchObject({ line: 3, hits: [3] });
      expect(await run.locals()).toEqual({ x: String(i) });
      await run.cmd('continue');
      expect(await run.nextStop()).toMatchObject({ line: 7, hits: [7] });
      expect(await run.locals()).toEqual({ a: String(i) });
    }
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['41'] });
  });

  it("stops at a breakpoint first reached after long call-heavy work (the guard's ticks keep the debugger's hook)", async () => {
    const code = [
      'local function target(x)', // 1
      '  return x + 1', // 2
      'end', // 3
      'local function f(a) return a + 1 end', // 4
      'local x = 0', // 5
      'for i = 1, 3e6 do x = f(x) end', // 6
      'return target(x)', // 7
    ].join('\n');
    const run = new DebuggedRun(vm, code, { breakpoints: bp(2) }, { instructionQuota: 0 });
    expect(await run.nextStop()).toMatchObject({ reason: 'breakpoint', line: 2 });
    expect(await run.locals()).toEqual({ x: '3000000' });
    await run.cmd('continue');
    expect(await run.done).toMatchObject({ t: 'done', values: ['3000001'] });
  });

  // The native guard (lua/native/guard.c) keeps guarding a debugged run: its timer, and its own hook
  // for the debugger, which passes on only the calls of functions whose lines span a breakpoint.
  it('guards a debugged run with the timer: a loop meets its quota promptly, at undebugged speed, call-heavy code too', async () => {
    const never = 'local function never()\n  return 1\nend\n';
    const endless = new DebuggedRun(vm, `${never}while true do end`, { breakpoints: bp(2) }, { instructionQuota: 5_000_000, timeoutMs: 20_000 });
    const started = performance.now();
    const outcome = await endless.done;
    expect(outcome).toMatchObject({ t: 'error', limit: 'instructionQuota' });
    expect(outcome.t === 'error' && outcome.message).toMatch(/charged as CPU time/);
    expect(performance.now() - started).toBeLessThan(5_000);

    // CPU seconds of a loop of nothing but calls, best of 5, without and with the debugger (breakpoint in `never`).
    const body = 'local function f(a) return a + 1 end local x = 0 for i = 1, 2e6 do x = f(x) end';
    const cpu = async (debugged: boolean) => {
      let best = Infinity;
      for (let i = 0; i < 5; i += 1) {
        const code = `${never}local t0 = os.clock() ${body} return os.clock() - t0`;
        const r = debugged
          ? await new DebuggedRun(vm, code, { breakpoints: bp(2) }, { instructionQuota: 0 }).done
          : await vm.request({ op: 'exec', code, name: SOURCE, limits: { instructionQuota: 0 } }, {});
        expect(r.t).toBe('done');
        best = Math.min(best, Number(r.t === 'done' && r.values[0]));
      }
      return best;
    };
    const plain = await cpu(false);
    const debugged = await cpu(true);
    // Measured here: a call event into Lua for each call costs ~5x (LuaJIT, whose calls are the
    // cheapest, ~10x); the C filter ~2.5x (LuaJIT ~4x), about half of it the hook's own.
    expect(debugged).toBeLessThan(plain * (lua === 'luajit' ? 6.5 : 3.5) + 0.01);
  });

  it('charges the script, not the debugger: its line events cost no quota, nor the time held stopped', async () => {
    // Line 3 holds a breakpoint, so the main chunk runs with the debugger's line events on: 100k of
    // them, far more CPU than 1M instructions' worth (~10 ms), though the script runs ~400k.
    const limits = { instructionQuota: 1_000_000, timeoutMs: 60_000 };
    const lines = new DebuggedRun(vm, 'local n = 0\nfor i = 1, 100000 do n = n + i end\nreturn n', { breakpoints: bp(3) }, limits);
    await lines.nextStop();
    await lines.cmd('continue');
    expect(await lines.done).toMatchObject({ t: 'done', values: [String((100000 * 100001) / 2)] });
    // Counted, a loop under line events still meets the quota.
    const endless = new DebuggedRun(vm, 'local n = 0\nwhile true do n = n + 1 end\nreturn n', { breakpoints: bp(3) }, limits);
    expect(await endless.done).toMatchObject({ t: 'error', limit: 'instructionQuota' });

    // Stopped at a caught error (no hook at all, so CPU time is charged until the stop), the
    // debugger works for more CPU than the quota buys (~100 ms): long breakpoint lists to decode,
    // set and sort, ~0.5 s each.
    const work = 'local n = 0 for i = 1, 300000 do n = n + i % 7 end';
    const held = new DebuggedRun(vm, `${work}\npcall(error, "x")\n${work}\nreturn n`, { exceptions: 'all' }, { instructionQuota: 10_000_000, timeoutMs: 60_000 });
    expect(await held.nextStop()).toMatchObject({ reason: 'exception', line: 2 });
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: i, line: i + 10 }));
    for (let i = 0; i < 3; i += 1) await held.cmd('setBreakpoints', { source: '@elsewhere.lua', breakpoints: many });
    await held.cmd('setBreakpoints', { source: '@elsewhere.lua', breakpoints: [] });
    await held.cmd('continue');
    expect(await held.done).toMatchObject({ t: 'done' });
  });

  it('keeps limits while stopped: the quota is not charged, the timeout waits, interrupt works', async () => {
    // ~600k instructions of work under a quota of 2M: many stops and evaluations must not use it up.
    const code = ['local n = 0', 'for i = 1, 30 do', '  n = n + i', '  for j = 1, 5000 do n = n + 0 end', 'end', 'return n'].join('\n');
    const run = new DebuggedRun(vm, code, { breakpoints: bp(3) }, { instructionQuota: 2_000_000, timeoutMs: 2_000 });
    for (let i = 1; i <= 30; i += 1) {
      await run.nextStop();
      for (let k = 0; k < 5; k += 1) await run.eval('n + i');
      if (i === 1) await new Promise((r) => setTimeout(r, 2_500)); // longer than timeoutMs, while stopped
      await run.cmd('continue');
    }
    expect(await run.done).toMatchObject({ t: 'done', values: ['465'] });

    const endless = new DebuggedRun(vm, 'local n = 0\nwhile true do\n  n = n + 1\nend', { breakpoints: bp(3) }, { instructionQuota: 5_000_000, timeoutMs: 3_000 });
    await endless.nextStop();
    // An endless evaluation meets the run's quota (LuaJIT runs hooks' code without hooks: there the
    // wall-clock timeout, which runs while an evaluation does, ends the run) instead of hanging the debugger.
    await expect(endless.cmd('evaluate', { frame: 1, expression: '(function() while true do end end)()' })).rejects.toThrow(
      lua === 'luajit' ? /ended/ : /quota/,
    );
    vm.interrupt();
    expect(await endless.done).toMatchObject({ t: 'error' });
    // The VM works after the debugged runs.
    expect(await vm.executeString('return 1 + 1')).toMatchObject({ values: ['2'] });
  });
});
