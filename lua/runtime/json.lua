-- Minimal JSON for the runner protocol; works on Lua 5.1–5.4 and LuaJIT (no utf8 library needed).
-- Encoding is on the hot path of every reply, so strings are escaped with one gsub, plus one more
-- only when they hold bytes >= 0x80.
--
-- Lua strings are bytes and JSON text must be UTF-8, so bytes that are not part of valid UTF-8 go
-- out as the lone surrogate escapes "\udc80".."\udcff" (byte 0x80..0xFF), and come back the same
-- way: the host's rule (src-main/vm/byte-text.ts) makes that lossless for any byte string.
-- The bioxen-olfi rock keeps its own strict decoder (bioxen/olfi/json.lua): a rock must work without this runtime.
local json = {}

local byte, char, concat, find, format, gsub, sub, tostring, type, floor, huge =
  string.byte, string.char, table.concat, string.find, string.format, string.gsub, string.sub,
  tostring, type, math.floor, math.huge

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r' }
for c = 0, 31 do
  local ch = char(c)
  if not escapes[ch] then escapes[ch] = format('\\u%04x', c) end
end
escapes['\127'] = '\\u007f'

-- Length of the valid UTF-8 sequence at byte i of s, or nil (Unicode table 3-7: no overlongs,
-- no surrogates, nothing above U+10FFFF, which is what the host's decoder accepts).
local function sequence_length(s, i)
  local a, b, c, d = byte(s, i, i + 3)
  b, c, d = b or 0, c or 0, d or 0
  local cb, cc, cd = b >= 0x80 and b <= 0xBF, c >= 0x80 and c <= 0xBF, d >= 0x80 and d <= 0xBF
  if a >= 0xC2 and a <= 0xDF then return cb and 2 or nil end
  if a == 0xE0 then return b >= 0xA0 and cb and cc and 3 or nil end
  if a == 0xED then return b <= 0x9F and cb and cc and 3 or nil end
  if a >= 0xE1 and a <= 0xEF then return cb and cc and 3 or nil end
  if a == 0xF0 then return b >= 0x90 and cb and cc and cd and 4 or nil end
  if a >= 0xF1 and a <= 0xF3 then return cb and cc and cd and 4 or nil end
  if a == 0xF4 then return b <= 0x8F and cb and cc and cd and 4 or nil end
  return nil
end

local byte_escapes = {}
for b = 0x80, 0xFF do byte_escapes[b] = format('\\udc%02x', b) end

-- A run of bytes >= 0x80: kept when it is all valid UTF-8, else each stray byte escaped.
local utf8_len = utf8 and utf8.len
local function escape_high_run(run)
  if utf8_len and utf8_len(run) and not find(run, '\237[\160-\191]') then return nil end
  local parts, n, i, len = {}, 0, 1, #run
  while i <= len do
    local seq = sequence_length(run, i)
    n = n + 1
    if seq then
      parts[n] = sub(run, i, i + seq - 1)
      i = i + seq
    else
      parts[n] = byte_escapes[byte(run, i)]
      i = i + 1
    end
  end
  return concat(parts)
end

local function encode_string(s)
  s = gsub(s, '[%c"\\]', escapes)
  if find(s, '[\128-\255]') then s = gsub(s, '[\128-\255]+', escape_high_run) end
  return '"' .. s .. '"'
end
json.encode_string = encode_string

local function encode_number(n)
  if n ~= n or n == huge or n == -huge then return 'null' end
  if n == floor(n) and n > -1e15 and n < 1e15 then return format('%d', n) end
  return format('%.17g', n)
end

local MAX_DEPTH = 32

local function is_array(t)
  local n = #t
  if n == 0 then return next(t) == nil end
  local count = 0
  for _ in pairs(t) do count = count + 1 end
  return count == n
end

local encode_value

local function encode_table(t, depth)
  if depth > MAX_DEPTH then return '"<too deep>"' end
  local parts = {}
  if is_array(t) then
    for i = 1, #t do parts[i] = encode_value(t[i], depth + 1) end
    return '[' .. concat(parts, ',') .. ']'
  end
  local i = 0
  for k, v in pairs(t) do
    local kt = type(k)
    if kt == 'string' or kt == 'number' then
      i = i + 1
      parts[i] = encode_string(kt == 'string' and k or tostring(k)) .. ':' .. encode_value(v, depth + 1)
    end
  end
  return '{' .. concat(parts, ',') .. '}'
end

function encode_value(v, depth)
  local t = type(v)
  if t == 'string' then return encode_string(v)
  elseif t == 'number' then return encode_number(v)
  elseif t == 'boolean' then return v and 'true' or 'false'
  elseif t == 'table' then return encode_table(v, depth)
  elseif v == nil then return 'null'
  end
  return encode_string(tostring(v))
end

function json.encode(v) return encode_value(v, 0) end

-- Decoding ------------------------------------------------------------------------------------

local function utf8_char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp < 0x10000 then
    return char(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return char(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64, 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
end

local simple_unescape = { b = '\b', f = '\f', n = '\n', r = '\r', t = '\t', ['"'] = '"', ['\\'] = '\\', ['/'] = '/' }

local function decode_error(str, pos, what)
  error(format('invalid JSON at byte %d: %s', pos, what), 0)
end

-- One pass, left to right, so "\\u0041" stays a backslash followed by "u0041".
local function unescape(s, pos)
  local parts, n, i = {}, 0, 1
  while true do
    local b = find(s, '\\', i, true)
    if not b then break end
    n = n + 1
    parts[n] = sub(s, i, b - 1)
    local c = sub(s, b + 1, b + 1)
    if c == 'u' then
      local cp = find(s, '^%x%x%x%x', b + 2) and tonumber(sub(s, b + 2, b + 5), 16)
      if not cp then decode_error(s, pos + b, 'bad \\u escape') end
      i = b + 6
      if cp >= 0xD800 and cp <= 0xDBFF and find(s, '^\\u[dD][c-fC-F]%x%x', i) then
        cp = 0x10000 + (cp - 0xD800) * 0x400 + (tonumber(sub(s, i + 2, i + 5), 16) - 0xDC00)
        i = i + 6
      end
      n = n + 1
      -- A lone U+DC80..U+DCFF is a byte that is not valid UTF-8 (see the header).
      parts[n] = (cp >= 0xDC80 and cp <= 0xDCFF) and char(cp - 0xDC00) or utf8_char(cp)
    else
      local r = simple_unescape[c]
      if not r then decode_error(s, pos + b, 'bad escape') end
      n = n + 1
      parts[n] = r
      i = b + 2
    end
  end
  parts[n + 1] = sub(s, i)
  return concat(parts)
end

local decode_value

local function skip(str, pos)
  local _, e = find(str, '^[ \n\r\t]*', pos)
  return e + 1
end

local function decode_string(str, pos)
  local i = pos + 1
  local has_escape = false
  while true do
    local s, e = find(str, '["\\]', i)
    if not s then decode_error(str, pos, 'unterminated string') end
    if sub(str, s, s) == '"' then
      local raw = sub(str, pos + 1, s - 1)
      return has_escape and unescape(raw, pos) or raw, s + 1
    end
    has_escape = true
    i = e + 2
  end
end

local function decode_array(str, pos, depth)
  local arr, n = {}, 0
  pos = skip(str, pos + 1)
  if sub(str, pos, pos) == ']' then return arr, pos + 1 end
  while true do
    local v
    v, pos = decode_value(str, pos, depth + 1)
    n = n + 1
    arr[n] = v
    pos = skip(str, pos)
    local c = sub(str, pos, pos)
    if c == ']' then return arr, pos + 1 end
    if c ~= ',' then decode_error(str, pos, "expected ',' or ']'") end
    pos = skip(str, pos + 1)
  end
end

local function decode_object(str, pos, depth)
  local obj = {}
  pos = skip(str, pos + 1)
  if sub(str, pos, pos) == '}' then return obj, pos + 1 end
  while true do
    if sub(str, pos, pos) ~= '"' then decode_error(str, pos, 'expected a string key') end
    local key
    key, pos = decode_string(str, pos)
    pos = skip(str, pos)
    if sub(str, pos, pos) ~= ':' then decode_error(str, pos, "expected ':'") end
    local v
    v, pos = decode_value(str, skip(str, pos + 1), depth + 1)
    obj[key] = v
    pos = skip(str, pos)
    local c = sub(str, pos, pos)
    if c == '}' then return obj, pos + 1 end
    if c ~= ',' then decode_error(str, pos, "expected ',' or '}'") end
    pos = skip(str, pos + 1)
  end
end

local literals = { t = { 'true', true }, f = { 'false', false }, n = { 'null', nil } }

function decode_value(str, pos, depth)
  if depth > MAX_DEPTH then decode_error(str, pos, 'nested too deep') end
  local c = sub(str, pos, pos)
  if c == '"' then return decode_string(str, pos) end
  if c == '{' then return decode_object(str, pos, depth) end
  if c == '[' then return decode_array(str, pos, depth) end
  local lit = literals[c]
  if lit then
    if sub(str, pos, pos + #lit[1] - 1) ~= lit[1] then decode_error(str, pos, 'bad literal') end
    return lit[2], pos + #lit[1]
  end
  local s, e = find(str, '^-?%d+%.?%d*[eE]?[-+]?%d*', pos)
  if not s then decode_error(str, pos, 'unexpected character') end
  return tonumber(sub(str, s, e)), e + 1
end

function json.decode(str)
  local v, pos = decode_value(str, skip(str, 1), 0)
  pos = skip(str, pos)
  if pos <= #str then decode_error(str, pos, 'trailing characters') end
  return v
end

return json
