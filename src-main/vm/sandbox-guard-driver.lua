-- Test driver for sandbox-guard.test.ts: runs the sandbox in-process (as the runner does) with a
-- debugger's hook set through sandbox.set_debug_hook, and prints what it saw as `key=value` lines.
-- The line hook makes the count hook's own period land inside it: a period sharing a factor with
-- the hook's instruction count once left `while true do end` unstopped on 5.3 and 5.4.
-- arg[1]: lua/runtime/ folder. Plain Lua's own count of the same line events is the oracle.
local sandbox = dofile(arg[1] .. 'sandbox.lua')
local host = { out = function() end, err = function() end, emit = function() end, call = function() end }
local cfg = { caps = {}, work_dir = '.', lua_path = package.path }
io.stdout:setvbuf('no')
-- As the runner: compiled traces never run hooks.
if jit then jit.off() end
local function say(k, v) io.write(k, '=', tostring(v), '\n') end
say('guard', sandbox.guard.kind)

local CODE = 'local x = 0\nfor i = 1, 200000 do\n  x = x + i\nend\n'
  .. 'local co = coroutine.wrap(function()\n  for i = 1, 1000 do\n    coroutine.yield(i)\n  end\nend)\n'
  .. 'for i = 1, 1000 do\n  co()\nend\nreturn x'

-- Line events per line number of the chunk. Lines 3, 7 and 11 are the bodies of its three loops;
-- the same numbers in sandbox.lua are comments, so no event of the runtime's own code is counted.
local WATCHED = { [3] = true, [7] = true, [11] = true }
local function counter()
  local counts = { [3] = 0, [7] = 0, [11] = 0 }
  return counts, function(event, line) if WATCHED[line] then counts[line] = counts[line] + 1 end end
end
local function show(counts) return counts[3] .. ',' .. counts[7] .. ',' .. counts[11] end

-- Plain Lua, no sandbox, the hook on every thread: the oracle.
local plain, count_plain = counter()
local f = (loadstring or load)(CODE, '=t')
local wrap = coroutine.wrap
coroutine.wrap = function(g) return wrap(function(...) debug.sethook(count_plain, 'l') return g(...) end) end
debug.sethook(count_plain, 'l')
f()
debug.sethook()
coroutine.wrap = wrap
say('plain_lines', show(plain))

-- The same chunk in the sandbox, with the debugger's hook on every thread of the script.
local env = sandbox.new_env(cfg, host)
local ticks = 0
sandbox.set_tick(function() ticks = ticks + 1 end)
local counts, count = counter()
sandbox.set_debug_hook(count, 'l')
local ok, err = sandbox.execute(sandbox.load_text(CODE, '=t', env), { instructionQuota = 0, memoryMb = 0 }, function() return {} end, env)
say('ok', ok and 'true' or err.msg)
say('sandbox_lines', show(counts))
say('ticks', ticks)

-- With the debugger's hook still set, the limits still stop a loop.
local stopped, loop_err = sandbox.execute(sandbox.load_text('while true do end', '=t', env),
  { instructionQuota = 2000000, memoryMb = 0 }, function() return {} end, env)
say('loop_stopped', not stopped)
say('loop_limit', loop_err and loop_err.limit)
sandbox.set_debug_hook(nil)
