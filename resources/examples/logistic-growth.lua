-- Logistic growth of a bacterial population
-- Steps dN/dt = r N (1 - N / K) with Euler's method and prints the population every hour.
local r, K = 0.8, 1e9 -- growth rate per hour, carrying capacity (cells)
local N, dt = 1e3, 0.01 -- initial cells, step (hours)

for step = 0, 24 / dt do
  local t = step * dt
  if step % math.floor(1 / dt + 0.5) == 0 then
    print(("t=%5.1f h  N=%.3e cells"):format(t, N))
  end
  N = N + r * N * (1 - N / K) * dt
end
return N
