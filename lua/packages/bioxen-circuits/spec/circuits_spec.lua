-- Tests for bioxen.circuits. Run from the package folder with any Lua 5.1-5.4 or LuaJIT:
--   lua5.4 spec/circuits_spec.lua   (prints "ok N" per check, exits non-zero on the first failure)
package.path = "src/?.lua;../?.lua;" .. package.path
local circuits = require("bioxen.circuits")

local spec = require("spec_support")
local check, near, raises = spec.check, spec.near, spec.raises

-- RK4 against closed forms
local decay = circuits.integrate(function(_, y) return { -y[1] } end, { 1 }, { t_end = 1, dt = 0.1 })
near("exponential decay e^-1", decay.y[#decay.y][1], math.exp(-1), 1e-6)
check("integrate keeps the initial state", decay.t[1] == 0 and decay.y[1][1] == 1)
check("integrate step count", #decay.t == 11, "got " .. #decay.t)
local osc = circuits.integrate(function(_, y) return { y[2], -y[1] } end, { 0, 1 }, { t_end = math.pi, dt = math.pi / 300 })
near("harmonic oscillator sin(pi)", osc.y[#osc.y][1], 0, 1e-6)
near("harmonic oscillator cos(pi)", osc.y[#osc.y][2], -1, 1e-6)
raises("bad dt", function() circuits.integrate(function() return { 0 } end, { 1 }, { t_end = 1, dt = 0 }) end,
  "dt must be a positive number")
raises("too many steps", function() circuits.integrate(function() return { 0 } end, { 1 }, { t_end = 1e9, dt = 1e-3 }) end,
  "exceed the limit")

-- Toggle switch: bistable, the initial condition picks the winner
local emitted = {}
local function recorder(mvoc, payload) emitted[#emitted + 1] = { mvoc = mvoc, payload = payload } end
local toggle = circuits.simulate(circuits.models.toggle_switch(), { t_end = 30, dt = 0.01, emit = recorder })
check("toggle u wins from u-high start", toggle.final.u > 5 and toggle.final.v < 1,
  "u=" .. toggle.final.u .. " v=" .. toggle.final.v)
local flipped = circuits.simulate(circuits.models.toggle_switch(), { t_end = 30, initial = { u = 0.5, v = 2 }, emit = false })
check("toggle v wins from v-high start", flipped.final.v > 5 and flipped.final.u < 1)
check("toggle u_high event recorded", #toggle.events == 1 and toggle.events[1].name == "u_high")
check("toggle event emitted once", #emitted == 1 and emitted[1].mvoc == "ethyl_acetate")
check("toggle payload names the circuit", emitted[1].payload:find("circuit=toggle_switch;event=u_high", 1, true) ~= nil,
  emitted[1].payload)
check("no emit when disabled", #flipped.events == 0 or flipped.events[1].emitted == false)

-- Repressilator oscillates: p1 crosses its threshold repeatedly
local ring = circuits.simulate(circuits.models.repressilator(), { t_end = 100, dt = 0.01, emit = false })
check("repressilator pulses several times", #ring.events >= 3, "events=" .. #ring.events)
local first, last = ring.events[1].time, ring.events[#ring.events].time
local period = (last - first) / (#ring.events - 1)
check("repressilator period plausible", period > 5 and period < 30, "period=" .. period)

-- Quorum sensing: autoinducer reaches quorum after the population grows
local quorum = circuits.simulate(circuits.models.quorum_sensing(), { t_end = 40, dt = 0.01, emit = false })
near("population reaches capacity", quorum.final.N, 1, 1e-3)
check("quorum event fires", #quorum.events == 1 and quorum.events[1].name == "quorum")
check("quorum after growth", quorum.events[1].time > 2, "t=" .. quorum.events[1].time)
local starved = circuits.simulate(circuits.models.quorum_sensing({ r = 0.01 }), { t_end = 10, emit = false })
check("no quorum when cells barely grow", #starved.events == 0)

-- Ol-Fi is optional: the default emitter uses bioxen.olfi only when it loads
package.loaded["bioxen.olfi"] = nil
package.preload["bioxen.olfi"] = function() error("not installed") end
local offline = circuits.simulate(circuits.models.quorum_sensing(), { t_end = 40 })
check("olfi missing: events recorded, not emitted", #offline.events == 1 and offline.events[1].emitted == false)
local sent = {}
package.loaded["bioxen.olfi"] = nil -- Lua 5.1 leaves a sentinel behind after a failed require
package.preload["bioxen.olfi"] = function() return { send = function(mvoc, payload) sent[#sent + 1] = mvoc .. "|" .. payload end } end
local online = circuits.simulate(circuits.models.quorum_sensing(), { t_end = 40 })
check("olfi present: event emitted", online.events[1].emitted == true and #sent == 1)
check("olfi frame carries the mvoc", sent[1]:find("^acetoin|circuit=quorum_sensing") ~= nil, sent[1])

-- With the real bioxen-olfi next to it (the workbench checkout): frames are valid Ol-Fi frames, and
-- a missing host is recorded instead of aborting the run.
package.loaded["bioxen.olfi"] = nil
package.preload["bioxen.olfi"] = nil
package.path = "../bioxen-olfi/src/?.lua;" .. package.path
local has_olfi, olfi = pcall(require, "bioxen.olfi")
if has_olfi then
  local no_host = circuits.simulate(circuits.models.quorum_sensing(), { t_end = 40 })
  check("olfi without host: run completes", no_host.events[1].emitted == false)
  check("olfi without host: reason kept", tostring(no_host.events[1].emit_error):find("no workbench host", 1, true) ~= nil,
    tostring(no_host.events[1].emit_error))
  local frames = {}
  olfi.set_transport(function(mvoc, text) frames[#frames + 1] = { mvoc = mvoc, text = text } end)
  local real = circuits.simulate(circuits.models.toggle_switch(), { t_end = 30 })
  check("real olfi: toggle event sent", real.events[1].emitted == true and #frames == 1)
  check("real olfi: valid frame", olfi.classify_entry(frames[1].mvoc, frames[1].text).status == "valid")
  olfi.set_transport(nil)
end

raises("unknown event species", function()
  local model = circuits.models.toggle_switch()
  model.events = { { name = "bad", species = "w", threshold = 1 } }
  circuits.simulate(model)
end, "watches unknown species 'w'")
raises("not a model", function() circuits.simulate({}) end, "model must come from circuits.models")

print("1.." .. spec.passed)
