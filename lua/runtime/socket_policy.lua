-- What a networked VM may do with LuaSocket: listen and talk on loopback only, unless the VM has
-- the remoteNetwork capability, and bind unprivileged ports only (1024-65535, or 0 for any free
-- port) in every case. Works on Lua 5.1-5.4 and LuaJIT with LuaSocket 3.x.
--
-- Applied once per runner by replacing the module's functions and the socket classes' methods in
-- place, so every route to a socket (socket.bind/connect, tcp/tcp4/tcp6/udp/udp4/udp6 objects,
-- accept()ed clients, socket.http) goes through it. Scripts cannot reach the originals: the
-- sandbox hides userdata metatables and the registry.
local policy = {}

local format, match, tonumber, tostring, type, error = string.format, string.match, tonumber, tostring, type, error

local REMOTE_FIX = 'create the VM with capabilities { remoteNetwork = true }'
local SOCKET_CLASSES = { 'tcp{master}', 'tcp{client}', 'tcp{server}', 'udp{unconnected}', 'udp{connected}' }

local function is_loopback(host)
  if host == '::1' then return true end
  local a, b, c, d = match(host, '^(%d+)%.(%d+)%.(%d+)%.(%d+)$')
  return a == '127' and tonumber(b) < 256 and tonumber(c) < 256 and tonumber(d) < 256
end

-- The address LuaSocket gets for `host`, or nil when `host` is not loopback. Names other than
-- localhost are never resolved: the lookup alone would carry the name to a DNS server.
local function loopback(host, family)
  if host == 'localhost' then return family == 'inet6' and '::1' or '127.0.0.1' end
  if type(host) == 'string' and is_loopback(host) then return host end
  return nil
end

local function check_port(port)
  local n = tonumber(port)
  if n and n % 1 == 0 and (n == 0 or (n >= 1024 and n <= 65535)) then return true end
  return nil, format('socket: bind to port %s refused: networked VMs bind ports 1024-65535 (or 0 for any free '
    .. 'port) — pick a port number in that range', tostring(port))
end

-- Where a socket may be bound: the address to hand LuaSocket, or nil and why not.
local function bind_address(host, port, family, remote)
  local ok, why = check_port(port)
  if not ok then return nil, why end
  if remote then return host end
  local address = loopback(host, family)
  if address then return address end
  return nil, format('socket: bind to %s refused: a networked VM listens on loopback only — bind 127.0.0.1, ::1 '
    .. 'or localhost, or %s', tostring(host), REMOTE_FIX)
end

-- Which peer a socket may reach: the address to hand LuaSocket, or nil and why not.
local function peer_address(verb, host, family, remote)
  if remote then return host end
  local address = loopback(host, family)
  if address then return address end
  return nil, format('socket: %s %s refused: a networked VM talks to loopback only (127.0.0.1, ::1, localhost) — '
    .. '%s to reach other hosts', verb, tostring(host), REMOTE_FIX)
end

local function family_of(sock)
  return sock:getfamily() == 'inet6' and 'inet6' or 'inet'
end

-- The kernel binds an unbound UDP socket that sends to every interface, where any host could
-- reach it: bind it to loopback first.
local function bind_udp_to_loopback(sock, setsockname, peer)
  local ip, port = sock:getsockname()
  if ip and tonumber(port) ~= 0 then return true end
  return setsockname(sock, peer == '::1' and '::1' or '127.0.0.1', 0)
end

local function blocked_setfd()
  error('socket: setfd is blocked in the sandbox (it would hand a socket the runner\'s own file descriptors)', 2)
end

