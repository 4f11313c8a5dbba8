-- Command-line options of the visualizer: love lua/visualizer --redis HOST:PORT --stream KEY
--   [--metrics-stream KEY] [--from ID] [--offscreen --screenshot FILE --after N [--after-metrics N] [--timeout S]]
-- --after counts Ol-Fi frames and --after-metrics metric samples; the screenshot waits for both.
-- Credentials and database come from BIOXEN_REDIS_USER / BIOXEN_REDIS_PASSWORD / BIOXEN_REDIS_DB, never
-- from the command line, where any user could read them.
local args = {}

function args.parse(list)
  local opts = {
    host = "127.0.0.1", port = 6379, stream = "olfi_stream", metrics_stream = "bioxen_metrics",
    after = 10, after_metrics = 0, timeout = 30,
  }
  local i = 1
  local function value(name)
    i = i + 1
    local v = list[i]
    if v == nil then error("--" .. name .. " needs a value", 0) end
    return v
  end
  while i <= #list do
    local a = list[i]
    if a == "--redis" then
      local host, port = value("redis"):match("^%[?([^%]]-)%]?:(%d+)$")
      if not host then error("--redis needs HOST:PORT, e.g. 127.0.0.1:6379", 0) end
      opts.host, opts.port = host, tonumber(port)
    elseif a == "--stream" then
      opts.stream = value("stream")
    elseif a == "--metrics-stream" then
      opts.metrics_stream = value("metrics-stream")
    elseif a == "--from" then
      opts.from = value("from")
      if not opts.from:match("^%d+%-?%d*$") then error("--from needs a stream id like 0-0", 0) end
    elseif a == "--offscreen" then
      opts.offscreen = true
    elseif a == "--screenshot" then
      opts.screenshot = value("screenshot")
    elseif a == "--after" then
      opts.after = tonumber(value("after")) or error("--after needs a number of frames", 0)
    elseif a == "--after-metrics" then
      opts.after_metrics = tonumber(value("after-metrics")) or error("--after-metrics needs a number of samples", 0)
    elseif a == "--timeout" then
      opts.timeout = tonumber(value("timeout")) or error("--timeout needs a number of seconds", 0)
    elseif a:sub(1, 2) == "--" then
      error("unknown option " .. a, 0)
    end
    i = i + 1
  end
  if opts.metrics_stream == opts.stream then
    error("--metrics-stream and --stream both name " .. opts.stream
      .. "; metrics need their own stream (default bioxen_metrics)", 0)
  end
  return opts
end

return args
