-- A small non-blocking Redis (RESP2) client over LuaSocket, for the LÖVE visualizer's main loop:
-- update() never blocks for long, reconnects with backoff, and hands back replies in request order.
-- Works on Lua 5.1-5.4 and LuaJIT (LÖVE bundles LuaSocket).
local resp = {}
resp.__index = resp

local concat, find, sub = table.concat, string.find, string.sub

local CONNECT_TIMEOUT = 0.05 -- a loopback connect is instant; a remote one may hold one frame at most
local MAX_BACKOFF = 4
local MAX_BUFFER = 64 * 1024 * 1024 -- a reply bigger than this is a broken peer, not data

-- Redis error replies, kept apart from strings.
resp.Error = {}
resp.Error.__index = resp.Error
resp.Error.__tostring = function(e) return e.message end

--- Encodes one command (array of bulk strings).
function resp.encode(args)
  local parts = { "*" .. #args .. "\r\n" }
  for i = 1, #args do
    local s = tostring(args[i])
    parts[#parts + 1] = "$" .. #s .. "\r\n" .. s .. "\r\n"
  end
  return concat(parts)
end

--- Parses one reply from buf at pos. Returns value, next_pos; or nil when the reply is incomplete.
--- Nil replies ($-1, *-1) decode as resp.null. Raises on a protocol error.
resp.null = setmetatable({}, { __tostring = function() return "nil" end })

local function parse(buf, pos)
  local line_end = find(buf, "\r\n", pos, true)
  if not line_end then return nil end
  local kind, line = sub(buf, pos, pos), sub(buf, pos + 1, line_end - 1)
  local after = line_end + 2
  if kind == "+" then return line, after end
  if kind == "-" then return setmetatable({ message = line }, resp.Error), after end
  if kind == ":" then return tonumber(line), after end
  if kind == "$" then
    local len = tonumber(line)
    if not len then error("RESP: bad bulk length '" .. line .. "'") end
    if len < 0 then return resp.null, after end
    if #buf < after + len + 1 then return nil end
    return sub(buf, after, after + len - 1), after + len + 2
  end
  if kind == "*" then
    local n = tonumber(line)
    if not n then error("RESP: bad array length '" .. line .. "'") end
    if n < 0 then return resp.null, after end
    local out, p = {}, after
    for i = 1, n do
      local v
      v, p = parse(buf, p)
      if p == nil then return nil end
      out[i] = v
    end
    return out, p
  end
  error("RESP: unexpected reply type '" .. kind .. "'")
end
resp.parse = parse

--- opts: host, port, username/password (optional AUTH), db (optional SELECT), socket (LuaSocket module),
--- clock (seconds; default socket.gettime). The replies of AUTH and SELECT come first after each connect.
function resp.new(opts)
  local socket = opts.socket or require("socket")
  return setmetatable({
    host = opts.host or "127.0.0.1",
    port = opts.port or 6379,
    username = opts.username,
    password = opts.password,
    db = opts.db,
    socket = socket,
    clock = opts.clock or socket.gettime,
    state = "disconnected", -- disconnected | connected
    reason = nil,
    backoff = 0.25,
    retry_at = 0,
    buffer = "",
    pending = 0, -- replies owed to us
    outbox = {},
    connects = 0,
  }, resp)
end

function resp:disconnect(reason)
  if self.tcp then self.tcp:close() end
  self.tcp = nil
  self.state = "disconnected"
  self.reason = reason
  self.buffer, self.pending, self.outbox = "", 0, {}
  self.retry_at = self.clock() + self.backoff
  self.backoff = math.min(self.backoff * 2, MAX_BACKOFF)
end

function resp:try_connect()
  local tcp = self.socket.tcp()
  tcp:settimeout(CONNECT_TIMEOUT)
  local ok, err = tcp:connect(self.host, self.port)
  if not ok then
    tcp:close()
    self.reason = "cannot connect to " .. self.host .. ":" .. self.port .. " (" .. tostring(err) .. ")"
    self.retry_at = self.clock() + self.backoff
    self.backoff = math.min(self.backoff * 2, MAX_BACKOFF)
    return false
  end
  tcp:settimeout(0)
  tcp:setoption("tcp-nodelay", true)
  self.tcp, self.state, self.reason, self.backoff = tcp, "connected", nil, 0.25
  self.connects = self.connects + 1
  if self.password then
    self:send(self.username and { "AUTH", self.username, self.password } or { "AUTH", self.password })
  end
  if self.db and self.db ~= 0 then self:send({ "SELECT", tostring(self.db) }) end
  return true
end

--- Queues a command; its reply comes back from a later update(), in order.
function resp:send(args)
  if self.state ~= "connected" then return false end
  self.outbox[#self.outbox + 1] = resp.encode(args)
  self.pending = self.pending + 1
  return true
end

function resp:flush()
  if #self.outbox == 0 then return end
  local data = concat(self.outbox)
  local sent, err, last = self.tcp:send(data)
  local done = sent or last or 0
  if err and err ~= "timeout" then return self:disconnect("lost the connection (" .. err .. ")") end
  self.outbox = done < #data and { sub(data, done + 1) } or {}
end

--- Drives the connection. Returns the replies that arrived (possibly none). Never blocks beyond a connect.
function resp:update()
  if self.state == "disconnected" then
    if self.clock() < self.retry_at or not self:try_connect() then return {} end
  end
  self:flush()
  if not self.tcp then return {} end
  local data, err, partial = self.tcp:receive(65536)
  local chunk = data or partial
  if chunk and #chunk > 0 then self.buffer = self.buffer .. chunk end
  if err == "closed" then
    self:disconnect("the server closed the connection")
    return {}
  end
  if #self.buffer > MAX_BUFFER then
    self:disconnect("reply larger than " .. MAX_BUFFER .. " bytes")
    return {}
  end
  local replies, pos = {}, 1
  while pos <= #self.buffer do
    local ok, value, next_pos = pcall(parse, self.buffer, pos)
    if not ok then
      self:disconnect(tostring(value))
      return replies
    end
    if next_pos == nil then break end
    replies[#replies + 1] = value
    pos = next_pos
    self.pending = self.pending - 1
  end
  self.buffer = sub(self.buffer, pos)
  return replies
end

return resp
