-- The metrics column beside the Ol-Fi view: one card per cellular VM with its ATP gauge, the ATP flow
-- (chevrons running up or down the gauge as fast as ATP rises or falls, and the rate in mM/s), a short
-- ATP history, and the latest gene expression levels as bars.
local panel = {}

local lg = love.graphics

local CARD_H = 96
local PAD = 8
-- ATP amber and gene colours stay clear of the Ol-Fi validity green/red, so neither reads as a checksum.
local ATP_AMBER = { 0xf5 / 255, 0xa6 / 255, 0x23 / 255 }
local GENE_COLOURS = {
  { 0x4f / 255, 0x8c / 255, 1 },
  { 0xa0 / 255, 0x70 / 255, 1 },
  { 0x28 / 255, 0xc8 / 255, 0xd8 / 255 },
  { 1, 0x8a / 255, 0xd8 / 255 },
  { 0xd0 / 255, 0xd0 / 255, 0x60 / 255 },
  { 0x9a / 255, 0xb8 / 255, 0xd8 / 255 },
  { 0xc8 / 255, 0x90 / 255, 0x50 / 255 },
  { 0x70 / 255, 0x60 / 255, 0xc0 / 255 },
}
local PANEL = { 0.12, 0.13, 0.16 }
local CARD = { 0.16, 0.17, 0.21 }
local TRACK = { 0.22, 0.23, 0.27 }
local TEXT = { 0.90, 0.91, 0.93 }
local DIM = { 0.55, 0.57, 0.62 }
local STEADY_RATE = 0.005 -- mM/s below which ATP counts as steady (no flow drawn)

local small

function panel.load()
  small = lg.newFont(10)
end

--- Same gene, same colour in every card: the colour follows the name, not the bar's position.
function panel.gene_colour(name)
  local h = 0
  for i = 1, #name do h = (h * 31 + name:byte(i)) % 65536 end
  return GENE_COLOURS[h % #GENE_COLOURS + 1]
end

local function draw_flow(x, y, w, h, rate, scale, now)
  if math.abs(rate) < STEADY_RATE then return end
  -- Speed in px/s: the gauge's full width stands for `scale` mM, so chevrons move at the ATP rate itself,
  -- at least visibly and at most a blur.
  local speed = math.min(math.max(math.abs(rate) / scale * w, 12), 240)
  local spacing = 18
  local offset = (now * speed) % spacing
  local dir = rate > 0 and 1 or -1
  lg.setColor(1, 1, 1, 0.55)
  for cx = offset, w, spacing do
    local px = dir > 0 and x + cx or x + w - cx
    lg.polygon("fill", px, y + h / 2, px - 5 * dir, y + 2, px - 5 * dir, y + h - 2)
  end
end

local function draw_gauge(vm, x, y, w, scale, now)
  local h = 12
  lg.setColor(TRACK)
  lg.rectangle("fill", x, y, w, h)
  if vm.atp then
    lg.setColor(ATP_AMBER)
    lg.rectangle("fill", x, y, w * math.min(vm.atp / scale, 1), h)
    draw_flow(x, y, w, h, vm.rate, scale, now)
  end
end

local function draw_history(vm, x, y, w, h, scale)
  lg.setColor(TRACK)
  lg.rectangle("line", x, y, w, h)
  local history = vm.history
  if #history < 2 then return end
  local points = {}
  for i, atp in ipairs(history) do
    points[#points + 1] = x + (i - 1) / (#history - 1) * w
    points[#points + 1] = y + h - math.min(atp / scale, 1) * h
  end
  lg.setColor(ATP_AMBER)
  lg.setLineWidth(1.5)
  lg.line(points)
  lg.setLineWidth(1)
end

local function draw_genes(vm, x, y, w, h, scale)
  local names = vm.gene_names
  if #names == 0 then
    lg.setColor(DIM)
    lg.print("no gene expression", x, y + h / 2 - 6)
    return
  end
  local slot = w / #names
  local bar_w = math.max(4, slot - 6)
  local previous = lg.getFont()
  lg.setFont(small)
  for i, name in ipairs(names) do
    local bx = x + (i - 1) * slot
    local level = scale > 0 and math.min(vm.genes[name] / scale, 1) or 0
    lg.setColor(TRACK)
    lg.rectangle("fill", bx, y, bar_w, h - 12)
    lg.setColor(panel.gene_colour(name))
    local bar_h = (h - 12) * level
    lg.rectangle("fill", bx, y + h - 12 - bar_h, bar_w, bar_h)
    lg.setColor(DIM)
    lg.printf(name, bx - 2, y + h - 11, bar_w + 4, "center")
  end
  lg.setFont(previous)
end

local function draw_card(vm, x, y, w, atp_scale, gene_scale, now)
  lg.setColor(CARD)
  lg.rectangle("fill", x, y, w, CARD_H - 6)
  local inner = w - 2 * PAD
  lg.setColor(TEXT)
  lg.print(vm.name, x + PAD, y + 4)
  local atp_text = vm.atp and string.format("ATP %.2f mM  %s%.3f/s", vm.atp, vm.rate >= 0 and "+" or "", vm.rate) or "ATP -"
  lg.setColor(DIM)
  lg.printf(atp_text, x + PAD, y + 4, inner, "right")
  draw_gauge(vm, x + PAD, y + 22, inner, atp_scale, now)
  local history_w = math.floor(inner * 0.32)
  draw_history(vm, x + PAD, y + 40, history_w, 44, atp_scale)
  draw_genes(vm, x + PAD + history_w + 10, y + 40, inner - history_w - 10, 46, gene_scale)
end

--- Draws the column into the box; `stream` names the metrics stream for the title.
function panel.draw(state, stream, x, y, w, h, now)
  lg.setColor(PANEL)
  lg.rectangle("fill", x, y, w, h)
  lg.setColor(TEXT)
  lg.print("Cellular VMs: ATP and gene expression", x + PAD, y + 4)
  lg.setColor(DIM)
  lg.print(string.format("%s  %d VMs  %d samples  %d bad", stream, state.count, state.samples, state.bad), x + PAD, y + 20)
  local vms = state:list()
  if state.unavailable then
    lg.printf(state.unavailable, x + PAD, y + 48, w - 2 * PAD)
    return
  end
  if #vms == 0 then
    lg.print("waiting for metrics on " .. stream .. " …", x + PAD, y + 48)
    return
  end
  local atp_scale, gene_scale = state:scales()
  local fits = math.floor((h - 56) / CARD_H) -- leaves a line for "+N more"
  for i = 1, math.min(#vms, fits) do
    draw_card(vms[i], x + PAD / 2, y + 40 + (i - 1) * CARD_H, w - PAD, atp_scale, gene_scale, now)
  end
  if #vms > fits then
    lg.setColor(DIM)
    lg.print(string.format("+%d more VMs", #vms - fits), x + PAD, y + h - 16)
  end
end

return panel
