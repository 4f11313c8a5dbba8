-- Logistic growth of a bacterial population
-- Steps dN/dt = r N (1 - N / K) with Euler's method, prints the population every hour and plots
-- the growth curve on a log axis.
local plot = require("bioxen.plot")
local r, K = 0.8, 1e9 -- growth rate per hour, carrying capacity (cells)
local N, dt = 1e3, 0.01 -- initial cells, step (hours)
local times, cells = {}, {}

for step = 0, 24 / dt do
  local t = step * dt
  if step % math.floor(1 / dt + 0.5) == 0 then
    print(("t=%5.1f h  N=%.3e cells"):format(t, N))
  end
  times[#times + 1], cells[#cells + 1] = t, N
  N = N + r * N * (1 - N / K) * dt
end
plot.line{ x = times, y = cells, name = "N", title = "Logistic growth", xlabel = "t (h)", ylabel = "cells", logy = true }
return N
