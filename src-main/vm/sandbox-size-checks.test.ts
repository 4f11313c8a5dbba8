// string.rep and table.concat in a session check the size of what they build (a memory bomb made in
// one C call never reaches a hook). With the native guard the checks are C closures (guard.c,
// size_checked) that must read, name and position their argument errors as plain Lua does, build the
// same results, and stop a result too big for memoryMb with the limit, never a crash. Plain Lua is the
// oracle for everything but the limit. Without the guard (count-hook fallback) Lua wrappers do it: they
// must stop the same bombs (their errors are plain Lua's for the common cases only, see
// sandbox-transparency.test.ts).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { which } from './lua-discovery';
import { runInSession, runPlain } from './plain-lua-oracle';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));
const withoutAddresses = (o: { stdout: string; error: string }) => ({
  stdout: o.stdout.replace(/0x[0-9a-f]+/g, '0x…'),
  error: o.error.replace(/0x[0-9a-f]+/g, '0x…'),
});

// Each line prints one call's pcall results; `P` keeps a line short.
const P = 'local function P(...) print(pcall(...)) end\n';
const snippets: [string, string][] = [
  [
    'string.rep argument errors, named as the call names the function',
    P +
      'P(function() return string.rep("x") end)\nP(function() local s = string.rep("x") return s end)\n' +
      'P(function() local s = string.rep("x", "abc") return s end)\nP(function() local s = string.rep("x", 2.5) return s end)\n' +
      'P(function() local s = string.rep() return s end)\nP(function() local s = ("x"):rep() return s end)\n' +
      'P(function() local s = ("x"):rep({}) return s end)\nP(function() local s = string.rep({}, 2) return s end)\n' +
      'P(function() local s = string.rep("x", 2, {}) return s end)\nP(function() local s = string.rep("x", 2, true) return s end)\n' +
      'P(function() local s = string.rep(setmetatable({}, { __name = "Foo" }), 2) return s end)\n' +
      'P(function() local t = { rep = string.rep } local s = t:rep(2) return s end)\n' +
      'P(function() local r = string.rep local s = r(nil, 1) return s end)',
  ],
  [
    'string.rep called without a name (by pcall, or as the result of a call)',
    'print(pcall(string.rep))\nprint(pcall(string.rep, "x", 2.5))\nprint(pcall(string.rep, "x", "y"))\n' +
      'print(pcall(function() local s = select(2, nil, string.rep)("x", {}) return s end))',
  ],
  [
    'string.rep results: numbers, numeric strings, separators, counts ≤ 0',
    'print(string.rep("ab", 3), string.rep(12, 2, 3), string.rep("x", "3"), string.rep("x", 2.0), string.rep("a", 3, ", "))\n' +
      'print(#string.rep("x", 5000), #string.rep("xy", 3000, "--"), string.rep("x", 0), string.rep("x", -1), string.rep("", 5), string.rep("x", 1, "sep"), string.rep("x", 2, nil))',
  ],
  [
    'string.rep results the interpreter refuses or wraps (huge counts)',
    P + 'P(function() return #string.rep("xx", 2^31) end)\nP(function() return #string.rep("x", 2^62, "y") end)\nP(function() return #string.rep("x", 2^40, "") end)',
  ],
  ['string.rep: an error at the top level, with its traceback', 'local s = string.rep("x", 2.5)\nprint(s)'],
  [
    'table.concat argument errors',
    P +
      'P(function() local s = table.concat() return s end)\nP(function() local s = table.concat({}, {}) return s end)\n' +
      'P(function() local s = table.concat(5, {}) return s end)\nP(function() local s = table.concat({}, nil, {}) return s end)\n' +
      'P(function() local s = table.concat({1, 2}, ",", 1.5) return s end)\nP(function() local s = table.concat({1, 2}, ",", 1, "z") return s end)\n' +
      'P(function() local s = table.concat("abc") return s end)\nP(function() local s = table.concat({1, 2}, ",", nil, 2.5) return s end)\n' +
      'print(pcall(table.concat, 5))\nprint(pcall(table.concat, {}, {}))',
  ],
  [
    'table.concat of bad items, in a short and in a long range',
    P +
      'P(function() local s = table.concat({}, "", 1, 2^40) return s end)\nP(function() local s = table.concat({1, {}, 3}) return s end)\n' +
      'local maxi, mini = math.maxinteger or 2147483647, math.mininteger or -2147483648\nprint(pcall(table.concat, {}, " ", maxi, maxi))\nprint(pcall(table.concat, {}, " ", mini, mini))\nprint(pcall(table.concat, {}, " ", mini, maxi))\n' +
      'local t = {} for i = 1, 20000 do t[i] = i end t[15000] = true\nP(function() local s = table.concat(t, ",") return s end)\nprint(pcall(table.concat, t))',
  ],
  [
    'table.concat results: separators, ranges, numbers, metamethods',
    'print(table.concat({"a", "b", "c"}), table.concat({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}), table.concat({"a", "b", "c"}, ", ", 2, 3), table.concat({"a", "b", "c"}, nil, "2"), table.concat({1, 2.5, "x"}, 3), table.concat({}), table.concat({"a"}, ",", 3, 2))\n' +
      'local p = setmetatable({}, { __len = function() return 3 end, __index = function(_, i) return "v" .. i end })\nprint(pcall(table.concat, p, ","))\n' +
      'local t = {} for i = 1, 100000 do t[i] = tostring(i) end\nlocal s = table.concat(t, ";")\nprint(#s, s:sub(1, 30), s:sub(-30))\n' +
      'local s1 = table.concat(t)\nprint(#s1, s1:sub(1, 30), s1:sub(-30))\nlocal s2 = table.concat(t, "", 500, 70000)\nprint(#s2, s2:sub(1, 20), s2:sub(-20))',
  ],
];

