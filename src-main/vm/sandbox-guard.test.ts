// The sandbox's native guard (lua/native/guard.c): a timer sets a one-shot hook on the running thread,
// so scripts run at plain-Lua speed between limit checks. On every installed interpreter: the limits
// still hold wherever a loop hides, interrupts and Ctrl-C land, a debugger's hook keeps its events;
// and where the guard is missing the count hook takes over.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { which } from './lua-discovery';
import { probeSandboxGuard } from './sandbox-guard';
import { findAppRoot } from '../app-root';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));
const root = findAppRoot();
const limits = { instructionQuota: 20_000_000, memoryMb: 64, outputBytes: 64 * 1024, timeoutMs: 20_000 };

// Each of these loops forever somewhere the hook must reach; the quota must stop it and nothing after it runs.
const HIDDEN_LOOPS = [
  'while true do end',
  'pcall(function() while true do end end) print("escaped")',
  'print(pcall(pcall, function() while true do end end)) print("escaped")',
  'xpcall(function() while true do end end, function() return "swallowed" end) print("escaped")',
  'print(coroutine.resume(coroutine.create(function() while true do end end))) print("escaped")',
  'local co = coroutine.wrap(function() while true do end end) print(pcall(co)) print("escaped")',
  // Nested: a wrap inside a coroutine inside a wrap, each swallowing what the inner one raises.
  'local outer = coroutine.wrap(function() print(coroutine.resume(coroutine.create(function() print(pcall(coroutine.wrap(function() while true do end end))) end))) end) outer() print("escaped")',
  // A coroutine that yielded, resumed after other coroutines ran and died by error.
  'local a = coroutine.create(function() coroutine.yield() while true do end end) coroutine.resume(a) for i = 1, 50 do pcall(coroutine.wrap(function() error("x") end)) end print(coroutine.resume(a)) print("escaped")',
  'local t = setmetatable({}, { __index = function() while true do end end }) print(pcall(function() return t.x end)) print("escaped")',
  'print(pcall(string.gsub, "abc", "%w", function() while true do end end)) print("escaped")',
  'local t = {3, 2, 1} print(pcall(table.sort, t, function(a, b) while true do end end)) print("escaped")',
];

describe.each(versions)('native guard on %s', (lua) => {
  let manager: VMManager;
  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: lua, defaultLimits: limits });
    await manager.createVM('vm');
  });
  afterAll(async () => {
    await manager.dispose();
  });

  it('is the guard the runner uses (built by scripts/build-native.mjs)', () => {
    expect(manager.getVM('vm').guard).toEqual({ kind: 'timer' });
  });

  it('stops an infinite loop with the quota wherever it hides', async () => {
    for (const code of HIDDEN_LOOPS) {
      const r = await manager.executeVMSync('vm', code);
      expect(r.error?.limit, code).toBe('instructionQuota');
      expect(r.error?.message, code).toMatch(/instruction quota exceeded \(instructionQuota = 20000000 instructions, charged as CPU time: \d+ instructions per CPU ms/);
      expect(r.stdout, code).not.toContain('escaped');
    }
    expect((await manager.executeVMSync('vm', 'return 1')).values).toEqual(['1']);
  });

  it('lets a run under the quota finish, its coroutines included', async () => {
    const r = await manager.executeVMSync('vm', 'local n = 0 for i = 1, 100 do local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) n = n + co(i) + co(3) end return n');
    expect(r.values).toEqual([String(5050 + 100 + 600)]);
  });

  it('stops a memory bomb with the memory limit', async () => {
    for (const code of ['local t = {} for i = 1, 1e8 do t[i] = {i} end', 'local t = {} coroutine.wrap(function() for i = 1, 1e8 do t[i] = {i} end end)()']) {
      const r = await manager.getVM('vm').executeString(code, { limits: { instructionQuota: 0 } });
      expect(r.error?.limit, code).toBe('memoryMb');
    }
  });

  it('interrupts a loop in the main thread and in nested coroutines, keeping the session', async () => {
    const s = await manager.createInteractiveVM('intr', { limits: { instructionQuota: 0 } });
    await s.sendInput('kept = 7');
    for (const code of [
      'while true do end',
      'coroutine.wrap(function() print(coroutine.resume(coroutine.create(function() while true do end end))) end)()',
    ]) {
      const pending = s.sendInput(code);
      await expect.poll(() => s.process.state).toBe('busy');
      expect(s.interrupt()).toBe(true);
      expect(await pending).toEqual({ more: false, failed: true });
    }
    await s.sendInput('=kept');
    // Not killed and restarted (the watchdog's way after 1 s): the state is still there.
    expect(s.readOutput()).toMatch(/interrupted!.*interrupted!.*7\n$/s);
    await manager.terminateVMSession('intr');
  });

  it('interrupts on Ctrl-C (SIGINT) as many times as it is sent', async () => {
    const s = await manager.createInteractiveVM('sigint', { limits: { instructionQuota: 0 } });
    for (let i = 0; i < 2; i++) {
      // A Ctrl-C between runs is dropped: it is sent once the run is seen running.
      const pending = s.sendInput('print("go") while true do end');
      await expect.poll(() => s.readOutput()).toContain('go');
      process.kill(s.process.pid!, 'SIGINT');
      expect(await pending).toEqual({ more: false, failed: true });
    }
    expect(s.process.alive).toBe(true);
    await manager.terminateVMSession('sigint');
  });

  // A debugged run is counted by the count hook (a prime period, so a line hook cannot starve it).
  it("keeps a debugger's hook: its line events arrive as in plain Lua, the checks still tick, and a loop is still stopped", () => {
    const out = execFileSync(lua, [join(__dirname, 'sandbox-guard-driver.lua'), join(root, 'lua', 'runtime') + '/'], { encoding: 'utf8', timeout: 60_000 });
    const seen = Object.fromEntries(out.trim().split('\n').map((l) => l.split('=') as [string, string]));
    expect(seen.guard).toBe('timer');
    expect(seen.ok).toBe('true');
    expect(seen.plain_lines).toBe('200000,1000,1000');
    expect(seen.sandbox_lines).toBe(seen.plain_lines);
    expect(Number(seen.ticks)).toBeGreaterThan(0);
    expect(seen.loop_stopped).toBe('true');
    expect(seen.loop_limit).toBe('instructionQuota');
  });
});

