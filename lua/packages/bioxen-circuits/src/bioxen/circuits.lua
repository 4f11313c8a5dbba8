-- bioxen.circuits: genetic circuit simulation for BioXen scripts — a fixed-step RK4 integrator and
-- three classic models (toggle switch, repressilator, quorum sensing). Threshold events can emit
-- Ol-Fi MVOC signals through `require("bioxen.olfi").send(mvoc, payload)` when that module exists.
-- Pure Lua that runs unchanged on Lua 5.1-5.4 and LuaJIT.
local circuits = { VERSION = "0.1.0", models = {} }

-- A run stops with an error instead of allocating without bound when t_end/dt is huge.
local MAX_STEPS = 1000000

local function fail(fn, message)
  error("bioxen.circuits." .. fn .. ": " .. message, 3)
end

local function axpy(y, k, h)
  local out = {}
  for i = 1, #y do out[i] = y[i] + h * k[i] end
  return out
end

--- One classical Runge-Kutta step of dy/dt = f(t, y, params); returns the new state list.
function circuits.rk4_step(f, t, y, dt, params)
  local k1 = f(t, y, params)
  local k2 = f(t + dt / 2, axpy(y, k1, dt / 2), params)
  local k3 = f(t + dt / 2, axpy(y, k2, dt / 2), params)
  local k4 = f(t + dt, axpy(y, k3, dt), params)
  local out = {}
  for i = 1, #y do
    out[i] = y[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i])
  end
  return out
end

local function step_count(fn, t0, t_end, dt)
  if type(dt) ~= "number" or dt <= 0 then fail(fn, "dt must be a positive number, got " .. tostring(dt)) end
  if type(t_end) ~= "number" or t_end <= t0 then fail(fn, "t_end must be a number greater than t0 (" .. t0 .. ")") end
  local steps = math.floor((t_end - t0) / dt + 0.5)
  if steps > MAX_STEPS then
    fail(fn, steps .. " steps exceed the limit of " .. MAX_STEPS .. " — use a larger dt or a shorter t_end")
  end
  return steps
end

--- Integrate from t0 to t_end with step dt. opts: t0 (0), t_end, dt, params, on_step(t, y).
--- Returns {t = {...}, y = {{...}, ...}} including the initial state.
function circuits.integrate(f, y0, opts)
  if type(f) ~= "function" then fail("integrate", "f must be a function(t, y, params) returning dy/dt") end
  if type(y0) ~= "table" or #y0 == 0 then fail("integrate", "y0 must be a non-empty list of numbers") end
  opts = opts or {}
  local t0 = opts.t0 or 0
  local steps = step_count("integrate", t0, opts.t_end, opts.dt)
  local ts, ys = { t0 }, { y0 }
  local y = y0
  for i = 1, steps do
    y = circuits.rk4_step(f, t0 + (i - 1) * opts.dt, y, opts.dt, opts.params)
    ts[i + 1] = t0 + i * opts.dt
    ys[i + 1] = y
    if opts.on_step then opts.on_step(ts[i + 1], y) end
  end
  return { t = ts, y = ys }
end

-- Events ----------------------------------------------------------------------------------------

local function crossed(event, before, after)
  local up = before < event.threshold and after >= event.threshold
  local down = before > event.threshold and after <= event.threshold
  if event.direction == "up" then return up and "up" or nil end
  if event.direction == "down" then return down and "down" or nil end
  return (up and "up") or (down and "down") or nil
end

-- The default emitter: Ol-Fi when the module is installed, otherwise events are only recorded.
-- A send that fails (no workbench host outside a VM) must not abort the simulation: the event is
-- kept with emitted = false and the reason.
local function olfi_emitter()
  local ok, olfi = pcall(require, "bioxen.olfi")
  if ok and type(olfi) == "table" and type(olfi.send) == "function" then
    return function(mvoc, payload)
      local sent, err = pcall(olfi.send, mvoc, payload)
      return sent, not sent and tostring(err) or nil
    end
  end
  return nil
end

local function event_payload(model, event, record)
  return string.format("circuit=%s;event=%s;species=%s;direction=%s;t=%.4f;value=%.6g",
    model.name, event.name, event.species, record.direction, record.time, record.value)
end

local function species_index(model)
  local index = {}
  for i, name in ipairs(model.species) do index[name] = i end
  return index
end

local function check_model(model)
  if type(model) ~= "table" or type(model.derivative) ~= "function" or type(model.species) ~= "table" then
    fail("simulate", "model must come from circuits.models.* or provide name, species, initial and derivative")
  end
  local index = species_index(model)
  for _, event in ipairs(model.events or {}) do
    if not index[event.species] then
      fail("simulate", "event '" .. tostring(event.name) .. "' watches unknown species '" .. tostring(event.species) .. "'")
    end
  end
  return index
end

local function merged(defaults, overrides)
  local out = {}
  for k, v in pairs(defaults or {}) do out[k] = v end
  for k, v in pairs(overrides or {}) do out[k] = v end
  return out
end

