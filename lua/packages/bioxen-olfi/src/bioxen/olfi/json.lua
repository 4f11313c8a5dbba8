-- Strict JSON (RFC 8259) for Ol-Fi frames: rejects exactly what JavaScript's JSON.parse rejects, so the
-- Lua and TypeScript codecs classify the same entries as malformed. Lua 5.1-5.4 and LuaJIT, no C modules.
-- Why not lua/runtime/json.lua: this rock is installed into LuaRocks trees and used by plain `lua` outside the
-- workbench, where the runtime does not exist, so it carries its own decoder; and the two rules differ on purpose
-- (the runner's carries arbitrary bytes losslessly as lone-surrogate escapes, this one refuses what JSON.parse refuses).
local json = {}

local char, find, format, gsub, sub, concat = string.char, string.find, string.format,
  string.gsub, string.sub, table.concat
local floor = math.floor
local unpack_list = table.unpack or unpack

-- JSON null inside decoded tables (a Lua nil would make the key look absent).
json.null = setmetatable({}, { __tostring = function() return "null" end })
local ARRAY = { __jsontype = "array" }
local OBJECT = { __jsontype = "object" }
local MAX_DEPTH = 512

function json.is_array(v) return type(v) == "table" and getmetatable(v) == ARRAY end
function json.is_object(v) return type(v) == "table" and getmetatable(v) == OBJECT end
--- Marks a Lua table as a JSON array / object (decoded values carry these marks already).
function json.array(list) return setmetatable({ unpack_list(list) }, ARRAY) end
function json.object(t) return setmetatable(t, OBJECT) end

local function utf8_char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 0x40), 0x80 + cp % 0x40) end
  if cp < 0x10000 then
    return char(0xE0 + floor(cp / 0x1000), 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
  return char(0xF0 + floor(cp / 0x40000), 0x80 + floor(cp / 0x1000) % 0x40,
    0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

local simple_escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

local decode_value

local function fail(pos, what)
  error({ json_error = format("%s at byte %d", what, pos) }, 0)
end

local function skip_ws(s, pos)
  local _, e = find(s, "^[ \t\r\n]*", pos)
  return e + 1
end

local function decode_string(s, pos)
  local parts, i = {}, pos + 1
  while true do
    local run_end = find(s, '["\\%z\1-\31]', i)
    if not run_end then fail(pos, "unterminated string") end
    parts[#parts + 1] = sub(s, i, run_end - 1)
    local c = sub(s, run_end, run_end)
    if c == '"' then return concat(parts), run_end + 1 end
    if c ~= '\\' then fail(run_end, "control character in string") end
    local e = sub(s, run_end + 1, run_end + 1)
    if simple_escapes[e] then
      parts[#parts + 1] = simple_escapes[e]
      i = run_end + 2
    elseif e == 'u' then
      local hex = sub(s, run_end + 2, run_end + 5)
      if not find(hex, "^%x%x%x%x$") then fail(run_end, "bad \\u escape") end
      local cp = tonumber(hex, 16)
      i = run_end + 6
      if cp >= 0xD800 and cp <= 0xDBFF and find(s, "^\\u[dD][c-fC-F]%x%x", i) then
        local low = tonumber(sub(s, i + 2, i + 5), 16)
        cp = 0x10000 + (cp - 0xD800) * 0x400 + (low - 0xDC00)
        i = i + 6
      elseif cp >= 0xD800 and cp <= 0xDFFF then
        cp = 0xFFFD -- a lone surrogate has no UTF-8 form; JavaScript's encoder writes U+FFFD too
      end
      parts[#parts + 1] = utf8_char(cp)
    else
      fail(run_end, "bad escape")
    end
  end
end

local function decode_number(s, pos)
  local _, e = find(s, "^-?0[0-9]", pos)
  if e then fail(pos, "leading zero in number") end
  local _, stop = find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
  local text = stop and sub(s, pos, stop)
  if not text or not (find(text, "^-?%d+$") or find(text, "^-?%d+%.%d+$") or find(text, "^-?%d+%.%d+[eE][-+]?%d+$")
      or find(text, "^-?%d+[eE][-+]?%d+$")) then
    fail(pos, "bad number")
  end
  return tonumber(text), stop + 1
end

local function decode_array(s, pos, depth)
  local out, n = setmetatable({}, ARRAY), 0
  pos = skip_ws(s, pos + 1)
  if sub(s, pos, pos) == "]" then return out, pos + 1 end
  while true do
    local value
    value, pos = decode_value(s, pos, depth)
    n = n + 1
    out[n] = value
    pos = skip_ws(s, pos)
    local c = sub(s, pos, pos)
    if c == "]" then return out, pos + 1 end
    if c ~= "," then fail(pos, "expected ',' or ']'") end
    pos = pos + 1
  end
end

local function decode_object(s, pos, depth)
  local out = setmetatable({}, OBJECT)
  pos = skip_ws(s, pos + 1)
  if sub(s, pos, pos) == "}" then return out, pos + 1 end
  while true do
    pos = skip_ws(s, pos)
    if sub(s, pos, pos) ~= '"' then fail(pos, "expected a string key") end
    local key
    key, pos = decode_string(s, pos)
    pos = skip_ws(s, pos)
    if sub(s, pos, pos) ~= ":" then fail(pos, "expected ':'") end
    local value
    value, pos = decode_value(s, skip_ws(s, pos + 1), depth)
    out[key] = value
    pos = skip_ws(s, pos)
    local c = sub(s, pos, pos)
    if c == "}" then return out, pos + 1 end
    if c ~= "," then fail(pos, "expected ',' or '}'") end
    pos = pos + 1
  end
end

local literals = { t = { "true", true }, f = { "false", false }, n = { "null", json.null } }

function decode_value(s, pos, depth)
  pos = skip_ws(s, pos)
  local c = sub(s, pos, pos)
  if c == "{" or c == "[" then
    if depth >= MAX_DEPTH then fail(pos, "nested too deep") end
    if c == "{" then return decode_object(s, pos, depth + 1) end
    return decode_array(s, pos, depth + 1)
  end
  if c == '"' then return decode_string(s, pos) end
  if c == "-" or find(c, "^%d$") then return decode_number(s, pos) end
  local literal = literals[c]
  if literal and sub(s, pos, pos + #literal[1] - 1) == literal[1] then return literal[2], pos + #literal[1] end
  if c == "" then fail(pos, "unexpected end of input") end
  fail(pos, "unexpected character")
end

--- Decodes one JSON text. Returns value or nil, reason; never raises.
function json.decode(s)
  if type(s) ~= "string" then return nil, "expected a string" end
  local ok, value, pos = pcall(decode_value, s, 1, 0)
  if not ok then
    if type(value) == "table" and value.json_error then return nil, value.json_error end
    error(value, 0)
  end
  pos = skip_ws(s, pos)
  if pos <= #s then return nil, format("unexpected data after the value at byte %d", pos) end
  return value
end

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r', ['\b'] = '\\b', ['\f'] = '\\f' }
for c = 0, 31 do
  local ch = char(c)
  if not escapes[ch] then escapes[ch] = format('\\u%04x', c) end
end

function json.encode_string(s)
  return '"' .. gsub(s, '[%z\1-\31"\\]', escapes) .. '"'
end

function json.encode_integer(n)
  return format("%d", n)
end

return json
