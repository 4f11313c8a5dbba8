#!/usr/bin/env node
// `npm test`: every check, every time, in order; stops at the first failure.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const steps = [
  ['type-check (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']],
  ['type-check (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']],
  ['lint (eslint)', bin('eslint'), ['.']],
  ['build (electron-vite)', bin('electron-vite'), ['build']],
  ['build (cli)', process.execPath, [join(root, 'scripts', 'build-cli.mjs')]],
  // Strict: the tests of the native guard need it built for every installed interpreter.
  ['build (native guard)', process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--if-stale', '--strict']],
  ['unit + integration (vitest)', bin('vitest'), ['run']],
  ['e2e (playwright)', bin('playwright'), ['test']],
];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${r.status ?? r.signal}) after ${secs}s`);
    process.exit(r.status || 1);
  }
  console.log(`✓ ${name} (${secs}s)`);
}
