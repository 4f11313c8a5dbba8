// Reads Lua data files (LuaRocks manifests, rockspecs) by evaluating them in an empty environment
// with a real Lua interpreter and printing JSON. Data files are Lua; parsing them with regexes
// breaks on long strings, comments and nested tables. They come from repositories, so they run
// under the limits a session gets by default: an instruction quota and a heap cap checked from a
// count hook (the sandbox's way), and an address-space cap with prlimit for what one instruction
// allocates at once (("x"):rep(2^30) is reachable even from an empty environment).
import { existsSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../vm/limits';
import { PackageError } from './package-error';
import { runTool } from './tool-process';

const PRLIMIT = '/usr/bin/prlimit';

const READER = String.raw`
local quota = tonumber(os.getenv("BIOXEN_LUA_DATA_QUOTA")) or 0
local mem_kb = (tonumber(os.getenv("BIOXEN_LUA_DATA_MEMORY_MB")) or 0) * 1024
-- Often enough that a loop adding a megabyte per pass overshoots the heap cap by a few MiB, not by
-- the gigabyte a 10,000-instruction period allows; data files are mostly table constructors, so the
-- hook's cost stays small (see catalog_refresh_1000_ms in the packages bench).
local HOOK_EVERY = 100
local count, limit = 0, nil
local function peak_kb()
  local f = io.open("/proc/self/status", "r")
  if not f then return "" end
  local status = f:read("*a")
  f:close()
  return status:match("VmHWM:%s*(%d+)") or ""
end
local function stop(which)
  limit = which
  io.stderr:write("\nbioxen-limit:", which, ":", peak_kb(), "\n")
  os.exit(3)
end
-- A limit ends the whole read at once: a pcall inside the data must not swallow it.
debug.sethook(function()
  count = count + HOOK_EVERY
  if quota > 0 and count > quota then stop("instructions") end
  if mem_kb > 0 and collectgarbage("count") > mem_kb then
    collectgarbage("collect")
    if collectgarbage("count") > mem_kb then stop("memory") end
  end
end, "", HOOK_EVERY)
local function load_data(path)
  local f = io.open(path, "rb")
  if not f then return nil, "cannot open" end
  local text = f:read("*a")
  f:close()
  local env = {}
  local chunk, err
  if setfenv then
    chunk, err = loadstring(text, "=" .. path)
    if chunk then setfenv(chunk, env) end
  else
    chunk, err = load(text, "=" .. path, "t", env)
  end
  text = nil
  if not chunk then return nil, err end
  local ok, run_err = pcall(chunk)
  if not ok then
    if tostring(run_err):find("not enough memory", 1, true) then stop("memory") end
    return nil, tostring(run_err)
  end
  return env
end
local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" then return false end
    n = n + 1
  end
  return n == #t
end
-- Written out in pieces as it goes: a manifest of megabytes never doubles as one JSON string in memory.
local pending, npending = {}, 0
local function put(s)
  npending = npending + 1
  pending[npending] = s
  if npending >= 4096 then
    io.write(table.concat(pending, "", 1, npending))
    pending, npending = {}, 0
  end
end
local named = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return named[c] or string.format("\\u%04x", c:byte()) end) .. '"'
end
local function encode(v)
  local t = type(v)
  if t == "table" then
    if next(v) ~= nil and is_array(v) then
      put("[")
      for i = 1, #v do
        if i > 1 then put(",") end
        encode(v[i])
      end
      put("]")
    else
      put("{")
      local first = true
      for k, item in pairs(v) do
        if type(item) ~= "function" then
          if not first then put(",") end
          first = false
          put(quote(tostring(k)))
          put(":")
          encode(item)
        end
      end
      put("}")
    end
  elseif t == "string" then put(quote(v))
  elseif t == "number" then put((v == v and v ~= math.huge and v ~= -math.huge) and tostring(v) or "null")
  elseif t == "boolean" then put(tostring(v))
  else put("null") end
end
put("[")
local n = 0
for path in (os.getenv("BIOXEN_LUA_DATA_FILES") .. "\n"):gmatch("([^\n]+)\n") do
  local data, err = load_data(path)
  if n > 0 then put(",") end
  n = n + 1
  encode(data and { path = path, data = data } or { path = path, error = err })
end
put("]")
io.write(table.concat(pending, "", 1, npending))
`;

export interface LuaDataResult {
  path: string;
  data?: Record<string, unknown>;
  error?: string;
}

export interface LuaDataOptions {
  timeoutMs?: number;
  /** What is read, for messages ("manifest of https://luarocks.org"); default "LuaRocks data file". */
  what?: string;
  /** Default: the limits a new session gets (DEFAULT_LIMITS). */
  limits?: { memoryMb: number; instructionQuota: number };
}

/** Evaluate each file as Lua data; a file that does not load gets `error` instead of `data`. A limit hit fails the whole read. */
export async function readLuaData(lua: string, paths: readonly string[], options: LuaDataOptions = {}): Promise<LuaDataResult[]> {
  if (paths.length === 0) return [];
  const { memoryMb, instructionQuota } = options.limits ?? DEFAULT_LIMITS;
  const what = options.what ?? 'LuaRocks data file';
  // Paths travel in the environment: `lua -e CODE arg` would run the first arg as a script.
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    BIOXEN_LUA_DATA_FILES: paths.join('\n'),
    BIOXEN_LUA_DATA_QUOTA: String(instructionQuota),
    BIOXEN_LUA_DATA_MEMORY_MB: String(memoryMb),
  };
  // The same address-space cap as a session's runner: the hook cannot see one huge allocation.
  const capped = memoryMb > 0 && existsSync(PRLIMIT);
  const [command, args] = capped ? [PRLIMIT, [`--as=${(memoryMb * 2 + 256) * 1024 * 1024}`, lua, '-e', READER]] : [lua, ['-e', READER]];
  const result = await runTool(command, args, { env, timeoutMs: options.timeoutMs ?? 30_000 });
  const stopped = /bioxen-limit:(\w+):(\d*)/.exec(result.stderr);
  const limit = stopped?.[1] ?? (/not enough memory/.test(result.stderr) ? 'memory' : undefined);
  // The reader's peak resident size (Linux), so a report shows the cap held.
  const peak = stopped?.[2] ? ` (its reader peaked at ${Math.round(Number(stopped[2]) / 1024)} MiB)` : '';
  if (limit === 'memory') {
    throw new PackageError('limit_exceeded', `${what} exceeded the memory limit (${memoryMb} MiB) while being read${peak} — it is too large or hostile; remove its repository or ask its owner`);
  }
  if (limit === 'instructions') {
    throw new PackageError('limit_exceeded', `${what} exceeded the instruction limit (${instructionQuota} instructions) while being read${peak} — it is too large or hostile; remove its repository or ask its owner`);
  }
  if (result.timedOut) throw new PackageError('timeout', `reading the ${what} took longer than ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s and was stopped`);
  if (result.code !== 0) throw new PackageError('internal', `reading the ${what} with ${lua} failed: ${result.stderr.trim().slice(0, 300) || `exit ${result.code}`}`);
  return JSON.parse(result.stdout) as LuaDataResult[];
}
