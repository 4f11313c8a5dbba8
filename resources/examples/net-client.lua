-- Networked VMs: line client
-- Needs a VM created with networked: true. Connects to host:port (retrying until `timeout`
-- seconds of wall-clock time pass, so it can start before the server), sends each message as a
-- line and prints the reply to each. Start net-echo-server.lua first, in another VM.
-- Settings come from NET = {host, port, messages, timeout, allow_remote}, else the defaults below.
local socket = require("socket")

local cfg = NET or {} -- luacheck: read globals NET
local host, port, timeout = cfg.host or "127.0.0.1", cfg.port or 9000, cfg.timeout or 10
local messages = cfg.messages or { "hello from a BioXen VM", "ATP 3.2 mM", "bye" }

local LOOPBACK = { ["127.0.0.1"] = true, localhost = true, ["::1"] = true }
if type(port) ~= "number" or port % 1 ~= 0 or port < 1024 or port > 65535 then
  error(("port %s is out of range: use a whole number from 1024 to 65535"):format(tostring(port)), 0)
end
if not (LOOPBACK[host] or cfg.allow_remote) then
  error(("host %s is not loopback: use 127.0.0.1, or set allow_remote = true"):format(tostring(host)), 0)
end

local deadline = socket.gettime() + timeout
local conn, err
repeat
  conn, err = socket.connect(host, port)
  if not conn then socket.sleep(0.1) end
until conn or socket.gettime() >= deadline
if not conn then
  error(("could not connect to %s:%d within %g s: %s — is the server running?"):format(host, port, timeout,
    tostring(err)), 0)
end

local replies = 0
for _, message in ipairs(messages) do
  conn:settimeout(math.max(0.01, deadline - socket.gettime()))
  assert(conn:send(tostring(message):gsub("[\r\n]", " ") .. "\n"))
  local reply, rerr = conn:receive("*l")
  if not reply then error(("no reply to %q: %s"):format(tostring(message), rerr), 0) end
  replies = replies + 1
  print(reply)
end
conn:close()
return replies
