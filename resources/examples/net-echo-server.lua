-- Networked VMs: echo server
-- Needs a VM created with networked: true. Listens on 127.0.0.1:port, serves any number of clients
-- at once and sends every line back prefixed with "echo: ", for `duration` seconds of wall-clock
-- time (socket.gettime). Pair it with net-client.lua or net-heartbeat.lua in another VM.
-- Settings come from NET = {port, duration, host, allow_remote} when set, else the defaults below.
local socket = require("socket")

local cfg = NET or {} -- luacheck: read globals NET
local host, port, duration = cfg.host or "127.0.0.1", cfg.port or 9000, cfg.duration or 30
local MAX_LINE = 4096

local LOOPBACK = { ["127.0.0.1"] = true, localhost = true, ["::1"] = true }
if type(port) ~= "number" or port % 1 ~= 0 or port < 1024 or port > 65535 then
  error(("port %s is out of range: use a whole number from 1024 to 65535"):format(tostring(port)), 0)
end
if not (LOOPBACK[host] or cfg.allow_remote) then
  error(("host %s is not loopback: use 127.0.0.1, or set allow_remote = true"):format(tostring(host)), 0)
end

local server = assert(socket.bind(host, port))
server:settimeout(0)
print(("echo server listening on %s:%d for %g s"):format(host, port, duration))

local clients = {} -- socket -> partial line
local served, echoed = 0, 0
local deadline = socket.gettime() + duration

local function serve(conn)
  while true do
    local line, err, partial = conn:receive("*l", clients[conn])
    if line then
      clients[conn] = ""
      echoed = echoed + 1
      print("received: " .. line)
      conn:send("echo: " .. line .. "\n")
    elseif err == "timeout" and #partial <= MAX_LINE then
      clients[conn] = partial
      return
    else
      conn:close()
      clients[conn] = nil
      return
    end
  end
end

while socket.gettime() < deadline do
  local watch = { server }
  for conn in pairs(clients) do watch[#watch + 1] = conn end
  local readable = socket.select(watch, nil, math.max(0, deadline - socket.gettime()))
  for _, conn in ipairs(readable) do
    if conn == server then
      local client = server:accept()
      if client then
        client:settimeout(0)
        clients[client] = ""
        served = served + 1
      end
    elseif clients[conn] then
      serve(conn)
    end
  end
end

for conn in pairs(clients) do conn:close() end
server:close()
print(("echo server done: %d clients, %d lines echoed"):format(served, echoed))
return echoed
