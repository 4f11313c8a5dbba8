-- Networked VMs: heartbeat sender
-- Needs a VM created with networked: true. Sends "heartbeat <n> <time>" to host:port every
-- `interval` seconds, `count` times. The schedule is wall-clock (socket.gettime): beats stay on
-- time however long each send takes, unlike a loop timed with os.clock (CPU time).
-- Settings come from NET = {host, port, interval, count, allow_remote}, else the defaults below.
local socket = require("socket")

local cfg = NET or {} -- luacheck: read globals NET
local host, port = cfg.host or "127.0.0.1", cfg.port or 9000
local interval, count = cfg.interval or 1, cfg.count or 10

local LOOPBACK = { ["127.0.0.1"] = true, localhost = true, ["::1"] = true }
if type(port) ~= "number" or port % 1 ~= 0 or port < 1024 or port > 65535 then
  error(("port %s is out of range: use a whole number from 1024 to 65535"):format(tostring(port)), 0)
end
if not (LOOPBACK[host] or cfg.allow_remote) then
  error(("host %s is not loopback: use 127.0.0.1, or set allow_remote = true"):format(tostring(host)), 0)
end

local conn, err = socket.connect(host, port)
if not conn then
  error(("could not connect to %s:%d: %s — start a server there first"):format(host, port, tostring(err)), 0)
end
-- Short enough that waiting for an optional reply never delays the next beat.
conn:settimeout(math.min(1, interval / 2))

local started = socket.gettime()
for n = 1, count do
  local due = started + (n - 1) * interval
  local wait = due - socket.gettime()
  if wait > 0 then socket.sleep(wait) end
  local now = socket.gettime()
  assert(conn:send(("heartbeat %d %.3f\n"):format(n, now)))
  print(("sent heartbeat %d at +%.2f s"):format(n, now - started))
  -- An echo server answers each beat; read the reply if one comes.
  local reply = conn:receive("*l")
  if reply then print("  reply: " .. reply) end
end
conn:close()
return count
