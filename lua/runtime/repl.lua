-- REPL input handling, following lua.c (5.4): the first line is tried as `return <line>` so an
-- expression echoes its value; `=expr` works on every version (5.1 style); a chunk that is only
-- incomplete (a function typed over several lines) waits for more lines.
local repl = {}

local MAX_PENDING = 1024 * 1024

function repl.new() return { pending = nil } end

-- lua.c's test: the parser stopped at end of input ("<eof>" on 5.2+, "'<eof>'" on 5.1).
local function incomplete(err)
  return err ~= nil and (err:sub(-5) == '<eof>' or err:sub(-7) == "'<eof>'")
end

function repl.reset(state) state.pending = nil end

-- Returns 'run', f | 'more' | 'error', message.
function repl.feed(state, line, env, load_text)
  local buf
  if state.pending then
    buf = state.pending .. '\n' .. line
  else
    if line:sub(1, 1) == '=' then line = 'return ' .. line:sub(2) end
    local f = load_text('return ' .. line, '=stdin', env)
    if f then return 'run', f end
    buf = line
  end
  local f, err = load_text(buf, '=stdin', env)
  if f then
    state.pending = nil
    return 'run', f
  end
  if incomplete(err) and #buf < MAX_PENDING then
    state.pending = buf
    return 'more'
  end
  state.pending = nil
  return 'error', err
end

return repl
