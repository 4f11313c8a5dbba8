#!/usr/bin/env node
// Builds the bundled local rock repository resources/rocks/ from lua/packages/*/<name>-<ver>.rockspec:
// one pure-Lua ".all.rock" per package (installable on every Lua version), its rockspec (so the
// catalog can read dependencies) and the LuaRocks manifests. Idempotent: a rock is rebuilt only
// when a file of its package is newer than it. Node built-ins only: setup runs it before npm ci.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'lua', 'packages');
const out = process.env.BIOXEN_ROCKS_DIR ?? join(root, 'resources', 'rocks');
const log = (msg) => console.log(`[build-rocks] ${msg}`);

function newestMtime(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function rockspecs() {
  if (!existsSync(sources)) return [];
  return readdirSync(sources, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(sources, d.name))
      .filter((f) => f.endsWith('.rockspec'))
      .map((f) => ({ dir: join(sources, d.name), rockspec: f, base: f.replace(/\.rockspec$/, '') })));
}

function luarocks(tool, args, cwd) {
  const r = spawnSync(tool, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.error?.code === 'ENOENT') {
    log(`${tool} not found — install it (apt install luarocks) and rerun: node scripts/build-rocks.mjs`);
    process.exit(1);
  }
  if (r.status !== 0) {
    log(`${tool} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
}

// Packing from a scratch copy keeps build leftovers out of the source tree.
function pack({ dir, rockspec, base }) {
  const scratch = mkdtempSync(join(tmpdir(), 'bioxen-rock-'));
  try {
    const copy = join(scratch, 'src');
    cpSync(dir, copy, { recursive: true });
    luarocks('luarocks', ['--lua-version', '5.4', 'make', '--pack-binary-rock', '--tree', join(scratch, 'tree'), rockspec], copy);
    renameSync(join(copy, `${base}.all.rock`), join(out, `${base}.all.rock`));
    copyFileSync(join(dir, rockspec), join(out, rockspec));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function removeStale(wanted) {
  let removed = false;
  for (const file of readdirSync(out)) {
    const base = file.replace(/\.(all\.rock|rockspec)$/, '');
    if (base !== file && !wanted.has(base)) {
      rmSync(join(out, file));
      removed = true;
    }
  }
  return removed;
}

mkdirSync(out, { recursive: true });
const specs = rockspecs();
let changed = false;
for (const spec of specs) {
  const rock = join(out, `${spec.base}.all.rock`);
  if (existsSync(rock) && existsSync(join(out, spec.rockspec)) && statSync(rock).mtimeMs >= newestMtime(spec.dir)) continue;
  log(`packing ${spec.base}`);
  pack(spec);
  changed = true;
}
changed = removeStale(new Set(specs.map((s) => s.base))) || changed;
if (changed || !existsSync(join(out, 'manifest'))) {
  luarocks('luarocks-admin', ['make-manifest', out], root);
  log(`${specs.length} bundled rocks in ${basename(dirname(out))}/${basename(out)}`);
}
