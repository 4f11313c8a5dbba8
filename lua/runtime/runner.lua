-- One warm Lua VM for the BioXen engine: `lua5.x runner.lua`, one JSON object per line on stdin
-- (requests) and stdout (replies). Works on Lua 5.1–5.4 and LuaJIT.
--
-- Requests: {id, op, ...}. Replies stream {id, t="out"|"err", s} chunks, then exactly one of
-- {id, t="done", values}, {id, t="more"} (REPL wants more lines) or {id, t="error", message,
-- traceback, line, limit}. Out of band: {t="emit", kind, data} and the synchronous
-- {t="call", id, kind, data} that the host answers with {op="reply", id, ok, value|message}.
local dir = (arg and arg[0] or ''):match('^(.*[/\\])') or './'
-- A script's arg[-1], as lua.c gives it: the interpreter's name (not its folder, which is the machine's).
local PROGNAME = (arg and arg[-1] or ''):match('([^/\\]*)$')
local json = dofile(dir .. 'json.lua')
local sandbox = dofile(dir .. 'sandbox.lua')
local repl = dofile(dir .. 'repl.lua')
local inspect = dofile(dir .. 'inspect.lua')

-- Compiled traces never run the count hook, so limits would not hold under LuaJIT's JIT.
if jit then jit.off() end

local encode, encode_string, decode = json.encode, json.encode_string, json.decode
local stdout, stdin = io.stdout, io.stdin
local clock, time, format, concat, tostring, type = os.clock, os.time, string.format, table.concat, tostring, type
-- While a script runs, the string metatable is the script's: runner code uses no string methods then.
local sub, match = string.sub, string.match
local pcall = pcall
stdout:setvbuf('full', 65536)

local FLUSH_BYTES, FLUSH_SECONDS, MAX_VALUE_BYTES = 16384, 0.016, 65536

local default_path, default_cpath = package.path, package.cpath
local cfg = {
  caps = {},
  work_dir = '.',
  lua_path = package.path,
  native_cpath = nil,
  packages_path = '',
  limits = { instructionQuota = 0, memoryMb = 0, outputBytes = 1048576 },
}
local session_env, session_builtins, repl_state = nil, nil, repl.new()
-- Previews of returned values and globals (see inspect.lua). Refs of a run stay strong until the
-- next run starts, then weak: a value the program still holds stays expandable, the rest goes.
local refs = inspect.registry()
local MAX_PREVIEWS = 100
-- next() steps all the previews of one reply may spend counting tables (a listing of 2,000
-- globals of 100k entries each must not take seconds); what is left is shared out in order.
local COUNT_BUDGET, MIN_COUNT_CAP = 300000, 1000
local function counting(budget) return { left = budget } end
local function budgeted_preview(budget, v)
  local cap = math.max(math.min(budget.left, 100000), MIN_COUNT_CAP)
  local p = refs:preview(v, cap)
  if p.type == 'table' then budget.left = budget.left - (p.count or cap) end
  return p
end
local dbg, debugger -- the debugger of debugged runs (made on first use)

-- Replies ---------------------------------------------------------------------------------------

local current -- id of the request being answered; nil once its final reply is written
local function write_line(s) stdout:write(s, '\n') end

-- The limits' tick flushes the buffer, and it can run in the middle of the runner's own code:
-- never while the buffer is being changed or written (`busy`): a piece would go out twice.
local out = {
  busy = false, stream = nil, parts = {}, n = 0, size = 0, total = 0, cap = 0, dropped = 0, last = 0, last_time = 0,
}

-- Buffered output becomes one chunk line in stdout's buffer; flushing the pipe is separate so
-- a short run's output and its final reply leave in one write.
local function write_chunk()
  if out.n == 0 then return end
  local busy = out.busy
  out.busy = true
  local text = concat(out.parts, '', 1, out.n)
  write_line('{"id":' .. current .. ',"t":"' .. out.stream .. '","s":' .. encode_string(text) .. '}')
  out.n, out.size = 0, 0
  out.busy = busy
end

local function flush_output()
  write_chunk()
  out.last, out.last_time = clock(), time()
  stdout:flush()
end

local function reset_output(cap)
  out.stream, out.n, out.size, out.total, out.cap, out.dropped, out.busy = nil, 0, 0, 0, cap, 0, false
  out.last, out.last_time = clock(), time()
end

local function append(stream, s)
  out.busy = true
  if out.stream ~= stream then write_chunk() end
  out.stream = stream
  out.n = out.n + 1
  out.parts[out.n] = s
  out.size = out.size + #s
  if out.size >= FLUSH_BYTES then flush_output() end
  out.busy = false
end

-- The runner stops sending once a run has written its cap, so a flood never crosses the pipe.
local function capture(stream, s)
  if current == nil then return end
  local room = out.cap - out.total
  if #s > room then
    if room > 0 then append(stream, sub(s, 1, room)) end
    out.total = out.cap
    out.dropped = out.dropped + #s - math.max(room, 0)
    sandbox.raise_limit('outputBytes', format('output limit exceeded (outputBytes = %d bytes); the rest of the '
      .. 'output was dropped — print less or raise the limit', out.cap))
  end
  out.total = out.total + #s
  append(stream, s)
end

-- The host asks for an interrupt by writing the running request's id into cfg.interrupt_file.
-- (lua.c's own SIGINT handler resets itself to the default action after one use, so a second
-- SIGINT would kill the runner: signals cannot be the interrupt channel of a long-lived runner.)
-- The same file carries "pause <id>": a debugged run stops at its next line (the runner reads
-- no stdin while a script runs).
local function interrupt_request()
  local f = cfg.interrupt_file and io.open(cfg.interrupt_file, 'r')
  if not f then return nil end
  local token = f:read('*l')
  f:close()
  if token == tostring(current) then return 'interrupt' end
  if token == 'pause ' .. tostring(current) then return 'pause' end
  return nil
end

-- A runner whose host died mid-run (its parent changed) must not spin on as an orphan.
local function parent_pid()
  local f = io.open('/proc/self/stat', 'r')
  if not f then return nil end
  local stat = f:read('*l')
  f:close()
  return stat and match(stat, '^%d+ %b() %S+ (%d+)')
end
local original_parent, parent_checked = parent_pid(), time()

sandbox.set_tick(function()
  if not out.busy and (clock() - out.last >= FLUSH_SECONDS or time() ~= out.last_time) then flush_output() end
  if original_parent and time() ~= parent_checked then
    parent_checked = time()
    if parent_pid() ~= original_parent then os.exit(1) end
  end
  local request = interrupt_request()
  if request then os.remove(cfg.interrupt_file) end
  if request == 'interrupt' then sandbox.interrupt() end
  if request == 'pause' and dbg then dbg.pause() end
end)

local function finish_output()
  write_chunk()
  if out.dropped > 0 then
    write_line('{"id":' .. current .. ',"t":"dropped","n":' .. out.dropped .. ',"cap":' .. out.cap .. '}')
  end
end

local function reply(msg)
  msg.id = current
  write_line(encode(msg))
  stdout:flush()
  current = nil
end

local function reply_done(values, extra)
  finish_output()
  local msg = extra or {}
  msg.t, msg.values = 'done', values or {}
  reply(msg)
end

local function error_line(msg)
  local line = msg:match('^[^\n]-:(%d+): ')
  return line and tonumber(line) or nil
end

local function reply_error(message, traceback, limit, interrupted)
  finish_output()
  reply({ t = 'error', message = message, traceback = traceback, line = error_line(message),
    limit = limit, interrupted = interrupted or nil })
end

-- Host calls ------------------------------------------------------------------------------------

local host = {}
function host.out(s) capture('out', s) end
function host.err(s) capture('err', s) end
function host.emit(kind, data)
  write_chunk()
  write_line('{"t":"emit","kind":' .. encode_string(kind) .. ',"data":' .. encode(data) .. '}')
end

-- A plot or table from bioxen.plot: its bytes are charged to the run's output like printed text,
-- and one over the cap is dropped whole (the "dropped" marker says how much).
function host.plot(payload)
  if current == nil then return end
  if #payload > out.cap - out.total then
    out.dropped = out.dropped + #payload
    out.total = out.cap
    sandbox.raise_limit('outputBytes', format('output limit exceeded (outputBytes = %d bytes) by a plot of %d bytes; '
      .. 'it was dropped — plot fewer points or raise the limit', out.cap, #payload))
    return
  end
  out.total = out.total + #payload
  write_chunk()
  write_line('{"id":' .. current .. ',"t":"plot","p":' .. payload .. '}')
end

local call_seq = 0
function host.call(kind, data)
  if out.n > 0 then flush_output() end
  call_seq = call_seq + 1
  write_line('{"t":"call","id":' .. call_seq .. ',"kind":' .. encode_string(kind) .. ',"data":' .. encode(data) .. '}')
  stdout:flush()
  while true do
    local line = stdin:read('*l')
    if not line then error('host closed the connection during call(' .. kind .. ')', 0) end
    local ok, msg = pcall(decode, line)
    if ok and type(msg) == 'table' and msg.op == 'reply' and msg.id == call_seq then
      if msg.ok then return msg.value end
      error(tostring(msg.message or ('host call ' .. kind .. ' failed')), 2)
    end
  end
end

-- Debugger --------------------------------------------------------------------------------------

-- Made on the first debugged run (debugger.lua): its stops and replies go out in order with the
-- run's output, its commands come in on stdin while the script is stopped.
debugger = function()
  if dbg then return dbg end
  dbg = dofile(dir .. 'debugger.lua').new({
    sandbox = sandbox,
    inspect = inspect,
    runtime_dir = dir,
    send = function(msg)
      write_chunk()
      write_line(encode(msg))
      stdout:flush()
    end,
    read = function()
      while true do
        local line = stdin:read('*l')
        if not line then return nil end
        local ok, msg = pcall(decode, line)
        if ok and type(msg) == 'table' and msg.op == 'dbg' then return msg end
      end
    end,
    output = function(text) capture('out', text) end,
  })
  return dbg
end

-- Running code ----------------------------------------------------------------------------------

local function run_limits(req)
  local l = req.limits
  if type(l) ~= 'table' then return cfg.limits end
  return {
    instructionQuota = l.instructionQuota or cfg.limits.instructionQuota,
    memoryMb = l.memoryMb or cfg.limits.memoryMb,
    outputBytes = l.outputBytes or cfg.limits.outputBytes,
  }
end

local function render(r)
  local values = {}
  for i = 1, r.n do
    local s = tostring(r[i])
    -- A __tostring (the script may give strings one) can return anything.
    if type(s) ~= 'string' then error("'__tostring' must return a string", 0) end
    if #s > MAX_VALUE_BYTES then
      s = sub(s, 1, MAX_VALUE_BYTES) .. format('… %d bytes dropped', #s - MAX_VALUE_BYTES)
    end
    values[i] = s
  end
  return values
end

-- Previews of what a run returned: plain ones, or with req.tree = {depth, width} filled in to
-- that depth (the CLI prints them as text). No user code runs here (inspect.lua never calls any).
local MAX_TREE_DEPTH, MAX_TREE_WIDTH = 6, 100
local function previews_of(r, req)
  local tree = type(req.tree) == 'table' and req.tree or nil
  local depth = tree and math.min(tonumber(tree.depth) or 2, MAX_TREE_DEPTH)
  local width = tree and math.min(tonumber(tree.width) or 20, MAX_TREE_WIDTH)
  local list, budget = {}, counting(COUNT_BUDGET)
  for i = 1, math.min(r.n, MAX_PREVIEWS) do
    list[i] = tree and refs:tree(r[i], depth, width) or budgeted_preview(budget, r[i])
  end
  return list
end

local function run_function(f, req, env)
  local limits = run_limits(req)
  reset_output(limits.outputBytes)
  refs:demote()
  local debugging = type(req.debug) == 'table'
  if debugging then debugger().attach(current, req.debug) end
  local returned
  local ok, result = sandbox.execute(f, limits, function(r)
    returned = r
    return render(r)
  end, env)
  if debugging then dbg.detach() end
  if ok then return reply_done(result, returned.n > 0 and { previews = previews_of(returned, req) } or nil) end
  if result.exit then return reply_done({}, { exit = result.exit }) end
  if result.limit == 'memoryMb' then collectgarbage('collect') end
  reply_error(result.msg, result.tb, result.limit, result.interrupted)
end

local plot_lib = dofile(dir .. 'plot.lua')
plot_lib.json = json

-- bioxen.plot needs no capability: it only adds output to the run, under its output limit.
local function new_env()
  local env = sandbox.new_env(cfg, host)
  local preload = env.package.preload
  local module
  preload['bioxen.plot'] = function()
    module = module or plot_lib.module(host.plot)
    return module
  end
  preload['bioxen'] = function()
    local m = env.require('bioxen.plot')
    return { plot = m, show = m.show }
  end
  return env
end

-- What a session's environment holds before the program runs: the inspector hides these.
local function session()
  if not session_env then
    session_env, session_builtins = new_env(), {}
    for k, v in pairs(session_env) do session_builtins[k] = v end
  end
  return session_env
end

local function run_chunk(req, env)
  if type(req.code) ~= 'string' then return reply_error('request needs a "code" string') end
  local f, err = sandbox.load_text(req.code, req.name or '=stdin', env)
  if not f then return reply_error(err) end
  if type(req.name) == 'string' and req.name:sub(1, 1) == '@' then env.arg = { [0] = req.name:sub(2), [-1] = PROGNAME } end
  run_function(f, req, env)
end

local ops = {}

function ops.init(req)
  -- Refs count from the host's base, so a ref from a replaced runner never names a new value.
  if type(req.refBase) == 'number' then refs = inspect.registry({ first_ref = req.refBase }) end
  if type(req.caps) == 'table' then cfg.caps = req.caps end
  if type(req.workDir) == 'string' then cfg.work_dir = req.workDir end
  if type(req.limits) == 'table' then cfg.limits = run_limits(req) end
  if type(req.packagesPath) == 'string' then cfg.packages_path = req.packagesPath end
  if type(req.interruptFile) == 'string' then cfg.interrupt_file = req.interruptFile end
  ops.setenv(req)
end

function ops.setenv(req)
  local env_path = type(req.path) == 'string' and req.path ~= '' and (req.path .. ';') or ''
  cfg.lua_path = env_path .. (cfg.packages_path ~= '' and (cfg.packages_path .. ';') or '') .. default_path
  if type(req.cpath) == 'string' and req.cpath ~= '' then
    cfg.native_cpath = req.cpath
    package.cpath = req.cpath .. ';' .. default_cpath
  else
    cfg.native_cpath, package.cpath = nil, default_cpath
  end
  if session_env then session_env.package.path = cfg.lua_path end
  local jit_version = jit and jit.version or nil
  reply_done({ _VERSION, jit_version }, { guard = sandbox.guard.kind, guardReason = sandbox.guard.reason })
end

function ops.exec(req) run_chunk(req, new_env()) end
function ops.eval(req) run_chunk(req, session()) end

function ops.repl(req)
  if req.reset then repl.reset(repl_state) end
  if type(req.line) ~= 'string' then return reply_done({}) end
  local kind, f = repl.feed(repl_state, req.line, session(), sandbox.load_text)
  if kind == 'more' then return reply({ t = 'more' }) end
  if kind == 'error' then return reply_error(f) end
  run_function(f, req, session())
end

function ops.check(req)
  if type(req.code) ~= 'string' then return reply_error('request needs a "code" string') end
  local f, err = sandbox.load_text(req.code, req.name or '=check', {})
  if f then return reply_done({}, { errors = {} }) end
  reply_done({}, { errors = { { line = error_line(err) or 1, message = err } } })
end

function ops.require(req)
  if type(req.name) ~= 'string' then return reply_error('request needs a module "name"') end
  local env = session()
  local name = req.name
  local short_name = name:match('([^%.]+)$')
  run_function(function()
    local module = env.require(name)
    env[short_name] = module
    return module
  end, req, env)
end

-- Names and types in the session environment (or in a table reached by a dotted prefix), for
-- editor completion.
local MAX_COMPLETIONS = 2000
function ops.complete(req)
  local target = session()
  for part in tostring(req.prefix or ''):gmatch('[^%.:]+') do
    target = rawget(target, part)
    if type(target) ~= 'table' then return reply_done({}, { items = {} }) end
  end
  local items, n = {}, 0
  for k, v in pairs(target) do
    if type(k) == 'string' and n < MAX_COMPLETIONS then
      n = n + 1
      items[n] = { name = k, type = type(v) }
    end
  end
  reply_done({}, { items = items })
end

-- Pages of what a preview's ref names. A ref that is gone is an error the host reports as
-- not_found ("re-run to expand").
function ops.children(req)
  local page, err = refs:children(req.ref, req.start, req.count)
  if not page then return reply({ t = 'error', message = err, gone = true }) end
  reply_done({}, { page = page })
end

function ops.string(req)
  local page, err = refs:string(req.ref, req.start, req.count)
  if not page then return reply({ t = 'error', message = err, gone = true }) end
  reply_done({}, { page = page })
end

-- The session's globals for the variable inspector: the program's (sorted by name), then the
-- builtins (those still holding what the session started with; `arg` is the runner's), when asked.
local MAX_GLOBALS = 2000
function ops.globals(req)
  local env, builtins = session(), session_builtins
  local filter = type(req.filter) == 'string' and string.lower(req.filter) or ''
  local user, std = {}, {}
  for k, v in next, env do
    if type(k) == 'string' and (filter == '' or string.find(string.lower(k), filter, 1, true)) then
      local builtin = k == 'arg' or (builtins[k] ~= nil and rawequal(builtins[k], v))
      if not builtin then user[#user + 1] = k elseif req.builtins then std[#std + 1] = k end
    end
  end
  table.sort(user)
  table.sort(std)
  local items, total, budget = {}, #user + #std, counting(COUNT_BUDGET)
  for i = 1, math.min(total, MAX_GLOBALS) do
    local name = user[i] or std[i - #user]
    items[i] = { name = name, value = budgeted_preview(budget, rawget(env, name)), builtin = i > #user }
  end
  reply_done({}, { globals = items, total = total })
end

function ops.ping() reply_done({}) end
function ops.stats() reply_done({}, { memoryKb = collectgarbage('count') }) end

function ops.reset()
  session_env, session_builtins, repl_state = nil, nil, repl.new()
  refs:release()
  collectgarbage('collect')
  reply_done({})
end

-- Main loop -------------------------------------------------------------------------------------

local unanswered_line -- read but not yet dispatched: a stray interrupt must still answer it

local function step()
  local line, read_err = stdin:read('*l')
  if not line then
    -- EINTR from an interrupt that arrived while idle is not the end of input.
    if read_err then return 'again' end
    return 'eof'
  end
  unanswered_line = line
  local ok, req = pcall(decode, line)
  if not ok or type(req) ~= 'table' or type(req.id) ~= 'number' then
    unanswered_line = nil
    local why = 'bad request: ' .. tostring(ok and 'missing id' or req)
    write_line('{"t":"protocol","message":' .. encode_string(why) .. '}')
    stdout:flush()
    return
  end
  current, unanswered_line = req.id, nil
  local op = ops[req.op]
  if not op then return reply_error(format("unknown op '%s'", tostring(req.op))) end
  op(req)
end

local function answer_stray(err)
  if current == nil and unanswered_line then
    local ok, req = pcall(decode, unanswered_line)
    if ok and type(req) == 'table' and type(req.id) == 'number' then current = req.id end
  end
  unanswered_line = nil
  if current == nil then return end
  local interrupted = tostring(err):find('interrupted!', 1, true) ~= nil
  out.n = 0
  reply({ t = 'error', message = interrupted and 'interrupted!' or ('runner error: ' .. tostring(err)),
    interrupted = interrupted or nil })
end

while true do
  local ok, result = pcall(step)
  if ok and result == 'eof' then break end
  if not ok then
    sandbox.end_run()
    pcall(answer_stray, result)
  end
end
