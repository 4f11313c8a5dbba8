-- bioxen.olfi: the Ol-Fi frame JSON v1 codec (docs/olfi-frame-v1.md), the MVOC library, and send(),
-- which hands a frame to the workbench host for XADD to the Ol-Fi stream.
-- The TypeScript twin is src-main/olfi/frame-codec.ts; both pass resources/olfi/vectors.json.
-- Pure Lua that runs unchanged on Lua 5.1-5.4 and LuaJIT (also inside LÖVE).
local json = require("bioxen.olfi.json")
local library = require("bioxen.olfi.library")

local olfi = { VERSION = "0.1.0", json = json, compounds = library }

local byte, format, gsub, sub, upper = string.byte, string.format, string.gsub, string.sub,
  string.upper
local concat = table.concat

olfi.MAX_FRAME_BYTES = 16384
olfi.MAX_PAYLOAD_BYTES = 4096
olfi.MAX_ADDRESS_LENGTH = 64
olfi.DEFAULT_PREAMBLE = { "ACETOIN", "ACETOIN" }
olfi.DEFAULT_TERMINATOR = { "BENZALDEHYDE", "BENZALDEHYDE" }
olfi.MESSAGE_TYPES = {
  "PING", "ACK", "NAK",
  "STATUS_REQUEST", "STATUS_RESPONSE", "PROBLEM_REQUEST", "PROBLEM_RESPONSE",
  "RESOURCE_OFFER", "RESOURCE_ACCEPT", "EMERGENCY", "BROADCAST",
  "START", "STOP", "PAUSE", "RESUME", "STATUS",
  "UPREGULATE", "DOWNREGULATE", "SWITCH", "OPTIMIZE",
  "GROW", "QUIESCE", "MIGRATE", "AGGREGATE",
}
olfi.PRIORITIES = { "emergency", "high", "normal", "low" }

local function set_of(list)
  local set = {}
  for _, v in ipairs(list) do set[v] = true end
  return set
end
local message_types, priorities = set_of(olfi.MESSAGE_TYPES), set_of(olfi.PRIORITIES)
local by_name = {}
for _, compound in ipairs(library) do by_name[compound.name] = compound end

--- Producers write names loosely ("acetoin", "2-methylbutanol"); library names are upper case with '_'.
function olfi.canonical_name(name)
  return (gsub(upper(name), "[%-%s]", "_"))
end

function olfi.compound(name)
  if type(name) ~= "string" then return nil end
  return by_name[olfi.canonical_name(name)]
end

--- Sum of the payload's bytes mod 65536 (ol-fi-modem.lua's checksum).
function olfi.checksum(payload)
  local sum, len, i = 0, #payload, 1
  while i <= len do
    local last = i + 4095 < len and i + 4095 or len
    local bytes = { byte(payload, i, last) }
    for k = 1, #bytes do sum = sum + bytes[k] end
    i = last + 1
  end
  return sum % 65536
end

-- Characters, not bytes, so that length limits agree with JavaScript for text in the BMP.
local function char_count(s)
  local _, n = gsub(s, "[^\128-\191]", "")
  return n
end

local function is_word(v)
  return type(v) == "string" and #v > 0 and char_count(v) <= olfi.MAX_ADDRESS_LENGTH
end

local function is_uint16(v)
  return type(v) == "number" and v == math.floor(v) and v >= 0 and v <= 65535
end

local function is_compound_pair(v)
  return json.is_array(v) and #v == 2 and is_word(v[1]) and is_word(v[2])
end

local function result(status, reason, frame, computed)
  return { status = status, reason = reason, frame = frame, computed_checksum = computed }
end

local function range_text() return "1\226\128\147" .. olfi.MAX_ADDRESS_LENGTH end -- "1–64"

