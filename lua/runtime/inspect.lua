-- Lazy, paged views of Lua values for the console tree, the variable inspector and the debugger.
-- Works on Lua 5.1–5.4 and LuaJIT.
--
--   local inspect = dofile(dir .. 'inspect.lua'); local reg = inspect.registry()
--   reg:preview(v [, count_cap])    -> { type, text, ref?, count?, name? }
--   reg:children(ref, start, count) -> { items = { { key = preview, value = preview }, ... }, total, next? }
--   reg:string(ref, start, count)   -> { text, start, total, next? }   (pages of a long string)
--   reg:release(ref)                   drops one ref; reg:release() drops them all
--   reg:demote()                       keeps every ref only while the program still holds its value
--   reg:tree(v, depth, width)       -> preview with `children` = { items, total } filled in eagerly
--                                      to depth levels of width entries (for text renderings)
--   inspect.registry{ first_ref = n }  refs count from n + 1 (refs stay unique across runners)
--
-- Values are hostile, and this code runs outside the script's limits (between runs, or inside a
-- debugger's hook), so it never calls a user metamethod: access is raw (rawget, next, rawlen,
-- debug.getmetatable), a __tostring is never called and __name is read as a plain field. A value's
-- text is therefore its structure, never what its __tostring would say; the runner's REPL
-- rendering (`done.values`) still calls __tostring, under the run's limits.
--
-- Cost: a preview is O(width) plus a count capped at `count_cap` steps of next(); a table's first
-- children() call takes one key snapshot (O(n), cached on the ref) and puts keys in order only as
-- far as the pages asked for reach (amortized O(n) for the first page, O(page log page) after it).
-- A long string is never copied beyond one page.
--
-- The same table (userdata, long string) always gets the same ref while it is registered, so a
-- client marks a cycle where a child's ref is one of its ancestors' refs (tree() marks them).
-- A ref holds its value strongly until it is released or demoted; a demoted ref answers for as
-- long as the program keeps the value alive anyway (a weak reference: it costs the program no
-- memory) and a long string's is dropped (weak tables keep strings, which would cost memory).
local inspect = {}

local real_debug = debug
local getmetatable, getinfo = real_debug.getmetatable, real_debug.getinfo
local rawget, next, type, tostring, ipairs, setmetatable = rawget, next, type, tostring, ipairs, setmetatable
local sort, concat = table.sort, table.concat
local sub, byte, gsub, find, format = string.sub, string.byte, string.gsub, string.find, string.format
local floor, huge = math.floor, math.huge
local coroutine_status = coroutine.status

local TEXT_CAP = 120 -- bytes of a preview's text
local STRING_INLINE = 100 -- a string longer than this gets a ref and is paged
local PREVIEW_COUNT_CAP = 100000 -- next() steps a top-level preview spends counting a table
local CHILD_COUNT_CAP = 1000 -- the same for each preview in a page of children
local MAX_PAGE = 1000 -- children per page
local MAX_STRING_PAGE = 1048576 -- bytes per string page
inspect.TEXT_CAP, inspect.STRING_INLINE, inspect.MAX_PAGE, inspect.MAX_STRING_PAGE =
  TEXT_CAP, STRING_INLINE, MAX_PAGE, MAX_STRING_PAGE

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t', ['\r'] = '\\r' }
local function escape_byte(c)
  return escapes[c] or format('\\%d', byte(c))
end

-- A string as a Lua literal, cut to `cap` bytes of content (never inside a UTF-8 sequence).
local function quote(s, cap)
  local cut = #s > cap
  if cut then
    local stop = cap
    -- Back off continuation bytes so a multi-byte character is never split.
    while stop > cap - 3 and stop > 0 do
      local b = byte(s, stop + 1)
      if not b or b < 0x80 or b >= 0xC0 then break end
      stop = stop - 1
    end
    s = sub(s, 1, stop)
  end
  s = gsub(s, '[%c"\\]', escape_byte)
  return '"' .. s .. (cut and '"…' or '"')
end

local function number_text(n)
  -- tostring on a number consults no metamethod a script can set (it has no debug.setmetatable).
  return tostring(n)
end

local function is_identifier(k)
  return type(k) == 'string' and find(k, '^[%a_][%w_]*$') ~= nil
end

local NAME_CAP = 60
local function mt_name(v)
  local mt = getmetatable(v)
  if type(mt) ~= 'table' then return nil, mt end
  local name = rawget(mt, '__name')
  if type(name) ~= 'string' then return nil, mt end
  if #name > NAME_CAP then name = sub(name, 1, NAME_CAP) .. '…' end
  return name, mt
end

local function function_text(f)
  local info = getinfo(f, 'S')
  if not info or info.what == 'C' then return 'function [C]' end
  return 'function <' .. info.short_src .. ':' .. (info.linedefined or 0) .. '>'