// Each builds more than memoryMb (64 MiB) in one C call; pcall must not swallow the limit.
const bombs = [
  'local s = string.rep("x", 1e10)',
  'print(pcall(string.rep, "x", 2^29))',
  'local s = ("abc"):rep(2^27, "--")',
  'local s = string.rep("x", "600000000")',
  'local s = ("x"):rep(2^20) local t = {} for i = 1, 500 do t[i] = s end print(pcall(table.concat, t))',
  'local s = ("x"):rep(2^16) local t = {} for i = 1, 8000 do t[i] = s end local r = table.concat(t, ",")',
  'local s = ("x"):rep(2^14) local t = {} for i = 1, 20000 do t[i] = s end local r = table.concat(t, s, 1, 20000)',
];

/** What plain Lua does with a bomb, under an address-space cap of 400 MB: refuse it, wrap its count, or run out of memory. */
function plainBomb(lua: string, code: string): string {
  return spawnSync('sh', ['-c', `ulimit -v 400000; exec ${lua} -e '${`print(pcall(function() ${code} end))`}'`], { encoding: 'utf8' }).stdout;
}

async function sessionFor(lua: string, guard: 'timer' | 'count-hook'): Promise<VMManager> {
  if (guard === 'count-hook') process.env.BIOXEN_SANDBOX_GUARD = 'count-hook';
  try {
    const manager = new VMManager({ luaExecutable: lua, defaultLimits: { instructionQuota: 0, memoryMb: 64, timeoutMs: 30_000 } });
    await manager.createVM('vm');
    expect(manager.getVM('vm').guard?.kind).toBe(guard);
    return manager;
  } finally {
    delete process.env.BIOXEN_SANDBOX_GUARD;
  }
}

async function expectLivesOn(manager: VMManager): Promise<void> {
  const after = await manager.executeVMSync('vm', 'return #string.rep("ab", 1000), #table.concat({"a", "b"}, ",")');
  expect(after.values).toEqual(['2000', '3']);
}

describe.each(versions)('native string.rep and table.concat on %s', (lua) => {
  let manager: VMManager;
  const dir = scratchDir('bioxen-size-');

  beforeAll(async () => {
    manager = await sessionFor(lua, 'timer');
  });
  afterAll(async () => {
    await manager.dispose();
    dir.remove();
  });

  it.each(snippets)('%s: as plain Lua', async (_what, code) => {
    const plain = await runPlain(lua, dir.path, code);
    const session = await runInSession(manager, 'vm', code);
    expect(withoutAddresses(session)).toEqual(withoutAddresses(plain));
    expect(session.stdout + session.error).not.toMatch(/sandbox|raw_rep|raw_concat|guard\.c/);
  });

  it.each(bombs)('stop %s as plain Lua does, or with the memory limit', async (code) => {
    const plain = plainBomb(lua, code);
    const r = await manager.executeVMSync('vm', code);
    if (/resulting string too large/.test(plain)) {
      // 5.3+ refuse it without allocating: so must the session, with the same catchable error.
      expect(r.error?.message).toMatch(/^\S+:1: resulting string too large$/);
    } else if (plain.startsWith('true')) {
      // LuaJIT truncates a count to 32 bits: 1e10 repeats nothing.
      expect(r.success, r.error?.message).toBe(true);
    } else {
      expect(plain).toMatch(/not enough memory/);
      expect(r.success).toBe(false);
      expect(r.error?.limit).toBe('memoryMb');
      expect(r.error?.message).toMatch(/memory limit exceeded \(memoryMb = 64 MiB/);
      expect(r.stdout).toBe('');
    }
    await expectLivesOn(manager);
  });
});

describe.each(versions)('count-hook fallback string.rep and table.concat on %s', (lua) => {
  let manager: VMManager;
  beforeAll(async () => {
    manager = await sessionFor(lua, 'count-hook');
  });
  afterAll(async () => {
    await manager.dispose();
  });

  it.each(bombs)('stop %s', async (code) => {
    const r = await manager.executeVMSync('vm', code);
    if (r.success) expect(plainBomb(lua, code)).toMatch(/^true/);
    else expect(r.error?.limit === 'memoryMb' || /resulting string too large/.test(r.error?.message ?? ''), r.error?.message).toBe(true);
    expect(r.stdout).toBe('');
    await expectLivesOn(manager);
  });
});
