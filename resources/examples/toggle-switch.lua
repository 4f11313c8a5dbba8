-- Genetic toggle switch (bioxen-circuits)
-- Simulates the Gardner-Cantor-Collins toggle from two starting states and prints which gene
-- wins (plotting both runs), then sweeps the promoter strength. Install bioxen-circuits into the session's environment.
local circuits = require("bioxen.circuits")

local function describe(label, run)
  print(("%-12s u=%6.3f v=%6.3f  events: %d"):format(label, run.final.u, run.final.v, #run.events))
end

local u_high = circuits.simulate(circuits.models.toggle_switch(), { t_end = 30, emit = false })
local v_high = circuits.simulate(circuits.models.toggle_switch(), { t_end = 30, initial = { u = 0.5, v = 2 }, emit = false })
describe("u starts high", u_high)
describe("v starts high", v_high)
circuits.plot(u_high, { title = "Toggle switch, u starts high", ylabel = "concentration" })
circuits.plot(v_high, { title = "Toggle switch, v starts high", ylabel = "concentration" })

for _, a in ipairs({ 1, 2, 5, 10, 20 }) do
  local run = circuits.simulate(circuits.models.toggle_switch({ a1 = a, a2 = a }), { t_end = 30, emit = false })
  print(("a1 = a2 = %2d -> u=%6.3f v=%6.3f %s"):format(a, run.final.u, run.final.v, run.final.u > 2 * run.final.v and "(latched)" or "(no memory)"))
end
