// Runs the CLI built into out/cli/ (CommonJS chunks, scripts/build-cli.mjs) with V8 code caches, so a start
// does not parse the few hundred KB of JavaScript of its command again: Node 20 has no compile cache of its own
// (module.enableCompileCache is Node 22) and cannot give one to an ES module. Only the bundle's own files go
// through here; packages and Node's built-ins are required as usual.
//
// Safety. A cache is named after the SHA-256 the build recorded for the chunk (out/cli/inputs.json), Node's
// version and the CPU architecture, and used only while the chunk still has the size and mtime the build saw: a
// rebuilt or edited chunk, or another Node, never meets an old cache (V8 also refuses data of another V8 or other
// flags). V8 checks a cache's contents only under --verify-snapshot-checksum (release builds otherwise trust it,
// and a corrupt one ends the process), so that flag is on while a cache is made or read and off again at once
// (left on, V8 would refuse Node's own built-in code cache). Caches are written when the process exits (then they
// also hold the functions the command compiled), each to a temporary file renamed into place; a cache dir that
// cannot be written only leaves the next start without caches.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** Caches not rewritten for this long are removed when new ones are written (other builds', other Nodes'). */
const PRUNE_AFTER_MS = 30 * 24 * 3600 * 1000;

/**
 * The CLI's cache folder (code caches, Lua probe results): BIOXEN_CACHE_DIR, else the platform's per-user cache
 * folder. Everything in it can be deleted at any time.
 */
export function cacheDir(env = process.env, platform = process.platform) {
  if (env.BIOXEN_CACHE_DIR) return resolve(env.BIOXEN_CACHE_DIR);
  const home = homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'BioXen Workbench', 'cache');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'BioXen Workbench');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'bioxen-workbench');
}

/** `make()` with V8 checking (or writing) the checksum of the code cache it reads (or makes). */
function checked(make) {
  setFlagsFromString('--verify-snapshot-checksum');
  try {
    return make();
  } finally {
    setFlagsFromString('--no-verify-snapshot-checksum');
  }
}

function readCache(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCaches(dir, pending) {
  if (pending.length === 0) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const { script, file } of pending) {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        writeFileSync(temp, checked(() => script.createCachedData()), { mode: 0o600 });
        renameSync(temp, file);
      } catch (err) {
        rmSync(temp, { force: true });
        throw err;
      }
    }
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (now - statSync(file).mtimeMs > PRUNE_AFTER_MS) rmSync(file, { force: true });
    }
  } catch {
    // A read-only or full cache dir only costs the next start its parse.
  }
}

/**
 * Runs `outDir/entry` and, through its `require`, the chunks it loads from `outDir`, each compiled with its code
 * cache from `codeCacheDir` when `outputs` (the build's record: file → { sha256, bytes, mtimeMs }) vouches for it.
 * Modules are evaluated once each, in the order Node would, cycles included.
 */
export function runWithCodeCache(outDir, entry, outputs, codeCacheDir = join(cacheDir(), 'cli-code')) {
  const modules = new Map();
  const pending = [];
  const load = (file) => {
    const known = modules.get(file);
    if (known) return known.exports;
    const module = { exports: {}, id: file, filename: file, loaded: false };
    modules.set(file, module);
    const built = outputs[relative(outDir, file)];
    const stat = statSync(file);
    const cacheFile = built && stat.size === built.bytes && stat.mtimeMs === built.mtimeMs ? join(codeCacheDir, `${built.sha256}-${process.version}-${process.arch}.v8`) : undefined;
    const cachedData = cacheFile && readCache(cacheFile);
    const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`;
    // No importModuleDynamically: Node 20 runs an import() in a vm.Script only under --experimental-vm-modules, so
    // the build turns every import() into a require (scripts/build-cli.mjs).
    const options = { filename: file, cachedData };
    const script = cachedData ? checked(() => new Script(source, options)) : new Script(source, options);
    if (cacheFile && (!cachedData || script.cachedDataRejected)) pending.push({ script, file: cacheFile });
    const packages = createRequire(file);
    const require = (id) => (id.startsWith('./') || id.startsWith('../') ? load(resolve(dirname(file), id)) : packages(id));
    script.runInThisContext()(module.exports, require, module, file, dirname(file));
    module.loaded = true;
    return module.exports;
  };
  process.once('exit', () => writeCaches(codeCacheDir, pending));
  return load(join(outDir, entry));
}
