// The runner (lua/runtime) on every Lua this machine has: REPL semantics, sandbox, limits,
// interrupts. Real interpreters, through the public VMManager.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { which } from './lua-discovery';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));

describe.each(versions)('runner on %s', (lua) => {
  let manager: VMManager;
  const limits = { instructionQuota: 20_000_000, memoryMb: 64, outputBytes: 64 * 1024, timeoutMs: 20_000 };

  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: lua, defaultLimits: limits });
    await manager.createVM('vm');
  });
  afterAll(async () => {
    await manager.dispose();
  });

  const exec = (code: string) => manager.executeVMSync('vm', code);

  it('captures print and renders returned values like the 5.4 REPL', async () => {
    const r = await exec('print("a", 1, nil) return 2 + 2, "x"');
    expect(r).toMatchObject({ stdout: 'a\t1\tnil\n4\tx\n', values: ['4', 'x'], success: true, returnCode: 0 });
  });

  it('carries any text both ways: quotes, escapes, control bytes, UTF-8', async () => {
    const text = 'tab\there "q" \\ back\nnew ✓ 😀 \u0001\u007f';
    const luaString = `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\n\t\u0001\u007f]/g, (c) => `\\${c.charCodeAt(0)}`)}"`;
    const r = await exec(`local s = ${luaString} io.write(s) return s, #s`);
    expect(r.stdout.startsWith(text)).toBe(true);
    expect(r.values).toEqual([text, String(Buffer.byteLength(text))]);
  });

  it('round-trips structured data through call and emit (the runner JSON codec)', async () => {
    const sample = { text: 'é ✓ 😀 "q" \\ \n\u0000', n: [1, -2.5, 1e21, 0], flags: [true, false], nested: { deep: [[{ x: 'y' }]] }, none: [] };
    const emitted: unknown[] = [];
    const m = new VMManager({ luaExecutable: lua });
    m.handleCall('metrics.sample', () => sample);
    m.on('emit', (_id, _kind, data) => emitted.push(data));
    try {
      await m.createVM('codec', { capabilities: { metrics: true } });
      const r = await m.executeVMSync('codec', 'local h = require("bioxen.host") local v = h.call("metrics.sample", {}) h.emit("metrics.back", v) return #v.text');
      expect(r.error).toBeUndefined();
      expect(r.values).toEqual([String(Buffer.byteLength(sample.text))]);
      // An empty Lua table is ambiguous; it goes out as [].
      expect(emitted).toEqual([sample]);
      const bad = await m.getVM('codec').request({ op: 'bogus' as 'ping' });
      expect(bad).toMatchObject({ t: 'error', message: "unknown op 'bogus'" });
    } finally {
      await m.dispose();
    }
  });

  it('gives each exec a fresh environment', async () => {
    await exec('leaked = 1; string.evil = true');
    const r = await exec('return leaked, string.evil');
    expect(r.values).toEqual(['nil', 'nil']);
  });

  it('reports errors with line and traceback', async () => {
    const r = await exec('local x = 1\nerror("boom")');
    expect(r.success).toBe(false);
    expect(r.error).toMatchObject({ message: 'stdin:2: boom', line: 2 });
    expect(r.stderr).toContain('stdin:2: boom');
  });

  it('ends a run at os.exit with its status; the VM stays', async () => {
    const r = await exec('io.write("before ") pcall(os.exit, 3) print("not reached")');
    expect(r).toMatchObject({ stdout: 'before ', success: false, returnCode: 3, exitStatus: 3, values: [] });
    expect(r.error).toBeUndefined();
    expect(await exec('return 41 + 1, 2')).toMatchObject({ values: ['42', '2'], success: true, returnCode: 0 });
    expect(await exec('os.exit()')).toMatchObject({ success: true, returnCode: 0, exitStatus: 0 });
  });

  it('ends a REPL line at os.exit: the lines after it are not run and the session says so', async () => {
    const s = await manager.createInteractiveVM('repl-exit');
    expect(await s.sendInput('y = 1\nos.exit(5)\ny = 2')).toEqual({ more: false, failed: false, exit: 5 });
    expect(s.readOutput()).toBe('the script ended with os.exit(5); the session keeps its state\n');
    await s.sendInput('=y');
    expect(s.readOutput()).toBe('1\n');
    const run = await s.run('os.exit(false)');
    expect(run.exitStatus).toBe(lua === 'lua5.1' ? undefined : 1);
    await manager.terminateVMSession('repl-exit');
  });

  it('follows REPL semantics: echo, =expr, statements, multi-line chunks, return', async () => {
    const s = await manager.createInteractiveVM('repl');
    await s.sendInput('x = 40');
    await s.sendInput('x + 2');
    await s.sendInput('=x');
    expect(await s.sendInput('function add(a,\n b)')).toEqual({ more: true, failed: false });
    await s.sendInput('  return a + b + x');
    expect(await s.sendInput('end')).toEqual({ more: false, failed: false });
    await s.sendInput('add(1, 1)');
    await s.sendInput('return 2+2');
    await s.sendInput('x = = 1');
    await s.sendInput('print("still here")');
    const out = s.readOutput();
    expect(out).toMatch(/^42\n40\n42\n4\n.*unexpected symbol.*\nstill here\n$/s);
    await manager.terminateVMSession('repl');
  });

  it.each([
    ['os.execute', 'os.execute("true")'],
    ['io.popen', 'io.popen("ls")'],
    ['io.open', 'io.open("/etc/passwd")'],
    ['dofile', 'dofile("/etc/passwd")'],
    ['package.loadlib', 'package.loadlib("x", "y")'],
  ])('blocks %s', async (name, code) => {
    const r = await exec(code);
    expect(r.success).toBe(false);
    expect(r.error?.message).toContain(name);
    expect(r.error?.message).toContain('is blocked in the sandbox');
  });

  it('allows collectgarbage, charged to the quota by heap size, and undoes stop and mode changes after the run', async () => {
    expect((await exec('collectgarbage() collectgarbage("collect") collectgarbage("step") return type(collectgarbage("count"))')).values).toEqual(['number']);
    const loop = await exec('while true do collectgarbage() end');
    expect(loop.error?.limit).toBe('instructionQuota');
    if (lua !== 'lua5.1' && lua !== 'luajit') {
      await exec('collectgarbage("stop")');
      expect((await exec('return collectgarbage("isrunning")')).values).toEqual(['true']);
    }
  });

  it('reads an empty stdin and sees an empty environment', async () => {
    expect((await exec('return io.read(), io.stdin:read("l"), io.input() == io.stdin, io.output() == io.stdout, os.getenv("HOME")')).values).toEqual(['nil', 'nil', 'true', 'true', 'nil']);
    expect((await exec('io.output("x.txt")')).error?.message).toContain('io.output with a file is blocked');
  });

  it('blocks reading from a standard output stream at the line that tried', async () => {
    for (const code of ['local x = 1\nio.stdout:lines()', 'local x = 1\nio.stderr:read("l")']) {
      const r = await exec(code);
      expect(r.error?.message).toBe('stdin:2: reading from a standard stream is blocked in the sandbox (scripts have no stdin)');
    }
  });

  it('blocks __gc finalizers, which would run outside the limits', async () => {
    const r = await exec('setmetatable({}, { __gc = function() while true do end end })');
    expect(r.error?.message).toContain('__gc metamethods are blocked');
    expect((await exec('return getmetatable(setmetatable({}, { __index = { a = 1 } })).__index.a')).values).toEqual(['1']);
  });

  it('has no debug library beyond traceback, no string.dump, and no bytecode', async () => {
    for (const call of ['debug.getinfo(1)', 'debug.sethook()', 'debug.getlocal(1, 1)', 'debug.setmetatable("", {})', 'string.dump(print)', '("").dump(print)']) {
      expect((await exec(call)).error?.message, call).toContain('is blocked in the sandbox');
    }
    expect((await exec('return type(debug.traceback)')).values).toEqual(['function']);
    const bytecode = await exec('return (loadstring or load)(string.char(27) .. "LuaS")');
    expect(bytecode.values[1]).toContain('binary (bytecode) chunks are blocked');
  });

  it('keeps load inside the sandbox and stops string-metatable tampering', async () => {
    const r = await exec('local f = (loadstring or load)("return _G, os.execute") local g, e = f() return rawequal(g, _G), pcall(e, "true")');
    expect(r.values[0]).toBe('true');
    expect(r.values[1]).toBe('false');
    await exec('getmetatable("").__index.upper = function() return "pwned" end; getmetatable("").__index = {}');
    const after = await exec('return ("a"):upper(), ("b"):rep(2)');
    expect(after.values).toEqual(['A', 'bb']);
  });

  it('loads C modules only with a capability', async () => {
    const r = await exec('return require("socket")');
    expect(r.error?.message).toContain("module 'socket' needs the 'networked' capability");
    const c = await exec('return require("cjson")');
    expect(c.error?.message).toMatch(/module 'cjson' not found.*native capability/s);
  });

  // setfenv/getfenv exist only in the 5.1 dialect (PUC 5.1 and LuaJIT).
  if (lua === 'lua5.1' || lua === 'luajit') {
    it('keeps getfenv and setfenv to the script: no runtime environment shows, none changes', async () => {
      // Every function and level that is not the script's shows the script's own globals.
      const shown = await exec(
        'local seen = {} for i = 0, 6 do local ok, e = pcall(getfenv, i) if ok then seen[#seen + 1] = e == _G end end\n' +
          'local function probe(...) for i = 1, 8 do local ok, e = pcall(getfenv, i) if ok and e ~= _G then return "leak at " .. i end end return "ok" end\n' +
          'return table.concat({ tostring(getfenv(0) == _G), tostring(getfenv(pcall) == _G), tostring(getfenv(print) == _G),\n' +
          '  tostring(getfenv(coroutine.wrap) == _G), tostring(getfenv(require) == _G), probe(), (select(2, pcall(string.gsub, "a", "a", function() return probe() end))) }, " ")',
      );
      expect(shown.values).toEqual(['true true true true true ok ok']);
      // The runtime's functions and the runner's globals refuse a new environment.
      for (const target of ['pcall', 'print', 'require', 'coroutine.wrap', 'string.rep', 'tostring']) {
        const r = await exec(`return pcall(setfenv, ${target}, {})`);
        expect(r.values).toEqual(['false', "'setfenv' cannot change environment of given object"]);
      }
      expect((await exec('setfenv(0, {})')).error?.message).toContain('setfenv(0, t) is blocked in the sandbox');
      // pcall's level (2, seen from setfenv) is a wrapper standing for C pcall: refused too.
      expect((await exec('return pcall(setfenv, 1, {})')).values[0]).toBe('false');
      // The script's own functions change as in plain Lua, and limits still hold after.
      const own = await exec('local function f() return x end setfenv(f, { x = 7 }) return f()');
      expect(own.values).toEqual(['7']);
      const loop = await manager.executeVMSync('vm', 'setfenv(1, { pcall = pcall }) pcall(function() while true do end end)', { limits: { instructionQuota: 1_000_000 } });
      expect(loop.error?.limit).toBe('instructionQuota');
    });
  }

  it('stops an infinite loop with the instruction quota, even inside pcall and coroutines', async () => {
    for (const code of [
      'while true do end',
      'pcall(function() while true do end end) print("escaped")',
      'for i = 1, 10 do pcall(error, "x") end while true do pcall(function() while true do end end) end',
      'local co = coroutine.wrap(function() while true do end end) print(pcall(co)) print("escaped")',
      'xpcall(function() while true do end end, function() return "swallowed" end) print("escaped")',
      // load and coroutine.resume catch what runs inside them; the limit stays hit.
      'for i = 1, 3 do print(load(function() while true do end end)) end print("escaped")',
      'for i = 1, 3 do print(coroutine.resume(coroutine.create(function() while true do end end))) end print("escaped")',
    ]) {
      const r = await exec(code);
      expect(r.error?.limit, code).toBe('instructionQuota');
      expect(r.error?.message).toContain('instruction quota exceeded');
      expect(r.stdout).not.toContain('escaped');
    }
    expect((await exec('return 1')).values).toEqual(['1']);
  });

  it('keeps the limits on after errors that reach the message handler and are caught (C stack overflow in a protected load)', async () => {
    const overflow = 'local f, e = (loadstring or load)("return " .. string.rep("(", 500)) print(f, type(e))';
    for (const code of [
      overflow,
      'print(pcall(loadstring or load, "return " .. string.rep("(", 500)))',
      'local t = setmetatable({}, { __tostring = function() error("again") end }) print((pcall(error, t)))',
      'local function r() return pcall(r) end print(r())',
    ]) {
      const r = await exec(`${code}\nwhile true do end`);
      expect(r.error?.limit, code).toBe('instructionQuota');
      expect(r.stdout, code).not.toMatch(/table:/);
    }
    expect((await exec(overflow)).stdout).toBe('nil\tstring\n');
    const s = await manager.createInteractiveVM('overflow', { limits: { instructionQuota: 0 } });
    const pending = s.sendInput(`${overflow} while true do end`);
    await expect.poll(() => s.process.state).toBe('busy');
    expect(s.interrupt()).toBe(true);
    expect(await pending).toEqual({ more: false, failed: true });
    expect(s.readOutput()).toMatch(/interrupted!/);
    await manager.terminateVMSession('overflow');
  });

  it("keeps a script's string metatable to its own runs: the runner and the next run are unaffected", async () => {
    const hostile = 'local mt = getmetatable("") mt.__index = function() error("hijacked") end mt.__tostring = function() return {} end';
    const flood = await exec(`${hostile} for i = 1, 1e6 do io.write("0123456789") end`);
    expect(flood.error?.limit).toBe('outputBytes');
    const failing = await exec(`${hostile} error("mine")`);
    expect(failing.error?.message).toBe('stdin:1: mine');
    // Returned values render through tostring, which consults a string's __tostring (LuaJIT's does not).
    if (lua !== 'luajit') expect((await exec(`${hostile} return "v", 1`)).error?.message).toContain("'__tostring' must return a string");
    expect((await exec('return ("abc"):upper(), #getmetatable("").__index.format("%d", 1)')).values).toEqual(['ABC', '1']);
  });

  it('keeps the limits on collectgarbage stop and on coroutines resumed in a later run', async () => {
    // No quota (as for the memory bombs below): with the native guard it is charged CPU time.
    const bomb = await manager.getVM('vm').executeString('collectgarbage("stop") local t = {} for i = 1, 1e8 do t[i] = {i} end', { limits: { instructionQuota: 0 } });
    expect(bomb.error?.limit).toBe('memoryMb');
    const s = await manager.createInteractiveVM('later', { limits: { instructionQuota: 1_000_000 } });
    await s.sendInput('co = coroutine.wrap(function() coroutine.yield() while true do end end) co()');
    expect(await s.sendInput('co()')).toEqual({ more: false, failed: true });
    expect(s.readOutput()).toContain('instruction quota exceeded');
    await manager.terminateVMSession('later');
  });

  it('reports a limit the same way wherever in the run it lands', async () => {
    const vm = manager.getVM('vm');
    for (let i = 0; i < 150; i++) {
      const quota = await vm.executeString('local x = 0 while true do x = x + 1 end', { limits: { instructionQuota: 2000 + i * 37 } });
      expect(quota.error?.limit).toBe('instructionQuota');
      const output = await vm.executeString('for i = 1, 1e5 do io.write("ab") end', { limits: { outputBytes: 1024 + i * 13 } });
      expect(output.error?.limit).toBe('outputBytes');
    }
  });

  it('stops memory bombs with the memory limit', async () => {
    for (const code of [
      'local t = {} for i = 1, 1e8 do t[i] = {i} end',
      'return ("x"):rep(1e9)',
      'local s = "x" while true do s = s .. s end',
      'local t = {} for i = 1, 1e5 do t[i] = ("y"):rep(1000) end return #table.concat(t)',
      // One string many times: no item is new, only the result is big.
      'local s = ("x"):rep(1e6) local t = {} for i = 1, 2000 do t[i] = s end return #table.concat(t, ",")',
    ]) {
      // No quota: with the native guard it is charged CPU time, and building 100 MB takes more of it than
      // 20M instructions' worth (the count hook charged these loops ~1M instructions).
      const r = await manager.getVM('vm').executeString(code, { limits: { instructionQuota: 0 } });
      expect(r.error?.limit, code).toBe('memoryMb');
      expect(r.error?.message).toContain('memory limit exceeded');
    }
    expect((await exec('return 2')).values).toEqual(['2']);
  });

  it('caps output: 100 MB of prints is stopped with a visible dropped marker', async () => {
    const chunks: string[] = [];
    const r = await manager.getVM('vm').executeString('local line = ("z"):rep(99) for i = 1, 1e6 do print(line) end', {
      onChunk: (stream, text) => {
        if (stream === 'system') chunks.push(text);
      },
    });
    expect(r.error?.limit).toBe('outputBytes');
    // The cap, plus the marker line that says what was dropped.
    expect(r.stdout.length).toBeLessThanOrEqual(limits.outputBytes + 200);
    expect(r.stdout).toMatch(/z\n… \d+ bytes dropped \(output limit outputBytes = 65536 bytes\)\n$/);
    expect(chunks.join('')).toMatch(/… \d+ bytes dropped/);
    expect((await exec('return 3')).values).toEqual(['3']);
  });

  it('interrupt stops running code and keeps the session state', async () => {
    const s = await manager.createInteractiveVM('intr', { limits: { instructionQuota: 0 } });
    await s.sendInput('kept = 7');
    for (const code of ['while true do end', 'pcall(function() while true do end end)', 'coroutine.wrap(function() while true do end end)()']) {
      const pending = s.sendInput(code);
      await expect.poll(() => s.process.state).toBe('busy');
      expect(s.interrupt()).toBe(true);
      expect(await pending).toEqual({ more: false, failed: true });
    }
    await s.sendInput('=kept');
    expect(s.readOutput()).toMatch(/interrupted!.*7\n$/s);
    await manager.terminateVMSession('intr');
  });
});
