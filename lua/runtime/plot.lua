-- bioxen.plot: plots and tables from sandboxed Lua, shown inline in the console.
--
-- A plot crosses the runner protocol as one {id, t="plot", p} line whose number columns are
-- packed as comma-separated text by table.concat (in C: a million points cost one call, not a
-- million JSON values). Its bytes count against the run's outputBytes like printed text. The host
-- (src-main/vm/plot-data.ts) parses the columns, turns non-finite values into gaps, bins
-- histograms and decimates long series for display.
local plot = {}

local type, pairs, ipairs, tostring, error, pcall, select = type, pairs, ipairs, tostring, error, pcall, select
local format, concat, sort, huge = string.format, table.concat, table.sort, math.huge

local MAX_SERIES, MAX_TEXT, MAX_COLUMNS = 32, 200, 64

-- Errors raised while building are tables, so the public function can re-raise exactly these at
-- the user's call site and let anything else (a limit, an interrupt) pass through untouched.
local function fail(message) error({ plot_error = message }, 0) end

local function describe(v)
  if v == nil then return 'nil' end
  return type(v)
end

local function optional_text(opts, key, fn)
  local v = opts[key]
  if v == nil then return nil end
  if type(v) ~= 'string' and type(v) ~= 'number' then
    fail(format('%s: option %s must be a string, got %s', fn, key, describe(v)))
  end
  v = tostring(v)
  if #v > MAX_TEXT then v = v:sub(1, MAX_TEXT) end
  return v
end

local function optional_flag(opts, key, fn)
  local v = opts[key]
  if v == nil then return false end
  if type(v) ~= 'boolean' then fail(format('%s: option %s must be true or false, got %s', fn, key, describe(v))) end
  return v
end

