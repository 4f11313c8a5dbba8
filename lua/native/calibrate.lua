-- Measures how many VM instructions this interpreter runs per CPU second, on a mix of plain Lua
-- (arithmetic, table reads and writes, calls, branches, a string method): the rate at which the
-- native guard charges CPU time to the instruction quota (see lua/runtime/sandbox.lua). Prints
-- the rate. Run by scripts/build-native.mjs with each interpreter it builds the guard for.
if jit then jit.off() end

local function work(n)
  local t, s = {}, 0
  local function add(a, b) return a + b end
  for i = 1, n do
    local k = i % 64 + 1
    t[k] = i
    s = add(s, t[k]) % 1000003
    if s % 3 == 0 then s = s + #("x"):rep(k % 4) end
  end
  return s
end

-- Instructions per iteration, counted exactly by a count hook over a short run.
local counted = 0
local SAMPLE = 20000
debug.sethook(function() counted = counted + 1 end, '', 1)
work(SAMPLE)
debug.sethook()
local per_iteration = counted / SAMPLE

-- Iterations per CPU second without any hook: the best of five runs of at least 50 ms each.
local best = 0
for _ = 1, 5 do
  local n = 100000
  while true do
    local t0 = os.clock()
    work(n)
    local elapsed = os.clock() - t0
    if elapsed >= 0.05 then
      best = math.max(best, n / elapsed)
      break
    end
    n = n * 2
  end
end
io.write(string.format('%.0f\n', best * per_iteration))
