-- Networked VMs: P2P ring node (heartbeats around a ring)
-- Needs a VM created with networked: true. Node `index` listens on base_port + index and sends a
-- heartbeat line to node (index + 1) % size every `interval` seconds, printing each heartbeat it
-- receives. All timing is wall-clock (socket.gettime), so `duration` is seconds of real time.
-- `bioxen net ring --size N` sets NET = {index, size, base_port, duration, interval} for each node;
-- run on its own this is a ring of one node that talks to itself.
local socket = require("socket")

local cfg = NET or {} -- luacheck: read globals NET
local size, index = cfg.size or 1, cfg.index or 0
local base_port, host = cfg.base_port or 9100, cfg.host or "127.0.0.1"
local duration, interval = cfg.duration or 10, cfg.interval or 1
local MAX_LINE = 1024

local LOOPBACK = { ["127.0.0.1"] = true, localhost = true, ["::1"] = true }
local function check_port(port, what)
  if type(port) ~= "number" or port % 1 ~= 0 or port < 1024 or port > 65535 then
    error(("%s %s is out of range: use a whole number from 1024 to 65535"):format(what, tostring(port)), 0)
  end
  return port
end
if not (LOOPBACK[host] or cfg.allow_remote) then
  error(("host %s is not loopback: use 127.0.0.1, or set allow_remote = true"):format(tostring(host)), 0)
end

local name = "node-" .. index
local listen_port = check_port(base_port + index, "listen port")
local next_port = check_port(base_port + (index + 1) % size, "next node's port")

local server = assert(socket.bind(host, listen_port))
server:settimeout(0)

local inbound = {} -- socket -> partial line
local outbound
local sent, received = 0, 0
local started = socket.gettime()
local deadline = started + duration
local next_beat, next_connect = started, started

local function connect_next()
  local c = socket.tcp()
  c:settimeout(0.2)
  if c:connect(host, next_port) then
    c:setoption("tcp-nodelay", true)
    c:settimeout(1)
    return c
  end
  c:close()
end

local function beat(now)
  local line = ("HEARTBEAT %s %d %.6f\n"):format(name, sent + 1, now)
  if outbound:send(line) then
    sent = sent + 1
  else
    outbound:close()
    outbound = nil
  end
end

local function on_line(line)
  local from, seq, at = line:match("^HEARTBEAT (%S+) (%d+) ([%d%.]+)$")
  if not from then
    print(("%s ignored a line that is not a heartbeat: %q"):format(name, line:sub(1, 60)))
    return
  end
  received = received + 1
  print(("%s received heartbeat #%s from %s (%.1f ms in flight)"):format(name, seq, from,
    (socket.gettime() - tonumber(at)) * 1000))
end

local function drain(conn)
  while true do
    local line, err, partial = conn:receive("*l", inbound[conn])
    if line then
      inbound[conn] = ""
      on_line(line)
    elseif err == "timeout" and #partial <= MAX_LINE then
      inbound[conn] = partial
      return
    else
      conn:close()
      inbound[conn] = nil
      return
    end
  end
end

while true do
  local now = socket.gettime()
  if now >= deadline then break end
  local client = server:accept()
  while client do
    client:settimeout(0)
    inbound[client] = ""
    client = server:accept()
  end
  if not outbound and now >= next_connect then
    outbound = connect_next()
    next_connect = now + 0.2
  end
  if outbound and now >= next_beat then
    beat(now)
    next_beat = math.max(next_beat + interval, now)
  end
  local watch = { server }
  for conn in pairs(inbound) do watch[#watch + 1] = conn end
  -- Sleep in select until the next thing due: a beat, a reconnect attempt or the deadline.
  local wake = math.min(deadline, outbound and next_beat or next_connect)
  local wait = math.max(0, wake - socket.gettime())
  local readable = socket.select(watch, nil, wait)
  for _, conn in ipairs(readable) do
    if conn ~= server and inbound[conn] then drain(conn) end
  end
end

for conn in pairs(inbound) do conn:close() end
if outbound then outbound:close() end
server:close()
print(("%s done: sent %d, received %d heartbeats in %.1f s"):format(name, sent, received, socket.gettime() - started))
return sent, received