-- Field checks in RFC order; the first failure wins so that Lua and TypeScript report the same reason.
local function check_shape(f)
  if not json.is_object(f) then return result("invalid-field", "frame must be a JSON object") end
  if f.preamble == nil then return result("missing-field", "frame.preamble is missing") end
  if not is_compound_pair(f.preamble) then
    return result("invalid-field", "frame.preamble must be an array of 2 compound names")
  end
  if f.address == nil then return result("missing-field", "frame.address is missing") end
  if not is_word(f.address) then
    return result("invalid-field", "frame.address must be a string of " .. range_text() .. " characters")
  end
  if f.source ~= nil and not is_word(f.source) then
    return result("invalid-field", "frame.source must be a string of " .. range_text() .. " characters")
  end
  if f.control == nil then return result("missing-field", "frame.control is missing") end
  local c = f.control
  if not json.is_object(c) then
    return result("invalid-field", "frame.control must be an object with type, sequence and priority")
  end
  if c.type == nil then return result("missing-field", "frame.control.type is missing") end
  if not message_types[c.type] then
    return result("invalid-field", "frame.control.type must be a message type such as PING, STATUS_REQUEST or EMERGENCY")
  end
  if c.sequence == nil then return result("missing-field", "frame.control.sequence is missing") end
  if not is_uint16(c.sequence) then
    return result("invalid-field", "frame.control.sequence must be an integer 0\226\128\14765535")
  end
  if c.priority == nil then return result("missing-field", "frame.control.priority is missing") end
  if not priorities[c.priority] then
    return result("invalid-field", "frame.control.priority must be one of emergency, high, normal, low")
  end
  if f.payload == nil then return result("missing-field", "frame.payload is missing") end
  if type(f.payload) ~= "string" then return result("invalid-field", "frame.payload must be a string") end
  if f.checksum == nil then return result("missing-field", "frame.checksum is missing") end
  if not is_uint16(f.checksum) then
    return result("invalid-field", "frame.checksum must be an integer 0\226\128\14765535")
  end
  if f.terminator == nil then return result("missing-field", "frame.terminator is missing") end
  if not is_compound_pair(f.terminator) then
    return result("invalid-field", "frame.terminator must be an array of 2 compound names")
  end
  return nil
end

local function quote(name)
  if char_count(name) <= 40 then return '"' .. name .. '"' end
  local count, cut = 0, 0
  for _, stop in string.gmatch(name, "()[^\128-\191][\128-\191]*()") do
    count, cut = count + 1, stop - 1
    if count == 40 then break end
  end
  return '"' .. sub(name, 1, cut) .. '\226\128\166"'
end

local function unknown_compound(mvoc, frame)
  if not olfi.compound(mvoc) then return "mvoc " .. quote(mvoc) .. " is not in the MVOC library" end
  for _, field in ipairs({ "preamble", "terminator" }) do
    for i, name in ipairs(frame[field]) do
      if not olfi.compound(name) then
        return format("frame.%s[%d] %s is not in the MVOC library", field, i - 1, quote(name))
      end
    end
  end
  return nil
end

