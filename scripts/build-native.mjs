#!/usr/bin/env node
// Builds the sandbox's native guard (lua/native/guard.c) for every Lua interpreter installed here,
// against that interpreter's own headers: out/native/<interpreter>/guard.so, plus calibration.lua
// (the interpreter's measured instructions per CPU second, the quota's exchange rate). Where it
// cannot be built, that interpreter's VMs fall back to the count hook (about 2x slower on
// CPU-bound code) and this script says what to install.
//
//   node scripts/build-native.mjs [--if-stale] [--strict] [--quiet] [--only lua5.4,…]
//                                 [--include-root DIR] [--out DIR]
// --strict: exit 1 when an installed interpreter could not get its guard (npm test uses it).
// --include-root: where the headers are looked up instead of /usr/include (tests use it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const quiet = flag('quiet');
const includeRoot = option('include-root') ?? '/usr/include';
const outRoot = option('out') ?? join(root, 'out', 'native');
const only = option('only')?.split(',');
const source = join(root, 'lua', 'native', 'guard.c');
const calibrate = join(root, 'lua', 'native', 'calibrate.lua');
const log = (msg) => console.log(`[native] ${msg}`);

// Interpreter → its header folder (Debian's layout; pkg-config is asked when that is missing) and
// the Debian package that has the headers.
const INTERPRETERS = [
  { key: 'lua5.4', headers: 'lua5.4', pkgConfig: ['lua5.4', 'lua-5.4', 'lua54'], deb: 'liblua5.4-dev' },
  { key: 'lua5.3', headers: 'lua5.3', pkgConfig: ['lua5.3', 'lua-5.3', 'lua53'], deb: 'liblua5.3-dev' },
  { key: 'lua5.2', headers: 'lua5.2', pkgConfig: ['lua5.2', 'lua-5.2', 'lua52'], deb: 'liblua5.2-dev' },
  { key: 'lua5.1', headers: 'lua5.1', pkgConfig: ['lua5.1', 'lua-5.1', 'lua51'], deb: 'liblua5.1-0-dev' },
  // LuaJIT's hooks are global, not per thread.
  { key: 'luajit', headers: 'luajit-2.1', pkgConfig: ['luajit'], deb: 'libluajit-5.1-dev', defines: ['-DGUARD_GLOBAL_HOOKS'] },
];

function has(command) {
  return spawnSync('sh', ['-c', `command -v "${command}"`], { stdio: 'pipe' }).status === 0;
}

function headerFolder(lua) {
  const debian = join(includeRoot, lua.headers);
  if (existsSync(join(debian, 'lua.h'))) return debian;
  if (option('include-root') !== undefined || !has('pkg-config')) return undefined;
  for (const name of lua.pkgConfig) {
    const r = spawnSync('pkg-config', ['--cflags-only-I', name], { encoding: 'utf8', stdio: 'pipe' });
    const dir = r.status === 0 ? r.stdout.trim().split(/\s+/).find((f) => f.startsWith('-I'))?.slice(2) : undefined;
    if (dir && existsSync(join(dir, 'lua.h'))) return dir;
  }
  return undefined;
}

function stale(dir) {
  const built = join(dir, 'guard.so');
  const rate = join(dir, 'calibration.lua');
  if (!existsSync(built) || !existsSync(rate)) return true;
  const newest = Math.max(statSync(source).mtimeMs, statSync(calibrate).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return statSync(built).mtimeMs < newest || statSync(rate).mtimeMs < newest;
}

/** Builds one interpreter's guard; returns an error message a user can act on, or undefined. */
function build(lua, compiler) {
  const dir = join(outRoot, lua.key);
  if (flag('if-stale') && !stale(dir)) return undefined;
  const headers = headerFolder(lua);
  if (!headers) {
    return `${lua.key} is installed but its C headers are not (no lua.h in ${join(includeRoot, lua.headers)}) — install them ` +
      `(sudo apt-get install ${lua.deb}) and run \`node scripts/build-native.mjs\`; until then its VMs use the count-hook guard, about 2x slower on CPU-bound code`;
  }
  if (!compiler) {
    return `no C compiler found for ${lua.key}'s guard — install one (sudo apt-get install gcc) or set CC, then run \`node scripts/build-native.mjs\``;
  }
  mkdirSync(dir, { recursive: true });
  // Built beside the old one and renamed over it: a runner that has the old one loaded keeps it intact.
  const tmp = join(dir, `guard.so.${process.pid}`);
  const cc = spawnSync(compiler, ['-O2', '-Wall', '-fPIC', '-shared', `-I${headers}`, ...(lua.defines ?? []), '-o', tmp, source], { encoding: 'utf8', stdio: 'pipe' });
  if (cc.status !== 0) {
    rmSync(tmp, { force: true });
    return `compiling ${lua.key}'s guard failed (${compiler} -I${headers}):\n${cc.stderr.trim()}`;
  }
  const load = spawnSync(lua.key, ['-e', `assert(package.loadlib(${JSON.stringify(tmp)}, 'luaopen_bioxen_guard'))()`], { encoding: 'utf8', stdio: 'pipe' });
  if (load.status !== 0) {
    rmSync(tmp, { force: true });
    return `${lua.key} cannot load the guard it was built for: ${load.stderr.trim()}`;
  }
  const measured = spawnSync(lua.key, [calibrate], { encoding: 'utf8', stdio: 'pipe' });
  const rate = Number(measured.stdout.trim());
  if (measured.status !== 0 || !(rate > 0)) {
    rmSync(tmp, { force: true });
    return `measuring ${lua.key}'s instruction rate failed: ${measured.stderr.trim() || measured.stdout.trim()}`;
  }
  renameSync(tmp, join(dir, 'guard.so'));
  writeFileSync(join(dir, 'calibration.lua'), `-- ${lua.key}: VM instructions per CPU second here (lua/native/calibrate.lua)\nreturn { rate = ${rate} }\n`);
  if (!quiet) log(`${lua.key}: ${join(dir, 'guard.so')} (${Math.round(rate / 1000)} instructions per CPU ms)`);
  return undefined;
}

const compiler = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => c && has(c));
const problems = [];
let installed = 0;
for (const lua of INTERPRETERS) {
  if (only && !only.includes(lua.key)) continue;
  if (!has(lua.key)) continue;
  installed++;
  const problem = build(lua, compiler);
  if (problem) problems.push(problem);
}
for (const problem of problems) log(problem);
if (installed === 0 && !quiet) log('no Lua interpreter found on PATH: nothing to build');
process.exit(problems.length > 0 && flag('strict') ? 1 : 0);
