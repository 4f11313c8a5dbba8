-- What the visualizer draws: cells on a ring, molecules of each frame's compound diffusing from sender to
-- receiver, the latest frame's fields lighting in RFC order, checksum validity, recent frames, counters.
-- The far-right column belongs to the cellular-VM metrics (metrics_panel.lua); scene.metrics_box() says where.
local scene = {}

local lg = love.graphics
local MAX_PARTICLES = 4000
local MAX_CELLS = 24
local MAX_RECENT = 14
local FIELD_STEP = 0.18 -- seconds between two fields lighting up
local MOLECULES_PER_TARGET = 24
local METRICS_WIDTH = 320

local VALID_GREEN = { 0x3e / 255, 0xcf / 255, 0x6e / 255 }
local INVALID_RED = { 1, 0x3b / 255, 0x30 / 255 }
local BACKGROUND = { 0.07, 0.08, 0.10 }
local PANEL = { 0.12, 0.13, 0.16 }
local TEXT = { 0.90, 0.91, 0.93 }
local DIM = { 0.55, 0.57, 0.62 }
local UNKNOWN_GREY = { 0.5, 0.5, 0.5 }

local olfi, opts
local width, height = 960, 600
local colours = {}
local cells, cell_index = {}, {}
local particles = {}
local recent = {}
local latest -- {frame entry, lit_at}
local connection = { state = "connecting" }
local rate_window = {}
scene.counters = { total = 0, valid = 0, invalid = 0, by_status = {} }

local function hex_colour(hex)
  return { tonumber(hex:sub(2, 3), 16) / 255, tonumber(hex:sub(4, 5), 16) / 255, tonumber(hex:sub(6, 7), 16) / 255 }
end

local function colour_of(name)
  local compound = name and olfi.compound(name)
  return compound and colours[compound.name] or UNKNOWN_GREY
end

function scene.load(codec, options)
  olfi, opts = codec, options
  for _, compound in ipairs(olfi.compounds) do colours[compound.name] = hex_colour(compound.colour) end
  width, height = lg.getDimensions()
  lg.setBackgroundColor(BACKGROUND)
end

function scene.resize(w, h)
  width, height = w, h
  for i, cell in ipairs(cells) do cell.x, cell.y = scene.cell_position(i) end
end

function scene.set_connection(state, reason)
  connection.state, connection.reason = state, reason
end

-- Geometry: the channel (ring of cells) fills the left; recent frames right of it; fields at the bottom;
-- the metrics column at the far right, full height below the header.
local function olfi_width()
  return width - METRICS_WIDTH
end

local function channel_box()
  return 0, 48, olfi_width() - 300, height - 48 - 150
end

function scene.metrics_box()
  return olfi_width(), 48, METRICS_WIDTH, height - 48
end

