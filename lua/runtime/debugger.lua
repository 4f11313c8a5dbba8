-- The runner's debugger: breakpoints, stepping, pausing, stack, variables and evaluation for the
-- run of one request. Works on Lua 5.1–5.4 and LuaJIT.
--
-- It is the runner's, never the script's: it hooks the script's threads only through the
-- sandbox's seam (set_debug_hook), and the host drives it through the runner protocol. While it
-- is stopped it blocks in its hook reading commands from the host, so the script executes no
-- instruction: the sandbox does not charge that time to the quota (sandbox.hold; evaluations are
-- charged) and the host pauses the run's wall-clock timeout.
--
-- Wire (see src-main/vm/runner-protocol.ts): the run's request carries `debug` (breakpoints,
-- exceptions, stopOnEntry). Runner → host: {t="dbg", id, ev="stopped", reason, source, line,
-- hits?, text?}, and one reply per command {t="dbg", id, seq, ok, body?|message?}. Host → runner,
-- only while stopped: {op="dbg", seq, cmd, ...}. A pause of a running script arrives through the
-- interrupt file (the runner cannot read stdin while the script runs): the runner calls pause().
--
-- Cost: with no breakpoints and no step or pause pending the debugger adds no hook at all; with
-- breakpoints it takes only 'call' events and turns 'line' (and 'return') on while a running
-- function's own lines hold a breakpoint, or while stepping. With the native guard its call
-- events are filtered in C (sandbox.set_call_filter): only functions whose lines span a
-- breakpoint reach this file, so breakpoints in functions that never run cost nothing.
local M = {}

local real_debug = debug
local getinfo, getlocal, setlocal = real_debug.getinfo, real_debug.getlocal, real_debug.setlocal
local getupvalue, setupvalue = real_debug.getupvalue, real_debug.setupvalue
local co_running, co_status, co_create = coroutine.running, coroutine.status, coroutine.create
local type, tostring, tonumber, pcall, next = type, tostring, tonumber, pcall, next
local sub, match, gsub = string.sub, string.match, string.gsub
local IS_51 = _VERSION == 'Lua 5.1'
local getfenv = getfenv
local MAX_FRAMES = 200
local EXCEPTION_MODES = { uncaught = 'uncaught', all = 'all' } -- anything else: none
local MAX_PAGE = 1000
local MAIN = 'main' -- the main thread where Lua cannot name it (5.1, LuaJIT)