--- Simulate a model. opts: t_end (default 50), dt (default 0.01), params (overrides),
--- initial (species name -> value overrides), emit (function(mvoc, payload) returning false, reason
--- when it could not send, or false to not emit; default: bioxen.olfi when installed). Returns
--- {model, species, t, series = {name = {...}}, final = {name = value},
---  events = {{name, species, direction, time, value, mvoc, emitted, emit_error}}}.
function circuits.simulate(model, opts)
  local index = check_model(model)
  opts = opts or {}
  local params = merged(model.params, opts.params)
  local y0 = {}
  for i, name in ipairs(model.species) do
    y0[i] = (opts.initial and opts.initial[name]) or model.initial[i]
  end
  local emit = opts.emit
  if emit == nil then emit = olfi_emitter() end
  local events, previous = {}, y0
  local function on_step(t, y)
    for _, event in ipairs(model.events or {}) do
      local i = index[event.species]
      local direction = crossed(event, previous[i], y[i])
      if direction then
        local record = { name = event.name, species = event.species, direction = direction, time = t,
                         value = y[i], mvoc = event.mvoc, emitted = false }
        if emit and event.mvoc then
          local sent, err = emit(event.mvoc, event_payload(model, event, record))
          record.emitted = sent ~= false
          record.emit_error = err
        end
        events[#events + 1] = record
      end
    end
    previous = y
  end
  local run = circuits.integrate(model.derivative, y0,
    { t_end = opts.t_end or 50, dt = opts.dt or 0.01, params = params, on_step = on_step })
  local series, final = {}, {}
  for i, name in ipairs(model.species) do
    local values = {}
    for s = 1, #run.y do values[s] = run.y[s][i] end
    series[name] = values
    final[name] = values[#values]
  end
  return { model = model.name, species = model.species, t = run.t, series = series, final = final, events = events }
end

--- Plot a simulate() result inline in the console: one line per species over t, titled with the
--- model's name. opts are bioxen.plot's (title, xlabel, ylabel, logx, logy). Outside a workbench
--- session (plain lua) there is nothing to draw on: returns false and why, as emitting does.
function circuits.plot(run, opts)
  if type(run) ~= "table" or run.t == nil or type(run.series) ~= "table" then
    error("circuits.plot expects the result of circuits.simulate ({t = ..., series = ...}), got " .. type(run), 2)
  end
  local ok, plot = pcall(require, "bioxen.plot")
  if not ok then return false, "bioxen.plot is only available in a BioXen Workbench session" end
  plot.line(run, opts)
  return true
end

-- Models ----------------------------------------------------------------------------------------

--- Gardner-Cantor-Collins toggle switch: two mutually repressing genes u and v.
--- du/dt = a1/(1+v^beta) - u,  dv/dt = a2/(1+u^gamma) - v. Emits ethyl_acetate when u latches high.
function circuits.models.toggle_switch(params)
  return {
    name = "toggle_switch",
    species = { "u", "v" },
    initial = { 2.0, 0.5 },
    params = merged({ a1 = 10, a2 = 10, beta = 2, gamma = 2 }, params),
    derivative = function(_, y, p)
      return { p.a1 / (1 + y[2] ^ p.beta) - y[1], p.a2 / (1 + y[1] ^ p.gamma) - y[2] }
    end,
    events = { { name = "u_high", species = "u", threshold = 5, direction = "up", mvoc = "ethyl_acetate" } },
  }
end

--- Elowitz-Leibler repressilator: three genes repressing each other in a ring (mRNA m1..m3,
--- protein p1..p3). dm_i/dt = -m_i + alpha/(1+p_j^n) + alpha0, dp_i/dt = -beta (p_i - m_i).
--- Emits acetoin each time protein p1 rises through its threshold (one pulse per oscillation).
function circuits.models.repressilator(params)
  local repressor = { 3, 1, 2 }
  return {
    name = "repressilator",
    species = { "m1", "m2", "m3", "p1", "p2", "p3" },
    initial = { 1, 0, 0, 2, 1, 3 },
    params = merged({ alpha = 216, alpha0 = 0.216, beta = 5, n = 2 }, params),
    derivative = function(_, y, p)
      local dy = {}
      for i = 1, 3 do
        local pj = y[3 + repressor[i]]
        dy[i] = -y[i] + p.alpha / (1 + pj ^ p.n) + p.alpha0
        dy[3 + i] = -p.beta * (y[3 + i] - y[i])
      end
      return dy
    end,
    events = { { name = "p1_pulse", species = "p1", threshold = 20, direction = "up", mvoc = "acetoin" } },
  }
end

--- LuxI/LuxR-style quorum sensing: cells N grow logistically and make autoinducer A, whose
--- synthesis is self-induced above K. dN/dt = r N (1 - N/cap),
--- dA/dt = N (basal + induced A^n/(K^n + A^n)) - decay A. Emits acetoin when A reaches quorum.
function circuits.models.quorum_sensing(params)
  return {
    name = "quorum_sensing",
    species = { "N", "A" },
    initial = { 0.01, 0 },
    params = merged({ r = 0.8, cap = 1, basal = 0.05, induced = 1, K = 0.5, n = 2, decay = 0.1 }, params),
    derivative = function(_, y, p)
      local n_cells, a = y[1], math.max(y[2], 0)
      local induction = a ^ p.n / (p.K ^ p.n + a ^ p.n)
      return { p.r * n_cells * (1 - n_cells / p.cap), n_cells * (p.basal + p.induced * induction) - p.decay * a }
    end,
    events = { { name = "quorum", species = "A", threshold = 1, direction = "up", mvoc = "acetoin" } },
  }
end

return circuits
