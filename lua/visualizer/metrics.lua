-- Cellular-VM metrics for the visualizer, read from the hypervisor bridge's Redis stream (entry fields
-- vm, t, metrics = the wire JSON: atp, growth, gene_expression, extra series). Keeps, per VM, the
-- latest ATP level and its rate of change (the ATP flow), a short ATP history and the latest gene
-- expression levels. Bounded whatever the stream holds: MAX_VMS VMs (the least recently updated one
-- makes room), MAX_GENES genes and HISTORY samples per VM. A bad entry is counted with its reason,
-- never raised. No LÖVE calls, so plain LuaJIT tests it.
local metrics = {}
metrics.__index = metrics

metrics.MAX_VMS = 16
metrics.MAX_GENES = 8
metrics.HISTORY = 120
metrics.MIN_ATP_SCALE = 10 -- mM: a healthy cell's ATP sits around 1-10 mM, so gauges start there
local MAX_VM_ID = 128
local RATE_SMOOTHING = 0.3
-- Scales follow a fall slowly (per sample), so bars do not jump when one reading drops.
local PEAK_DECAY = 0.995

local function is_level(v)
  return type(v) == "number" and v == v and v >= 0 and v ~= math.huge
end

local function is_time(v)
  return type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge
end

function metrics.new(json)
  return setmetatable({
    json = json,
    vms = {}, -- name -> vm record
    count = 0,
    samples = 0,
    bad = 0,
    evicted = 0,
    last_bad = nil,
    clock = 0, -- ingest counter: which VM was updated least recently
  }, metrics)
end

function metrics:reject(reason)
  self.bad = self.bad + 1
  self.last_bad = reason
  return false, reason
end

local function field_map(list)
  local map = {}
  for i = 1, #list - 1, 2 do
    if map[list[i]] == nil then map[list[i]] = list[i + 1] end
  end
  return map
end

-- Up to MAX_GENES gene levels, by name, so bars keep their place from one sample to the next.
local function gene_levels(json, raw)
  if raw == nil then return {}, {} end
  if not json.is_object(raw) then return nil, "gene_expression must be an object of gene -> level" end
  local names = {}
  for name, level in pairs(raw) do
    if not is_level(level) then
      return nil, "gene_expression." .. tostring(name) .. " must be a number >= 0"
    end
    names[#names + 1] = name
  end
  table.sort(names)
  local kept, levels = {}, {}
  for i = 1, math.min(#names, metrics.MAX_GENES) do
    kept[i] = names[i]
    levels[names[i]] = raw[names[i]]
  end
  return kept, levels
end

local function parse(json, fields)
  local map = field_map(fields)
  if type(map.metrics) ~= "string" then return nil, "entry has no metrics field" end
  local value, err = json.decode(map.metrics)
  if err then return nil, "metrics is not valid JSON: " .. err end
  if not json.is_object(value) then return nil, "metrics must be a JSON object" end
  local vm = value.vm or map.vm
  if type(vm) ~= "string" or #vm < 1 or #vm > MAX_VM_ID then
    return nil, "vm must be a string of 1-" .. MAX_VM_ID .. " characters"
  end
  local t = value.t
  if t == nil then t = tonumber(map.t) end
  if not is_time(t) then return nil, "t must be the sample time in seconds" end
  if value.atp ~= nil and not is_level(value.atp) then return nil, "atp must be a number >= 0 (mM)" end
  local gene_names, genes = gene_levels(json, value.gene_expression)
  if not gene_names then return nil, genes end
  return { vm = vm, t = t, atp = value.atp, gene_names = gene_names, genes = genes }
end

function metrics:evict_oldest()
  local oldest
  for _, vm in pairs(self.vms) do
    if not oldest or vm.touched < oldest.touched then oldest = vm end
  end
  self.vms[oldest.name] = nil
  self.count = self.count - 1
  self.evicted = self.evicted + 1
end

function metrics:vm(name)
  local vm = self.vms[name]
  if vm then return vm end
  if self.count >= metrics.MAX_VMS then self:evict_oldest() end
  vm = { name = name, history = {}, rate = 0, atp_peak = 0, gene_peak = 0, gene_names = {}, genes = {} }
  self.vms[name] = vm
  self.count = self.count + 1
  return vm
end

local function record_atp(vm, atp, t)
  if vm.atp and vm.t and t > vm.t then
    local instant = (atp - vm.atp) / (t - vm.t)
    vm.rate = vm.rate + RATE_SMOOTHING * (instant - vm.rate)
  end
  vm.atp = atp
  local history = vm.history
  history[#history + 1] = atp
  if #history > metrics.HISTORY then table.remove(history, 1) end
  vm.atp_peak = math.max(atp, vm.atp_peak * PEAK_DECAY)
end

--- Takes one stream entry's field list ({name, value, ...}). Returns true, or false and the reason.
function metrics:ingest(fields)
  local sample, reason = parse(self.json, fields)
  if not sample then return self:reject(reason) end
  local vm = self:vm(sample.vm)
  self.clock = self.clock + 1
  vm.touched = self.clock
  if sample.atp then record_atp(vm, sample.atp, sample.t) end
  vm.t = math.max(vm.t or sample.t, sample.t)
  if #sample.gene_names > 0 then
    vm.gene_names, vm.genes = sample.gene_names, sample.genes
    local top = 0
    for _, level in pairs(sample.genes) do top = math.max(top, level) end
    vm.gene_peak = math.max(top, vm.gene_peak * PEAK_DECAY)
  end
  self.samples = self.samples + 1
  return true
end

--- The VMs sorted by name (a stable place on screen for each).
function metrics:list()
  local out = {}
  for _, vm in pairs(self.vms) do out[#out + 1] = vm end
  table.sort(out, function(a, b) return a.name < b.name end)
  return out
end

--- Full scale of the ATP gauges and of the gene bars, shared by every VM so they compare at a glance.
function metrics:scales()
  local atp, genes = metrics.MIN_ATP_SCALE, 0
  for _, vm in pairs(self.vms) do
    atp = math.max(atp, vm.atp_peak)
    genes = math.max(genes, vm.gene_peak)
  end
  return atp, genes
end

return metrics