local function wrap_methods(methods, remote)
  local bind, connect, listen = methods.bind, methods.connect, methods.listen
  local setsockname, setpeername, sendto = methods.setsockname, methods.setpeername, methods.sendto
  local is_udp = sendto ~= nil

  local function checked_bind(original)
    return function(self, host, port)
      local address, why = bind_address(host, port, family_of(self), remote())
      if not address then error(why, 2) end
      return original(self, address, port)
    end
  end
  if bind then methods.bind = checked_bind(bind) end
  if setsockname then methods.setsockname = checked_bind(setsockname) end

  if listen then
    methods.listen = function(self, backlog)
      if not remote() then
        local ip, port = self:getsockname()
        if not (ip and tonumber(port) ~= 0 and is_loopback(ip)) then
          error('socket: listen refused: the socket is not bound to a loopback address, so it would listen on every '
            .. 'interface — bind it to 127.0.0.1 first, or ' .. REMOTE_FIX, 2)
        end
      end
      return listen(self, backlog)
    end
  end

  local function checked_connect(original)
    return function(self, host, port)
      if is_udp and host == '*' then return original(self, host, port) end -- disconnects a UDP socket
      local is_remote = remote()
      local address, why = peer_address('connect to', host, family_of(self), is_remote)
      if not address then error(why, 2) end
      if is_udp and not is_remote then
        local ok, err = bind_udp_to_loopback(self, setsockname, address)
        if not ok then return nil, err end
      end
      return original(self, address, port)
    end
  end
  if connect then methods.connect = checked_connect(connect) end
  if setpeername then methods.setpeername = checked_connect(setpeername) end

  if sendto then
    methods.sendto = function(self, data, ip, port)
      local is_remote = remote()
      local address, why = peer_address('send to', ip, family_of(self), is_remote)
      if not address then error(why, 2) end
      if not is_remote then
        local ok, err = bind_udp_to_loopback(self, setsockname, address)
        if not ok then return nil, err end
      end
      return sendto(self, data, address, port)
    end
  end
  if methods.setfd then methods.setfd = blocked_setfd end
end

local function wrap_module(socket, remote)
  local bind, connect, dns = socket.bind, socket.connect, socket.dns

  socket.bind = function(host, port, backlog)
    local address, why = bind_address(host == '*' and '0.0.0.0' or host, port, 'inet', remote())
    if not address then error(why, 2) end
    return bind(address, port, backlog)
  end

  local function checked_connect(fixed_family)
    return function(host, port, local_host, local_port, family)
      family = fixed_family or family
      local is_remote = remote()
      local address, why = peer_address('connect to', host, family, is_remote)
      if not address then error(why, 2) end
      if local_host ~= nil then
        local_host, why = bind_address(local_host, local_port or 0, family, is_remote)
        if not local_host then error(why, 2) end
      end
      return connect(address, port, local_host, local_port, family)
    end
  end
  socket.connect = checked_connect(nil)
  socket.connect4, socket.connect6 = checked_connect('inet'), checked_connect('inet6')

  for _, name in ipairs({ 'toip', 'tohostname', 'getaddrinfo', 'getnameinfo' }) do
    local lookup = dns[name]
    if lookup then
      dns[name] = function(host, ...)
        if not (remote() or loopback(host)) then
          error(format('socket.dns: looking up %s refused: a networked VM resolves loopback names only — %s',
            tostring(host), REMOTE_FIX), 2)
        end
        return lookup(host, ...)
      end
    end
  end
end

-- Modules of the LuaSocket distribution that reach files and devices rather than the network.
policy.BLOCKED_MODULES = { ['socket.unix'] = true, ['socket.serial'] = true }

--- Narrows `socket` (the loaded LuaSocket module) and its classes for good; `remote()` says
--- whether the VM may leave loopback, asked at each call.
function policy.apply(socket, remote)
  wrap_module(socket, remote)
  local registry, seen = debug.getregistry(), {}
  for _, class in ipairs(SOCKET_CLASSES) do
    local mt = registry[class]
    local methods = type(mt) == 'table' and rawget(mt, '__index')
    if type(methods) == 'table' and not seen[methods] then
      seen[methods] = true
      wrap_methods(methods, remote)
    end
  end
end

return policy