-- opts: sandbox, inspect (module), runtime_dir, send(table), read() -> table|nil, output(text).
function M.new(opts)
  local sandbox, runtime_dir = opts.sandbox, opts.runtime_dir
  local runtime_prefix = '@' .. runtime_dir
  local self = {}

  local bps = {} -- source -> line -> { id, line, condition, hit, log, hits }
  local bp_lines = {} -- line -> number of breakpoints on it, any source: the line event's cheap filter
  local bp_count = 0
  local has_bp = setmetatable({}, { __mode = 'k' }) -- function -> do its own lines hold a breakpoint?
  local exceptions = 'none' -- 'none' | 'uncaught' | 'all' (caught errors too)
  local step = nil -- { mode = 'in'|'over'|'out'|'cursor', thread, depth, source, line }
  local pause_requested = false
  local mask = nil -- the mask the debugger asked for; nil = no hook
  local busy = false -- our own code runs: its events are not the script's
  local hook_fn
  local stopped = nil -- while stopped: { thread, frames, registry, scopes }
  local run_id = nil

  local function is_runtime(source) return sub(source, 1, #runtime_prefix) == runtime_prefix end

  local main_thread = nil -- the main thread's object, where Lua names it (5.2+)
  do
    local co, is_main = co_running()
    if is_main then main_thread = co end
  end
  local function current_thread()
    local co, is_main = co_running()
    if co == nil then return MAIN end
    if is_main then
      main_thread = co
      return MAIN
    end
    return co
  end

  local function want_mask(m)
    if m == mask then return end
    mask = m
    sandbox.set_debug_hook(m and hook_fn or nil, m)
  end

  -- The mask for the state outside any particular function: lines only while stepping or pausing,
  -- calls while a breakpoint is set (errors reach the debugger through the sandbox).
  local function base_mask()
    if step or pause_requested then return 'crl' end
    if bp_count > 0 then return 'c' end
    return nil
  end

  -- Does one of the function's own lines (not a nested function's: a main chunk's range is all of
  -- its file) hold a breakpoint?
  local function holds_bp(f, info)
    local lines = bps[info.source]
    if not lines then return false end
    local active = getinfo(f, 'L').activelines
    for line in pairs(lines) do
      if active[line] then return true end
    end
    return false
  end

  local function needs_lines(f, info)
    local v = has_bp[f]
    if v == nil then
      v = (info.what == 'Lua' or info.what == 'main') and not is_runtime(info.source) and holds_bp(f, info)
      has_bp[f] = v
    end
    return v
  end

  -- Levels. A frame is found by its distance `rel` from an anchor: hook_fn while a hook event
  -- is handled, on_error at an error's raise point. The running function sits `running_rel`
  -- levels above hook_fn (the sandbox's dispatcher may or may not tail-call it): found once.
  local running_rel = nil
  local anchor = nil

  -- The anchor's level as the caller counts.
  local function anchor_level()
    for l = 2, 100 do
      local info = getinfo(l, 'f')
      if not info then break end
      if info.func == anchor then return l - 1 end
    end
    error('debugger: anchor frame not found', 0)
  end

  -- How many frames, from `level` (as the caller counts) down to the bottom of the thread.
  local function frame_depth(level)
    local lo, hi = 1, 2
    while getinfo(hi, 'l') do lo, hi = hi, hi * 2 end
    while hi - lo > 1 do
      local mid = math.floor((lo + hi) / 2)
      if getinfo(mid, 'l') then lo = mid else hi = mid end
    end
    return lo - level
  end

  -- Frames --------------------------------------------------------------------------------------

  local function frame_name(info)
    if info.what == 'main' then return 'main chunk' end
    return info.name or ('function <' .. info.short_src .. ':' .. info.linedefined .. '>')
  end

  -- The user's frames of the running thread from `rel` on, then of other threads (`thread`).
  local function collect_user_frames(list, thread, first)
    local base = not thread and anchor_level() or 0
    local l = first
    while #list < MAX_FRAMES do
      local info
      if thread then info = getinfo(thread, l, 'Slnf') else info = getinfo(base + l, 'Slnf') end
      if not info then break end
      if (info.what == 'Lua' or info.what == 'main') and not is_runtime(info.source) then
        list[#list + 1] = { thread = thread, level = l, rel = l, name = frame_name(info),
          source = info.source, line = info.currentline, func = info.func }
      end
      l = l + 1
    end
  end

  -- The thread that resumed `co` (it is 'normal', suspended in resume or in a wrap function).
  local function resumed(th, co)
    if th == co or co_status(th) ~= 'normal' then return false end
    local info = getinfo(th, 0, 'f')
    if not info then return false end
    local _, arg = getlocal(th, 0, 1)
    local _, up = getupvalue(info.func, 1)
    return arg == co or up == co
  end
  local function resumer_of(co)
    if main_thread and resumed(main_thread, co) then return main_thread end
    for th in sandbox.script_threads() do
      if resumed(th, co) then return th end
    end
    return nil
  end

  -- The stack at a stop: the running thread's user frames from `first_rel`, then across each
  -- coroutine boundary the resumer's.
  local function build_frames(thread_key, first_rel)
    local frames = {}
    collect_user_frames(frames, nil, first_rel)
    local th = thread_key
    while th ~= MAIN and th ~= main_thread and #frames < MAX_FRAMES do
      local resumer = resumer_of(th)
      frames[#frames + 1] = { boundary = true,
        name = resumer and 'coroutine boundary' or 'coroutine boundary (resumer not known)' }
      if not resumer then break end
      collect_user_frames(frames, resumer, 0)
      th = resumer
    end
    for i, f in ipairs(frames) do f.id = i end
    return frames
  end

  -- Reads and writes a local of a frame, wherever the debugger is now.
  local function get_local(frame, i)
    if frame.thread then return getlocal(frame.thread, frame.level, i) end
    -- Not a tail call: LuaJIT would count levels from this function's caller.
    local name, value = getlocal(anchor_level() + frame.rel, i)
    return name, value
  end
  local function set_local(frame, i, v)
    if frame.thread then return setlocal(frame.thread, frame.level, i, v) end
    local name = setlocal(anchor_level() + frame.rel, i, v)
    return name
  end

  -- Variables -----------------------------------------------------------------------------------

  local SCOPE_KINDS = { 'Locals', 'Upvalues', 'Varargs' }

  -- A frame's named locals in declaration order, as { name, value, index }.
  local function frame_locals(frame)
    local list = {}
    for i = 1, 250 do
      local name, value = get_local(frame, i)
      if name == nil then break end
      if sub(name, 1, 1) ~= '(' then list[#list + 1] = { name = name, value = value, index = i } end
    end
    return list
  end

  -- PUC 5.1 has no access to varargs.
  local VARARGS = not IS_51 or jit ~= nil
  local function frame_varargs(frame)
    local list = {}
    if not VARARGS then return list end
    for i = 1, 250 do
      local ok, name, value = pcall(get_local, frame, -i)
      if not ok or name == nil then break end
      list[#list + 1] = { name = '[' .. i .. ']', value = value, index = -i }
    end
    return list
  end

  local function frame_upvalues(frame)
    local list = {}
    for i = 1, 255 do
      local name, value = getupvalue(frame.func, i)
      if name == nil then break end
      if name ~= '_ENV' and name ~= '' then list[#list + 1] = { name = name, value = value, index = i } end
    end
    return list
  end

  local function scope_list(frame, kind)
    if kind == 1 then return frame_locals(frame) elseif kind == 2 then return frame_upvalues(frame) end
    return frame_varargs(frame)
  end

  -- Scope refs are negative, -(frame * 4 + kind), so they never meet the registry's positive refs.
  local function scope_ref(frame_id, kind) return -(frame_id * 4 + kind) end
  local function scope_of(ref)
    local n = -ref
    local f, kind = stopped.frames[math.floor(n / 4)], n % 4
    if not f or f.boundary or not SCOPE_KINDS[kind] then error('no such scope: ' .. tostring(ref), 0) end
    return f, kind
  end

  local function clamp_page(start, count)
    start = (type(start) == 'number' and start >= 1) and math.floor(start) or 1
    count = (type(count) == 'number' and count >= 1) and math.min(math.floor(count), MAX_PAGE) or 100
    return start, count
  end

  -- Evaluation ----------------------------------------------------------------------------------

  -- The frame's globals: its _ENV upvalue (5.2+) or its function environment (5.1).
  local function frame_globals(frame)
    if getfenv then
      local ok, env = pcall(getfenv, frame.func)
      if ok and type(env) == 'table' then return env end
    end
    for i = 1, 255 do
      local name, value = getupvalue(frame.func, i)
      if name == nil then break end
      if name == '_ENV' then return value end
    end
    return {}
  end

  -- Runs code (an expression, else statements) in the frame: its locals, upvalues and globals are
  -- visible and an assignment to a local or upvalue writes it back. It runs in a coroutine of its
  -- own that has the run's limits and no debugger events, so an endless loop meets the quota or
  -- an interrupt, and no breakpoint or step can fire inside it. Returns ok, first value | message.
  local function run_in_frame(frame, code, chunkname)
    local locals, ups = frame_locals(frame), frame_upvalues(frame)
    local vars, origin = {}, {}
    for _, u in ipairs(ups) do vars[u.name], origin[u.name] = u.value, { up = u.index } end
    for _, l in ipairs(locals) do vars[l.name], origin[l.name] = l.value, { loc = l.index } end
    local globals = frame_globals(frame)
    local written = {}
    local env = setmetatable({}, {
      __index = function(_, k)
        if origin[k] then return vars[k] end
        return globals[k]
      end,
      __newindex = function(_, k, v)
        if origin[k] then vars[k], written[k] = v, true else globals[k] = v end
      end,
    })
    local f = sandbox.load_text('return ' .. code, chunkname, env)
    local err
    if not f then f, err = sandbox.load_text(code, chunkname, env) end
    if not f then return false, err end
    local result
    local co = co_create(function() result = f() end)
    sandbox.set_debug_hook(hook_fn, '', co)
    local ok, e = sandbox.resume_evaluation(co)
    -- LuaJIT's hook is one for all threads: the coroutine's replaced the script's.
    if mask then sandbox.set_debug_hook(hook_fn, mask) else sandbox.set_debug_hook(nil) end
    if not ok then return false, tostring(e) end
    for k in pairs(written) do
      local o = origin[k]
      if o.loc then set_local(frame, o.loc, vars[k]) else setupvalue(frame.func, o.up, vars[k]) end
    end
    return true, result
  end

  -- Breakpoints ---------------------------------------------------------------------------------

  local function rebuild_lines()
    bp_lines, bp_count = {}, 0
    for _, lines in pairs(bps) do
      for line in pairs(lines) do
        bp_lines[line] = (bp_lines[line] or 0) + 1
        bp_count = bp_count + 1
      end
    end
    for k in pairs(has_bp) do has_bp[k] = nil end
    sandbox.set_call_filter(bps)
  end

  local function set_breakpoints(source, list)
    local lines, result = {}, {}
    for i, b in ipairs(type(list) == 'table' and list or {}) do
      local line = type(b) == 'table' and tonumber(b.line)
      if line and line >= 1 then
        line = math.floor(line)
        local function text(v) return type(v) == 'string' and v ~= '' and v or nil end
        lines[line] = { id = b.id, line = line, hits = 0, condition = text(b.condition), hit = text(b.hitCondition),
          log = text(b.logMessage) }
        result[i] = { id = b.id, line = line, verified = true }
      else
        result[i] = { id = type(b) == 'table' and b.id or nil, verified = false,
          message = 'a breakpoint needs a line number of 1 or more' }
      end
    end
    bps[source] = next(lines) and lines or nil
    rebuild_lines()
    return result
  end

  -- A hit condition: "N" or ">= N" breaks from the N-th hit on; also "> N", "< N", "<= N",
  -- "== N" and "% N" (every N-th hit).
  local function hit_matches(cond, hits)
    local op, n = match(cond, '^%s*([<>=%%]*)%s*(%d+)%s*$')
    n = tonumber(n)
    if not n then return true end
    if op == '' or op == '>=' then return hits >= n end
    if op == '>' then return hits > n end
    if op == '<' then return hits < n end
    if op == '<=' then return hits <= n end
    if op == '==' or op == '=' then return hits == n end
    if op == '%' then return n > 0 and hits % n == 0 end
    return true
  end

  -- Stopping ------------------------------------------------------------------------------------

  local function send(msg)
    msg.t, msg.id = 'dbg', run_id
    opts.send(msg)
  end

  local command_loop

  -- Stops at the running frame (`first_rel` from the anchor) and serves the host's commands until
  -- one resumes; returns that command's mode ('continue', 'over', …, or 'interrupt').
  local function stop(reason, first_rel, info, extra)
    sandbox.hold(true)
    local thread_key = current_thread()
    stopped = { thread_key = thread_key, registry = opts.inspect.registry() }
    stopped.frames = build_frames(thread_key, first_rel)
    step, pause_requested = nil, false
    local msg = { ev = 'stopped', reason = reason, source = info.source, line = info.currentline }
    if extra then for k, v in pairs(extra) do msg[k] = v end end
    send(msg)
    local ok, mode = pcall(command_loop)
    stopped.registry:release()
    stopped = nil
    -- Let go whatever happened: a run left held would run on without its quota.
    sandbox.hold(false)
    if not ok then error(mode, 0) end
    return mode
  end

  -- Commands while stopped ----------------------------------------------------------------------

  local commands = {}

  function commands.stack()
    local out = {}
    for i, f in ipairs(stopped.frames) do
      out[i] = { id = f.id, name = f.name, source = f.source, line = f.line, boundary = f.boundary or nil }
    end
    return { frames = out }
  end

  local function frame_arg(args)
    local f = stopped.frames[tonumber(args.frame) or 1]
    if not f or f.boundary then error('no such frame: ' .. tostring(args.frame), 0) end
    return f
  end

  function commands.scopes(args)
    local f = frame_arg(args)
    local out = {}
    for kind, name in ipairs(SCOPE_KINDS) do
      local n = #scope_list(f, kind)
      if n > 0 or kind == 1 then out[#out + 1] = { name = name, ref = scope_ref(f.id, kind), count = n } end
    end
    return { scopes = out }
  end

  -- A child's name as a variables view shows it: `name` for a string key, `[1]` for any other.
  local function child_name(key)
    if key.type == 'string' then
      local inner = match(key.text, '^"(.*)"$')
      if inner then return inner end
    end
    if key.type == 'metatable' then return key.text end
    return '[' .. key.text .. ']'
  end

  function commands.variables(args)
    local ref = tonumber(args.ref)
    if not ref then error('variables needs a "ref"', 0) end
    local start, count = clamp_page(args.start, args.count)
    local reg = stopped.registry
    if ref < 0 then
      local list = scope_list(scope_of(ref))
      local items, last = {}, math.min(#list, start + count - 1)
      for i = start, last do items[#items + 1] = { name = list[i].name, value = reg:preview(list[i].value) } end
      return { items = items, total = #list, next = last < #list and last + 1 or nil }
    end
    local r, err = reg:children(ref, start, count)
    if not r then error(err, 0) end
    local items = {}
    for i, it in ipairs(r.items) do items[i] = { name = child_name(it.key), key = it.key, value = it.value } end
    return { items = items, total = r.total, next = r.next }
  end

  function commands.string(args)
    local r, err = stopped.registry:string(tonumber(args.ref), args.start, args.count)
    if not r then error(err, 0) end
    return r
  end

  function commands.evaluate(args)
    local f = frame_arg(args)
    if type(args.expression) ~= 'string' then error('evaluate needs an "expression" string', 0) end
    local ok, value = run_in_frame(f, args.expression, '=' .. (args.context == 'repl' and 'console' or 'watch'))
    if not ok then error(value, 0) end
    return { value = stopped.registry:preview(value) }
  end

  function commands.setVariable(args)
    local ref = tonumber(args.ref)
    if not ref or ref >= 0 then error('setVariable works on a frame scope (Locals, Upvalues, Varargs)', 0) end
    local f, kind = scope_of(ref)
    if type(args.value) ~= 'string' then error('setVariable needs a "value" expression', 0) end
    local target
    for _, v in ipairs(scope_list(f, kind)) do if v.name == args.name then target = v end end
    if not target then error('no variable named ' .. tostring(args.name) .. ' in ' .. SCOPE_KINDS[kind], 0) end
    local ok, value = run_in_frame(f, args.value, '=value')
    if not ok then error(value, 0) end
    if kind == 2 then setupvalue(f.func, target.index, value) else set_local(f, target.index, value) end
    return { value = stopped.registry:preview(value) }
  end

  function commands.setBreakpoints(args)
    if type(args.source) ~= 'string' then error('setBreakpoints needs a "source" (the chunk name)', 0) end
    return { breakpoints = set_breakpoints(args.source, args.breakpoints) }
  end

  function commands.setExceptions(args)
    exceptions = EXCEPTION_MODES[args.mode] or 'none'
    sandbox.set_error_hook(exceptions ~= 'none' and self.on_error or nil, exceptions == 'all')
    return {}
  end

  local RESUMES = { continue = 'continue', next = 'over', stepIn = 'in', stepOut = 'out', runTo = 'cursor',
    interrupt = 'interrupt' }

  command_loop = function()
    while true do
      local req = opts.read()
      if req == nil then os.exit(1) end -- the host is gone
      local mode = RESUMES[req.cmd]
      if mode then
        if mode == 'cursor' then
          step = { mode = mode, source = req.source, line = tonumber(req.line) }
        elseif mode ~= 'continue' and mode ~= 'interrupt' then
          local top = stopped.frames[1]
          step = { mode = mode, thread = top.thread or stopped.thread_key,
            depth = frame_depth(anchor_level() + top.rel) }
          -- Frames of a resumer thread can't be stepped in place: step in the stopped one.
          if top.thread then step = { mode = 'in' } end
        end
        send({ seq = req.seq, ok = true })
        return mode
      end
      local handler = commands[req.cmd]
      if not handler then
        send({ seq = req.seq, ok = false, message = 'unknown debugger command: ' .. tostring(req.cmd) })
      else
        local ok, body = pcall(handler, req)
        if ok then send({ seq = req.seq, ok = true, body = body })
        else send({ seq = req.seq, ok = false, message = tostring(body) }) end
      end
    end
  end

  -- The hook --------------------------------------------------------------------------------------

  -- A breakpoint's condition and log message: true when it should stop.
  local function breakpoint_fires(bp, thread_key)
    if bp.condition or bp.log then
      stopped = { thread_key = thread_key, registry = opts.inspect.registry() }
      stopped.frames = build_frames(thread_key, running_rel)
      local f = stopped.frames[1]
      local fires = true
      if bp.condition then
        local ok, v = run_in_frame(f, bp.condition, '=condition')
        -- A condition that fails to run stops, so the user sees why.
        fires = not ok or (v ~= nil and v ~= false)
      end
      if fires then bp.hits = bp.hits + 1 end
      if fires and bp.log then
        if not bp.hit or hit_matches(bp.hit, bp.hits) then
          local text = gsub(bp.log, '{(.-)}', function(expr)
            local ok, v = run_in_frame(f, expr, '=log')
            if not ok then return '{' .. tostring(v) .. '}' end
            if type(v) == 'string' then return v end
            return stopped.registry:preview(v).text
          end)
          opts.output(text .. '\n')
        end
        fires = false
      end
      stopped.registry:release()
      stopped = nil
      if not fires then return false end
    else
      bp.hits = bp.hits + 1
    end
    return not bp.hit or hit_matches(bp.hit, bp.hits)
  end

  -- A line event (the running function is `running_rel` above hook_fn, hook_fn is level 2 here).
  -- Returns the resume mode after a stop, or nil.
  local function on_line(line)
    if not step and not pause_requested and not bp_lines[line] then return nil end
    local info = getinfo(running_rel + 2, 'Sl')
    if not info or is_runtime(info.source) or (info.what ~= 'Lua' and info.what ~= 'main') then return nil end
    local thread_key = current_thread()
    local lines = bps[info.source]
    local bp = lines and lines[line]
    if bp and breakpoint_fires(bp, thread_key) then
      return stop('breakpoint', running_rel, info, { hits = { bp.id } })
    end
    if pause_requested then return stop('pause', running_rel, info) end
    if not step then return nil end
    local m = step.mode
    if m == 'in' then return stop('step', running_rel, info) end
    if m == 'entry' then return stop('entry', running_rel, info) end
    if m == 'cursor' then
      if info.source == step.source and line == step.line then return stop('step', running_rel, info) end
      return nil
    end
    if thread_key ~= step.thread then
      -- The stepping coroutine yielded or died: stop in whatever runs now.
      if step.thread ~= MAIN and co_status(step.thread) ~= 'running' then return stop('step', running_rel, info) end
      return nil
    end
    local d = frame_depth(running_rel + 2)
    if (m == 'over' and d <= step.depth) or (m == 'out' and d < step.depth) then
      return stop('step', running_rel, info)
    end
    return nil
  end

  local function is_user(info) return (info.what == 'Lua' or info.what == 'main') and not is_runtime(info.source) end

  -- Does any frame from `level` (as the caller counts) down, or of a resumer, hold a breakpoint?
  local function stack_needs_lines(level)
    local thread, l = nil, level + 1
    local th = current_thread()
    while true do
      local info
      if thread then info = getinfo(thread, l, 'Sf') else info = getinfo(l, 'Sf') end
      if not info then
        if th == MAIN or th == main_thread then return false end
        th = resumer_of(th)
        if not th then return false end
        thread, l = th, 0
      else
        if needs_lines(info.func, info) then return true end
        l = l + 1
      end
    end
  end

  -- The mask once a stop ends, for the function at `level` (as the caller counts).
  local function settle_mask(level)
    if step or pause_requested then return want_mask('crl') end
    local info = getinfo(level, 'Sf')
    if info and needs_lines(info.func, info) then return want_mask('crl') end
    return want_mask(base_mask())
  end

  hook_fn = function(event, line)
    if busy then return end
    busy = true
    if not running_rel then
      -- The first frame above hook_fn that is neither a 5.1 tail-call placeholder nor the
      -- sandbox's dispatcher is the running function.
      local dispatcher = real_debug.gethook()
      local l = 2
      while true do
        local info = getinfo(l, 'Sf')
        if not info or (info.what ~= 'tail' and info.func ~= dispatcher) then break end
        l = l + 1
      end
      running_rel = l - 1
    end
    local mode
    if event == 'line' then
      anchor = hook_fn
      mode = on_line(line)
      if mode then settle_mask(running_rel + 2) end
    elseif event == 'call' or event == 'tail call' then
      if mask ~= 'crl' then
        -- The hot path of call-heavy code: one getinfo for the function, its answer cached.
        local f = getinfo(running_rel + 1, 'f').func
        local v = has_bp[f]
        if v == nil then v = needs_lines(f, getinfo(f, 'S')) end
        if v then want_mask('crl') end
      end
    elseif mask == 'crl' and not step and not pause_requested then
      -- A return into user code: lines stay on while any frame below, in this thread or the
      -- threads that resumed it, holds a breakpoint (a C or runtime caller is looked at when
      -- it returns in turn).
      local info = getinfo(running_rel + 2, 'Sf')
      if info and is_user(info) and not stack_needs_lines(running_rel + 2) then want_mask(base_mask()) end
    end
    busy = false
    if mode == 'interrupt' then sandbox.interrupt() end
  end

  -- Called by the sandbox at the raise point of an error the script does not catch (or, in mode
  -- 'all', one that pcall or xpcall catches): stops at the user frame that raised it.
  local function on_error(err)
    if busy or not run_id then return end
    local level = 2
    local info
    while true do
      info = getinfo(level, 'Sl')
      if not info then return end
      if (info.what == 'Lua' or info.what == 'main') and not is_runtime(info.source) then break end
      level = level + 1
    end
    busy = true
    local saved = anchor
    anchor = on_error
    local text = type(err) == 'string' and err or ('(error object is a ' .. type(err) .. ' value)')
    local ok, mode = pcall(stop, 'exception', level - 1, info, { text = text })
    anchor = saved
    busy = false
    if ok and mode == 'interrupt' then pcall(sandbox.interrupt) end
  end
  self.on_error = on_error

  -- API for the runner --------------------------------------------------------------------------

  -- Configures the debugger for the run of request `id` (request.debug) and attaches its hook if
  -- anything needs one.
  function self.attach(id, config)
    run_id = id
    bps, step, stopped, pause_requested, running_rel, anchor = {}, nil, nil, false, nil, nil
    if type(config.breakpoints) == 'table' then
      for source, list in pairs(config.breakpoints) do
        if type(source) == 'string' then set_breakpoints(source, list) end
      end
    end
    rebuild_lines()
    exceptions = EXCEPTION_MODES[config.exceptions] or 'none'
    if config.stopOnEntry then step = { mode = 'entry' } end
    mask = nil
    want_mask(base_mask())
    sandbox.set_error_hook(exceptions ~= 'none' and on_error or nil, exceptions == 'all')
  end

  function self.detach()
    if not run_id then return end
    mask = nil
    sandbox.set_debug_hook(nil)
    sandbox.set_call_filter(nil)
    sandbox.set_error_hook(nil)
    run_id, stopped, step, pause_requested = nil, nil, nil, false
  end

  -- A pause of the running script (the host asked through the interrupt file): it stops at the
  -- next line it runs.
  function self.pause()
    if not run_id then return end
    pause_requested = true
    want_mask('crl')
  end

  return self
end

return M
