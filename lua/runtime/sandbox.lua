-- The sandbox: allow-listed environments for hostile scripts, limits enforced from a hook (set by
-- a timer, or a count hook where the timer is not built), and a capability-gated `require`.
-- Works on Lua 5.1–5.4 and LuaJIT.
--
-- Every script is assumed hostile. It gets a fresh table of copied library functions (so it can
-- mutate its own `string` or `table` without touching the runner's), text-only loading, and no
-- route to the runner's globals, the real `debug`, the process, or the file system unless the VM
-- has the capability that grants it.
local sandbox = {}

local real_debug = debug
local sethook, gethook, traceback = real_debug.sethook, real_debug.gethook, real_debug.traceback
local real_require, real_io_open, real_collectgarbage = require, io.open, collectgarbage
local real_pcall, real_xpcall, real_error, real_select = pcall, xpcall, error, select
local real_getmetatable, real_type, real_tostring = getmetatable, type, tostring
local format, find, gsub, sub = string.format, string.find, string.gsub, string.sub
local match, gmatch = string.match, string.gmatch
local IS_51 = _VERSION == 'Lua 5.1'
-- string.format's %s consults a string's __tostring, and while a script runs the string metatable
-- is the script's: the runtime's own messages are built with fmt, which only knows %s and %d and
-- inserts strings as they are.
local function fmt(pattern, ...)
  local args, i = { ... }, 0
  return (gsub(pattern, '%%([%%sd])', function(c)
    if c == '%' then return '%' end
    i = i + 1
    local v = args[i]
    if c == 'd' then return format('%d', v) end
    if real_type(v) == 'string' then return v end
    return real_tostring(v)
  end))
end
local RUNTIME_DIR = real_debug.getinfo(1, 'S').source:match('^@(.*[/\\])') or './'
local SELF_SRC = real_debug.getinfo(1, 'S').short_src
-- The count hook's cost is mostly not its calls: on PUC Lua any count hook makes the VM take its
-- slow path (a luaG_traceexec call) on every instruction, about 2x on a tight loop whatever the
-- count. Calling the hook every 10,000 instructions rather than 1,000 cuts the rest (the hook's
-- own work, ~15% of a tight loop) to ~1.5%, and costs at most 10,000 instructions of quota
-- overshoot and of allocation between memory checks. A prime: with a debugger's line hook on, the
-- hook function's own instructions count down the same counter (hooks cannot fire inside hooks),
-- and a period sharing a factor with their number could make every count event land inside it,
-- never in the script (`while true do end` then never stopped).
local HOOK_EVERY = 10007

-- The guard that runs the limit checks. The count hook above is the fallback: without it, the
-- native module (lua/native/guard.c, built into out/native/<interpreter>/ by
-- scripts/build-native.mjs) sets a one-shot hook on the running thread from a 1 ms timer, so
-- between checks the script runs at plain-Lua speed. It counts no instructions: the quota is
-- charged as CPU time, at the rate this interpreter executes a mix of plain VM code on this
-- machine (measured by the build, calibration.lua).
-- A debugged run is guarded so too: the debugger's hook is the guard's (see set_debug_hook). The
-- time the debugger holds the run stopped is not charged (sandbox.hold), nor the time its line
-- events are on: the debugger's hook runs at every line then, and the guard's hook counts the
-- script's instructions instead, every HOOK_EVERY of them, as the count hook does.
-- BIOXEN_SANDBOX_GUARD=count-hook forces the fallback (tests of it, or to compare).
local GUARD_TICK_US = 1000
-- What the sandbox calls in the native module (per_thread is a flag).
local NATIVE_API = { 'start', 'stop', 'sigint', 'switch', 'wrapper', 'bind', 'size_checked', 'sethook', 'filter', 'hold',
  'counted' }
local native, quota_rate
sandbox.guard = { kind = 'count-hook', reason = nil }
do
  local key = jit and 'luajit' or ('lua' .. sub(_VERSION, 5))
  local dir = RUNTIME_DIR .. '../../out/native/' .. key .. '/'
  if os.getenv('BIOXEN_SANDBOX_GUARD') == 'count-hook' then
    sandbox.guard.reason = 'forced by BIOXEN_SANDBOX_GUARD=count-hook'
  else
    local open, err = package.loadlib(dir .. 'guard.so', 'luaopen_bioxen_guard')
    local calibration = open and loadfile(dir .. 'calibration.lua')
    local measured, values = false, nil
    if calibration then measured, values = real_pcall(calibration) end
    local rate = measured and real_type(values) == 'table' and real_type(values.rate) == 'number' and values.rate
    local ok, module = false, nil
    if rate and rate > 0 then ok, module = real_pcall(open) end
    local rebuild = ' — build it with `node scripts/build-native.mjs`'
    -- A guard.so built from an older guard.c lacks what this sandbox calls: it is not used.
    local missing
    if ok then
      for _, name in ipairs(NATIVE_API) do
        if real_type(module[name]) ~= 'function' then missing = name break end
      end
    end
    if ok and missing then
      sandbox.guard.reason = fmt('%sguard.so is out of date (it has no %s)%s', dir, missing, rebuild)
    elseif ok then
      native, quota_rate = module, rate
      sandbox.guard = { kind = 'timer', rate = rate }
    elseif not open then
      sandbox.guard.reason = (gsub(err or '', '\n', ' ')) .. rebuild
    elseif not rate then
      sandbox.guard.reason = dir .. 'calibration.lua is missing or has no rate' .. rebuild
    else
      sandbox.guard.reason = fmt('%sguard.so did not start (%s)%s', dir, module, rebuild)
    end
  end
end
local clock = os.clock

-- A limit, once hit, stays hit for the rest of the run: the hook raises it again every
-- HOOK_EVERY instructions and the wrapped pcall/xpcall/coroutine functions re-raise it, so no
-- script can swallow it and carry on.
local run = {
  running = false, count = 0, ticks = 0, quota = 0, mem_kb = 0, cpu0 = 0, paused_at = nil,
  held = false, lines = false, cpu_forced = false,
  limit = nil, limit_msg = nil, interrupted = false, script_done = true, base_depth = nil,
}

-- os.exit ends the run (not the runner) by raising this, re-raised like a limit so that no pcall
-- catches it; sandbox.execute then reports the status (run.exit_status) instead of an error.
local EXIT_MSG = 'os.exit'

local main_thread = (not IS_51) and coroutine.running() or nil
local hook, combined, current_hook

-- Once the script's xpcall has returned, sandbox.execute reports a limit itself; the hook (set
-- until end_run) must not raise into it. Only checked on the way to raising.
local function script_ended()
  for level = 3, 8 do
    local info = real_debug.getinfo(level, 'f')
    if not info then return false end
    if info.func == hook then
      local below = real_debug.getinfo(level + 1, 'f')
      if below and below.func == combined then below = real_debug.getinfo(level + 2, 'f') end
      return run.script_done or (below ~= nil and (below.func == sandbox.execute or below.func == sandbox.settle))
    end
  end
  return false
end

local function raise_in_script(msg)
  if not script_ended() then real_error(msg, 0) end
end

local function raise_limit(name, msg)
  run.limit, run.limit_msg = name, msg
  raise_in_script(msg)
end
sandbox.raise_limit = raise_limit

local function interrupted()
  run.interrupted = true
  raise_in_script('interrupted!')
end

-- Called every TICK_EVERY hooks (tens of thousands of instructions): cheap enough to poll the
-- host's interrupt request and flush buffered output from there.
local TICK_EVERY = 4
local on_tick = function() end
function sandbox.set_tick(fn) on_tick = fn end
sandbox.interrupt = interrupted

local function over_memory()
  if real_collectgarbage('count') <= run.mem_kb then return false end
  real_collectgarbage('collect')
  return real_collectgarbage('count') > run.mem_kb
end

local function quota_exceeded()
  if native then
    return format('instruction quota exceeded (instructionQuota = %d instructions, charged as CPU time: %d '
      .. 'instructions per CPU ms, about %d ms); raise the limit or make the script do less work',
      run.quota, math.floor(quota_rate / 1000), math.floor(run.quota / quota_rate * 1000))
  end
  return format('instruction quota exceeded (instructionQuota = %d instructions); '
    .. 'raise the limit or make the script do less work', run.quota)
end

-- The limit checks: every HOOK_EVERY instructions from the count hook, or every tick of the
-- native guard (which calls it from its own one-shot hook).
hook = function()
  -- Between the end of the user's code and end_run() the hook may still fire: it must not raise there.
  if not run.running then return end
  -- Held stopped, the debugger's own code runs (a check armed just before must not raise into it);
  -- an evaluation is checked.
  if run.held and not run.cpu_forced then return end
  if run.limit then raise_in_script(run.limit_msg) return end
  if run.interrupted then raise_in_script('interrupted!') return end
  if native then
    run.count = ((run.paused_at or clock()) - run.cpu0) * quota_rate + native.counted()
  else
    run.count = run.count + HOOK_EVERY
  end
  if run.quota > 0 and run.count > run.quota then raise_limit('instructionQuota', quota_exceeded()) end
  if run.mem_kb > 0 and over_memory() then
    raise_limit('memoryMb', format('memory limit exceeded (memoryMb = %d MiB); raise the limit or keep less data alive',
      run.mem_kb / 1024))
  end
  if native then
    -- The guard handles SIGINT itself (lua.c's handler would be replaced by its hook).
    if native.sigint() then interrupted() end
  -- lua.c's SIGINT handler replaces the hook of the main thread only; a coroutine sees it here.
  elseif main_thread and gethook(main_thread) ~= current_hook() then
    interrupted()
  end
  run.ticks = run.ticks + 1
  if native or run.ticks >= TICK_EVERY then
    run.ticks = 0
    on_tick()
  end
end

-- Hooks are per thread and a thread has one. Everything that hooks the script's threads goes
-- through here: the limits' count hook and, while a debugger is attached, its events ('c', 'r',
-- 'l') on the same hook, so the limits keep working while it steps. With the native guard the
-- debugger's events come from the guard's own hook (guard.sethook): it takes the guard's ticks
-- too, and passes on only the call events of functions that may hold a breakpoint
-- (set_call_filter). Threads the script creates are remembered (weakly) so a change of the
-- debugger's hook reaches suspended coroutines too.
local debug_fn, debug_mask = nil, ''
local thread_masks = setmetatable({}, { __mode = 'k' })
local script_threads = setmetatable({}, { __mode = 'k' })
combined = function(event, line)
  if event == 'count' then return hook() end
  if debug_fn then return debug_fn(event, line) end
end
-- The count hook's function a thread should have now (what lua.c's SIGINT handler replaces).
current_hook = function() return debug_fn and combined or hook end
local function install_hook(thread)
  local key = thread or coroutine.running() or 'main'
  local mask = debug_fn and (thread_masks[key] or debug_mask) or ''
  if native then
    if mask == '' then mask = nil end
    if thread then native.sethook(thread, mask and combined, mask, HOOK_EVERY)
    else native.sethook(mask and combined, mask, HOOK_EVERY) end
  elseif thread then
    sethook(thread, current_hook(), mask, HOOK_EVERY)
  else
    sethook(current_hook(), mask, HOOK_EVERY)
  end
