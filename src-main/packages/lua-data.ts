// Reads Lua data files (LuaRocks manifests, rockspecs) by evaluating them in an empty environment
// with a real Lua interpreter and printing JSON. Data files are Lua; parsing them with regexes
// breaks on long strings, comments and nested tables.
import { runTool } from './tool-process';
import { PackageError } from './package-error';

const READER = String.raw`
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
  if not chunk then return nil, err end
  local ok, run_err = pcall(chunk)
  if not ok then return nil, tostring(run_err) end
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
local encode
local function quote(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local named = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
    return named[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end
encode = function(v, out)
  local t = type(v)
  if t == "table" then
    if next(v) ~= nil and is_array(v) then
      out[#out + 1] = "["
      for i = 1, #v do
        if i > 1 then out[#out + 1] = "," end
        encode(v[i], out)
      end
      out[#out + 1] = "]"
    else
      out[#out + 1] = "{"
      local first = true
      for k, item in pairs(v) do
        if type(item) ~= "function" then
          if not first then out[#out + 1] = "," end
          first = false
          out[#out + 1] = quote(tostring(k))
          out[#out + 1] = ":"
          encode(item, out)
        end
      end
      out[#out + 1] = "}"
    end
  elseif t == "string" then out[#out + 1] = quote(v)
  elseif t == "number" then out[#out + 1] = (v == v and v ~= math.huge and v ~= -math.huge) and tostring(v) or "null"
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  else out[#out + 1] = "null" end
end
local results = {}
for path in (os.getenv("BIOXEN_LUA_DATA_FILES") .. "\n"):gmatch("([^\n]+)\n") do
  local data, err = load_data(path)
  results[#results + 1] = data and { path = path, data = data } or { path = path, error = err }
end
local out = {}
encode(results, out)
io.write(#results == 0 and "[]" or table.concat(out))
`;

export interface LuaDataResult {
  path: string;
  data?: Record<string, unknown>;
  error?: string;
}

/** Evaluate each file as Lua data; a file that does not load gets `error` instead of `data`. */
export async function readLuaData(lua: string, paths: readonly string[], timeoutMs = 30_000): Promise<LuaDataResult[]> {
  if (paths.length === 0) return [];
  // Paths travel in the environment: `lua -e CODE arg` would run the first arg as a script.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', BIOXEN_LUA_DATA_FILES: paths.join('\n') };
  const result = await runTool(lua, ['-e', READER], { env, timeoutMs });
  if (result.code !== 0) throw new PackageError('internal', `reading LuaRocks data files with ${lua} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
  return JSON.parse(result.stdout) as LuaDataResult[];
}