-- Cells spread evenly over the ring (at least six slots, so the first few are not bunched together).
function scene.cell_position(i)
  local x, y, w, h = channel_box()
  local radius = math.min(w, h) * 0.38
  local angle = (i - 1) / math.max(#cells, 6) * 2 * math.pi - math.pi / 2
  return x + w / 2 + radius * math.cos(angle), y + h / 2 + radius * math.sin(angle)
end

local function cell(name)
  local i = cell_index[name]
  if i then return cells[i] end
  if #cells >= MAX_CELLS then return nil end
  i = #cells + 1
  cells[i] = { name = name, x = 0, y = 0, pulse = 0 }
  cell_index[name] = i
  for k, c in ipairs(cells) do c.x, c.y = scene.cell_position(k) end
  return cells[i]
end

local function targets(address, sender)
  if address == "*" or address:sub(1, 6) == "group:" then
    local out = {}
    for _, c in ipairs(cells) do
      if c ~= sender then out[#out + 1] = c end
    end
    return out
  end
  local c = cell(address)
  return c and { c } or {}
end

local function emit_molecules(from, to_list, colour)
  for _, to in ipairs(to_list) do
    for _ = 1, MOLECULES_PER_TARGET do
      if #particles >= MAX_PARTICLES then table.remove(particles, 1) end
      local travel = 1.6 + love.math.random() * 1.0
      particles[#particles + 1] = {
        x = from.x + love.math.random(-6, 6), y = from.y + love.math.random(-6, 6),
        tx = to.x, ty = to.y, age = 0, life = travel,
        vx = (to.x - from.x) / travel, vy = (to.y - from.y) / travel,
        colour = colour, target = to,
      }
    end
  end
end

function scene.add_frame(id, mvoc, result, extra)
  local counters = scene.counters
  counters.total = counters.total + 1
  counters.by_status[result.status] = (counters.by_status[result.status] or 0) + 1
  if result.status == "valid" then counters.valid = counters.valid + 1 else counters.invalid = counters.invalid + 1 end
  rate_window[#rate_window + 1] = love.timer.getTime()
  local entry = { id = id, mvoc = mvoc, result = result, extra = extra, colour = colour_of(mvoc) }
  table.insert(recent, 1, entry)
  if #recent > MAX_RECENT then recent[#recent] = nil end
  latest = { entry = entry, lit_at = love.timer.getTime() }
  local frame = result.frame
  if frame then
    local sender = cell(frame.source or ("?" .. (mvoc or "")))
    if sender then
      sender.pulse = 1
      emit_molecules(sender, targets(frame.address, sender), entry.colour)
    end
  end
end

function scene.update(dt)
  local alive = {}
  for _, p in ipairs(particles) do
    p.age = p.age + dt
    if p.age < p.life then
      -- Drift toward the receiver plus a random walk: diffusion, not a straight beam.
      p.x = p.x + p.vx * dt + (love.math.random() - 0.5) * 60 * dt
      p.y = p.y + p.vy * dt + (love.math.random() - 0.5) * 60 * dt
      alive[#alive + 1] = p
    else
      p.target.pulse = 1
    end
  end
  particles = alive
  for _, c in ipairs(cells) do c.pulse = math.max(0, c.pulse - dt * 1.5) end
  local now = love.timer.getTime()
  while rate_window[1] and rate_window[1] < now - 5 do table.remove(rate_window, 1) end
end

local function draw_header()
  lg.setColor(PANEL)
  lg.rectangle("fill", 0, 0, width, 40)
  local state_colour = connection.state == "connected" and VALID_GREEN
    or (connection.state == "error" and INVALID_RED or { 0.95, 0.75, 0.25 })
  lg.setColor(state_colour)
  lg.circle("fill", 18, 20, 7)
  lg.setColor(TEXT)
  local c = scene.counters
  lg.print(string.format("Ol-Fi  %s:%d  %s  [%s]%s", opts.host, opts.port, opts.stream, connection.state,
    connection.reason and ("  " .. connection.reason) or ""), 34, 6)
  lg.print(string.format("frames %d   valid %d   invalid %d   %.1f frames/s", c.total, c.valid, c.invalid, #rate_window / 5), 34, 22)
end

local function draw_channel()
  for _, p in ipairs(particles) do
    local fade = 1 - p.age / p.life
    lg.setColor(p.colour[1], p.colour[2], p.colour[3], 0.35 + 0.65 * fade)
    lg.circle("fill", p.x, p.y, 4)
  end
  for _, c in ipairs(cells) do
    lg.setColor(0.25 + 0.5 * c.pulse, 0.28 + 0.5 * c.pulse, 0.33 + 0.4 * c.pulse)
    lg.circle("fill", c.x, c.y, 16)
    lg.setColor(TEXT)
    lg.print(c.name, c.x - 28, c.y + 20)
  end
end

-- The six RFC fields of the latest frame, each lit in turn and coloured by the compound that carries it.
local function draw_fields()
  local y, h = height - 140, 120
  lg.setColor(PANEL)
  lg.rectangle("fill", 0, y - 10, olfi_width(), h + 20)
  if not latest then
    lg.setColor(DIM)
    lg.print("waiting for frames on " .. opts.stream .. " …", 20, y + 40)
    return
  end
  local entry, result = latest.entry, latest.entry.result
  local frame = result.frame
  local lit = math.floor((love.timer.getTime() - latest.lit_at) / FIELD_STEP) + 1
  local valid = result.status == "valid"
  local fields = {
    { "PREAMBLE", frame and table.concat(frame.preamble, " ") or "", colour_of(frame and frame.preamble[1]) },
    { "ADDRESS", frame and (frame.address .. (frame.source and ("  from " .. frame.source) or "")) or "", colour_of("ETHANOL") },
    { "CONTROL", frame and (frame.control.type .. " #" .. frame.control.sequence .. " " .. frame.control.priority) or "",
      colour_of("ACETALDEHYDE") },
    { "PAYLOAD", frame and frame.payload or (result.reason or ""), entry.colour },
    { "CHECKSUM", valid and ("OK " .. (frame and frame.checksum or "")) or ("BAD  " .. result.status), valid and VALID_GREEN or INVALID_RED },
    { "TERMINATOR", frame and table.concat(frame.terminator, " ") or "", colour_of(frame and frame.terminator[1]) },
  }
  local gap = 8
  local box_w = (olfi_width() - gap * 7) / 6
  for i, f in ipairs(fields) do
    local x = gap + (i - 1) * (box_w + gap)
    local on = i <= lit and (frame ~= nil or i == 5)
    local c = f[3]
    if on then lg.setColor(c) else lg.setColor(c[1] * 0.25, c[2] * 0.25, c[3] * 0.25) end
    lg.rectangle("fill", x, y, box_w, h - 30)
    lg.setColor(on and BACKGROUND or DIM)
    lg.print(f[1], x + 6, y + 6)
    lg.printf(f[2], x + 6, y + 24, box_w - 12)
  end
  lg.setColor(TEXT)
  lg.print(string.format("%s  %s  %s", entry.id, entry.mvoc or "(no mvoc)", valid and "valid" or (result.status .. ": " .. result.reason)),
    gap, y + h - 22)
end

local function draw_recent()
  local x = olfi_width() - 300
  lg.setColor(PANEL)
  lg.rectangle("fill", x, 48, 300, height - 48 - 150)
  for i, entry in ipairs(recent) do
    local y = 48 + 8 + (i - 1) * 22
    lg.setColor(entry.colour)
    lg.rectangle("fill", x + 8, y + 3, 12, 12)
    lg.setColor(entry.result.status == "valid" and VALID_GREEN or INVALID_RED)
    lg.print(entry.result.status == "valid" and "ok" or "x", x + 26, y)
    lg.setColor(TEXT)
    local frame = entry.result.frame
    lg.print(string.format("%s %s", entry.mvoc or "?", frame and frame.control.type or entry.result.status), x + 46, y)
  end
end

function scene.draw()
  draw_channel()
  draw_recent()
  draw_fields()
  draw_header()
end

return scene
