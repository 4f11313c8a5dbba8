// The sandbox is transparent to legitimate Lua: each snippet runs as a script under the plain
// interpreter and in a session of the same version, and the two outputs (stdout, and the error
// report with its traceback) must be the same. Plain Lua is the oracle; nothing here is hard-coded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { which } from './lua-discovery';
import { type LuaOutcome, runInSession, runPlain } from './plain-lua-oracle';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));
const at = (...names: string[]) => (lua: string) => names.includes(lua);
const all = () => true;
// Addresses (`table: 0x…`, LuaJIT's `[C]: at 0x…`) differ between any two runs.
const withoutAddresses = (o: LuaOutcome) => ({
  stdout: o.stdout.replace(/0x[0-9a-f]+/g, '0x…'),
  error: o.error.replace(/0x[0-9a-f]+/g, '0x…'),
  status: o.status,
});

// [what, code, versions it applies to]
const snippets: [string, string, (lua: string) => boolean][] = [
  // Difference 1: a C stack overflow inside a protected load reaches the message handler.
  ['load of a too-deep expression returns a message', 'local f, e = (loadstring or load)("return " .. string.rep("(", 500)) print(f, type(e))', all],
  // Difference 4: load.
  // PUC 5.1's load takes only functions; its loadstring names chunks the same way.
  ['load names a string chunk [string "..."]', 'print(load("x = = 1")) print(load("x = = 1", "=named")) print(pcall(load("error(\'e\')")))', (lua) => lua !== 'lua5.1'],
  ['loadstring names a string chunk [string "..."]', 'print(loadstring("x = = 1")) print(pcall(loadstring("error(\'e\')")))', at('lua5.1', 'luajit')],
  ['an error in a load reader stays inside load', 'print(pcall(load, function() error("reader failed") end))', all],
  ['a reader returning a non-string', 'print(load(function() return {} end))', all],
  ['load argument errors', 'print(pcall(function() local f = load(42) end))\nprint(pcall(function() local f = load(true) end))\nprint(pcall(function() local f = load("x=1", {}) end))', at('lua5.4', 'lua5.3')],
  ['load with an explicit nil env', 'local f = load("return x", "=c", "t", nil) print(pcall(f))', at('lua5.4', 'lua5.3', 'lua5.2', 'luajit')],
  ['load with an env table', 'local f = load("y = 1 return y", "=c", "t", {}) print(f(), y)', at('lua5.4', 'lua5.3', 'lua5.2', 'luajit')],
  // Difference 5: coroutine.wrap.
  ['coroutine.wrap adds the caller position', 'local co = coroutine.wrap(function() error("boom") end)\nprint(pcall(function() co() end))', all],
  [
    'coroutine.wrap closes to-be-closed variables on error',
    'local co = coroutine.wrap(function()\n  local x <close> = setmetatable({}, { __close = function() print("closed") end })\n  error("w")\nend)\nprint(pcall(co))',
    at('lua5.4'),
  ],
  ['error(msg, 2) in a coroutine body has no position', 'print(coroutine.resume(coroutine.create(function() error("lvl2", 2) end)))', all],
  // Difference 6: package, require, warn, arg.
  [
    'package.loaded holds the standard libraries',
    'print(package.loaded.string == string, package.loaded.table == table, package.loaded._G == _G, package.loaded.package == package, package.loaded.coroutine == coroutine, package.loaded.math == math)',
    all,
  ],
  ['package fields and arg exist', 'print(type(package.config), type(package.searchers), type(package.loaders), type(package.searchpath), type(arg), arg[0])', all],
  ['arg holds the script and the interpreter names', 'print(arg[0], arg[-1], arg[-2], #arg, select("#", ...))', all],
  ['warn exists and is off by default', 'print(type(warn)) warn("@on") warn("hello ", "world") warn("@off") warn("hidden")', at('lua5.4')],
  [
    'require passes the loader data and counts a loader returning nothing as found',
    'package.preload.m = function(...) print(select("#", ...), ...) end\nprint(require("m"))\nprint(package.loaded.m)\nprint((select(2, pcall(require, "no.such.module.here")):match("^[^\\n]*\\n[^\\n]*")))',
    at('lua5.4'),
  ],
  ['require of a preloaded module', 'package.preload.m = function(name) return { name = name } end\nprint(require("m").name, require("m") == package.loaded.m)', all],
  ['require of a standard library', 'print(require("string") == string, require("table") == table)', all],
  ['os.setlocale reads the locale', 'print(os.setlocale(), os.setlocale(nil, "numeric"))', all],
  // Difference 7: the string metatable.
  ['functions added to string work as methods', 'function string.trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end\nprint(("  y "):trim(), ("x"):rep(3))', all],
  ['string metamethods set through getmetatable("")', 'getmetatable("").__index = function(s, k) return k end\nprint(("abc").anything)', all],
  ['string arithmetic', 'print("10" + 1, "3" * "4", 10 .. "")', all],
  // Difference 8: io.write.
  ['io.write formats numbers as C Lua', 'io.write(1.0, " ", -0.0, " ", 2^53, " ", 1/3, " ", 100, " ", 1e100, "\\n")', all],
  ['io.write returns io.stdout', 'print(io.write("") == io.stdout, io.type(io.stdout))', all],
  [
    'io.write rejects tables, nil and booleans',
    'print(pcall(function() io.write({}) end))\nprint(pcall(function() io.write("a", nil) end))\nprint(pcall(function() io.stdout:write(true) end))',
    all,
  ],
  // Difference 9: string.rep and table.concat argument errors.
  [
    'string.rep argument errors',
    'print(pcall(function() local s = string.rep("x") end))\nprint(pcall(function() local s = string.rep("x", "abc") end))\nprint(pcall(function() local s = string.rep("x", 2.5) end))\nprint(pcall(function() local s = ("x"):rep({}) end))',
    all,
  ],
  ['table.concat of a huge range stops at the first bad item', 'print(pcall(function() local s = table.concat({}, "", 1, 2^40) end))', at('lua5.4', 'lua5.3')],
  ['table.concat of a bad item', 'print(pcall(function() local s = table.concat({1, {}, 3}) end))', all],
  // Difference 10: errors and tracebacks.
  // 5.2 itself names the inner pcall 'pcall' or '_G.pcall' depending on hash order.
  ['pcall(pcall) raises', 'print(pcall(pcall))', (lua) => lua !== 'lua5.2'],
  ['xpcall(nil, h)', 'print(xpcall(nil, function(m) return "H:" .. m end))', all],
  [
    'error levels that point past pcall and xpcall',
    'print(pcall(error, "x", 2))\nprint(pcall(error, "y", 1))\nlocal function f() error("z", 3) end\nprint(pcall(f))\nprint(xpcall(f, function(m) return "H:" .. m end))',
    all,
  ],
  ['error(msg, 2) at top level', 'error("top", 2)', all],
  ['a traceback through local, field and global functions', 'local function f() error("boom") end\nlocal t = {}\nfunction t.g() f() end\nfunction gg() t.g() end\ngg()', all],
  ['debug.traceback in the main chunk', 'print(debug.traceback("msg"))\nlocal function f() print(debug.traceback("in f", 1)) end\nf()', all],
  ['an error object that is a table', 'error({ code = 1 })', all],
  ['an error object with __tostring', 'error(setmetatable({}, { __tostring = function() return "custom" end }))', all],
  // A wrapper stands for the C function plain Lua has in its place, in every traceback.
  ['an uncaught argument error of a wrapped function', 'local function f()\n  string.rep()\nend\nf()', all],
  ['an uncaught argument error through a local alias', 'local t = {}\nlocal f = os.exit\nlocal function g() t.x = f({}) end\ng()', all],
  [
    'wrapped functions in the middle of a traceback',
    'local function f() error("E") end\nprint(xpcall(f, debug.traceback))\nprint(select(2, xpcall(function() local x = pcall(error) ; string.rep() end, debug.traceback)))',
    all,
  ],
  [
    'C functions calling back into the script',
    'print(select(2, xpcall(function() table.sort({3, 2, 1}, function(a, b) error("cmp") end) end, debug.traceback)))\nprint(select(2, xpcall(function() for w in string.gmatch("a b", "%a") do string.rep() end end, debug.traceback)))',
    all,
  ],
  ['require of a missing module, uncaught', 'package.path = "./?.lua" package.cpath = "./?.so"\nrequire("no_such_mod")', all],
  ['debug.traceback with no message or a nil one', 'print(debug.traceback())\nprint(debug.traceback(nil))\nprint(debug.traceback("m", 1))\nprint(debug.traceback(coroutine.create(function() end), nil))', all],
  ['a traceback inside a wrapped coroutine', 'local co = coroutine.wrap(function() print(debug.traceback("in co")) end) co()', all],
  ['a traceback of a suspended coroutine', 'local co = coroutine.create(function() local x = nil; string.rep() end)\nprint(coroutine.resume(co))\nprint(debug.traceback(co))\nprint(debug.traceback(co, "msg", 1))', all],
  ['coroutine bodies that are not Lua functions', 'print(pcall(coroutine.create, print))\nprint(pcall(coroutine.wrap, 1))\nprint(pcall(coroutine.create))\nprint(pcall(coroutine.wrap, pcall))', all],
  // print converts with the global tostring before 5.4.
  ['print with a replaced global tostring', 'local old = tostring\ntostring = function(v) return "X" end\nprint(1, "a", nil)\ntostring = function() return 7 end\nprint(1)\ntostring = old\nprint(1)', all],
  ['print when tostring returns a table or is nil', 'tostring = function() return {} end\nprint(pcall(print, 1))', all],
  ['print with no tostring at all', 'tostring = nil\nprint(1)', all],
  // The io functions on the default output, and 5.1's module system.
  ['io.flush, file:flush and io.close of the standard streams', 'print(io.flush(), io.stdout:flush(), io.stderr:flush())\nprint(pcall(io.close, 1))\nprint(io.close(io.stderr))\nprint(io.close())', all],
  ['gcinfo and package.seeall where they exist', 'print(gcinfo and type(gcinfo()))\nprint(package.seeall and pcall(package.seeall, 1))', all],
  [
    'module makes a module of the calling function',
    'local function def()\n  module("my.mod", package.seeall)\n  function hello() return "hi from " .. _NAME .. " " .. _PACKAGE end\n  x = 5\nend\ndef()\nprint(my.mod.hello(), my.mod.x, package.loaded["my.mod"] == my.mod, my.mod._M == my.mod, x)\nprint(pcall(module, "viapcall"))\nbad = 1\nprint(pcall(function() module("bad.x") end))',
    at('lua5.1', 'lua5.2', 'luajit'),
  ],
  ['LuaJIT\'s jit library', 'print(type(jit), jit.version, jit.os, jit.arch, package.loaded.jit == jit, require("jit") == jit)\njit.off() jit.flush()', at('luajit')],
  ['an uncaught error relayed from a C function (a protected metatable)', 'local t = setmetatable({}, {__metatable = "locked"})\nlocal function f() setmetatable(t, {}) end\nf()', all],
  ['collectgarbage options a version lacks', 'print(pcall(collectgarbage, "bogus"))\nlocal gc = collectgarbage\ngc("isrunning") gc("incremental")', (lua) => lua !== 'lua5.2'],
  [
    'getfenv and setfenv',
    'print(getfenv() == _G, getfenv(0) == _G, getfenv(1) == _G, getfenv(print) == _G)\nlocal function f() return x end\nlocal env = { x = 42 }\nprint(setfenv(f, env) == f, f(), getfenv(f) == env)\nlocal function g() setfenv(1, { print = print, y = "in g" }) print(y) end\ng()\nprint(pcall(setfenv, print, {}))\nprint(pcall(setfenv, 1))\nprint(pcall(setfenv, f, 1))\nprint(pcall(getfenv, -1))\nprint(pcall(getfenv, 50))\nprint(pcall(getfenv, {}))\nprint(pcall(setfenv, 50, {}))\nlocal t = {} for i = 1, 5 do t[i] = tostring(pcall(getfenv, i)) end print(table.concat(t, " "))\nlocal co = coroutine.wrap(function() return getfenv(1) == _G, pcall(getfenv, 2) end)\nprint(co())',
    at('lua5.1', 'luajit'),
  ],
  // Standard streams: methods check their self, io.output switches among them, io.input/io.output check their argument.
  ['standard stream methods without a stream', 'print(pcall(io.stdin.read))\nprint(pcall(io.stdout.write))\nprint(pcall(io.stdout.flush, 1))\nio.stdout.write(io.stderr, "to stderr\\n")', all],
  ['io.output switches among the standard streams', 'io.output(io.stderr)\nio.write("to stderr\\n")\nprint(io.output() == io.stderr, io.close())\nio.output(io.stdout)\nio.write("back\\n")\nprint(io.input(nil) == io.stdin, io.output(nil) == io.stdout)', all],
  ['io.input and io.output of a value that is no file', 'print(pcall(io.input, {}))\nprint(pcall(io.output, true))', all],
  ['coroutine functions given no coroutine', 'print(pcall(coroutine.resume, 1))\nprint(pcall(coroutine.resume))', all],
  ['xpcall argument checks', 'print(pcall(xpcall))\nprint(pcall(xpcall, print, 1))\nprint(pcall(xpcall, nil, print))\nprint(pcall(xpcall, print, nil))\nprint(xpcall(print, print, 5))', (lua) => lua !== 'lua5.2'],
  // os.exit ends the run with its status; nothing after it runs, no pcall catches it.
  ['os.exit with a status', 'io.write("partial")\nprint(pcall(os.exit, 3))\nprint("not reached")', all],
  ['os.exit inside functions and coroutines', 'local co = coroutine.wrap(function() pcall(function() os.exit(7) end) end)\nprint("before")\nco()\nprint("after")', all],
  ['os.exit past message handlers, metamethods and C callbacks', 'print(xpcall(function() os.exit(2) end, function(m) print("handler", m) return m end))', all],
  ['os.exit in a metamethod under pcall', 'local t = setmetatable({}, {__index = function() os.exit(6) end})\nprint(pcall(function() return t.x end))', all],
  ['os.exit in a gsub callback', 'local ok = pcall(string.gsub, "abc", "%w", function(c) os.exit(8) end)\nprint(ok)', all],
  ['os.exit with close closes to-be-closed variables', 'do local x <close> = setmetatable({}, {__close = function() print("closing") end})\nos.exit(1, true) end', at('lua5.4')],
  ['os.exit with no status succeeds', 'print("x") os.exit() error("not reached")', all],
  ['os.exit with booleans', 'print("t") os.exit(false)', (lua) => lua !== 'lua5.1'],
  ['os.exit argument errors', 'print(pcall(function() os.exit("abc") end))\nprint(pcall(function() os.exit({}) end))', all],
  ['os.exit of a non-integral number', 'print(pcall(function() os.exit(2.5) end))', at('lua5.4', 'lua5.3')],
  ['os.exit(true) on 5.1', 'os.exit(true)', at('lua5.1')],
];