end

-- Short text for a value inside a table's one-line summary.
local function atom(v)
  local t = type(v)
  if t == 'string' then return quote(v, 20) end
  if t == 'number' then return number_text(v) end
  if t == 'table' then return '{…}' end
  if t == 'nil' or t == 'boolean' then return tostring(v) end
  return t
end

-- Counts a table's entries by next(), up to cap steps: the count, or nil when cap was reached.
local function count_entries(t, cap)
  local n, k = 0, next(t)
  while k ~= nil do
    n = n + 1
    if n > cap then return nil end
    k = next(t, k)
  end
  return n
end

-- `{1, 2, "a", x = 1, …}`: the array part in order, then (only for a small table, whose keys were
-- all seen while counting) the other keys in listing order; cut at TEXT_CAP.
local type_rank = { number = 1, string = 2, boolean = 3, table = 4, ['function'] = 5, userdata = 6, thread = 7 }
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return type_rank[ta] < type_rank[tb] end
  if ta == 'number' or ta == 'string' then return a < b end
  if ta == 'boolean' then return (not a) and b end
  return false
end

local function table_text(t, count)
  local parts, width, i = {}, 1, 1
  local function add(s)
    if width + #s + 2 > TEXT_CAP then return false end
    parts[#parts + 1] = s
    width = width + #s + 2
    return true
  end
  while true do
    local v = rawget(t, i)
    if v == nil then break end
    if not add(atom(v)) then return '{' .. concat(parts, ', ') .. ', …}' end
    i = i + 1
  end
  local array_n = i - 1
  if count ~= nil and count > array_n then
    if count - array_n > 64 then return '{' .. concat(parts, ', ') .. (#parts > 0 and ', …}' or '…}') end
    local keys, n, k = {}, 0, next(t)
    while k ~= nil do
      if not (type(k) == 'number' and k >= 1 and k <= array_n and k % 1 == 0) then
        n = n + 1
        keys[n] = k
      end
      k = next(t, k)
    end
    sort(keys, key_less)
    for j = 1, n do
      local key = keys[j]
      local ks = is_identifier(key) and key or ('[' .. atom(key) .. ']')
      if not add(ks .. ' = ' .. atom(rawget(t, key))) then return '{' .. concat(parts, ', ') .. ', …}' end
    end
  elseif count == nil then
    return '{' .. concat(parts, ', ') .. (#parts > 0 and ', …}' or '…}')
  end
  return '{' .. concat(parts, ', ') .. '}'
end

-- Registry ----------------------------------------------------------------------------------------

local Registry = {}
Registry.__index = Registry

local WEAK_VALUES, WEAK_KEYS = { __mode = 'v' }, { __mode = 'k' }

function inspect.registry(opts)
  local first = opts and type(opts.first_ref) == 'number' and opts.first_ref or 0
  return setmetatable({ values = {}, weak = setmetatable({}, WEAK_VALUES), ids = setmetatable({}, WEAK_KEYS),
    snapshots = {}, counts = {}, next_ref = first }, Registry)
end

local function lookup(self, ref)
  if type(ref) ~= 'number' then return nil end
  local v = self.values[ref]
  if v == nil then v = self.weak[ref] end
  return v
end

local function ref_of(self, v)
  local id = self.ids[v]
  if id and rawequal(lookup(self, id), v) then
    -- Seen again: it belongs to the current generation, held strongly again.
    self.values[id] = v
    return id
  end
  self.next_ref = self.next_ref + 1
  id = self.next_ref
  self.values[id], self.ids[v] = v, id
  return id
end

local function preview(self, v, count_cap)
  local t = type(v)
  if t == 'nil' or t == 'boolean' then return { type = t, text = tostring(v) } end
  if t == 'number' then return { type = t, text = number_text(v) } end
  if t == 'string' then
    local long = #v > STRING_INLINE
    return { type = t, text = quote(v, STRING_INLINE), count = #v, ref = long and ref_of(self, v) or nil }
  end
  if t == 'table' then
    local name, mt = mt_name(v)
    local id = self.ids[v]
    local snap = self.snapshots[id or false]
    local count = snap and snap.entries or (id and self.counts[id]) or count_entries(v, count_cap)
    local text = table_text(v, count)
    if name then text = name .. ' ' .. text end
    local expandable = next(v) ~= nil or mt ~= nil
    local ref = expandable and ref_of(self, v) or nil
    if ref and count then self.counts[ref] = count end
    return { type = t, text = text, count = count, name = name, ref = ref }
  end
  if t == 'function' then return { type = t, text = function_text(v) } end
  if t == 'thread' then return { type = t, text = 'thread (' .. coroutine_status(v) .. ')' } end
  -- userdata: its metatable is its only child.
  local name, mt = mt_name(v)
  return { type = t, text = name and (name .. ' (userdata)') or 'userdata', name = name,
    ref = mt ~= nil and ref_of(self, v) or nil }
end

-- count_cap (default 100,000): at most this many next() steps counting a table's entries.
function Registry:preview(v, count_cap) return preview(self, v, count_cap or PREVIEW_COUNT_CAP) end

-- Sorting lazily. A page needs only its own keys in order, so numbers and strings are put in
-- order as far as the pages asked for reach, by incremental quicksort (Paredes & Navarro): the first
-- page of 100k string keys costs O(n) comparisons instead of a full sort's O(n log n) (~200 ms in
-- lua5.4). A range asked for far ahead of what is sorted is finished by table.sort at once.
local INSERTION_MAX = 12

local function insertion_sort(a, lo, hi)
  for i = lo + 1, hi do
    local v, j = a[i], i - 1
    while j >= lo and v < a[j] do
      a[j + 1] = a[j]
      j = j - 1
    end
    a[j + 1] = v
  end
end

-- Partitions a[lo..hi] around a median-of-three pivot; returns the pivot's final index.
local function partition(a, lo, hi)
  local mid = floor((lo + hi) / 2)
  if a[mid] < a[lo] then a[mid], a[lo] = a[lo], a[mid] end
  if a[hi] < a[lo] then a[hi], a[lo] = a[lo], a[hi] end
  if a[hi] < a[mid] then a[hi], a[mid] = a[mid], a[hi] end
  local pivot = a[mid]
  a[mid], a[hi - 1] = a[hi - 1], a[mid]
  local i, j = lo, hi - 1
  while true do
    repeat i = i + 1 until a[i] >= pivot
    repeat j = j - 1 until pivot >= a[j]
    if i >= j then break end
    a[i], a[j] = a[j], a[i]
  end
  a[i], a[hi - 1] = a[hi - 1], a[i]
  return i
end

-- range = { lo, hi, done, stack }: keys[lo..done] are final; stack holds pivot positions above done.
local function sort_through(keys, range, upto)
  if upto > range.hi then upto = range.hi end
  if upto <= range.done then return end
  local stack = range.stack
  if (upto - range.done) * 8 > range.hi - range.lo + 1 then
    local rest, n = {}, 0
    for i = range.done + 1, range.hi do n = n + 1; rest[n] = keys[i] end
    sort(rest)
    for i = 1, n do keys[range.done + i] = rest[i] end
    range.done = range.hi
    return
  end
  while range.done < upto do
    local idx = range.done + 1
    local top = stack[#stack]
    if top - idx <= INSERTION_MAX then
      insertion_sort(keys, idx, top - 1)
      range.done = top
      stack[#stack] = nil
    else
      stack[#stack + 1] = partition(keys, idx, top - 1)
    end
  end
end

local function lazy_range(lo, hi)
  return { lo = lo, hi = hi, done = lo - 1, stack = { hi + 1 } }
end

-- The listing order of a table's keys, taken once per ref: 1..n while t[i] is not nil (compact,
-- not stored), then every other key by type (number, string, boolean, table, function, userdata,
-- thread) then value (numbers and strings by <, sorted lazily; false before true; the rest in
-- next() order), then the metatable.
local function snapshot(t, known_count)
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  -- Counted at its preview (unchanged since: the program has not run) and all of it is 1..n.
  if known_count == n then return { n = n, keys = {}, m = 0, entries = n, mt = getmetatable(t), lazy = {} } end
  local lists = { number = {}, string = {}, boolean = {}, table = {}, ['function'] = {}, userdata = {}, thread = {} }
  local sizes = { number = 0, string = 0, boolean = 0, table = 0, ['function'] = 0, userdata = 0, thread = 0 }
  local k = next(t)
  local entries = 0
  while k ~= nil do
    entries = entries + 1
    local kt = type(k)
    if not (kt == 'number' and k >= 1 and k <= n and k % 1 == 0) then
      local size = sizes[kt] + 1
      sizes[kt] = size
      lists[kt][size] = k
    end
    k = next(t, k)
  end
  local bools = lists.boolean
  if sizes.boolean == 2 then bools[1], bools[2] = false, true end
  -- The numbers come first, so their list becomes the listing (no copy of the common case).
  local keys, m = lists.number, sizes.number
  local lazy = { lazy_range(1, m), lazy_range(m + 1, m + sizes.string) }
  for _, kt in ipairs({ 'string', 'boolean', 'table', 'function', 'userdata', 'thread' }) do
    local list = lists[kt]
    for i = 1, sizes[kt] do keys[m + i] = list[i] end
    m = m + sizes[kt]
  end
  return { n = n, keys = keys, m = m, entries = entries, mt = getmetatable(t), lazy = lazy }
end

local METATABLE_KEY = { type = 'metatable', text = '[metatable]' }

local function clamp(x, low, high, default)
  if type(x) ~= 'number' or x ~= x then return default end
  x = floor(x)
  if x < low then return low end
  if x > high then return high end
  return x
end

local function released(ref)
  return 'no such value (ref ' .. tostring(ref) .. ') — it was released; run again to inspect it'
end

function Registry:children(ref, start, count)
  local v = lookup(self, ref)
  if v == nil then return nil, released(ref) end
  start, count = clamp(start, 1, huge, 1), clamp(count, 1, MAX_PAGE, 100)
  local vt = type(v)
  if vt ~= 'table' and vt ~= 'userdata' then return nil, 'a ' .. vt .. ' has no children' end
  local snap = self.snapshots[ref]
  if not snap then
    snap = vt == 'table' and snapshot(v, self.counts[ref])
      or { n = 0, keys = {}, m = 0, entries = 0, mt = getmetatable(v), lazy = {} }
    self.snapshots[ref] = snap
  end
  local total = snap.n + snap.m + (snap.mt ~= nil and 1 or 0)
  local items, last = {}, start + count - 1
  if last > total then last = total end
  for i = 1, #snap.lazy do sort_through(snap.keys, snap.lazy[i], last - snap.n) end
  for i = start, last do
    local key, value
    if i <= snap.n then
      key, value = { type = 'number', text = number_text(i) }, preview(self, rawget(v, i), CHILD_COUNT_CAP)
    elseif i <= snap.n + snap.m then
      local k = snap.keys[i - snap.n]
      key, value = preview(self, k, CHILD_COUNT_CAP), preview(self, rawget(v, k), CHILD_COUNT_CAP)
    else
      key, value = METATABLE_KEY, preview(self, snap.mt, CHILD_COUNT_CAP)
    end
    items[#items + 1] = { key = key, value = value }
  end
  return { items = items, total = total, next = last < total and last + 1 or nil }
end

-- Bytes start..start+count-1 of a long string, the end moved back so no UTF-8 sequence is split.
function Registry:string(ref, start, count)
  local s = lookup(self, ref)
  if s == nil then return nil, released(ref) end
  if type(s) ~= 'string' then return nil, 'ref ' .. tostring(ref) .. ' is a ' .. type(s) .. ', not a string' end
  local total = #s
  start, count = clamp(start, 1, total + 1, 1), clamp(count, 1, MAX_STRING_PAGE, 65536)
  local last = start + count - 1
  if last >= total then
    last = total
  else
    local stop = last
    while stop > last - 3 and stop >= start do
      local b = byte(s, stop + 1)
      if b < 0x80 or b >= 0xC0 then break end
      stop = stop - 1
    end
    if stop >= start then last = stop end
  end
  return { text = sub(s, start, last), start = start, total = total, next = last < total and last + 1 or nil }
end

function Registry:release(ref)
  if ref == nil then
    self.values, self.snapshots, self.counts = {}, {}, {}
    self.weak, self.ids = setmetatable({}, WEAK_VALUES), setmetatable({}, WEAK_KEYS)
    return
  end
  local v = lookup(self, ref)
  if v == nil then return end
  self.values[ref], self.weak[ref], self.ids[v], self.snapshots[ref], self.counts[ref] = nil, nil, nil, nil, nil
end

-- Snapshots and counts go too: they hold keys strongly, and a value the program changes needs new
-- ones. (A debugger calls this whenever the program has run on.)
function Registry:demote()
  local weak, ids = self.weak, self.ids
  for id, v in next, self.values do
    if type(v) == 'string' then ids[v] = nil else weak[id] = v end
  end
  self.values, self.snapshots, self.counts = {}, {}, {}
end

-- A preview with its children filled in down to `depth` levels, `width` entries each, at most
-- `budget` nodes in all; a child whose ref is an ancestor's is marked `cycle` and not descended.
function Registry:tree(v, depth, width, budget)
  budget = { left = budget or 2000 }
  local path = {}
  local function fill(p, level)
    if not p.ref or level >= depth or budget.left <= 0 or type(lookup(self, p.ref)) == 'string' then return p end
    path[p.ref] = true
    local page = self:children(p.ref, 1, width)
    local items = {}
    for i = 1, #page.items do
      if budget.left <= 0 then break end
      budget.left = budget.left - 1
      local item = page.items[i]
      local value = item.value
      if value.ref and path[value.ref] then value.cycle = true else fill(value, level + 1) end
      items[i] = item
    end
    path[p.ref] = nil
    p.children = { items = items, total = page.total }
    return p
  end
  return fill(self:preview(v), 0)
end

return inspect