-- Checks that v is an array of numbers; returns its length. `positive` is for log axes.
local function numbers(fn, what, v, positive)
  if type(v) ~= 'table' then fail(format('%s: %s must be an array of numbers, got %s', fn, what, describe(v))) end
  local n = #v
  if n == 0 then fail(format('%s: %s is empty — give at least one number', fn, what)) end
  for i = 1, n do
    local x = v[i]
    if type(x) ~= 'number' then
      fail(format('%s: %s[%d] must be a number, got %s', fn, what, i, x == nil and 'nil (a hole in the array)' or type(x)))
    end
    if positive and not (x > 0) and x == x then
      fail(format('%s: %s[%d] is %s, but a log axis needs values > 0 — drop it or use a linear axis', fn, what, i, tostring(x)))
    end
  end
  return n
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do
    if type(k) ~= 'string' then fail(format('series names must be strings, got %s', type(k))) end
    keys[#keys + 1] = k
  end
  sort(keys)
  return keys
end

-- Series as given: an array of {name=, y=} or a map name → array (drawn in name order, or in
-- `order`, e.g. a simulation's species list).
local function series_list(fn, given, order)
  if type(given) ~= 'table' then fail(format('%s: series must be a table, got %s', fn, describe(given))) end
  local list = {}
  if given[1] ~= nil then
    for i, s in ipairs(given) do
      if type(s) ~= 'table' then fail(format('%s: series[%d] must be a table {name = …, y = …}, got %s', fn, i, type(s))) end
      local name = s.name == nil and ('series ' .. i) or s.name
      if type(name) ~= 'string' and type(name) ~= 'number' then
        fail(format('%s: series[%d].name must be a string, got %s', fn, i, type(name)))
      end
      list[i] = { name = tostring(name), y = s.y or s[1] }
    end
  else
    local names = order or sorted_keys(given)
    for _, name in ipairs(names) do
      if given[name] ~= nil then list[#list + 1] = { name = tostring(name), y = given[name] } end
    end
  end
  if #list == 0 then fail(format('%s: no series to draw — give y = {…} or series = {…}', fn)) end
  if #list > MAX_SERIES then fail(format('%s: %d series, at most %d fit in one plot', fn, #list, MAX_SERIES)) end
  return list
end

local function has_table_value(t)
  for _, v in pairs(t) do
    if type(v) == 'table' then return true end
  end
  return false
end

local function is_run(t)
  return type(t) == 'table' and t.t ~= nil and type(t.series) == 'table'
end

-- The forms every xy plot accepts, as one table {x, series, options…}:
--   plot.line{x = xs, y = ys, …}  plot.line{x = xs, series = {…}, …}  plot.line(xs, ys [, opts])
--   plot.line(ys [, opts])        plot.line(run [, opts]) with run = {t = …, series = {…}}
local function normalize(fn, ...)
  local a, b, c = ...
  if select('#', ...) == 0 or type(a) ~= 'table' then
    fail(format('%s expects {x = …, y = …}, (xs, ys), or a simulation result {t = …, series = …}; got %s', fn, describe(a)))
  end
  if is_run(a) then
    if b ~= nil and type(b) ~= 'table' then fail(format('%s: options must be a table, got %s', fn, type(b))) end
    local opts = b or {}
    local order = type(a.species) == 'table' and a.species or nil
    local spec = { x = a.t, series = series_list(fn, a.series, order), xlabel = 't', title = a.model }
    for k, v in pairs(opts) do spec[k] = v end
    return spec
  end
  if type(a[1]) == 'number' then
    if type(b) == 'table' and b[1] ~= nil and type(b[1]) == 'number' then
      if c ~= nil and type(c) ~= 'table' then fail(format('%s: options must be a table, got %s', fn, type(c))) end
      local spec = { x = a, y = b }
      for k, v in pairs(c or {}) do spec[k] = v end
      return spec
    end
    if b ~= nil and type(b) ~= 'table' then fail(format('%s: second argument must be an array of numbers or options, got %s', fn, type(b))) end
    if type(b) == 'table' and (type(b[1]) == 'table' or has_table_value(b)) then
      if c ~= nil and type(c) ~= 'table' then fail(format('%s: options must be a table, got %s', fn, type(c))) end
      local spec = { x = a, series = b }
      for k, v in pairs(c or {}) do spec[k] = v end
      return spec
    end
    local spec = { y = a }
    for k, v in pairs(b or {}) do spec[k] = v end
    return spec
  end
  return a
end

local function encode_series(fn, list, n, logy)
  local parts = {}
  for i, s in ipairs(list) do
    local count = numbers(fn, s.what or format("series '%s'", s.name), s.y, logy)
    if n and count ~= n then
      fail(format('%s: %s has %d values but x has %d — give every series one value per x', fn,
        s.what or format("series '%s'", s.name), count, n))
    end
    n = n or count
    parts[i] = '{"name":' .. plot.json.encode_string(s.name) .. ',"y":"' .. concat(s.y, ',') .. '"}'
  end
  return concat(parts, ','), n
end

local function header(kind, spec, fn)
  local enc = plot.json.encode_string
  local fields = { '"kind":"' .. kind .. '"' }
  for _, key in ipairs({ 'title', 'xlabel', 'ylabel' }) do
    local v = optional_text(spec, key, fn)
    if v then fields[#fields + 1] = '"' .. key .. '":' .. enc(v) end
  end
  return fields
end

local function xy_payload(kind, fn, spec)
  local logx, logy = optional_flag(spec, 'logx', fn), optional_flag(spec, 'logy', fn)
  local fields = header(kind, spec, fn)
  fields[#fields + 1] = '"logx":' .. tostring(logx) .. ',"logy":' .. tostring(logy)
  local n
  if spec.x ~= nil then
    n = numbers(fn, 'x', spec.x, logx)
    fields[#fields + 1] = '"x":"' .. concat(spec.x, ',') .. '"'
  end
  local list
  if spec.y == nil and spec.series == nil then fail(format('%s: nothing to draw — give y = {…} or series = {…}', fn)) end
  if spec.y ~= nil then
    if spec.series ~= nil then fail(format('%s: give either y = {…} or series = {…}, not both', fn)) end
    local name = spec.name == nil and 'y' or spec.name
    if type(name) ~= 'string' and type(name) ~= 'number' then fail(format('%s: option name must be a string, got %s', fn, type(name))) end
    list = { { name = tostring(name), y = spec.y, what = 'y' } }
  else
    list = series_list(fn, spec.series)
  end
  local series = encode_series(fn, list, n, logy)
  fields[#fields + 1] = '"series":[' .. series .. ']'
  return '{' .. concat(fields, ',') .. '}'
end

local function bar_payload(fn, spec)
  if spec.labels ~= nil then
    local labels = spec.labels
    if type(labels) ~= 'table' then fail(format('%s: labels must be an array of strings, got %s', fn, type(labels))) end
    local copy = {}
    for i = 1, #labels do
      local l = labels[i]
      if type(l) ~= 'string' and type(l) ~= 'number' then fail(format('%s: labels[%d] must be a string, got %s', fn, i, describe(l))) end
      copy[i] = plot.json.encode_string(tostring(l))
    end
    if #labels == 0 then fail(format('%s: labels is empty — give one label per bar', fn)) end
    local list = spec.y ~= nil and { { name = tostring(spec.name or 'y'), y = spec.y, what = 'y' } } or series_list(fn, spec.series)
    local series = encode_series(fn, list, #labels, optional_flag(spec, 'logy', fn))
    local fields = header('bar', spec, fn)
    fields[#fields + 1] = '"logx":false,"logy":' .. tostring(optional_flag(spec, 'logy', fn))
    fields[#fields + 1] = '"labels":[' .. concat(copy, ',') .. '],"series":[' .. series .. ']'
    return '{' .. concat(fields, ',') .. '}'
  end
  return xy_payload('bar', fn, spec)
end

local function histogram_payload(fn, ...)
  local a, b = ...
  local spec
  if type(a) == 'table' and type(a[1]) == 'number' then
    if b ~= nil and type(b) ~= 'table' then fail(format('%s: options must be a table, got %s', fn, type(b))) end
    spec = { values = a }
    for k, v in pairs(b or {}) do spec[k] = v end
  elseif type(a) == 'table' then
    spec = a
  else
    fail(format('%s expects {values = {…}, bins = n} or (values [, opts]); got %s', fn, describe(a)))
  end
  local bins = spec.bins
  if bins ~= nil and (type(bins) ~= 'number' or bins ~= bins or bins < 1 or bins > 10000 or bins % 1 ~= 0) then
    fail(format('%s: bins must be a whole number from 1 to 10000, got %s', fn, tostring(bins)))
  end
  local values = spec.values or spec.y
  numbers(fn, 'values', values)
  local fields = header('histogram', spec, fn)
  fields[#fields + 1] = '"logx":false,"logy":' .. tostring(optional_flag(spec, 'logy', fn))
  if bins then fields[#fields + 1] = '"bins":' .. format('%d', bins) end
  fields[#fields + 1] = '"series":[{"name":' .. plot.json.encode_string(tostring(spec.name or 'count'))
    .. ',"y":"' .. concat(values, ',') .. '"}]'
  return '{' .. concat(fields, ',') .. '}'
end

local function cell(v)
  local t = type(v)
  if t == 'string' then return plot.json.encode_string(v) end
  if t == 'number' then
    if v ~= v or v == huge or v == -huge then return plot.json.encode_string(tostring(v)) end
    return plot.json.encode(v)
  end
  if t == 'boolean' then return tostring(v) end
  if v == nil then return 'null' end
  return plot.json.encode_string(t)
end

local function table_payload(fn, rows, opts)
  if type(rows) ~= 'table' then fail(format('%s expects an array of records {{name = …, value = …}, …}; got %s', fn, describe(rows))) end
  if opts ~= nil and type(opts) ~= 'table' then fail(format('%s: options must be a table, got %s', fn, type(opts))) end
  opts = opts or {}
  local columns = opts.columns
  if columns == nil then
    local seen, found = {}, {}
    for i = 1, #rows do
      local row = rows[i]
      if type(row) ~= 'table' then fail(format('%s: rows[%d] must be a table (a record), got %s', fn, i, describe(row))) end
      for k in pairs(row) do
        if type(k) == 'string' and not seen[k] then seen[k], found[#found + 1] = true, k end
      end
    end
    sort(found)
    columns = found
  elseif type(columns) ~= 'table' then
    fail(format('%s: option columns must be an array of names, got %s', fn, type(columns)))
  end
  if #columns > MAX_COLUMNS then fail(format('%s: %d columns, at most %d are shown — pick some with columns = {…}', fn, #columns, MAX_COLUMNS)) end
  local names = {}
  for i, c in ipairs(columns) do
    if type(c) ~= 'string' then fail(format('%s: columns[%d] must be a string, got %s', fn, i, type(c))) end
    names[i] = plot.json.encode_string(c)
  end
  local out = {}
  for i = 1, #rows do
    local row = rows[i]
    if type(row) ~= 'table' then fail(format('%s: rows[%d] must be a table (a record), got %s', fn, i, describe(row))) end
    local cells = {}
    for j, c in ipairs(columns) do cells[j] = cell(row[c]) end
    out[i] = '[' .. concat(cells, ',') .. ']'
  end
  local fields = header('table', opts, fn)
  fields[#fields + 1] = '"columns":[' .. concat(names, ',') .. '],"rows":[' .. concat(out, ',') .. ']'
  return '{' .. concat(fields, ',') .. '}'
end

-- The module a session gets from require('bioxen.plot'); `send` hands a payload to the runner.
function plot.module(send)
  local function api(fn, build)
    return function(...)
      local ok, payload = pcall(build, fn, ...)
      if not ok then
        if type(payload) == 'table' and payload.plot_error then error(payload.plot_error, 2) end
        error(payload, 0)
      end
      send(payload)
    end
  end
  local m = {}
  for _, kind in ipairs({ 'line', 'scatter', 'step' }) do
    m[kind] = api('plot.' .. kind, function(fn, ...) return xy_payload(kind, fn, normalize(fn, ...)) end)
  end
  m.bar = api('plot.bar', function(fn, ...)
    local a = ...
    if type(a) == 'table' and (a.labels ~= nil) then return bar_payload(fn, a) end
    return bar_payload(fn, normalize(fn, ...))
  end)
  m.histogram = api('plot.histogram', histogram_payload)
  m.show = api('bioxen.show', table_payload)
  return m
end

return plot