end

-- With the native guard the script's CPU time is charged to the quota, except while the debugger
-- holds the run stopped or has line events on (then the guard counts instructions); work the
-- count does not see is charged either way (cpu_charged). While the run is held the guard's timer
-- is paused.
local function settle_charging()
  if not native or not run.running then return end
  local charged = run.cpu_forced or not (run.held or run.lines)
  if charged ~= (run.paused_at == nil) then
    local now = clock()
    if charged then run.cpu0, run.paused_at = run.cpu0 + now - run.paused_at, nil else run.paused_at = now end
  end
  native.hold(run.held and not run.cpu_forced)
end

-- pcall(f, ...) with its CPU time charged (and the timer running) whatever the debugger does.
local function cpu_charged_end(outer, ...)
  run.cpu_forced = outer
  settle_charging()
  return ...
end
local function cpu_charged(f, ...)
  local outer = run.cpu_forced
  run.cpu_forced = true
  settle_charging()
  return cpu_charged_end(outer, real_pcall(f, ...))
end

-- Attaches (fn, mask) or detaches (nil) the debugger's hook: fn(event, line) gets the events of
-- mask, on every thread of the script or, with `thread`, on that one only (its mask then
-- overrides the common one until the debugger detaches). Limits stay on either way.
function sandbox.set_debug_hook(fn, mask, thread)
  if fn == nil then
    debug_fn, debug_mask = nil, ''
    for k in pairs(thread_masks) do thread_masks[k] = nil end
  else
    debug_fn = fn
    if thread then thread_masks[thread] = mask or '' else
      debug_mask = mask or ''
      for k in pairs(thread_masks) do thread_masks[k] = nil end
    end
  end
  run.lines = debug_fn ~= nil and find(debug_mask, 'l', 1, true) ~= nil
  if not run.running then return end
  settle_charging()
  if thread then
    if coroutine.running() == thread then install_hook() else install_hook(thread) end
    return
  end
  install_hook(main_thread)
  install_hook()
  for co in pairs(script_threads) do
    if coroutine.status(co) ~= 'dead' then install_hook(co) end
  end
end

-- The debugger's call events only for functions whose lines may hold one of these breakpoints
-- (source -> line -> anything). Without the native guard the debugger filters them itself.
function sandbox.set_call_filter(breakpoints)
  if native then native.filter(breakpoints) end
end

-- The debugger holds the run stopped (on) or lets it go on. (With the count hook nothing is
-- counted meanwhile anyway.)
function sandbox.hold(on)
  run.held = on
  settle_charging()
end

-- Runs a coroutine the debugger evaluates in (its hook set to none by set_debug_hook) under the
-- run's limits: the guard's ticks reach it through the thread switch, and its time is charged.
local real_resume = coroutine.resume
function sandbox.resume_evaluation(co)
  local resumed, ok, result
  if native and native.per_thread then
    resumed, ok, result = cpu_charged(native.switch, co, real_resume, co)
  else
    resumed, ok, result = cpu_charged(real_resume, co)
  end
  if not resumed then return false, ok end
  return ok, result
end

-- The threads the script made (weak keys), for a debugger that looks for a coroutine's resumer.
function sandbox.script_threads() return next, script_threads, nil end

-- Runs the limit checks now, as the count hook does (for a debugger that keeps the script paused
-- in its hook: an interrupt then still gets through).
function sandbox.check_limits() return hook() end

function sandbox.begin_run(limits)
  run.running, run.count, run.ticks, run.limit, run.limit_msg, run.interrupted = true, 0, 0, nil, nil, false
  run.exit_status = nil
  run.quota = limits.instructionQuota or 0
  run.mem_kb = (limits.memoryMb or 0) * 1024
  if run.mem_kb > 0 and real_collectgarbage('count') > run.mem_kb / 2 then real_collectgarbage('collect') end
  install_hook()
  if native then
    run.cpu0, run.paused_at, run.held, run.cpu_forced = clock(), nil, false, false
    native.start(hook, GUARD_TICK_US)
    settle_charging()
  end
end

-- The collector's settings as the runner started; a run that changed them gets them back.
local IS_54 = _VERSION == 'Lua 5.4'
local GC_PAUSE, GC_STEPMUL
if not IS_54 then
  GC_PAUSE = real_collectgarbage('setpause', 200)
  GC_STEPMUL = real_collectgarbage('setstepmul', 200)
  real_collectgarbage('setpause', GC_PAUSE)
  real_collectgarbage('setstepmul', GC_STEPMUL)
end

local function restore_gc()
  run.gc_touched = false
  if IS_54 then
    real_collectgarbage('incremental', 200, 100, 13)
  else
    if _VERSION == 'Lua 5.2' then real_collectgarbage('incremental') end
    real_collectgarbage('setpause', GC_PAUSE)
    real_collectgarbage('setstepmul', GC_STEPMUL)
  end
  real_collectgarbage('restart')
end

function sandbox.end_run()
  if native then native.stop() end
  sethook()
  run.running = false
  if run.gc_touched then restore_gc() end
end

-- Was this failure a limit or an interrupt rather than the script's own error?
local function abort_message()
  if run.limit then return run.limit_msg end
  if run.exit_status then return EXIT_MSG end
  if run.interrupted then return 'interrupted!' end
  -- lua.c's interrupt hook removes itself before raising "interrupted!".
  if not native and run.running and gethook() == nil then run.interrupted = true; return 'interrupted!' end
  return nil
end

local function guard(ok, ...)
  if not ok then
    local msg = real_select(1, ...)
    if msg == 'not enough memory' and run.running and not run.limit then
      run.limit = 'memoryMb'
      run.limit_msg = 'memory limit exceeded (the process address-space cap was hit); raise memoryMb'
    end
    local abort = abort_message()
    if abort then real_error(abort, 0) end
  end
  return ok, ...
end


-- Raises msg at the position of the user code `level` frames up, like error(msg, level), but never
-- at a runtime frame: a tail call (`return require "socket"`) would otherwise blame sandbox.lua.
local function user_error(msg, level)
  local info = real_debug.getinfo(level + 1, 'Sl')
  local src = info and info.source or ''
  if info and info.currentline and info.currentline > 0 and find(src, '@' .. RUNTIME_DIR, 1, true) ~= 1 then
    real_error(fmt('%s:%d: %s', info.short_src, info.currentline, msg), 0)
  end
  real_error(msg, 0)
end
sandbox.user_error = user_error

-- The nearest frame above `level` (as the caller counts) that is neither the runtime's nor a
-- 5.1 "(tail call)" placeholder.
local function user_frame(level)
  level = level + 1
  while true do
    local info = real_debug.getinfo(level, 'Sl')
    if not info or (find(info.source, '@' .. RUNTIME_DIR, 1, true) ~= 1 and info.what ~= 'tail') then return info end
    level = level + 1
  end
end

-- Raises msg as the error of the nearest non-runtime frame: at its line if it is Lua code, bare
-- if it is a C function (pcall(string.rep)), as plain Lua positions a C function's error.
local function raise_at_user(msg)
  local level = 2
  while true do
    local info = real_debug.getinfo(level, 'Sl')
    if not info then real_error(msg, 0) end
    -- (5.1 keeps a "(tail call)" frame where a runtime wrapper tail-called.)
    if find(info.source, '@' .. RUNTIME_DIR, 1, true) ~= 1 and info.what ~= 'tail' then
      if info.currentline > 0 then real_error(fmt('%s:%d: %s', info.short_src, info.currentline, msg), 0) end
      real_error(msg, 0)
    end
    level = level + 1
  end
end

