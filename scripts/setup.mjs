#!/usr/bin/env node
// Idempotent setup shared by `npm start`, `npm test` and `npm run bench`.
// Uses only Node built-ins: it runs before node_modules exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const log = (msg) => console.log(`[setup] ${msg}`);
const info = (msg) => { if (!quiet) log(msg); };

// Debian package → a command it provides (to tell whether it is installed).
const DEBIAN_PACKAGES = {
  'lua5.4': 'lua5.4',
  'lua5.3': 'lua5.3',
  'lua5.2': 'lua5.2',
  'lua5.1': 'lua5.1',
  luajit: 'luajit',
  // Headers and a C compiler for the sandbox's native guard (scripts/build-native.mjs).
  'liblua5.4-dev': null,
  'liblua5.3-dev': null,
  'liblua5.2-dev': null,
  'liblua5.1-0-dev': null,
  'libluajit-5.1-dev': null,
  gcc: 'gcc',
  'libc6-dev': null,
  luarocks: 'luarocks',
  'lua-check': 'luacheck',
  'lua-socket': null,
  'lua-cjson': null,
  'redis-server': 'redis-server',
  openssl: 'openssl',
  love: 'love',
  xvfb: 'Xvfb',
  chromium: 'chromium',
  imagemagick: 'convert',
  xdotool: 'xdotool',
  'util-linux': 'prlimit',
  // redis-py: the tests' stand-in for BioXen's Python Ol-Fi producer (OlFiNetworkCircuit.send_mvoc).
  'python3-redis': null,
};
const BREW = 'brew install lua luarocks redis love chromium luacheck';
const CHOCO = 'choco install lua luarocks redis love chromium';

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { stdio: quiet ? 'pipe' : 'inherit', cwd: root, ...opts });
}
function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'pipe' }).status === 0;
}
function debInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { stdio: 'pipe' });
  return r.status === 0 && String(r.stdout).includes('install ok installed');
}

function systemPackages() {
  if (process.env.BIOXEN_SKIP_SYSTEM_PACKAGES === '1') return;
  if (process.platform === 'darwin') {
    if (!has('lua5.4') && !has('lua')) log(`Lua and friends missing. Install them with:\n  ${BREW}`);
    return;
  }
  if (process.platform === 'win32') {
    if (!has('lua')) log(`Lua and friends missing. Install them with:\n  ${CHOCO}`);
    return;
  }
  if (!has('dpkg-query')) {
    log('Not a Debian-like system: install lua5.4, luarocks, luacheck, redis-server, love, chromium with your package manager.');
    return;
  }
  const missing = Object.keys(DEBIAN_PACKAGES).filter((p) => !debInstalled(p));
  if (missing.length === 0) return info('system packages present');
  const isRoot = process.getuid?.() === 0;
  const sudo = !isRoot && has('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'pipe' }).status === 0;
  const cmd = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!isRoot && !sudo) {
    log(`missing Debian packages: ${missing.join(' ')}\n  install them with: sudo ${cmd}\n  continuing with what is installed.`);
    return;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const prefix = isRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync(prefix[0] ?? 'apt-get', prefix.length ? [...prefix.slice(1), 'apt-get', ...args] : args, { stdio: 'inherit', env });
  let r = apt(['install', '-y', '--no-install-recommends', ...missing]);
  if (r.status !== 0) {
    apt(['update']);
    r = apt(['install', '-y', '--no-install-recommends', ...missing]);
  }
  if (r.status !== 0) log(`apt-get failed; install by hand: sudo ${cmd}`);
}

function lockHash() {
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : 'none';
}

function npmPackages() {
  const stamp = join(root, 'node_modules', '.bioxen-setup-stamp');
  const want = lockHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return info('npm packages up to date');
  log('installing npm packages (npm ci)…');
  const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root, env });
  if (r.status !== 0) {
    log('npm ci failed — see the output above.');
    process.exit(r.status ?? 1);
  }
  electronBinary();
  writeFileSync(stamp, want);
}

function electronBinary() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return;
  log('downloading the Electron runtime…');
  const r = spawnSync(process.execPath, [installer], { stdio: 'pipe', cwd: join(root, 'node_modules', 'electron'), timeout: 120_000 });
  if (r.status === 0) return log('Electron runtime installed: `npm start` opens the desktop window.');
  log('Electron runtime could not be downloaded (no access to its download server).\n' +
    '  The workbench still works: `npm start` serves it in your browser instead, and the Electron e2e project is skipped.\n' +
    '  Retry later with: node node_modules/electron/install.js');
}

function localRocks() {
  const builder = join(root, 'scripts', 'build-rocks.mjs');
  if (!existsSync(builder)) return;
  const r = run(process.execPath, [builder]);
  if (r.status !== 0) log('building the bundled rock repository failed (see above); package installs from it will fail.');
}

// The `bioxen` command starts from out/cli/ (about 2 s faster than compiling the TypeScript at each start).
function cliBuild() {
  const r = run(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale', '--quiet']);
  if (r.status !== 0) log('building the CLI failed (see above); `bioxen` still runs, from the TypeScript sources. Retry with: npm run build:cli');
}

// The sandbox's native guard: without it sessions fall back to the count hook (about 2x slower on CPU-bound code).
function nativeGuard() {
  const r = run(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--if-stale', '--quiet']);
  if (r.status !== 0) log('building the native guard failed (see above); sessions use the slower count hook. Retry with: npm run build:native');
}

systemPackages();
npmPackages();
localRocks();
cliBuild();
nativeGuard();