describe('count-hook fallback', () => {
  const dir = scratchDir('bioxen-guard-');
  afterAll(() => dir.remove());

  it.each(versions)('takes over on %s when the guard is not built, and says why', async (lua) => {
    // A copy of the runtime with no out/native beside it.
    const copy = join(dir.path, lua);
    mkdirSync(copy);
    cpSync(join(root, 'lua', 'runtime'), join(copy, 'lua', 'runtime'), { recursive: true });
    symlinkSync(join(root, 'lua', 'packages'), join(copy, 'lua', 'packages'));
    await using manager = new VMManager({ luaExecutable: lua, luaRoot: copy, defaultLimits: limits });
    await manager.createVM('vm');
    expect(manager.getVM('vm').guard).toMatchObject({ kind: 'count-hook', reason: expect.stringContaining('node scripts/build-native.mjs') });
    const r = await manager.executeVMSync('vm', 'local co = coroutine.wrap(function() while true do end end) print(pcall(co)) print("escaped")');
    expect(r.error?.message).toBe('instruction quota exceeded (instructionQuota = 20000000 instructions); raise the limit or make the script do less work');
    expect(r.stdout).not.toContain('escaped');
    expect(await probeSandboxGuard(which(lua)!, copy)).toMatchObject({ kind: 'count-hook' });
    expect(await probeSandboxGuard(which(lua)!)).toEqual({ kind: 'timer' });
  });

  it('is what BIOXEN_SANDBOX_GUARD=count-hook asks for', async () => {
    process.env.BIOXEN_SANDBOX_GUARD = 'count-hook';
    try {
      await using manager = new VMManager({ luaExecutable: 'lua5.4', defaultLimits: limits });
      await manager.createVM('vm');
      expect(manager.getVM('vm').guard).toEqual({ kind: 'count-hook', reason: 'forced by BIOXEN_SANDBOX_GUARD=count-hook' });
    } finally {
      delete process.env.BIOXEN_SANDBOX_GUARD;
    }
  });
});

describe('build-native.mjs', () => {
  it('names the package to install when an interpreter has no headers, and fails under --strict', () => {
    const empty = scratchDir('bioxen-noheaders-');
    try {
      const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--strict', '--only', 'lua5.4', '--include-root', empty.path, '--out', join(empty.path, 'out')], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`lua5.4 is installed but its C headers are not (no lua.h in ${join(empty.path, 'lua5.4')}) — install them (sudo apt-get install liblua5.4-dev)`);
      expect(r.stdout).toContain('count-hook guard');
    } finally {
      empty.remove();
    }
  });
});