-- A wrapper calls its C function through relay: an error the C function raises itself (it has no
-- position yet: its caller is pcall) is raised again at the user's line, not the wrapper's.
local function relay(ok, ...)
  if ok then return ... end
  local msg = ...
  guard(false, msg)
  if real_type(msg) == 'string' then
    -- Raised by a C function that the wrapper called from Lua: it names this file's line.
    if sub(msg, 1, #SELF_SRC + 1) == SELF_SRC .. ':' then msg = gsub(msg, '^[^:]*:%d+: ', '', 1) end
    if not find(msg, '^[^\n]-:%d+: ') then raise_at_user(msg) end
  end
  real_error(msg, 0)
end

-- relay for a C function whose "bad argument" error should name it as the script's call did:
-- called by pcall it has no call-site name (5.1 and LuaJIT say '?', later versions its global
-- name), so the name the script called the wrapper by goes in its place.
local function relay_as(name, ok, ...)
  if ok or not name then return relay(ok, ...) end
  local msg = ...
  if real_type(msg) == 'string' then msg = gsub(msg, "^(bad argument #%d+ to )'[^']*'", "%1'" .. name .. "'") end
  return relay(false, msg)
end

-- A wrapper's "bad argument" error reads as plain Lua's for the C function it stands for: the
-- function named as its caller named it (`rep`, or `string.rep` when the call has no name), at
-- the caller's line. Called by the wrapper itself.
-- lauxlib names a function the call does not name by where it is in package.loaded (`string.rep`,
-- `pcall`; 5.2 sometimes says `_G.pcall`, by hash order); 5.1 and LuaJIT say '?'.
local function unnamed(qualified)
  if IS_51 then return '?' end
  return qualified
end

local function arg_error(arg, qualified, extramsg)
  local info = real_debug.getinfo(2, 'n')
  local name = info and info.name or unnamed(qualified)
  if info and info.namewhat == 'method' then
    arg = arg - 1
    if arg == 0 then user_error(fmt("calling '%s' on bad self (%s)", name, extramsg), 3) end
  end
  user_error(fmt("bad argument #%d to '%s' (%s)", arg, name, extramsg), 3)
end

local function got(v, present)
  return 'got ' .. (present and real_type(v) or 'no value')
end

local math_type, tointeger = math.type, math.tointeger
-- What luaL_checkinteger accepts: on 5.3+ an integral number or numeric string, earlier any number.
local function to_int(v)
  local t = real_type(v)
  local n = (t == 'number' or t == 'string') and tonumber(v) or nil
  if n == nil then return nil, 'number expected, ' end
  if tointeger then
    local i = tointeger(n)
    if i == nil then return nil, 'number has no integer representation' end
    return i
  end
  return n
end

-- error(msg, 2) in a function that pcall called blames pcall's caller: here that is this file's
-- wrapper, so such a message is blamed again on the wrapper's caller, as plain Lua blames it.
local SELF_POS = '^' .. gsub(SELF_SRC, '%p', '%%%0') .. ':%d+: '
local function reblame(msg, frame)
  if real_type(msg) ~= 'string' or not find(msg, SELF_POS) then return msg end
  local info = frame()
  local where = info and info.currentline > 0 and (info.short_src .. ':' .. info.currentline .. ': ') or ''
  return where .. (gsub(msg, SELF_POS, '', 1))
end

local function pcall_caller() return user_frame(3) end
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  guard(false, (...))
  return false, reblame((...), pcall_caller)
end

-- A debugger that stops at caught errors too (exception mode 'all') sets caught_hook: pcall and
-- xpcall then run through real xpcall with on_caught as message handler, which calls the hook
-- while the raising frame is still on the stack and hands the error on unchanged. Without it (any
-- run not being debugged so) pcall stays the plain one. A limit or an interrupt never stops.
local caught_hook = nil
local XPCALL_TAKES_ARGS = not IS_51 or jit ~= nil
local table_unpack = table.unpack or unpack
-- A wrapper returns what its C function returned through these, not by a tail call, which would
-- drop the wrapper's frame: a traceback then could not show the C function it stands for.
local function pack_values(...) return { n = real_select('#', ...), ... } end
-- Lua 5.1's xpcall passes no arguments, so a trampoline does; an error raised at its level
-- (pcall(error, 'x')) is then positioned there, where plain Lua's caller is pcall: no position.
local TRAMPOLINE_POS = SELF_SRC .. ':' .. (real_debug.getinfo(1, 'l').currentline + 2) .. ': '
local function trampoline(f, n, args)
  return function() return f(table_unpack(args, 1, n)) end
end
local function on_caught(m)
  if real_type(m) == 'string' and sub(m, 1, #TRAMPOLINE_POS) == TRAMPOLINE_POS then m = sub(m, #TRAMPOLINE_POS + 1) end
  if caught_hook and not (run.limit or run.interrupted or run.exit_status or m == 'not enough memory') then caught_hook(m) end
  return m
end
local function protected(handler, f, ...)
  local n = real_select('#', ...)
  if XPCALL_TAKES_ARGS or n == 0 then return real_xpcall(f, handler, ...) end
  if real_type(f) ~= 'function' then return real_pcall(f, ...) end
  return real_xpcall(trampoline(f, n, { ... }), handler)
end

local function safe_pcall(...)
  if real_select('#', ...) == 0 then arg_error(1, 'pcall', 'value expected') end
  if caught_hook then return pcall_result(protected(on_caught, ...)) end
  return pcall_result(real_pcall(...))
end

local safe_xpcall
-- The user frame that called xpcall, seen from inside its message handler.
local function xpcall_caller()
  local level = 2
  while true do
    local info = real_debug.getinfo(level, 'f')
    if not info then return nil end
    if info.func == safe_xpcall then return user_frame(level) end
    level = level + 1
  end
end

-- The handler check of each version: 5.3+ and LuaJIT want a function (LuaJIT first any value
-- at all), 5.1 and 5.2 any value, an explicit nil too.
safe_xpcall = function(...)
  local n, f, handler = real_select('#', ...), ...
  if jit and n == 0 then
    arg_error(1, 'xpcall', 'value expected')
  elseif (tointeger or jit) and real_type(handler) ~= 'function' then
    arg_error(2, 'xpcall', fmt('function expected, %s', got(handler, n >= 2)))
  elseif n < 2 then
    arg_error(2, 'xpcall', 'value expected')
  end
  -- os.exit unwinds past every handler, as plain Lua's exits without calling one.
  local h = function(m)
    if run.exit_status then return m end
    return handler(reblame(m, xpcall_caller))
  end
  if caught_hook then return guard(protected(function(m) return h(on_caught(m)) end, f, real_select(3, ...))) end
  if XPCALL_TAKES_ARGS then return guard(real_xpcall(f, h, real_select(3, ...))) end
  return guard(real_xpcall(f, h))
end

-- The debug library's hooks are per thread (a new thread inherits only a hook that calls
-- nothing), so every coroutine gets ours: create sets it, wrap's body sets it as it starts (the
-- real wrap keeps its semantics: closing on error, the caller's position in the message). A
-- coroutine that swallows a limit error meets it again at the main thread's next hook.
-- The native guard hooks the thread that runs when it ticks: on PUC Lua (per-thread hooks)
-- resume, close and wrap tell it which one that is, however the coroutine ends.
local co_create, co_wrap = coroutine.create, coroutine.wrap
local switching = native and native.per_thread
-- What is wrong with a body for coroutine.create and wrap, if anything: PUC 5.1 takes only Lua
-- functions, and the runtime's wrappers stand for its C functions.
local PUC_51 = IS_51 and not jit
local function body_problem(f, n)
  if PUC_51 then
    local info = real_type(f) == 'function' and real_debug.getinfo(f, 'S')
    if not info or info.what == 'C' or find(info.source, '@' .. RUNTIME_DIR, 1, true) == 1 then
      return 'Lua function expected'
    end
  elseif real_type(f) ~= 'function' then
    return fmt('function expected, %s', got(f, n >= 1))
  end
  return nil
end

-- The body of a wrapped coroutine is called, not tail-called: a traceback in it then ends at the
-- body, as in plain Lua, with no "(...tail calls...)" of the runtime's under it.
local function pass(...) return ... end

local function make_coroutine_lib()
  local lib = {}
  for k, v in pairs(coroutine) do lib[k] = v end
  lib.create = function(...)
    local f = ...
    local problem = body_problem(f, real_select('#', ...))
    if problem then arg_error(1, 'coroutine.create', problem) end
    local co = co_create(f)
    script_threads[co] = true
    install_hook(co)
    return co
  end
  -- resume and close catch what the coroutine raises, a limit too: it stays hit.
  -- (5.3 and 5.4 name a thread a thread here; 5.1, 5.2 and LuaJIT a coroutine.)
  local coroutine_expected = IS_54 and function(co, present) return fmt('thread expected, %s', got(co, present)) end
    or _VERSION == 'Lua 5.3' and function() return 'thread expected' end
    or function() return 'coroutine expected' end
  local co_resume, co_close = coroutine.resume, coroutine.close
  lib.resume = function(...)
    local co = ...
    if real_type(co) ~= 'thread' then
      arg_error(1, 'coroutine.resume', coroutine_expected(co, real_select('#', ...) >= 1))
    end
    if switching then return guard(native.switch(co, co_resume, ...)) end
    return guard(co_resume(...))
  end
  if co_close then
    lib.close = function(...)
      local co = ...
      if real_type(co) ~= 'thread' then
        arg_error(1, 'coroutine.close', coroutine_expected(co, real_select('#', ...) >= 1))
      end
      if switching then return guard(relay(real_pcall(native.switch, co, co_close, ...))) end
      return guard(relay(real_pcall(co_close, ...)))
    end
  end
  lib.wrap = function(...)
    local f = ...
    local problem = body_problem(f, real_select('#', ...))
    if problem then arg_error(1, 'coroutine.wrap', problem) end
    if not switching then
      return co_wrap(function(...)
        script_threads[coroutine.running()] = true
        install_hook()
        return pass(f(...))
      end)
    end
    local wrapped
    wrapped = native.wrapper(co_wrap(function(...)
      native.bind(wrapped)
      script_threads[coroutine.running()] = true
      install_hook()
      return pass(f(...))
    end))
    return wrapped
  end
  return lib
end

-- Memory bombs that allocate in one C call never reach the hook: check their size first.
local function check_alloc(bytes)
  if run.running and run.mem_kb > 0 and bytes / 1024 + real_collectgarbage('count') > run.mem_kb
      and (real_collectgarbage('collect') or true) and bytes / 1024 + real_collectgarbage('count') > run.mem_kb then
    raise_limit('memoryMb', format('memory limit exceeded (memoryMb = %d MiB): a %d-byte string was requested; '
      .. 'raise the limit or build less data', run.mem_kb / 1024, bytes))
  end
end

local raw_rep, raw_concat = string.rep, table.concat

-- table.concat under a memory limit. Summing the items' sizes in Lua first cost more than the
-- concat itself (3.7x on 300k items); instead the items are joined in C a batch at a time and the
-- heap is checked after each batch. Batches start at 16 items and grow (to 4,096) only while the
-- next one, at the sizes seen so far, fits a quarter of the room left, so a concat that outgrows
-- memoryMb stops within about one batch of the limit. A batch whose items suddenly grow huge can
-- overshoot further: the address-space cap set by the host bounds it, and the allocation failure
-- it causes is reported as the memoryMb limit.
local SMALL_RESULT = 4096
local function batched_concat(t, sep, first, last)
  -- Most concats are one small batch: no parts table, and a result too small to matter unchecked.
  if last - first < 16 then
    local s = raw_concat(t, sep, first, last)
    if #s > SMALL_RESULT then check_alloc(0) end
    return s
  end
  local parts, n, total, a, size = {}, 0, 0, first, 16
  while a <= last do
    local b = (last - a < size) and last or a + size - 1
    local part = raw_concat(t, sep, a, b)
    n, total = n + 1, total + #part
    parts[n] = part
    -- Joining the parts needs `total` bytes more, unless this one part is the whole result.
    check_alloc((n == 1 and b == last) and 0 or total)
    if b == last then break end
    local room = run.mem_kb * 1024 - real_collectgarbage('count') * 1024 - total
    local per_item = #part / (b - a + 1) + 1
    size = math.max(1, math.min(4096, size * 2, math.floor(room / 4 / per_item)))
    a = b + 1
  end
  if n <= 1 then return parts[1] or '' end
  return raw_concat(parts, sep)
end

-- Argument errors are raised here, worded as the C function's; the C function is called through
-- relay, so its own errors are plain Lua's, at the caller's line.
local function checked_rep(...)
  local s, n, sep = ...
  -- The common call (a string, an integer count, a result of at most SMALL_RESULT bytes) goes
  -- straight to the C function: its arguments are valid, so it raises nothing to reposition, and
  -- so little memory needs no check (the hook's check catches a loop of such calls).
  if sep == nil and real_type(s) == 'string' and (math_type and math_type(n) == 'integer' or not math_type and real_type(n) == 'number')
      and n * #s <= SMALL_RESULT then
    return raw_rep(s, n)
  end
  local ts = real_type(s)
  if ts ~= 'string' and ts ~= 'number' then
    arg_error(1, 'string.rep', fmt('string expected, %s', got(s, real_select('#', ...) >= 1)))
  end
  local count, why = to_int(n)
  if count == nil then
    if why == 'number expected, ' then why = why .. got(n, real_select('#', ...) >= 2) end
    arg_error(2, 'string.rep', why)
  end
  local tsep = real_type(sep)
  if sep ~= nil and tsep ~= 'string' and tsep ~= 'number' then
    arg_error(3, 'string.rep', fmt('string expected, %s', got(sep, true)))
  end
  local per = #real_tostring(s) + (sep and #real_tostring(sep) or 0)
  local bytes = count > 0 and per * count - (sep and #real_tostring(sep) or 0) or 0
  -- 5.4 refuses a result near 2 GiB itself ("resulting string too large"), as it checks it.
  if bytes > 0 and not (IS_54 and per * count > 2 ^ 31 - 1) then check_alloc(bytes) end
  if sep == nil then return relay(real_pcall(raw_rep, s, count)) end
  return relay(real_pcall(raw_rep, s, count, sep))
end

local function checked_concat(...)
  local t, sep, i, j = ...
  if real_type(t) ~= 'table' then
    arg_error(1, 'table.concat', fmt('table expected, %s', got(t, real_select('#', ...) >= 1)))
  end
  local tsep = real_type(sep)
  if sep ~= nil and tsep ~= 'string' and tsep ~= 'number' then
    arg_error(2, 'table.concat', fmt('string expected, %s', got(sep, true)))
  end
  local first, last, why = 1
  if i ~= nil then
    first, why = to_int(i)
    if first == nil then arg_error(3, 'table.concat', why == 'number expected, ' and why .. got(i, true) or why) end
  end
  if j ~= nil then
    last, why = to_int(j)
    if last == nil then arg_error(4, 'table.concat', why == 'number expected, ' and why .. got(j, true) or why) end
  else
    last = #t
  end
  if run.running and run.mem_kb > 0 then return relay(real_pcall(batched_concat, t, sep, first, last)) end
  return relay(real_pcall(raw_concat, t, sep, first, last))
end

-- How much memory is left once `bytes` more are allocated (nil: memory is not limited); raises the
-- memoryMb limit when they do not fit. The native guard's string.rep and table.concat call it.
local function room_after(bytes)
  if not (run.running and run.mem_kb > 0) then return nil end
  check_alloc(bytes)
  return run.mem_kb * 1024 - real_collectgarbage('count') * 1024 - bytes
end

-- With the native guard built, string.rep and table.concat are its C closures (guard.c,
-- size_checked): the same checks as the Lua wrappers above, without a Lua call in front of each
-- call. The wrappers stay for the count-hook fallback.
local size_checked_rep, size_checked_concat = checked_rep, checked_concat
if native then size_checked_rep, size_checked_concat = native.size_checked(raw_rep, raw_concat, room_after) end
string.dump = nil -- luacheck: ignore 122


local function blocked(name, hint)
  return function()
    user_error(fmt('%s is blocked in the sandbox%s', name, hint or ' (no VM capability allows it)'), 2)
  end
end

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- The user's view of a stack. A real traceback also shows the runtime's frames: the sandbox's
-- wrappers between user frames, and below the script's main chunk the xpcall and the runner. A
-- traceback has one entry per level (plus "(...tail calls...)" notes), so each level is
-- classified with getinfo; past a cut ("..." or "(skipping N levels)") the entries are the last
-- levels of the stack. A wrapper stands for the C function plain Lua has in its place, so each
-- run of runtime frames the user's code called (the wrapper and what it calls) shows as that one
-- "[C]: in function 'name'" entry, named as plain Lua names a C function.
local TAIL_NOTE = '^\t%(%.%.%.tail calls%.%.%.%)'

local function is_runtime(info)
  return info ~= nil and find(info.source, '@' .. RUNTIME_DIR, 1, true) == 1
end

-- Highest valid level (as the caller counts them; in thread, as the thread counts them),
-- found in O(log n) getinfo calls: a stack overflow is 200,000 levels deep.
local function top_level(thread)
  local exists = thread and function(l) return real_debug.getinfo(thread, l, 'l') ~= nil end
    or function(l) return real_debug.getinfo(l + 2, 'l') ~= nil end
  local lo, hi = 0, 1
  while exists(hi) do lo, hi = hi, hi * 2 end
  while hi - lo > 1 do
    local mid = math.floor((lo + hi) / 2)
    if exists(mid) then lo = mid else hi = mid end
  end
  return lo
end

local GLOBAL_NAMES = _VERSION == 'Lua 5.3' or _VERSION == 'Lua 5.4'
-- lua.c's own frame under the main chunk, as each version's traceback shows it (LuaJIT gives an
-- address, which differs from run to run anyway).
local BOTTOM_ENTRY = (jit and '\t[C]: at 0x00000000') or (IS_51 and '\t[C]: ?') or '\t[C]: in ?'
-- lauxlib's pushglobalfuncname: "mod.name" for a function found two levels into loaded, "_G." dropped.
local function global_name(loaded, f)
  for k, v in next, loaded do
    if real_type(k) == 'string' then
      if rawequal(v, f) then return k end
      if real_type(v) == 'table' then
        for k2, v2 in next, v do
          if real_type(k2) == 'string' and rawequal(v2, f) then
            return k == '_G' and k2 or k .. '.' .. k2
          end
        end
      end
    end
  end
  return nil
end

local function user_traceback(thread, msg, level)
  local text, first, last, cutoff
  -- 5.1 and LuaJIT return an explicit nil message as it is; "" then the leading newline cut is the
  -- traceback they make when no message is given.
  local no_msg = msg == nil and IS_51
  if no_msg then msg = '' end
  if thread then
    text, first = traceback(thread, msg, level), level
    last = top_level(thread)
  else
    text, first = traceback(msg, level + 1), level + 1
    last = top_level()
    -- The script's main chunk sits on run.base_depth levels of the runner's own (on the main
    -- thread; a coroutine's stack is its own).
    local co = coroutine.running()
    if run.base_depth and (co == nil or co == main_thread) then cutoff = last - run.base_depth end
  end
  if no_msg then text = sub(text, 2) end
  local head, body = match(text, '^(.-stack traceback:)(.*)$')
  if not head then return text end
  local entries, cut = {}, nil
  for line in gmatch(body, '\n([^\n]*)') do
    entries[#entries + 1] = line
    if not cut and (find(line, '^\t%.%.%.$') or find(line, '^\t%.%.%.\t%(skipping %d+ levels%)$')) then
      cut = #entries
    end
  end
  local levels, l = {}, first - 1
  for i = 1, cut and cut - 1 or #entries do
    if not find(entries[i], TAIL_NOTE) then l = l + 1; levels[i] = l end
  end
  if cut then
    l = last + 1
    for i = #entries, cut + 1, -1 do
      if not find(entries[i], TAIL_NOTE) then l = l - 1; levels[i] = l end
    end
  end
  -- (lv as user_traceback counts its levels: one more from in here, where LuaJIT must not make the
  -- getinfo call a tail call.)
  local function info_at(lv, what)
    local info
    if thread then info = real_debug.getinfo(thread, lv, what) else info = real_debug.getinfo(lv + 1, what) end
    return info
  end
  -- Each level: the user's, hidden (a runtime function, or a C function the runtime called), or
  -- below the main chunk.
  local kinds, infos = {}, {}
  for i = 1, #entries do
    local lv = levels[i]
    if lv then
      local info = info_at(lv, 'Sf')
      infos[i] = info
      if cutoff and lv > cutoff then
        kinds[i] = 'below'
      elseif is_runtime(info) or (info.what == 'C' and is_runtime(info_at(lv + 1, 'S'))) then
        kinds[i] = 'hidden'
      -- 5.1's "(tail call)" placeholder under a runtime function that was tail-called.
      elseif info.what == 'tail' and lv > 1 and is_runtime(info_at(lv - 1, 'S')) then
        kinds[i] = 'hidden'
      else
        kinds[i] = 'user'
      end
    end
  end
  local function next_kind(i)
    for j = i + 1, #entries do
      if kinds[j] then return kinds[j] end
      if j == cut then return nil end
    end
    return nil
  end
  local hook_fn = thread and gethook(thread) or gethook()
  -- raised: the run has a C function (error, or the real one a wrapper called); c_desc: the
  -- nearest of its C functions that 5.3+ named by its global name, for a wrapper that tail-called
  -- and so left no name of its own.
  local seen_user, raised, c_desc = false, false, nil
  -- The entry a run of hidden frames shows as, at its outermost frame (the one the user called); a
  -- run at the top shows only when an error was raised in it, not a hook's (a limit).
  local function as_c_entry(i, line)
    local info = infos[i]
    if info.func == hook or info.func == combined or (hook_fn ~= nil and info.func == hook_fn) then return nil end
    if not seen_user and not raised then return nil end
    local desc = match(line, ': in (.*)$')
    if desc and find(desc, '^hook ') then return nil end
    local name = (GLOBAL_NAMES or (not IS_51 and (desc == nil or find(desc, '^function <')))) and run.loaded
      and global_name(run.loaded, info.func)
    if name then return fmt("\t[C]: in function '%s'", name) end
    if desc and not find(desc, '^function <') then return '\t[C]: in ' .. desc end
    if c_desc then return '\t[C]: in ' .. c_desc end
    return IS_51 and '\t[C]: ?' or '\t[C]: in ?'
  end
  local kept, n, keep = {}, 0, true
  for i, line in ipairs(entries) do
    local kind = kinds[i]
    if kind == 'user' then
      keep, seen_user, raised = true, true, false
      -- Called by a wrapper (a coroutine body, say): named by the runtime's call site, where plain
      -- Lua's C caller gives it no name.
      local info = infos[i]
      if info.what == 'Lua' and is_runtime(info_at(levels[i] + 1, 'S')) then
        line = match(line, '^(.-: in )') .. fmt('function <%s:%d>', info.short_src, info.linedefined)
      end
      -- 5.3+ name a function by where package.loaded holds it: the script's package.loaded.
      local name = GLOBAL_NAMES and run.loaded and global_name(run.loaded, infos[i].func)
      if name then line = match(line, '^(.-: in )') .. fmt("function '%s'", name) end
    elseif kind == 'hidden' then
      if infos[i].what == 'C' then
        raised = true
        c_desc = GLOBAL_NAMES and match(line, ": in (function '[^']*')$") or c_desc
      end
      keep = false
      if next_kind(i) == 'user' then
        line = as_c_entry(i, line)
        keep = line ~= nil
      end
      if next_kind(i) ~= 'hidden' then raised, c_desc = false, nil end
    elseif kind == 'below' then
      keep = false
    elseif i == cut then
      keep, raised = true, false
    end
    if keep then n = n + 1; kept[n] = line end
  end
  if cutoff then n = n + 1; kept[n] = BOTTOM_ENTRY end
  return head .. (n > 0 and '\n' or '') .. raw_concat(kept, '\n', 1, n)
end
sandbox.traceback = user_traceback

-- Loading ------------------------------------------------------------------------------------

local function is_binary(code) return sub(code, 1, 1) == '\27' end

local BINARY_BLOCKED = 'binary (bytecode) chunks are blocked in the sandbox; load Lua source text'
local LOAD_TAKES_ENV = not IS_51 or jit ~= nil

local function load_text(code, name, env)
  if real_type(code) ~= 'string' then return nil, 'chunk must be a string or a reader function' end
  if is_binary(code) then return nil, BINARY_BLOCKED end
  if not LOAD_TAKES_ENV then
    local f, err = loadstring(code, name)
    if f then setfenv(f, env) end
    return f, err
  end
  return load(code, name, 't', env)
end
sandbox.load_text = load_text

-- The script's load: plain load, except that binary chunks are refused whatever the mode. A reader
-- is called by the real load through a wrapper that checks the first piece, so its errors become
-- load's `nil, message` as in plain Lua. nargs tells an explicit nil env from none.
-- load's argument errors as plain load raises them (5.2+, LuaJIT): the argument and the message.
local function load_arg_problem(nargs, chunk, name, mode)
  local t = real_type(chunk)
  if t ~= 'string' and t ~= 'number' and t ~= 'function' then
    return 1, fmt('function expected, %s', got(chunk, nargs >= 1))
  end
  for i = 2, 3 do
    local v = i == 2 and name or mode
    if v ~= nil and real_type(v) ~= 'string' and real_type(v) ~= 'number' then
      return i, fmt('string expected, got %s', real_type(v))
    end
  end
  return nil
end

local function user_load(env, nargs, chunk, name, mode, chunk_env)
  if real_type(chunk) == 'string' and is_binary(chunk) then return nil, BINARY_BLOCKED end
  if real_type(chunk) == 'function' then
    -- A reader's bad piece is blamed on load's caller, as lua_load's reader does.
    local caller = user_frame(2)
    local where = caller and caller.currentline > 0 and fmt('%s:%d: ', caller.short_src, caller.currentline) or ''
    local reader, started = chunk, false
    chunk = function()
      local piece = reader()
      if piece ~= nil and real_type(piece) ~= 'string' then
        real_error(where .. 'reader function must return a string', 0)
      end
      if not started and real_type(piece) == 'string' and piece ~= '' then
        started = true
        if is_binary(piece) then real_error(BINARY_BLOCKED, 0) end
      end
      return piece
    end
  end
  if nargs < 4 then chunk_env = env end
  local f, err
  if LOAD_TAKES_ENV then
    -- Called directly, not through pcall: an error inside the load reaches the run's message
    -- handler, as in lua.c (which appends a traceback to load's message).
    f, err = load(chunk, name, mode, chunk_env)
  else
    if real_type(chunk) == 'string' then f, err = loadstring(chunk, name) else f, err = load(chunk, name) end
    if f then setfenv(f, env) end
  end
  -- load catches what its reader raises, a limit too: the limit stays hit.
  if f == nil then guard(false, err) end
  return f, err
end

-- Paths ---------------------------------------------------------------------------------------


local function read_file(path)
  local f, err = real_io_open(path, 'rb')
  if not f then return nil, err end
  local text = f:read('*a')
  f:close()
  return text
end

-- Paths a script with the fs capability may touch: relative ones, under the work dir, no "..".
-- path must be a string (the wrapper checked it with path_problem and turned a number into one).
local function confine(cfg, path)
  if find('/' .. path .. '/', '/%.%./') then
    real_error(fmt("path '%s' leaves the VM work dir ('..' is not allowed)", path), 3)
  end
  if sub(path, 1, 1) == '/' then
    if sub(path, 1, #cfg.work_dir + 1) ~= cfg.work_dir .. '/' then
      real_error(fmt("path '%s' is outside the VM work dir %s; use a relative path", path, cfg.work_dir), 3)
    end
    return path
  end
  -- The runner runs in the work dir (its cwd), so a relative path stays as the script wrote it
  -- and messages name it as plain Lua would.
  return path
end

-- What is wrong with a file name argument, if anything: as luaL_checkstring, a string or a number.
local function path_problem(v, present)
  local t = real_type(v)
  if t == 'string' or t == 'number' then return nil end
  return fmt('string expected, %s', got(v, present))
end

-- The modes io.open takes: 5.2+ check them as l_checkmode does; 5.1 and LuaJIT hand them to
-- fopen, which reads the first letter and a '+' among the next few and ignores the rest (the
-- rest is dropped here, so that no other fopen flag gets through).
local function open_mode(mode)
  if not IS_51 then return find(mode, _VERSION == 'Lua 5.2' and '^[rwa]%+?b?$' or '^[rwa]%+?b*$') and mode or nil end
  local first = sub(mode, 1, 1)
  if first ~= 'r' and first ~= 'w' and first ~= 'a' then return nil end
  return first .. (find(sub(mode, 2, 6), '+', 1, true) and '+' or '') .. 'b'
end

-- Environment ---------------------------------------------------------------------------------

-- print converts its arguments with the global tostring before 5.4 (5.4 calls luaL_tolstring).
local PRINT_USES_GLOBAL_TOSTRING = _VERSION ~= 'Lua 5.4'

local SAFE_GLOBALS = {
  'assert', 'error', 'ipairs', 'next', 'pairs', 'rawequal', 'rawget', 'rawlen', 'rawset', 'select',
  'tonumber', 'tostring', 'type', 'unpack', '_VERSION',
}
local NETWORK_MODULES = { socket = true, ltn12 = true, mime = true }
local NEEDS_FS = " (needs the 'fs' capability)"

-- What every environment starts from. Built once; each environment gets its own copies of the
-- tables (scripts may mutate their `string` or `os`), so building one stays cheap.
local BASE = {}
for _, name in ipairs(SAFE_GLOBALS) do BASE[name] = _G[name] end
BASE.pcall, BASE.xpcall = safe_pcall, safe_xpcall
-- 5.1's gcinfo: the heap in whole KiB, what collectgarbage('count') tells already.
if gcinfo then BASE.gcinfo = function() return math.floor(real_collectgarbage('count')) end end
local std_streams = setmetatable({}, { __mode = 'k' })
-- The standard streams are tables standing in for C Lua's userdata: rawlen refuses them as it
-- refuses a FILE*.
if rawlen then
  BASE.rawlen = function(...)
    if std_streams[(...)] then arg_error(1, 'rawlen', 'table or string expected') end
    local n = relay(real_pcall(rawlen, ...))
    return n
  end
end
-- The collector's work is not counted by the hook, so each call is charged by heap size (100
-- instructions per KiB, about what a full collection takes, at least one hook's worth) and polls
-- the interrupt: a loop of full collections stays under the quota and stops promptly. 'stop' and
-- mode changes are undone at the end of the run (end_run), so they never outlive it.
local GC_ALLOWED = { collect = true, step = true, count = true, isrunning = true, incremental = true,
  generational = true, stop = true, restart = true, setpause = true, setstepmul = true }
BASE.collectgarbage = function(...)
  local opt = ...
  if opt == nil or opt == 'count' then
    if opt == nil then opt = 'collect' else return real_collectgarbage('count') end
  end
  if GC_ALLOWED[opt] then
    run.gc_touched = run.gc_touched or (opt ~= 'collect' and opt ~= 'step' and opt ~= 'isrunning')
    if opt == 'collect' or opt == 'step' then
      -- (The native guard charges the collection's CPU time itself, even while it counts.)
      if not native then run.count = run.count + math.max(HOOK_EVERY, math.floor(real_collectgarbage('count') * 100)) end
      if run.running then on_tick() end
    end
  end
  -- Nothing is allocated on the way (no table, no getinfo) unless the call fails: a script that
  -- steps a stopped collector measures the heap as under plain Lua. Every option returns at
  -- most two values.
  local ok, a, b
  if native and run.lines and (opt == 'collect' or opt == 'step') then
    ok, a, b = cpu_charged(real_collectgarbage, ...)
  else
    ok, a, b = real_pcall(real_collectgarbage, ...)
  end
  if not ok then
    local info = real_debug.getinfo(1, 'n')
    relay_as(info and info.name, false, a)
  end
  if b ~= nil then return a, b end
  return a
end
-- A finalizer runs whenever the collector decides, possibly outside any run and its limits.
BASE.setmetatable = function(...)
  local t, mt = ...
  if real_type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
    user_error('__gc metamethods are blocked in the sandbox (finalizers would run outside the VM limits)', 2)
  end
  if real_type(t) ~= 'table' then
    arg_error(1, 'setmetatable', fmt('table expected, %s', got(t, real_select('#', ...) >= 1)))
  end
  local result = relay(real_pcall(setmetatable, t, mt))
  return result
end
-- 5.1's newproxy makes userdata whose metatable is for __gc finalizers (see setmetatable below).
if newproxy then BASE.newproxy = blocked('newproxy', ' (its userdata carry __gc finalizers, which would run outside the VM limits)') end
BASE.dofile = blocked('dofile', NEEDS_FS)
BASE.loadfile = blocked('loadfile', NEEDS_FS)

-- os.exit([code [, close]]) ends the run with an exit status, as plain Lua ends its process: nothing
-- after it runs, no pcall catches it, and `bioxen exec` exits with the status. The runner and the
-- session stay: a VM is the workbench's, not the script's. Pending to-be-closed variables are closed
-- on the way out, as os.exit(code, true) closes them. Arguments are checked as each version checks
-- them (5.1 takes only a number; LuaJIT and 5.2+ also true/false for success/failure).
local function exit(code)
  local status
  if code == nil then
    status = 0
  elseif real_type(code) == 'boolean' and (not IS_51 or jit) then
    status = code and 0 or 1
  else
    local n, why = to_int(code)
    if n == nil then
      if why == 'number expected, ' then why = why .. got(code, true) end
      arg_error(1, 'os.exit', why)
    end
    status = n
  end
  run.exit_status = status
  real_error(EXIT_MSG, 0)
end

local LIBS = {
  string = copy(string),
  table = copy(table),
  math = copy(math),
  coroutine = make_coroutine_lib(),
  utf8 = utf8 and copy(utf8) or nil,
  bit32 = bit32 and copy(bit32) or nil,
  bit = bit and copy(bit) or nil,
  -- LuaJIT's jit: what it is, and its status (off: the runner turns the compiler off, as compiled
  -- code never reaches the hook that enforces the limits, so jit.on is blocked). jit.attach
  -- (callbacks from inside the compiler) and jit.util (bytecode) are withheld.
  jit = jit and { version = jit.version, version_num = jit.version_num, os = jit.os, arch = jit.arch,
    status = jit.status, off = jit.off, flush = jit.flush,
    on = blocked('jit.on', ' (compiled code would escape the limits; sessions run LuaJIT interpreted)') } or nil,
  os = { clock = os.clock, date = os.date, difftime = os.difftime, time = os.time,
    execute = blocked('os.execute'), exit = exit,
    -- The script sees an empty environment: the runner's variables may hold secrets.
    getenv = function() return nil end,
    -- The locale can be read, not changed: the runner formats numbers for its protocol with it.
    -- A change fails as plain Lua fails for a locale it cannot honour (nil).
    setlocale = function(locale, category)
      if locale == nil then return os.setlocale(nil, category) end
      return nil
    end,
    remove = blocked('os.remove', NEEDS_FS), rename = blocked('os.rename', NEEDS_FS),
    tmpname = blocked('os.tmpname') },
  debug = { traceback = function(...)
    local thread, msg, level = ...
    local msg_given = real_select('#', ...) >= 2
    if real_type(thread) ~= 'thread' then thread, msg, level, msg_given = nil, thread, msg, real_select('#', ...) >= 1 end
    if msg ~= nil and real_type(msg) ~= 'string' and real_type(msg) ~= 'number' then return msg end
    -- 5.1 and LuaJIT: a nil message given is returned as it is.
    if msg == nil and msg_given and IS_51 then return nil end
    local tb = user_traceback(thread, msg, thread and (level or 0) or (level or 1) + 1)
    return tb
  end },
}
LIBS.string.rep = size_checked_rep
-- The rest of debug reaches the runtime's frames, locals and hook (the limits), and string.dump
-- makes binary chunks, which cannot be loaded here: each says so when called.
for name in pairs(real_debug) do
  if name ~= 'traceback' then
    LIBS.debug[name] = blocked('debug.' .. name,
      ' (it reaches the runtime and its limits; only debug.traceback is available)')
  end
end
LIBS.string.dump = blocked('string.dump', ' (binary chunks cannot be loaded in the sandbox)')
LIBS.table.concat = size_checked_concat
-- Scripts have no stdin: it reads as an empty file (nil, as plain Lua at end of input).
local function read_nothing() return nil end
local IO_BASE = { read = read_nothing, popen = blocked('io.popen'),
  open = blocked('io.open', NEEDS_FS), type = io.type,
  -- io.lines() reads the default input, the script's empty stdin; a file needs 'fs'.
  lines = function(...)
    if (...) == nil then return read_nothing end
    user_error('io.lines is blocked in the sandbox' .. NEEDS_FS, 2)
  end,
  tmpfile = blocked('io.tmpfile', NEEDS_FS), flush = function() return true end }

-- io.write's text for each value, as C Lua's g_write formats it: numbers with LUA_NUMBER_FMT
-- (integers as integers on 5.3+), strings as they are. Returns the index of a bad value.
local function write_values(write, first, ...)
  for i = first, real_select('#', ...) do
    local v = real_select(i, ...)
    local t = real_type(v)
    if t == 'string' then write(v)
    elseif t == 'number' then write(math_type and math_type(v) == 'integer' and format('%d', v) or format('%.14g', v))
    else return i end
  end
  return nil
end

-- The script's io.stdout and io.stderr: file-like (io.type says 'file'), writing to the host.
local HAS_P = pcall(format, '%p', {})
-- 5.1's and LuaJIT's write return true; 5.2+ return the file.
local WRITE_RETURNS_TRUE = IS_51
local function file_tostring(f) return HAS_P and format('file (%p)', f) or 'file (0x0)' end
-- A method's self, as C Lua checks it: a standard stream (a real file goes to the C method).
-- The method raises the error itself, so that it is named as the script called it.
local function stream_problem(n, self)
  if std_streams[self] == nil then return fmt('FILE* expected, %s', got(self, n >= 1)) end
  return nil
end
-- What is wrong with a value given to io.input or io.output, if anything: it must name a file or
-- be one (LuaJIT says a name).
local function switch_problem(v)
  local t = real_type(v)
  if t == 'string' or t == 'number' or std_streams[v] or io.type(v) then return nil end
  return fmt(jit and 'string expected, got %s' or 'FILE* expected, got %s', t)
end

-- A standard stream's method that gives the same answer every call, once its self passed the
-- check; with `refuse` it raises that at the caller's line instead. The script calls the returned
-- function itself, so its errors are named and placed as C Lua's.
local function stream_method(refuse, ...)
  local n, answer = real_select('#', ...), { ... }
  return function(...)
    local problem = stream_problem(real_select('#', ...), ...)
    if problem then arg_error(1, '?', problem) end
    if refuse then user_error(refuse, 2) end
    return table_unpack(answer, 1, n)
  end
end

local function stream_proxy(write)
  local proxy = {}
  -- Writes go to the stream the method is called on: io.stdout.write(io.stderr, s) writes to stderr.
  proxy.write = function(...)
    local self = ...
    local problem = stream_problem(real_select('#', ...), self)
    if problem then arg_error(1, '?', problem) end
    local bad = write_values(std_streams[self], 2, ...)
    if bad then arg_error(bad, 'write', fmt('string expected, got %s', real_type((real_select(bad, ...))))) end
    if WRITE_RETURNS_TRUE then return true end
    return self
  end
  -- fflush succeeded: true, as every version's file:flush returns.
  proxy.flush = stream_method(nil, true)
  proxy.setvbuf = stream_method(nil, true)
  proxy.close = stream_method(nil, nil, 'cannot close standard file')
  proxy.lines = stream_method('reading from a standard stream is blocked in the sandbox (scripts have no stdin)')
  proxy.read = proxy.lines
  proxy.seek = stream_method(nil, nil, 'Illegal seek', 29)
  std_streams[proxy] = write
  return setmetatable(proxy, { __name = 'FILE*', __tostring = file_tostring })
end

-- Copying a table key by key rehashes it as it grows; a generated table constructor is sized
-- once. These copiers are most of what a fresh environment costs.
local function make_copier(template)
  local parts = { 'local t = ... return {' }
  for k in pairs(template) do parts[#parts + 1] = format('[%q] = t[%q],', k, k) end
  parts[#parts + 1] = '}'
  local code = raw_concat(parts)
  local copier = IS_51 and loadstring(code) or load(code, '=copier', 't', {})
  return function() return copier(template) end
end

-- Slots new_env fills per environment, reserved so the constructor sizes the table once.
local PER_ENV = { '_G', 'getmetatable', 'print', 'io', 'load', 'package', 'require', 'arg' }
if warn then PER_ENV[#PER_ENV + 1] = 'warn' end
if IS_51 then PER_ENV[#PER_ENV + 1] = 'loadstring' end
if module then PER_ENV[#PER_ENV + 1] = 'module' end
if setfenv then PER_ENV[#PER_ENV + 1] = 'getfenv'; PER_ENV[#PER_ENV + 1] = 'setfenv' end
for _, name in ipairs(PER_ENV) do BASE[name] = false end
for name in pairs(LIBS) do BASE[name] = false end
local copy_base = make_copier(BASE)
local copy_libs = {}
for name, lib in pairs(LIBS) do copy_libs[name] = make_copier(lib) end
local copy_io = make_copier(IO_BASE)

local string_mts = setmetatable({}, { __mode = 'k' })
local loaded_tables = setmetatable({}, { __mode = 'k' })

-- 5.1's module (and 5.2's, built with it): the module's table, found in package.loaded or made
-- in the globals along its dotted name, becomes the environment of the calling function. Only
-- a function of the script's may be that caller: the runtime's must keep theirs.
local function old_module(env)
  return function(...)
    local n, modname = real_select('#', ...), ...
    local t = real_type(modname)
    if t ~= 'string' and t ~= 'number' then arg_error(1, 'module', fmt('string expected, %s', got(modname, n >= 1))) end
    modname = real_tostring(modname)
    local caller = real_debug.getinfo(2, 'Sf')
    if not caller or caller.what == 'C' or find(caller.source, '@' .. RUNTIME_DIR, 1, true) == 1 then
      user_error("'module' not called from a Lua function", 2)
    end
    local loaded = loaded_tables[env]
    local m = loaded[modname]
    if real_type(m) ~= 'table' then
      m = env
      for part in gmatch(modname, '[^.]+') do
        local v = rawget(m, part)
        if v == nil then
          v = {}
          rawset(m, part, v)
        elseif real_type(v) ~= 'table' then
          user_error(fmt("name conflict for module '%s'", modname), 2)
        end
        m = v
      end
      loaded[modname] = m
    end
    if m._NAME == nil then
      m._M, m._NAME, m._PACKAGE = m, modname, match(modname, '^(.*%.)') or ''
    end
    if setfenv then setfenv(caller.func, m) else real_debug.setupvalue(caller.func, 1, m) end
    for i = 2, n do
      local option = real_select(i, ...)
      if real_type(option) == 'function' then option(m) end
    end
  end
end
local RUNNER_STRING_MT = real_getmetatable('')

-- 5.1's getfenv and setfenv, on the stack as the script sees it: each run of runtime frames its
-- code called (a wrapper and what that calls) is one level, the C function the wrapper stands for.
-- Only the script's own Lua functions show or change their environment; every other function
-- (C, or the runtime's) has the script's globals, as plain Lua's C functions have _G, and refuses
-- a change. `level` counts from the wrapper's caller; `from` is the wrapper's own level.
local function hidden_frame(info, below)
  return is_runtime(info) or (info.what == 'C' and (below == nil or is_runtime(below)))
end
local function visible_frame(level, from)
  local lv, count = from + 2, 0
  local info = real_debug.getinfo(lv, 'Sf')
  while info do
    local above = real_debug.getinfo(lv + 1, 'S')
    if hidden_frame(info, above) then
      while info and hidden_frame(info, real_debug.getinfo(lv + 1, 'S')) do
        lv = lv + 1
        info = real_debug.getinfo(lv, 'Sf')
      end
      -- What is under the script's main chunk (the runner, down to lua.c's C entry) is plain Lua's
      -- one C level under it; under a coroutine's body plain Lua has nothing.
      if not info then
        local co = coroutine.running()
        if co ~= nil and co ~= main_thread then return nil end
        info = false
      end
      count = count + 1
      if count == level then return { what = 'C' } end
    else
      count = count + 1
      if count == level then return info end
      lv = lv + 1
      info = real_debug.getinfo(lv, 'Sf')
    end
  end
  return nil
end
local function own_env_function(f)
  local info = real_type(f) == 'function' and real_debug.getinfo(f, 'S')
  return info and info.what ~= 'C' and not is_runtime(info)
end
local NEGATIVE_LEVEL = jit and 'invalid level' or 'level must be non-negative'

local function fenv_functions(env)
  local function getfenv_(...)
    local f = ...
    if real_type(f) == 'function' then
      if own_env_function(f) then return getfenv(f) end
      return env
    end
    local level = 1
    if f ~= nil then
      local why
      level, why = to_int(f)
      if level == nil then arg_error(1, 'getfenv', why .. got(f, true)) end
      level = math.floor(level)
    end
    if level < 0 then arg_error(1, 'getfenv', NEGATIVE_LEVEL) end
    if level == 0 then return env end
    local info = visible_frame(level, 1)
    if not info then arg_error(1, 'getfenv', 'invalid level') end
    if info.what == 'tail' then user_error(fmt('no function environment for tail call at level %d', level), 2) end
    if info.func and own_env_function(info.func) then return getfenv(info.func) end
    return env
  end
  local function setfenv_(...)
    local n, f, t = real_select('#', ...), ...
    if real_type(t) ~= 'table' then arg_error(2, 'setfenv', fmt('table expected, %s', got(t, n >= 2))) end
    local target = f
    if real_type(f) ~= 'function' then
      local level, why = to_int(f)
      if level == nil then arg_error(1, 'setfenv', why .. got(f, n >= 1)) end
      level = math.floor(level)
      if level < 0 then arg_error(1, 'setfenv', NEGATIVE_LEVEL) end
      if level == 0 then
        user_error("setfenv(0, t) is blocked in the sandbox (the thread's globals are the runner's)", 2)
      end
      local info = visible_frame(level, 1)
      if not info then arg_error(1, 'setfenv', 'invalid level') end
      if info.what == 'tail' then user_error(fmt('no function environment for tail call at level %d', level), 2) end
      target = info.func
    end
    if not own_env_function(target) then
      user_error("'setfenv' cannot change environment of given object", 2)
    end
    setfenv(target, t)
    return target
  end
  return getfenv_, setfenv_
end

-- cfg: caps {networked, remoteNetwork, fs, olfi, metrics, native}, work_dir, lua_path, native_cpath.
-- host: out(s), err(s), emit(kind, data), call(kind, data).
function sandbox.new_env(cfg, host)
  local env = copy_base()
  env._G = env
  for name, copy_lib in pairs(copy_libs) do env[name] = copy_lib() end

  -- The string metatable is per environment: sandbox.execute installs this one for the run, so
  -- functions added to this `string` work as methods and changes stay in this environment.
  local string_mt = {}
  for k, v in pairs(RUNNER_STRING_MT) do string_mt[k] = v end
  string_mt.__index = env.string
  string_mts[env] = string_mt
  env.getmetatable = function(...)
    local t = real_type((...))
    if real_select('#', ...) == 0 then arg_error(1, 'getmetatable', 'value expected') end
    -- Userdata (files, sockets) keep their metatables to themselves: the runner uses them too.
    if t == 'table' or t == 'string' then return real_getmetatable((...)) end
    return nil
  end

  env.print = function(...)
    local parts = {}
    local convert = real_tostring
    if PRINT_USES_GLOBAL_TOSTRING then convert = env.tostring end
    if convert == real_tostring then
      for i = 1, real_select('#', ...) do parts[i] = real_tostring((real_select(i, ...))) end
    else
      -- 5.1–5.3 and LuaJIT convert with whatever the global tostring is now.
      local mt = real_getmetatable(convert)
      if real_type(convert) ~= 'function' and not (real_type(mt) == 'table' and rawget(mt, '__call')) then
        real_error(fmt('attempt to call a %s value', real_type(convert)), 0)
      end
      for i = 1, real_select('#', ...) do
        local s = convert((real_select(i, ...)))
        local t = real_type(s)
        if t == 'number' then s = real_tostring(s)
        elseif t ~= 'string' then user_error("'tostring' must return a string to 'print'", 2) end
        parts[i] = s
      end
    end
    host.out(raw_concat(parts, '\t') .. '\n')
  end
  local io_lib = copy_io()
  local stdout = stream_proxy(host.out)
  io_lib.stdout, io_lib.stderr = stdout, stream_proxy(host.err)
  local stdin = stream_proxy(function() end)
  -- Scripts have no stdin: it reads as an empty file.
  stdin.read = stream_method(nil, nil)
  stdin.lines = stream_method(nil, read_nothing)
  io_lib.stdin = stdin
  -- The default files are standard streams (io.output(io.stderr) works): switching to a file from
  -- io.open, or one named, is blocked. Anything else is refused as plain Lua refuses it.
  local output = stdout
  io_lib.input = function(...)
    local f = ...
    if f == nil or f == stdin then return stdin end
    local problem = switch_problem(f)
    if problem then arg_error(1, 'io.input', problem) end
    user_error('io.input with a file is blocked in the sandbox (read the file with io.open instead)', 2)
  end
  io_lib.output = function(...)
    local f = ...
    if f == nil then return output end
    if f == stdout or f == io_lib.stderr then
      output = f
      return f
    end
    local problem = switch_problem(f)
    if problem then arg_error(1, 'io.output', problem) end
    user_error('io.output with a file is blocked in the sandbox (write the file with io.open instead)', 2)
  end
  io_lib.write = function(...)
    local bad = write_values(std_streams[output], 1, ...)
    if bad then arg_error(bad, 'io.write', fmt('string expected, got %s', real_type((real_select(bad, ...))))) end
    if WRITE_RETURNS_TRUE then return true end
    return output
  end
  io_lib.type = function(...)
    local f = ...
    if f == stdout or f == io_lib.stderr or f == stdin then return 'file' end
    local kind = relay(real_pcall(io.type, ...))
    return kind
  end
  -- Through relay: io.close's errors name the script's line. With no file it closes the default
  -- output, the script's stdout, which a standard stream refuses.
  io_lib.close = function(...)
    local f = ...
    if real_select('#', ...) == 0 then f = output end
    if std_streams[f] then return f:close() end
    local r = pack_values(relay(real_pcall(io.close, ...)))
    return table_unpack(r, 1, r.n)
  end
  env.io = io_lib

  env.load = function(...)
    -- PUC 5.1's load takes only reader functions (loadstring takes strings).
    if not LOAD_TAKES_ENV and real_type((...)) == 'string' then
      arg_error(1, 'load', 'function expected, got string')
    end
    if LOAD_TAKES_ENV then
      local arg, problem = load_arg_problem(real_select('#', ...), ...)
      if arg then arg_error(arg, 'load', problem) end
    end
    -- Not a tail call: a traceback from inside the load (its reader's error) names load.
    local f, err = user_load(env, real_select('#', ...), ...)
    return f, err
  end
  if IS_51 then
    env.loadstring = function(s, name)
      local f, err = user_load(env, 2, s, name)
      return f, err
    end
  end
  if warn then
    local warnings_on = false
    env.warn = function(...)
      local n = real_select('#', ...)
      for i = 1, math.max(n, 1) do
        local piece = real_select(i, ...)
        if real_type(piece) ~= 'string' and real_type(piece) ~= 'number' then
          arg_error(i, 'warn', fmt('string expected, %s', got(piece, i <= n)))
        end
      end
      local first = ...
      if n == 1 and sub(first, 1, 1) == '@' then
        if first == '@on' then warnings_on = true elseif first == '@off' then warnings_on = false end
        return
      end
      if warnings_on then host.err('Lua warning: ' .. raw_concat({ ... }) .. '\n') end
    end
  end
  env.arg = {}
  if module then env.module = old_module(env) end
  if setfenv then env.getfenv, env.setfenv = fenv_functions(env) end

  if cfg.caps.fs then sandbox.grant_fs(env, cfg) end
  sandbox.install_require(env, cfg, host)
  return env
end

function sandbox.grant_fs(env, cfg)
  env.io.open = function(...)
    local n, path, mode = real_select('#', ...), ...
    local problem = path_problem(path, n >= 1)
    if problem then arg_error(1, 'io.open', problem) end
    if mode ~= nil and real_type(mode) ~= 'string' and real_type(mode) ~= 'number' then
      arg_error(2, 'io.open', fmt('string expected, got %s', real_type(mode)))
    end
    path = real_tostring(path)
    local fopen_mode = open_mode(mode == nil and 'r' or real_tostring(mode))
    if not fopen_mode then
      if IS_51 then return nil, path .. ': Invalid argument', 22 end
      arg_error(2, 'io.open', 'invalid mode')
    end
    local f, err, code = real_io_open(confine(cfg, path), fopen_mode)
    if f then return f end
    return f, err, code
  end
  -- Through relay: io.lines' "No such file" and io.close's errors name the script's line. With no
  -- file it reads the script's stdin, which is empty.
  local stdin_lines = env.io.lines
  env.io.lines = function(...)
    local n, path = real_select('#', ...), ...
    if path == nil then return stdin_lines() end
    local problem = path_problem(path, n >= 1)
    if problem then arg_error(1, 'io.lines', problem) end
    local info = IS_51 and real_debug.getinfo(1, 'n')
    local r = pack_values(relay_as(info and info.name, real_pcall(io.lines, confine(cfg, real_tostring(path)), real_select(2, ...))))
    return table_unpack(r, 1, r.n)
  end
  -- An anonymous file, removed when closed: nothing outside the work dir is named or kept.
  env.io.tmpfile = io.tmpfile
  env.os.remove = function(...)
    local n, path = real_select('#', ...), ...
    local problem = path_problem(path, n >= 1)
    if problem then arg_error(1, 'os.remove', problem) end
    local ok, err, code = os.remove(confine(cfg, real_tostring(path)))
    if ok then return ok end
    return ok, err, code
  end
  env.os.rename = function(...)
    local n, a, b = real_select('#', ...), ...
    local problem = path_problem(a, n >= 1)
    if problem then arg_error(1, 'os.rename', problem) end
    problem = path_problem(b, n >= 2)
    if problem then arg_error(2, 'os.rename', problem) end
    local ok, err, code = os.rename(confine(cfg, real_tostring(a)), confine(cfg, real_tostring(b)))
    if ok then return ok end
    return ok, err, code
  end
  -- loadfile(path [, mode [, env]]): with no path it reads the script's stdin, which is empty.
  local function load_confined(path, chunk_env)
    if path == nil then return load_text('', '=stdin', chunk_env) end
    path = real_tostring(path)
    local text, err = read_file(confine(cfg, path))
    if not text then return nil, 'cannot open ' .. err end
    return load_text(text, '@' .. path, chunk_env)
  end
  env.loadfile = function(...)
    local n, path, _, chunk_env = real_select('#', ...), ...
    local problem = path ~= nil and path_problem(path, true)
    if problem then arg_error(1, 'loadfile', problem) end
    local use_env = env
    if n >= 3 and LOAD_TAKES_ENV then use_env = chunk_env end
    local f, err = load_confined(path, use_env)
    if f then return f end
    return f, err
  end
  env.dofile = function(...)
    local path = ...
    local problem = path ~= nil and path_problem(path, true)
    if problem then arg_error(1, 'dofile', problem) end
    local f, err = load_confined(path, env)
    if not f then real_error(err, 0) end
    -- Called, not tail-called: a traceback from inside shows dofile under the file's chunk.
    local r = pack_values(f())
    return table_unpack(r, 1, r.n)
  end
end

-- Each kind of host traffic needs its capability: Ol-Fi frames need 'olfi', metrics calls 'metrics'.
local function check_kind(caps, kind)
  if real_type(kind) ~= 'string' then real_error('bioxen.host: kind must be a string', 3) end
  local needed = (kind == 'olfi' and 'olfi') or (find(kind, '^metrics%.') and 'metrics') or nil
  if needed and not caps[needed] then
    user_error(fmt("bioxen.host: '%s' needs the '%s' capability — create the VM with capabilities { %s = true }",
      kind, needed, needed), 3)
  end
end

local function host_module(host, caps)
  return {
    emit = function(kind, data)
      check_kind(caps, kind)
      host.emit(kind, data)
    end,
    call = function(kind, data)
      check_kind(caps, kind)
      return host.call(kind, data)
    end,
  }
end

local function is_network_module(name)
  return NETWORK_MODULES[name] or NETWORK_MODULES[(match(name, '^([^%.]+)%.'))] or false
end

-- LuaSocket as a networked VM gets it: narrowed by socket_policy.lua before any script sees it.
local socket_policy
local function require_network_module(name, cfg)
  if not cfg.caps.networked then
    raise_at_user(fmt("module '%s' needs the 'networked' capability — create the VM with networked: true", name))
  end
  if not socket_policy then
    local policy = dofile(RUNTIME_DIR .. 'socket_policy.lua')
    policy.apply(real_require('socket'), function() return cfg.caps.remoteNetwork == true end)
    socket_policy = policy
  end
  if socket_policy.BLOCKED_MODULES[name] then
    raise_at_user(fmt("module '%s' is blocked in the sandbox (it reaches files and devices, not the network)", name))
  end
  return real_require(name)
end

local function builtin_module(name, cfg, host)
  local caps = cfg.caps
  if name == 'bioxen.host' then
    if not (caps.olfi or caps.metrics) then
      raise_at_user("module 'bioxen.host' needs the 'olfi' or 'metrics' capability — create the VM with one of them")
    end
    return host_module(host, caps)
  end
  -- The metrics package is only a client of the host's metrics calls: say which capability is missing.
  if name == 'bioxen.metrics' and not caps.metrics then
    raise_at_user("module 'bioxen.metrics' needs the 'metrics' capability — create the VM with "
      .. 'capabilities { metrics = true }')
  end
  if is_network_module(name) then return require_network_module(name, cfg) end
  return nil
end

-- Which files require may read: candidates from the configured search path (the runner's
-- package.path, the bundled packages, the bound environment) for well-formed module names, and
-- with the 'fs' capability anything inside the work dir.
local configured_templates = {}
local function may_read(cfg, configured, template, name, candidate)
  local templates = configured_templates[configured]
  if not templates then
    templates = {}
    for t in gmatch(configured, '[^;]+') do templates[t] = true end
    configured_templates = { [configured] = templates }
  end
  if templates[template] and find(name, '^[%w_][%w_%.%-]*$') and not find(name, '%.%.') then return true end
  return cfg.caps.fs and real_pcall(confine, cfg, candidate) or false
end

local function readable(path)
  local f = real_io_open(path, 'r')
  if f then f:close() end
  return f ~= nil
end

-- package.searchpath, reading only what may_read allows; the message is the running version's.
local function search_path(cfg, configured, name, path, sep, rep)
  local file = name
  if sep ~= '' then file = gsub(name, gsub(sep, '%p', '%%%0'), (gsub(rep, '%%', '%%%%'))) end
  local tried, n = {}, 0
  -- Empty templates count, as in C Lua's searchpath.
  for template in gmatch(path .. ';', '([^;]*);') do
    local candidate = gsub(template, '%?', (gsub(file, '%%', '%%%%')))
    if may_read(cfg, configured, template, name, candidate) and readable(candidate) then return candidate end
    n = n + 1
    tried[n] = "no file '" .. candidate .. "'"
  end
  if IS_54 then return nil, raw_concat(tried, '\n\t') end
  return nil, n > 0 and '\n\t' .. raw_concat(tried, '\n\t') or ''
end

function sandbox.install_require(env, cfg, host)
  local loaded, preload = {}, {}
  local pkg = { loaded = loaded, preload = preload, path = cfg.lua_path, cpath = cfg.native_cpath or package.cpath,
    config = package.config, loadlib = blocked('package.loadlib') }
  env.package = pkg
  -- The option for module(name, package.seeall): the module reads the script's globals.
  if package.seeall then
    pkg.seeall = function(...)
      local m = ...
      if real_type(m) ~= 'table' then
        arg_error(1, 'package.seeall', fmt('table expected, %s', got(m, real_select('#', ...) >= 1)))
      end
      local mt = real_debug.getmetatable(m)
      if real_type(mt) ~= 'table' then
        mt = {}
        setmetatable(m, mt)
      end
      mt.__index = env
    end
  end
  for _, name in ipairs({ 'string', 'table', 'math', 'coroutine', 'os', 'io', 'debug', 'utf8', 'bit32', 'bit', 'jit' }) do
    loaded[name] = env[name]
  end
  loaded._G, loaded.package = env, pkg
  loaded_tables[env] = loaded

  -- A searcher's "not found" text: on 5.4 require puts "\n\t" before each, earlier they carry it.
  local function not_found(text) return IS_54 and text or '\n\t' .. text end
  local function searchpath(...)
    local name, path, sep, rep = ...
    for i, v in ipairs({ name, path }) do
      if real_type(v) ~= 'string' and real_type(v) ~= 'number' then
        arg_error(i, 'package.searchpath', fmt('string expected, %s', got(v, real_select('#', ...) >= i)))
      end
    end
    local configured = cfg.lua_path .. ';' .. (cfg.caps.native and cfg.native_cpath or '')
    return search_path(cfg, configured, real_tostring(name), real_tostring(path), sep or '.', rep or '/')
  end
  if not IS_51 or jit then pkg.searchpath = searchpath end

  local searchers = {
    function(name)
      local loader = preload[name]
      if loader == nil then return not_found(fmt("no field package.preload['%s']", name)) end
      return loader, ':preload:'
    end,
    function(name)
      local path = pkg.path
      if real_type(path) ~= 'string' then raise_at_user("'package.path' must be a string") end
      local filename, tried = search_path(cfg, cfg.lua_path, name, path, '.', '/')
      if not filename then return tried end
      local text, err = read_file(filename)
      local f = text and load_text(text, '@' .. filename, env)
      if not f then
        local _, lerr = load_text(text or '', '@' .. filename, env)
        raise_at_user(fmt("error loading module '%s' from file '%s':\n\t%s", name, filename, lerr or err))
      end
      return f, filename
    end,
    function(name)
      local path = pkg.cpath
      if real_type(path) ~= 'string' then raise_at_user("'package.cpath' must be a string") end
      local native_cpath = cfg.caps.native and cfg.native_cpath
      local filename, tried = search_path(cfg, native_cpath or package.cpath, name, native_cpath or path, '.', '/')
      if not filename then return tried end
      if not native_cpath then
        return not_found(fmt("C module '%s' is at '%s', but C modules load only in VMs with the native capability",
          name, filename))
      end
      return function() return real_require(name) end, filename
    end,
  }
  if IS_51 or _VERSION == 'Lua 5.2' then pkg.loaders = searchers end
  if not IS_51 then pkg.searchers = searchers end

  env.require = function(...)
    local name = ...
    if real_type(name) ~= 'string' and real_type(name) ~= 'number' then
      arg_error(1, 'require', fmt('string expected, %s', got(name, real_select('#', ...) >= 1)))
    end
    name = real_tostring(name)
    local cached = loaded[name]
    if cached then return cached end
    local builtin = builtin_module(name, cfg, host)
    if builtin ~= nil then
      loaded[name] = builtin
      return builtin
    end
    local list = IS_51 and pkg.loaders or pkg.searchers
    if real_type(list) ~= 'table' then
      raise_at_user(fmt("'package.%s' must be a table", IS_51 and 'loaders' or 'searchers'))
    end
    local messages, loader, data = {}, nil, nil
    for i = 1, math.huge do
      local searcher = rawget(list, i)
      if searcher == nil then raise_at_user(fmt("module '%s' not found:%s", name, raw_concat(messages))) end
      local found, extra = searcher(name)
      if real_type(found) == 'function' then
        loader, data = found, extra
        break
      elseif real_type(found) == 'string' or real_type(found) == 'number' then
        messages[#messages + 1] = IS_54 and '\n\t' .. found or found
      end
    end
    local result = loader(name, data)
    if result ~= nil then loaded[name] = result
    elseif loaded[name] == nil then loaded[name] = true end
    if IS_54 then return loaded[name], data end
    return loaded[name]
  end
end

-- Running ---------------------------------------------------------------------------------------

-- What the running version's lua.c makes of an error object: its text, and whether a traceback
-- follows it. Strings and numbers always get one; other objects differ by version.
local function own_text(e)
  local mt = real_getmetatable(e)
  if real_type(mt) == 'table' and rawget(mt, '__tostring') ~= nil then
    local ok, s = real_pcall(real_tostring, e)
    if ok and real_type(s) == 'string' then return s end
  end
  return nil
end

local function describe(e)
  if real_type(e) == 'string' then return e, true end
  if real_type(e) == 'number' then return real_tostring(e), true end
  if jit then
    local text = own_text(e)
    if text then return text, true end
    return '(error object is not a string)', false
  end
  if IS_51 then return '(error object is not a string)', false end
  local text = own_text(e)
  if text then return text, false end
  if _VERSION == 'Lua 5.2' then return '(no error message)', false end
  return fmt('(error object is a %s value)', real_type(e)), true
end

-- The message handler of a run. It is also called for errors that end up caught elsewhere (a
-- protected load hitting "C stack overflow" calls the current handler), so it only describes the
-- error, as lua.c's does, and never changes the run's state: the limits stay on whatever it meets.
local last_report = { msg = nil, tb = nil }
-- A debugger's stop at an uncaught error: called here, where the raising frame is still on the
-- stack; with caught, at the errors pcall and xpcall catch as well (on_caught).
local error_hook = nil
function sandbox.set_error_hook(fn, caught)
  error_hook = fn
  caught_hook = caught and fn or nil
end
local function error_handler(e)
  if error_hook and not run.exit_status then error_hook(e) end
  local msg, with_traceback = describe(e)
  local tb = with_traceback and user_traceback(nil, msg, 2) or msg
  last_report.msg, last_report.tb = msg, tb
  return tb
end

-- Takes the script's results straight from its xpcall and renders them under the limits. From
-- here on the hook must not raise into the runtime (script_ended), so no Lua function is called
-- before run.script_done is set, except the render itself.
function sandbox.settle(finish, ok, ...)
  if not ok then
    run.script_done = true
    return false, ...
  end
  local values = { n = real_select('#', ...), ... }
  local rendered
  ok, rendered = real_xpcall(function() return finish(values) end, error_handler)
  run.script_done = true
  return ok, rendered
end

-- Runs f (of environment env) under the limits; returns true, values... or false, {msg, tb}. `finish` turns the
-- returned values into strings while the limits still apply (a __tostring may loop forever).
-- f is called by xpcall itself so that tracebacks name it "main chunk", as lua.c's do.
function sandbox.execute(f, limits, finish, env)
  real_debug.setmetatable('', string_mts[env] or RUNNER_STRING_MT)
  run.loaded = env and loaded_tables[env]
  sandbox.begin_run(limits)
  run.base_depth, run.script_done = top_level() + 1, false
  last_report.msg, last_report.tb = nil, nil
  local ok, result = sandbox.settle(finish, real_xpcall(f, error_handler))
  real_debug.setmetatable('', RUNNER_STRING_MT)
  if not ok and not native and gethook() == nil then run.interrupted = true end
  sandbox.end_run()
  run.base_depth = nil
  if ok then return true, result end
  -- A limit hit while os.exit unwound (a __close handler looping) still wins.
  if run.exit_status and not run.limit and not run.interrupted then return false, { exit = run.exit_status } end
  local err
  if real_type(result) == 'string' and result == last_report.tb then
    err = { msg = last_report.msg, tb = last_report.tb }
  else
    err = { msg = (describe(result)), tb = nil }
  end
  local abort = run.limit and run.limit_msg or (run.interrupted and 'interrupted!') or nil
  if abort then err.msg = abort end
  if err.msg == 'not enough memory' and not run.limit then
    run.limit = 'memoryMb'
    err.msg = 'memory limit exceeded (the process address-space cap was hit); raise memoryMb'
  end
  err.limit, err.interrupted = run.limit, run.interrupted
  return false, err
end

return sandbox
