-- BioXen Ol-Fi visualizer (LÖVE 11): reads the Ol-Fi stream itself over RESP, decodes frames with the
-- bioxen-olfi codec, and shows molecules diffusing from sender to receiver, the frame's fields lighting
-- in RFC order, checksum validity and counters.
local source_dir = love.filesystem.getSource()
package.path = table.concat({
  source_dir .. "/?.lua",
  source_dir .. "/../?.lua",
  source_dir .. "/../packages/bioxen-olfi/src/?.lua",
  package.path,
}, ";")

local args = require("args")
local resp = require("olfi.resp")
local olfi = require("bioxen.olfi")
local scene = require("scene")

local opts
local client
local awaiting = {} -- kinds of the requests whose replies are owed, in order
local last_id
local poll_at = 0
local started_at
local shot = { frames_needed = nil, taken = false, ready_at = nil }
local POLL_INTERVAL = 0.05
local READ_COUNT = 500
local SETTLE_SECONDS = 1.6 -- time for the last frame's fields to light up before a screenshot

local function log(message)
  io.stdout:write("[olfi-visualizer] ", message, "\n")
  io.stdout:flush()
end

local function fail(message, code)
  io.stderr:write("[olfi-visualizer] ", message, "\n")
  io.stderr:flush()
  love.event.quit(code or 1)
end

local function request(kind, command)
  if client:send(command) then awaiting[#awaiting + 1] = kind end
end

local function field_map(list)
  local map, extra = {}, nil
  for i = 1, #list - 1, 2 do
    local name, value = list[i], list[i + 1]
    if (name == "mvoc" or name == "frame") and map[name] == nil then map[name] = value
    else
      extra = extra or {}
      extra[name] = value
    end
  end
  return map, extra
end

local function ingest(entries)
  for _, entry in ipairs(entries) do
    local id, fields = entry[1], entry[2]
    if type(id) == "string" and type(fields) == "table" then
      local map, extra = field_map(fields)
      local result = olfi.classify_entry(map.mvoc, map.frame)
      scene.add_frame(id, map.mvoc, result, extra)
      last_id = id
    end
  end
end

local function on_reply(kind, reply)
  if getmetatable(reply) == resp.Error then
    scene.set_connection("error", tostring(reply))
    if kind == "auth" then fail("Redis refused the credentials: " .. tostring(reply), 2) end
    if kind == "select" then fail("Redis refused the database number: " .. tostring(reply), 2) end
    return
  end
  if kind == "start" then
    last_id = (type(reply) == "table" and reply[1] and reply[1][1]) or "0-0"
    log("reading " .. opts.stream .. " after " .. last_id)
  elseif kind == "read" and type(reply) == "table" and reply[1] then
    ingest(reply[1][2] or {})
  end
end

local function pump()
  local was = client.state
  local replies = client:update()
  if client.state ~= was then
    awaiting = {}
    if client.state == "connected" then
      log("connected to " .. opts.host .. ":" .. opts.port)
      if client.password then awaiting[#awaiting + 1] = "auth" end
      if client.db and client.db ~= 0 then awaiting[#awaiting + 1] = "select" end
    end
  end
  for _, reply in ipairs(replies) do
    local kind = table.remove(awaiting, 1)
    if kind then on_reply(kind, reply) end
  end
  if client.state ~= "connected" then
    scene.set_connection(client.connects > 0 and "reconnecting" or "connecting", client.reason)
    return
  end
  scene.set_connection("connected")
  local now = love.timer.getTime()
  if #awaiting == 0 and now >= poll_at then
    poll_at = now + POLL_INTERVAL
    if last_id == nil then
      if opts.from then
        last_id = opts.from
        log("reading " .. opts.stream .. " after " .. last_id)
      else
        request("start", { "XREVRANGE", opts.stream, "+", "-", "COUNT", "1" })
        return
      end
    end
    request("read", { "XREAD", "COUNT", tostring(READ_COUNT), "STREAMS", opts.stream, last_id })
  end
end

local function save_screenshot(image)
  local file, err = io.open(opts.screenshot, "wb")
  if not file then return fail("cannot write the screenshot " .. opts.screenshot .. ": " .. tostring(err), 4) end
  file:write(image:encode("png"):getString())
  file:close()
  log("screenshot saved to " .. opts.screenshot .. " after " .. scene.counters.total .. " frames")
  love.event.quit(0)
end

local function check_screenshot()
  if not opts.screenshot or shot.taken then return end
  local now = love.timer.getTime()
  if scene.counters.total >= opts.after then
    shot.ready_at = shot.ready_at or now + SETTLE_SECONDS
    if now >= shot.ready_at then
      shot.taken = true
      love.graphics.captureScreenshot(save_screenshot)
    end
  elseif now - started_at > opts.timeout then
    shot.taken = true
    fail(string.format("only %d of %d frames arrived within %d s (%s)", scene.counters.total, opts.after, opts.timeout,
      client.reason or client.state), 3)
  end
end

function love.load(arg_list)
  local ok, parsed = pcall(args.parse, arg_list or {})
  if not ok then return fail(parsed, 2) end
  opts = parsed
  client = resp.new({
    host = opts.host, port = opts.port, db = tonumber(os.getenv("BIOXEN_REDIS_DB") or "0"),
    username = os.getenv("BIOXEN_REDIS_USER"), password = os.getenv("BIOXEN_REDIS_PASSWORD"),
  })
  started_at = love.timer.getTime()
  scene.load(olfi, opts)
  log("starting: " .. opts.host .. ":" .. opts.port .. " stream " .. opts.stream .. (opts.offscreen and " (offscreen)" or ""))
end

function love.update(dt)
  if not opts then return end
  pump()
  scene.update(dt)
  check_screenshot()
end

function love.draw()
  if opts then scene.draw() end
end

function love.resize(w, h)
  scene.resize(w, h)
end

function love.quit()
  if client then client:disconnect("quit") end
  return false
end
