-- BioXen Ol-Fi visualizer (LÖVE 11): reads the Ol-Fi stream itself over RESP, decodes frames with the
-- bioxen-olfi codec, and shows molecules diffusing from sender to receiver, the frame's fields lighting
-- in RFC order, checksum validity and counters; beside it, each cellular VM's ATP and gene expression from
-- the hypervisor bridge's metrics stream, read over the same connection.
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
local metrics = require("metrics")
local metrics_panel = require("metrics_panel")

local opts
local client
local awaiting = {} -- kinds of the requests whose replies are owed, in order
local last_id
local metrics_last_id
local cell_metrics
local poll_at = 0
local started_at
local shot = { frames_needed = nil, taken = false, ready_at = nil }
local POLL_INTERVAL = 0.05
local READ_COUNT = 500
-- Samples loaded at start, so gauges and histories show at once instead of after the next sample.
local METRICS_BACKLOG = 500
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

local function ingest_metrics(entries)
  for _, entry in ipairs(entries) do
    local id, fields = entry[1], entry[2]
    if type(id) == "string" and type(fields) == "table" then
      cell_metrics:ingest(fields)
      metrics_last_id = id
    end
  end
end

local function ingest_streams(streams)
  for _, stream in ipairs(streams) do
    local name, entries = stream[1], type(stream[2]) == "table" and stream[2] or {}
    if name == opts.stream then ingest(entries)
    elseif name == opts.metrics_stream then ingest_metrics(entries) end
  end
end

local function on_metrics_start(reply)
  local newest_first = type(reply) == "table" and reply or {}
  metrics_last_id = newest_first[1] and newest_first[1][1] or "0-0"
  local oldest_first = {}
  for i = #newest_first, 1, -1 do oldest_first[#oldest_first + 1] = newest_first[i] end
  ingest_metrics(oldest_first)
  log("reading " .. opts.metrics_stream .. " after " .. metrics_last_id)
end

local function on_reply(kind, reply)
  if getmetatable(reply) == resp.Error then
    if kind == "metrics_start" then
      -- A metrics key holding something else must not stop the Ol-Fi view: read Ol-Fi alone.
      cell_metrics.unavailable = "cannot read " .. opts.metrics_stream .. ": " .. tostring(reply)
      log(cell_metrics.unavailable)
      return
    end
    scene.set_connection("error", tostring(reply))
    if kind == "auth" then fail("Redis refused the credentials: " .. tostring(reply), 2) end
    if kind == "select" then fail("Redis refused the database number: " .. tostring(reply), 2) end
    return
  end
  if kind == "start" then
    last_id = (type(reply) == "table" and reply[1] and reply[1][1]) or "0-0"
    log("reading " .. opts.stream .. " after " .. last_id)
  elseif kind == "metrics_start" then
    on_metrics_start(reply)
  elseif kind == "read" and type(reply) == "table" then
    ingest_streams(reply)
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
    if last_id == nil and opts.from then
      last_id = opts.from
      log("reading " .. opts.stream .. " after " .. last_id)
    end
    if last_id == nil then request("start", { "XREVRANGE", opts.stream, "+", "-", "COUNT", "1" }) end
    if metrics_last_id == nil and not cell_metrics.unavailable then
      request("metrics_start", { "XREVRANGE", opts.metrics_stream, "+", "-", "COUNT", tostring(METRICS_BACKLOG) })
    end
    if #awaiting > 0 then return end
    -- One XREAD serves both streams; its reply lists only the streams that had new entries.
    if cell_metrics.unavailable then
      request("read", { "XREAD", "COUNT", tostring(READ_COUNT), "STREAMS", opts.stream, last_id })
    else
      request("read", { "XREAD", "COUNT", tostring(READ_COUNT), "STREAMS", opts.stream, opts.metrics_stream,
        last_id, metrics_last_id })
    end
  end
end

local function save_screenshot(image)
  local file, err = io.open(opts.screenshot, "wb")
  if not file then return fail("cannot write the screenshot " .. opts.screenshot .. ": " .. tostring(err), 4) end
  file:write(image:encode("png"):getString())
  file:close()
  log(string.format("screenshot saved to %s after %d frames and %d metric samples (%d bad%s)", opts.screenshot,
    scene.counters.total, cell_metrics.samples, cell_metrics.bad,
    cell_metrics.last_bad and (": " .. cell_metrics.last_bad) or ""))
  love.event.quit(0)
end

local function check_screenshot()
  if not opts.screenshot or shot.taken then return end
  local now = love.timer.getTime()
  if scene.counters.total >= opts.after and cell_metrics.samples >= opts.after_metrics then
    shot.ready_at = shot.ready_at or now + SETTLE_SECONDS
    if now >= shot.ready_at then
      shot.taken = true
      love.graphics.captureScreenshot(save_screenshot)
    end
  elseif now - started_at > opts.timeout then
    shot.taken = true
    fail(string.format("only %d of %d frames and %d of %d metric samples arrived within %d s (%s)", scene.counters.total,
      opts.after, cell_metrics.samples, opts.after_metrics, opts.timeout, client.reason or client.state), 3)
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
  cell_metrics = metrics.new(olfi.json)
  metrics_panel.load()
  log("starting: " .. opts.host .. ":" .. opts.port .. " stream " .. opts.stream .. " metrics " .. opts.metrics_stream
    .. (opts.offscreen and " (offscreen)" or ""))
end

function love.update(dt)
  if not opts then return end
  pump()
  scene.update(dt)
  check_screenshot()
end

function love.draw()
  if not opts then return end
  scene.draw()
  local x, y, w, h = scene.metrics_box()
  metrics_panel.draw(cell_metrics, opts.metrics_stream, x, y, w, h, love.timer.getTime())
end

function love.resize(w, h)
  scene.resize(w, h)
end

function love.quit()
  if client then client:disconnect("quit") end
  return false
end
