-- The sandbox: allow-listed environments for hostile scripts, limits enforced from a count hook,
-- and a capability-gated `require`. Works on Lua 5.1–5.4 and LuaJIT.
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
local co_create, co_resume, co_status = coroutine.create, coroutine.resume, coroutine.status
local unpack = table.unpack or unpack
local format, find, gsub, sub = string.format, string.find, string.gsub, string.sub
local match, gmatch = string.match, string.gmatch
local IS_51 = _VERSION == 'Lua 5.1'
local RUNTIME_DIR = real_debug.getinfo(1, 'S').source:match('^@(.*[/\\])') or './'
local HOOK_EVERY = 1000

-- A limit, once hit, stays hit for the rest of the run: the hook raises it again every
-- HOOK_EVERY instructions and the wrapped pcall/xpcall/coroutine functions re-raise it, so no
-- script can swallow it and carry on.
local run = {
  running = false, count = 0, ticks = 0, quota = 0, mem_kb = 0,
  limit = nil, limit_msg = nil, interrupted = false, script_done = true, base_depth = nil,
}

local main_thread = (not IS_51) and coroutine.running() or nil
local hook

-- Once the script's xpcall has returned, sandbox.execute reports a limit itself; the hook (set
-- until end_run) must not raise into it. Only checked on the way to raising.
local function script_ended()
  for level = 3, 8 do
    local info = real_debug.getinfo(level, 'f')
    if not info then return false end
    if info.func == hook then
      local below = real_debug.getinfo(level + 1, 'f')
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
local TICK_EVERY = 32
local on_tick = function() end
function sandbox.set_tick(fn) on_tick = fn end
sandbox.interrupt = interrupted

local function over_memory()
  if real_collectgarbage('count') <= run.mem_kb then return false end
  real_collectgarbage('collect')
  return real_collectgarbage('count') > run.mem_kb
end

hook = function()
  -- Between the end of the user's code and end_run() the hook may still fire: it must not raise there.
  if not run.running then return end
  if run.limit then raise_in_script(run.limit_msg) return end
  if run.interrupted then raise_in_script('interrupted!') return end
  run.count = run.count + HOOK_EVERY
  if run.quota > 0 and run.count > run.quota then
    raise_limit('instructionQuota', format('instruction quota exceeded (instructionQuota = %d instructions); '
      .. 'raise the limit or make the script do less work', run.quota))
  end
  if run.mem_kb > 0 and over_memory() then
    raise_limit('memoryMb', format('memory limit exceeded (memoryMb = %d MiB); raise the limit or keep less data alive',
      run.mem_kb / 1024))
  end
  -- lua.c's SIGINT handler replaces the hook of the main thread only; a coroutine sees it here.
  if main_thread and gethook(main_thread) ~= hook then interrupted() end
  run.ticks = run.ticks + 1
  if run.ticks >= TICK_EVERY then
    run.ticks = 0
    on_tick()
  end
end

-- Hooks are per coroutine on PUC Lua; every coroutine the sandbox creates gets ours.
local function hook_thread(co)
  if run.running then sethook(co, hook, '', HOOK_EVERY) end
  return co
end

function sandbox.begin_run(limits)
  run.running, run.count, run.ticks, run.limit, run.limit_msg, run.interrupted = true, 0, 0, nil, nil, false
  run.quota = limits.instructionQuota or 0
  run.mem_kb = (limits.memoryMb or 0) * 1024
  if run.mem_kb > 0 and real_collectgarbage('count') > run.mem_kb / 2 then real_collectgarbage('collect') end
  sethook(hook, '', HOOK_EVERY)
end

function sandbox.end_run()
  sethook()
  run.running = false
end

-- Was this failure a limit or an interrupt rather than the script's own error?
local function abort_message()
  if run.limit then return run.limit_msg end
  if run.interrupted then return 'interrupted!' end
  -- lua.c's interrupt hook removes itself before raising "interrupted!".
  if run.running and gethook() == nil then run.interrupted = true; return 'interrupted!' end
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

local function pack(...) return { n = real_select('#', ...), ... } end

local function safe_pcall(f, ...) return guard(real_pcall(f, ...)) end

local function safe_xpcall(f, handler, ...)
  local args = pack(...)
  return guard(real_xpcall(function() return f(unpack(args, 1, args.n)) end, handler))
end

