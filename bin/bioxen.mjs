#!/usr/bin/env node
// The `bioxen` command. Runs the CLI built ahead into out/cli/ (scripts/build-cli.mjs, run by setup before
// `npm start`, `npm test` and the bench) while it is up to date with its sources; otherwise compiles the
// TypeScript through tsx at each start (about 2 s), with a note saying how to build.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentCliBuild } from './built-cli.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = currentCliBuild(root);
if (build) {
  const { runWithCodeCache } = await import('./code-cache.mjs');
  runWithCodeCache(join(root, 'out', 'cli'), 'bioxen.cjs', build.outputs);
} else {
  process.stderr.write('bioxen: running from the TypeScript sources (slow start) — build the fast CLI with: npm run build:cli\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src-main/cli/bioxen.ts');
}