// Run in a session with the 'fs' capability, whose files are in its work dir.
const fsSnippets: [string, string][] = [
  [
    'file functions refuse what plain Lua refuses, with its messages',
    'print(loadfile("nope"))\nprint(pcall(dofile, "nope"))\nprint(pcall(io.open, {}))\nprint(pcall(io.lines, {}))\nprint(pcall(os.remove, {}))\nprint(pcall(function() local r = dofile({}) end))\nprint(pcall(io.open, "f", "rw"))\nprint(io.open(""))\nprint(pcall(os.rename, "a", {}))\nprint(pcall(function() local f = loadfile({}) end))\nprint(io.open(12))\nprint(pcall(io.open, "t.txt", "rbb"))',
  ],
  [
    'loadfile with an env, dofile, os.remove',
    'local f = io.open("t.txt", "w") f:write("return ...") f:close()\nprint(loadfile("t.txt", "t", nil) ~= nil, pcall(loadfile("t.txt", "t", nil)))\nprint(dofile("t.txt"))\nprint(io.open("t.txt", "r+b") ~= nil)\nprint(os.remove("t.txt"), os.remove("t.txt"))',
  ],
  ['io.tmpfile', 'local f = io.tmpfile() print(io.type(f)) f:write("x") f:seek("set") print(f:read("*a")) f:close() print(io.type(f))'],
  [
    'io.lines and io.close errors name the script line and the file as written',
    'print(pcall(function() for l in io.lines("nofile.txt") do end end))\nprint(io.close())\nlocal f = io.open("t.txt", "w") f:write("a") print(io.close(f))\nprint(pcall(function() local x = io.close(f) end))\nfor l in io.lines("t.txt") do print(l) end',
  ],
];

describe.each(versions)('the sandbox on %s is transparent to', (lua) => {
  let manager: VMManager;
  const dir = scratchDir('bioxen-oracle-');

  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: lua });
    await manager.createVM('oracle');
    await manager.createVM('oracle-fs', { capabilities: { fs: true } });
  });
  afterAll(async () => {
    await manager.dispose();
    dir.remove();
  });

  it.each(snippets.filter(([, , applies]) => applies(lua)))('%s', async (_what, code) => {
    const plain = await runPlain(lua, dir.path, code);
    const session = await runInSession(manager, 'oracle', code);
    expect(withoutAddresses(session)).toEqual(withoutAddresses(plain));
  });

  it.each(fsSnippets)('%s', async (_what, code) => {
    expect(await runInSession(manager, 'oracle-fs', code)).toEqual(await runPlain(lua, dir.path, code));
  });
});
