#!/usr/bin/env node
// Builds the `bioxen` CLI ahead of time into out/cli/ (bioxen.cjs and one chunk per command domain), so a
// command starts without compiling TypeScript. bin/bioxen.mjs runs it while out/cli/inputs.json says it is
// newer than every source it was built from, and falls back to tsx otherwise. CommonJS, not ES modules: Node 20
// compiles a script with a V8 code cache (vm.Script's cachedData, see bin/code-cache.mjs) but has no way to give
// one to an ES module, and parsing the exec path's JavaScript at every start was a fifth of its start-up.
// `--if-stale` builds only when that check fails (setup runs it before every `npm start`, `npm test`, bench).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { builtCliIsCurrent } from '../bin/built-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'cli');
// Built beside it and swapped in whole: a `bioxen` starting meanwhile sees the old build or the new, never half.
const buildDir = `${outDir}.building-${process.pid}`;
const quiet = process.argv.includes('--quiet');
if (process.argv.includes('--if-stale') && builtCliIsCurrent(root)) process.exit(0);

// Taken before any source is read: a file saved during the build counts as newer than the build.
const started = Date.now();
// Packages stay in node_modules, imported only by the chunk of the command that needs them; bundled are the
// transform's helpers (for `await using`) and zod, whose hundred-odd ES modules cost more to load than to parse.
const BUNDLED = /^(@oxc-project\/runtime|zod)(\/|$)/;
const output = await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: join(root, 'src-main', 'cli', 'bioxen.ts'),
    outDir: buildDir,
    emptyOutDir: true,
    // package.json's engines: Node 20 runs no `await using`, so it is lowered.
    target: 'node20',
    sourcemap: true,
    rolldownOptions: {
      external: (id) => !/^[./\0]/.test(id) && !BUNDLED.test(id),
      // dynamicImportInCjs false: a package's or built-in's import() becomes a require, as bin/code-cache.mjs needs.
      output: { format: 'cjs', dynamicImportInCjs: false, entryFileNames: 'bioxen.cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
    },
  },
  ssr: { noExternal: ['zod'] },
}).catch((err) => {
  rmSync(buildDir, { recursive: true, force: true });
  throw err;
});
const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).filter((o) => o.type === 'chunk');
// Packages are represented by the lock file (a change of version changes it), sources by themselves.
const sources = new Set(chunks.flatMap((c) => c.moduleIds).map((id) => relative(root, id)).filter((f) => !f.startsWith('\0') && !f.startsWith('..') && !f.startsWith('node_modules/')));
const inputs = ['package.json', 'package-lock.json', ...[...sources].sort()];
// What bin/code-cache.mjs keys its V8 code caches on, and checks each chunk against before using one.
const outputs = Object.fromEntries(
  chunks.map((c) => {
    const file = join(buildDir, c.fileName);
    const { size, mtimeMs } = statSync(file);
    return [c.fileName, { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), bytes: size, mtimeMs }];
  }),
);
writeFileSync(join(buildDir, 'inputs.json'), `${JSON.stringify({ built: started, inputs, outputs }, null, 1)}\n`);
const oldDir = `${outDir}.old-${process.pid}`;
try {
  renameSync(outDir, oldDir);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
renameSync(buildDir, outDir);
rmSync(oldDir, { recursive: true, force: true });
if (!quiet) console.log(`built out/cli/bioxen.cjs from ${sources.size} sources in ${Date.now() - started} ms`);