--- Classifies an already-decoded frame sent under compound `mvoc`.
--- Returns {status, reason, frame, computed_checksum}; status is one of valid, checksum-mismatch,
--- malformed-json, missing-field, invalid-field, unknown-compound, oversized.
function olfi.classify_frame(mvoc, frame)
  local bad = check_shape(frame)
  if bad then return bad end
  local computed = olfi.checksum(frame.payload)
  if #frame.payload > olfi.MAX_PAYLOAD_BYTES then
    return result("oversized", format("frame.payload is %d bytes; the limit is %d", #frame.payload, olfi.MAX_PAYLOAD_BYTES),
      frame, computed)
  end
  local unknown = unknown_compound(mvoc, frame)
  if unknown then return result("unknown-compound", unknown, frame, computed) end
  if frame.checksum ~= computed then
    return result("checksum-mismatch",
      format("checksum %d does not match the payload (expected %d)", frame.checksum, computed), frame, computed)
  end
  return result("valid", "", frame, computed)
end

--- Classifies one stream entry's mvoc and frame fields (either may be nil = missing). Never raises.
function olfi.classify_entry(mvoc, raw)
  if mvoc == nil then return result("missing-field", "entry has no mvoc field") end
  if raw == nil then return result("missing-field", "entry has no frame field") end
  if #raw > olfi.MAX_FRAME_BYTES then
    return result("oversized", format("frame is %d bytes; the limit is %d", #raw, olfi.MAX_FRAME_BYTES))
  end
  local value, err = json.decode(raw)
  if err then return result("malformed-json", "frame is not valid JSON: " .. err) end
  return olfi.classify_frame(mvoc, value)
end

local sequence = 0
local function next_sequence()
  sequence = (sequence + 1) % 65536
  return sequence
end

--- A complete frame table from {address, type, payload, source, sequence, priority, preamble, terminator}.
--- Defaults: address "*", type "BROADCAST", priority "normal", a per-VM running sequence, the checksum.
function olfi.build(spec)
  spec = spec or {}
  local payload = spec.payload == nil and "" or spec.payload
  if type(payload) ~= "string" then error("bioxen.olfi.build: payload must be a string, got " .. type(payload), 2) end
  local frame = json.object({
    preamble = json.array(spec.preamble or olfi.DEFAULT_PREAMBLE),
    address = spec.address or "*",
    source = spec.source,
    control = json.object({
      type = spec.type or "BROADCAST",
      sequence = spec.sequence or next_sequence(),
      priority = spec.priority or "normal",
    }),
    payload = payload,
    checksum = olfi.checksum(payload),
    terminator = json.array(spec.terminator or olfi.DEFAULT_TERMINATOR),
  })
  return frame
end

local function encode_pair(list)
  return "[" .. json.encode_string(list[1]) .. "," .. json.encode_string(list[2]) .. "]"
end

--- Frame table → JSON text with the fields in RFC order. The frame must have the v1 shape.
function olfi.encode(frame)
  local c = frame.control
  local parts = {
    '{"preamble":', encode_pair(frame.preamble),
    ',"address":', json.encode_string(frame.address),
    frame.source and (',"source":' .. json.encode_string(frame.source)) or "",
    ',"control":{"type":', json.encode_string(c.type),
    ',"sequence":', json.encode_integer(c.sequence),
    ',"priority":', json.encode_string(c.priority),
    '},"payload":', json.encode_string(frame.payload),
    ',"checksum":', json.encode_integer(frame.checksum),
    ',"terminator":', encode_pair(frame.terminator), "}",
  }
  return concat(parts)
end

-- Turns what send() was given into frame JSON text: a frame table, build() options, frame JSON text,
-- or any other string, which becomes the payload of a BROADCAST frame (what bioxen-circuits sends).
local function frame_text(frame)
  if type(frame) == "string" then
    local decoded = json.decode(frame)
    if json.is_object(decoded) then return frame end
    return olfi.encode(olfi.build({ payload = frame }))
  end
  if type(frame) ~= "table" then
    error("bioxen.olfi.send: frame must be a table or a string, got " .. type(frame), 3)
  end
  if frame.control then return olfi.encode(frame) end
  return olfi.encode(olfi.build(frame))
end

local transport

--- Replaces how send() delivers frames: fn(mvoc, frame_json). Outside the workbench, or in tests.
function olfi.set_transport(fn)
  transport = fn
end

local function host_transport()
  local ok, host = pcall(require, "bioxen.host")
  if not ok or type(host) ~= "table" or type(host.emit) ~= "function" then
    error("bioxen.olfi.send: no workbench host (" .. tostring(ok and "bioxen.host has no emit" or host)
      .. ") — run this script in a BioXen Workbench VM with the olfi capability, or call "
      .. "olfi.set_transport(fn) to deliver frames yourself", 3)
  end
  return function(mvoc, text) return host.emit("olfi", { mvoc = mvoc, frame = text }) end
end

--- Sends `frame` under compound `mvoc` (see frame_text for what frame may be). The frame is checked
--- first: an invalid one raises an error naming the field. Returns the frame as sent (a table).
function olfi.send(mvoc, frame)
  if type(mvoc) ~= "string" then error("bioxen.olfi.send: mvoc must be a compound name string", 2) end
  local text = frame_text(frame)
  local name = olfi.compound(mvoc) and olfi.canonical_name(mvoc) or mvoc
  local checked = olfi.classify_entry(name, text)
  if checked.status ~= "valid" then error("bioxen.olfi.send: " .. checked.reason, 2) end
  local deliver = transport or host_transport()
  deliver(name, text)
  return checked.frame
end

return olfi
