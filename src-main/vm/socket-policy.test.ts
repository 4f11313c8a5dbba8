// What LuaSocket lets a networked VM do (lua/runtime/socket_policy.lua): loopback only unless the
// VM has remoteNetwork, bind ports 1024–65535 (or 0) always. Real runners, real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../redis/redis-server-process';
import { which } from './lua-discovery';
import { VMLogger } from './logger';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.1', 'luajit'].filter((name) => which(name));
const quietLogger = new VMLogger({ sink: () => undefined });

// Each case runs in pcall and reports "ok" or the error message, so one exec checks many routes.
// The cases tail-call, so their messages carry no position; the last test checks positions.
const harness = `
local socket = require("socket")
local function try(f)
  local ok, err = pcall(f)
  if ok then return "ok" end
  return tostring(err)
end
`;

describe.each(versions)('sockets of networked VMs on %s', (lua) => {
  let manager: VMManager;

  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: lua, logger: quietLogger });
    await manager.createVM('local', { networked: true });
    await manager.createVM('remote', { networked: true, capabilities: { remoteNetwork: true } });
  });
  afterAll(async () => {
    await manager.dispose();
  });

  const run = async (vm: string, body: string) => {
    const result = await manager.executeVMSync(vm, `${harness}\n${body}`);
    expect(result.error).toBeUndefined();
    return result.values;
  };

  it('binds and listens on loopback, connects to a loopback peer on any port', async () => {
    const port = await freePort();
    const values = await run('local', `
      local server = assert(socket.bind("127.0.0.1", ${port}))
      local client = assert(socket.connect("localhost", ${port}))
      local accepted = assert(server:accept())
      client:send("hi\\n")
      local line = accepted:receive("*l")
      local any = socket.tcp()
      assert(any:bind("127.0.0.1", 0))
      assert(any:listen())
      local _, any_port = any:getsockname()
      local low_ok, low_err = socket.connect("127.0.0.1", 1)
      for _, s in ipairs({ server, client, accepted, any }) do s:close() end
      return line, tonumber(any_port) > 0, tostring(low_ok), low_err`);
    // Port 1 has no listener: LuaSocket's own "connection refused", not the policy.
    expect(values).toEqual(['hi', 'true', 'nil', 'connection refused']);
  });

  it('refuses to bind or listen beyond loopback, through every route', async () => {
    const port = await freePort();
    const values = await run('local', `
      return try(function() return socket.bind("0.0.0.0", ${port}) end),
        try(function() return socket.bind("*", ${port}) end),
        try(function() return socket.tcp():bind("0.0.0.0", ${port}) end),
        try(function() return socket.tcp4():setsockname("*", ${port}) end),
        try(function() return socket.tcp6():bind("::", ${port}) end),
        try(function() return socket.udp():setsockname("*", ${port}) end),
        try(function() return socket.udp6():setsockname("::", ${port}) end),
        try(function() return socket.tcp():listen() end),
        try(function() return socket.connect("127.0.0.1", ${port}, "0.0.0.0", 0) end)`);
    for (const value of values.slice(0, 7).concat(values[8])) {
      expect(value).toMatch(/^socket: bind to (0\.0\.0\.0|\*|::) refused: a networked VM listens on loopback only — bind 127\.0\.0\.1, ::1 or localhost, or create the VM with capabilities \{ remoteNetwork = true \}$/);
    }
    expect(values[7]).toMatch(/socket: listen refused: the socket is not bound to a loopback address.*bind it to 127\.0\.0\.1 first/);
  });

  it('refuses ports outside 1024–65535 for bind, even with remoteNetwork', async () => {
    const body = `
      return try(function() return socket.bind("127.0.0.1", 80) end),
        try(function() return socket.udp():setsockname("127.0.0.1", 70000) end),
        try(function() return socket.tcp():bind("127.0.0.1", "http") end)`;
    for (const vm of ['local', 'remote']) {
      const [low, high, named] = await run(vm, body);
      expect(low).toMatch(/socket: bind to port 80 refused: networked VMs bind ports 1024-65535 \(or 0 for any free port\) — pick a port number in that range/);
      expect(high).toMatch(/bind to port 70000 refused/);
      expect(named).toMatch(/bind to port http refused/);
    }
  });

  it('refuses to reach other hosts than loopback, through every route', async () => {
    const values = await run('local', `
      return try(function() return socket.connect("10.1.2.3", 80) end),
        try(function() return socket.connect4("10.1.2.3", 80) end),
        try(function() return socket.connect6("2001:db8::1", 80) end),
        try(function() return socket.tcp():connect("example.com", 80) end),
        try(function() return socket.tcp4():setpeername("10.1.2.3", 80) end),
        try(function() return socket.udp():setpeername("10.1.2.3", 53) end),
        try(function() return socket.udp4():sendto("x", "10.1.2.3", 53) end),
        try(function() return socket.udp6():sendto("x", "2001:db8::1", 53) end),
        try(function() return socket.dns.toip("example.com") end),
        try(function() return socket.tcp():connect("127.0.0.1.example.com", 80) end)`);
    const reach = /^socket: (connect to|send to) \S+ refused: a networked VM talks to loopback only \(127\.0\.0\.1, ::1, localhost\) — create the VM with capabilities \{ remoteNetwork = true \} to reach other hosts$/;
    for (const value of values.slice(0, 8).concat(values[9])) expect(value).toMatch(reach);
    expect(values[8]).toMatch(/socket\.dns: looking up example\.com refused: a networked VM resolves loopback names only/);
  });

  it('binds a sending UDP socket to loopback, not to every interface', async () => {
    const port = await freePort();
    const values = await run('local', `
      local receiver = assert(socket.udp())
      assert(receiver:setsockname("127.0.0.1", ${port}))
      receiver:settimeout(5)
      local sender = socket.udp()
      assert(sender:sendto("ping", "127.0.0.1", ${port}))
      local data, from = receiver:receivefrom()
      local connected = socket.udp()
      assert(connected:setpeername("localhost", ${port}))
      local ip = connected:getsockname()
      receiver:close(); sender:close(); connected:close()
      return data, from, ip`);
    expect(values).toEqual(['ping', '127.0.0.1', '127.0.0.1']);
  });

  it('blocks setfd and the LuaSocket modules that reach files and devices', async () => {
    const values = await run('local', `
      return try(function() return socket.tcp():setfd(1) end),
        try(function() return require("socket.unix") end),
        try(function() return require("socket.serial") end)`);
    expect(values[0]).toMatch(/socket: setfd is blocked in the sandbox/);
    expect(values[1]).toMatch(/module 'socket.unix' is blocked in the sandbox \(it reaches files and devices, not the network\)/);
    expect(values[2]).toMatch(/module 'socket.serial' is blocked/);
  });

  it("places a refusal at the script's line", async () => {
    const result = await manager.executeVMSync('local', 'local socket = require("socket")\nlocal s = socket.connect("10.1.2.3", 80)\nreturn s');
    expect(result.error).toMatchObject({ line: 2, message: expect.stringMatching(/^stdin:2: socket: connect to 10\.1\.2\.3 refused/) });
  });

  it('with remoteNetwork binds every interface and may address other hosts', async () => {
    const values = await run('remote', `
      local server = assert(socket.bind("*", 0))
      local ip = server:getsockname()
      server:close()
      local udp = socket.udp()
      -- A documentation-range address: the send may fail for routing, never for the policy.
      local sent = try(function() return udp:sendto("x", "192.0.2.1", 9) end)
      udp:close()
      return ip, sent, try(function() return socket.dns.toip("localhost") end)`);
    expect(values).toEqual(['0.0.0.0', 'ok', 'ok']);
  });
});