local function make_coroutine_lib()
  local lib = {}
  for k, v in pairs(coroutine) do lib[k] = v end
  lib.create = function(f) return hook_thread(co_create(f)) end
  lib.resume = function(co, ...) return guard(co_resume(co, ...)) end
  lib.wrap = function(f)
    local co = hook_thread(co_create(f))
    return function(...)
      local r = pack(guard(co_resume(co, ...)))
      if not r[1] then real_error(r[2], 0) end
      return unpack(r, 2, r.n)
    end
  end
  if coroutine.close then lib.close = function(co) return guard(coroutine.close(co)) end end
  lib.status = co_status
  return lib
end

-- Memory bombs that allocate in one C call never reach the hook: check their size first.
local function check_alloc(bytes)
  if run.running and run.mem_kb > 0 and bytes / 1024 + real_collectgarbage('count') > run.mem_kb then
    raise_limit('memoryMb', format('memory limit exceeded (memoryMb = %d MiB): a %d-byte string was requested; '
      .. 'raise the limit or build less data', run.mem_kb / 1024, bytes))
  end
end

local raw_rep, raw_concat = string.rep, table.concat
local function checked_rep(s, n, sep)
  n = tonumber(n) or 0
  if n > 0 then check_alloc(#tostring(s) * n + (sep and #tostring(sep) * (n - 1) or 0)) end
  if sep == nil then return raw_rep(s, n) end
  return raw_rep(s, n, sep)
end
local function checked_concat(t, sep, i, j)
  if run.running and run.mem_kb > 0 and real_type(t) == 'table' then
    local total, first, last = 0, i or 1, j or #t
    local sep_len = sep and #tostring(sep) or 0
    for k = first, last do
      local v = t[k]
      total = total + (real_type(v) == 'string' and #v or 24) + sep_len
    end
    check_alloc(total)
  end
  return raw_concat(t, sep, i, j)
end
-- The string metatable's __index is the real string table, so method calls (`s:rep(n)`) would
-- bypass a sandbox copy: patch the real table. string.dump goes for the same reason.
string.rep = checked_rep -- luacheck: ignore 122
string.dump = nil -- luacheck: ignore 122

-- Raises msg at the position of the user code `level` frames up, like error(msg, level), but never
-- at a runtime frame: a tail call (`return require "socket"`) would otherwise blame sandbox.lua.
local function user_error(msg, level)
  local info = real_debug.getinfo(level + 1, 'Sl')
  local src = info and info.source or ''
  if info and info.currentline and info.currentline > 0 and find(src, '@' .. RUNTIME_DIR, 1, true) ~= 1 then
    real_error(format('%s:%d: %s', info.short_src, info.currentline, msg), 0)
  end
  real_error(msg, 0)
end
sandbox.user_error = user_error

local function blocked(name, hint)
  return function()
    user_error(format('%s is blocked in the sandbox%s', name, hint or ' (no VM capability allows it)'), 2)
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
-- classified with getinfo and the runtime's entries dropped; past a cut ("..." or "(skipping N
-- levels)") the entries are the last levels of the stack.
local TAIL_NOTE, CUT = '^\t%(%.%.%.tail calls%.%.%.%)', '^\t%.%.%.'

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

local function user_traceback(thread, msg, level)
  local text, first, last, cutoff
  if thread then
    text, first = traceback(thread, msg, level), level
    last = top_level(thread)
  else
    text, first = traceback(msg, level + 1), level + 1
    last = top_level()
    -- The script's main chunk sits on run.base_depth levels of the runner's own.
    if run.base_depth then cutoff = last - run.base_depth end
  end
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
  local kept, n, keep = {}, 0, true
  for i, line in ipairs(entries) do
    local lv = levels[i]
    if lv then
      local info = thread and real_debug.getinfo(thread, lv, 'S') or real_debug.getinfo(lv, 'S')
      keep = not (is_runtime(info) or (cutoff and lv > cutoff))
    elseif i == cut then
      keep = true
    end
    if keep then n = n + 1; kept[n] = line end
  end
  if cutoff then n = n + 1; kept[n] = '\t[C]: in ?' end
  return head .. (n > 0 and '\n' or '') .. raw_concat(kept, '\n', 1, n)
end
sandbox.traceback = user_traceback

-- Loading ------------------------------------------------------------------------------------

local function is_binary(code) return sub(code, 1, 1) == '\27' end

local function load_text(code, name, env)
  if real_type(code) ~= 'string' then return nil, 'chunk must be a string or a reader function' end
  if is_binary(code) then return nil, 'binary (bytecode) chunks are blocked in the sandbox; load Lua source text' end
  if IS_51 then
    local f, err = loadstring(code, name)
    if f then setfenv(f, env) end
    return f, err
  end
  return load(code, name, 't', env)
end
sandbox.load_text = load_text

local function read_reader(reader)
  local parts, n = {}, 0
  while true do
    local piece = reader()
    if piece == nil or piece == '' then break end
    if real_type(piece) ~= 'string' then return nil end
    n = n + 1
    parts[n] = piece
  end
  return raw_concat(parts)
end

-- Paths ---------------------------------------------------------------------------------------

local function searchpath(name, path)
  local file = gsub(name, '%.', '/')
  local tried = {}
  for template in string.gmatch(path, '[^;]+') do
    local candidate = gsub(template, '%?', file)
    local f = real_io_open(candidate, 'r')
    if f then f:close(); return candidate end
    tried[#tried + 1] = "\n\tno file '" .. candidate .. "'"
  end
  return nil, raw_concat(tried)
end

local function read_file(path)
  local f, err = real_io_open(path, 'rb')
  if not f then return nil, err end
  local text = f:read('*a')
  f:close()
  return text
end

-- Paths a script with the fs capability may touch: relative ones, under the work dir, no "..".
local function confine(cfg, path)
  if real_type(path) ~= 'string' or path == '' then real_error('a file path must be a non-empty string', 3) end
  if find('/' .. path .. '/', '/%.%./') then
    real_error(format("path '%s' leaves the VM work dir ('..' is not allowed)", path), 3)
  end
  if sub(path, 1, 1) == '/' then
    if sub(path, 1, #cfg.work_dir + 1) ~= cfg.work_dir .. '/' then
      real_error(format("path '%s' is outside the VM work dir %s; use a relative path", path, cfg.work_dir), 3)
    end
    return path
  end
  return cfg.work_dir .. '/' .. path
end

-- Environment ---------------------------------------------------------------------------------

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
BASE.collectgarbage = function(opt)
  if opt == 'count' then return real_collectgarbage('count') end
  real_error(format("collectgarbage('%s') is blocked in the sandbox; only collectgarbage('count') is allowed",
    real_tostring(opt or 'collect')), 2)
end
-- A finalizer runs whenever the collector decides, possibly outside any run and its limits.
BASE.setmetatable = function(t, mt)
  if real_type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
    real_error('__gc metamethods are blocked in the sandbox (finalizers would run outside the VM limits)', 2)
  end
  return setmetatable(t, mt)
end
if IS_51 then BASE.setfenv, BASE.getfenv = blocked('setfenv'), blocked('getfenv') end
BASE.dofile = blocked('dofile', NEEDS_FS)
BASE.loadfile = blocked('loadfile', NEEDS_FS)

local LIBS = {
  string = copy(string),
  table = copy(table),
  math = copy(math),
  coroutine = make_coroutine_lib(),
  utf8 = utf8 and copy(utf8) or nil,
  bit32 = bit32 and copy(bit32) or nil,
  bit = bit and copy(bit) or nil,
  os = { clock = os.clock, date = os.date, difftime = os.difftime, time = os.time,
    execute = blocked('os.execute'), exit = blocked('os.exit', ' (return from the script instead)'),
    getenv = blocked('os.getenv'), remove = blocked('os.remove', NEEDS_FS), rename = blocked('os.rename', NEEDS_FS),
    tmpname = blocked('os.tmpname') },
  debug = { traceback = function(...)
    local thread, msg, level = ...
    if real_type(thread) ~= 'thread' then thread, msg, level = nil, ... end
    if msg ~= nil and real_type(msg) ~= 'string' and real_type(msg) ~= 'number' then return msg end
    local tb = user_traceback(thread, msg, thread and (level or 0) or (level or 1) + 1)
    return tb
  end },
}
LIBS.string.rep = checked_rep
LIBS.table.concat = checked_concat
local IO_BASE = { read = blocked('io.read', ' (scripts have no stdin)'), popen = blocked('io.popen'),
  open = blocked('io.open', NEEDS_FS), lines = blocked('io.lines', NEEDS_FS), type = io.type }

local function stream_proxy(write)
  local proxy = {}
  proxy.write = function(self, ...)
    for i = 1, real_select('#', ...) do write(real_tostring((real_select(i, ...)))) end
    return self
  end
  proxy.flush = function(self) return self end
  proxy.close = function() return true end
  return proxy
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
local PER_ENV = { '_G', 'getmetatable', 'print', 'io', 'load', 'package', 'require', IS_51 and 'loadstring' or nil }
for _, name in ipairs(PER_ENV) do BASE[name] = false end
for name in pairs(LIBS) do BASE[name] = false end
local copy_base = make_copier(BASE)
local copy_libs = {}
for name, lib in pairs(LIBS) do copy_libs[name] = make_copier(lib) end
local copy_io = make_copier(IO_BASE)

-- cfg: caps {networked, remoteNetwork, fs, olfi, metrics, native}, work_dir, lua_path, native_cpath.
-- host: out(s), err(s), emit(kind, data), call(kind, data).
function sandbox.new_env(cfg, host)
  local env = copy_base()
  env._G = env
  for name, copy_lib in pairs(copy_libs) do env[name] = copy_lib() end

  local string_mt = { __index = env.string }
  env.getmetatable = function(v)
    local t = real_type(v)
    if t == 'string' then return string_mt end
    if t ~= 'table' then return nil end
    return real_getmetatable(v)
  end

  env.print = function(...)
    local parts = {}
    for i = 1, real_select('#', ...) do parts[i] = real_tostring((real_select(i, ...))) end
    host.out(raw_concat(parts, '\t') .. '\n')
  end
  local io_lib = copy_io()
  io_lib.stdout, io_lib.stderr = stream_proxy(host.out), stream_proxy(host.err)
  io_lib.write = function(...)
    io_lib.stdout.write(io_lib.stdout, ...)
    return io_lib
  end
  env.io = io_lib

  env.load = function(chunk, name, mode, load_env)
    if real_type(chunk) == 'function' then chunk = read_reader(chunk) end
    if mode ~= nil and not find(real_tostring(mode), 't', 1, true) then
      return nil, 'binary (bytecode) chunks are blocked in the sandbox; load Lua source text'
    end
    return load_text(chunk, name or '=(load)', load_env or env)
  end
  if IS_51 then env.loadstring = function(s, name) return load_text(s, name or '=(load)', env) end end

  if cfg.caps.fs then sandbox.grant_fs(env, cfg) end
  sandbox.install_require(env, cfg, host)
  return env
end

function sandbox.grant_fs(env, cfg)
  env.io.open = function(path, mode)
    mode = mode or 'r'
    if not find(mode, '^[rwa]%+?b?$') then real_error(format("invalid io.open mode '%s'", real_tostring(mode)), 2) end
    return real_io_open(confine(cfg, path), mode)
  end
  env.io.lines = function(path, ...)
    return io.lines(confine(cfg, path), ...)
  end
  env.io.close = function(f) return f:close() end
  env.os.remove = function(path) return os.remove(confine(cfg, path)) end
  env.os.rename = function(a, b) return os.rename(confine(cfg, a), confine(cfg, b)) end
  local function loadfile_confined(path)
    local text, err = read_file(confine(cfg, path))
    if not text then return nil, err end
    return load_text(text, '@' .. path, env)
  end
  env.loadfile = loadfile_confined
  env.dofile = function(path)
    local f, err = loadfile_confined(path)
    if not f then real_error(err, 2) end
    return f()
  end
end

-- Each kind of host traffic needs its capability: Ol-Fi frames need 'olfi', metrics calls 'metrics'.
local function check_kind(caps, kind)
  if real_type(kind) ~= 'string' then real_error('bioxen.host: kind must be a string', 3) end
  local needed = (kind == 'olfi' and 'olfi') or (find(kind, '^metrics%.') and 'metrics') or nil
  if needed and not caps[needed] then
    user_error(format("bioxen.host: '%s' needs the '%s' capability — create the VM with capabilities { %s = true }",
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

local function builtin_module(name, env, cfg, host)
  local caps = cfg.caps
  if name == 'bioxen.host' then
    if not (caps.olfi or caps.metrics) then
      user_error("module 'bioxen.host' needs the 'olfi' or 'metrics' capability — create the VM with one of them", 3)
    end
    return host_module(host, caps)
  end
  -- The metrics package is only a client of the host's metrics calls: say which capability is missing.
  if name == 'bioxen.metrics' and not caps.metrics then
    user_error("module 'bioxen.metrics' needs the 'metrics' capability — create the VM with "
      .. 'capabilities { metrics = true }', 3)
  end
  local lib = env[name]
  if (name == 'string' or name == 'table' or name == 'math' or name == 'coroutine' or name == 'os'
      or name == 'io' or name == 'utf8' or name == 'bit32' or name == 'bit') and lib then
    return lib
  end
  return nil
end

local function is_network_module(name)
  return NETWORK_MODULES[name] or NETWORK_MODULES[(name:match('^([^%.]+)%.'))] or false
end

-- LuaSocket as a networked VM gets it: narrowed by socket_policy.lua before any script sees it.
local socket_policy
local function require_network_module(name, cfg)
  if not cfg.caps.networked then
    user_error(format("module '%s' needs the 'networked' capability — create the VM with networked: true", name), 3)
  end
  if not socket_policy then
    local policy = dofile(RUNTIME_DIR .. 'socket_policy.lua')
    policy.apply(real_require('socket'), function() return cfg.caps.remoteNetwork == true end)
    socket_policy = policy
  end
  if socket_policy.BLOCKED_MODULES[name] then
    user_error(format("module '%s' is blocked in the sandbox (it reaches files and devices, not the network)", name), 3)
  end
  return real_require(name)
end

function sandbox.install_require(env, cfg, host)
  local loaded, preload = {}, {}
  env.package = { loaded = loaded, preload = preload, path = cfg.lua_path, cpath = cfg.native_cpath or '' }
  env.package.loadlib = blocked('package.loadlib')
  env.require = function(name)
    if real_type(name) ~= 'string' or not find(name, '^[%w_][%w_%.%-]*$') then
      user_error(format("require: bad module name '%s'", real_tostring(name)), 2)
    end
    local cached = loaded[name]
    if cached ~= nil then return cached end
    local result = builtin_module(name, env, cfg, host)
    if result == nil and preload[name] then result = preload[name](name) end
    if result == nil and is_network_module(name) then result = require_network_module(name, cfg) end
    if result == nil then
      local path, tried = searchpath(name, cfg.lua_path)
      if path then
        local text, err = read_file(path)
        if not text then real_error(err, 2) end
        local f, lerr = load_text(text, '@' .. path, env)
        if not f then real_error(format("error loading module '%s' from file '%s':\n\t%s", name, path, lerr), 2) end
        result = f(name, path)
      elseif cfg.caps.native and cfg.native_cpath and searchpath(name, cfg.native_cpath) then
        result = real_require(name)
      else
        local hint = cfg.caps.native and '' or '\n\t(C modules load only in VMs with the native capability)'
        user_error(format("module '%s' not found:%s%s", name, tried, hint), 2)
      end
    end
    if result == nil then result = true end
    if loaded[name] == nil then loaded[name] = result end
    return loaded[name]
  end
end

-- Running ---------------------------------------------------------------------------------------

-- What lua.c's message handler makes of an error object: its text, and the traceback below it.
local function describe(e)
  if real_type(e) == 'string' or real_type(e) == 'number' then return real_tostring(e) end
  local mt = real_getmetatable(e)
  if real_type(mt) == 'table' and rawget(mt, '__tostring') ~= nil then
    local ok, s = real_pcall(real_tostring, e)
    if ok and real_type(s) == 'string' then return s end
  end
  return format('(error object is a %s value)', real_type(e))
end

-- The message handler of a run. It is also called for errors that end up caught elsewhere (a
-- protected load hitting "C stack overflow" calls the current handler), so it only describes the
-- error, as lua.c's does, and never changes the run's state: the limits stay on whatever it meets.
local last_report = { msg = nil, tb = nil }
local function error_handler(e)
  local msg = describe(e)
  local tb = user_traceback(nil, msg, 2)
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

-- Runs f under the limits; returns true, values... or false, {msg, tb}. `finish` turns the
-- returned values into strings while the limits still apply (a __tostring may loop forever).
-- f is called by xpcall itself so that tracebacks name it "main chunk", as lua.c's do.
function sandbox.execute(f, limits, finish)
  sandbox.begin_run(limits)
  run.base_depth, run.script_done = top_level() + 1, false
  last_report.msg, last_report.tb = nil, nil
  local ok, result = sandbox.settle(finish, real_xpcall(f, error_handler))
  if not ok and gethook() == nil then run.interrupted = true end
  sandbox.end_run()
  run.base_depth = nil
  if ok then return true, result end
  local err
  if real_type(result) == 'string' and result == last_report.tb then err = { msg = last_report.msg, tb = last_report.tb }
  else err = { msg = describe(result), tb = nil } end
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
