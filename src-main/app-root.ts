// The workbench's installation folder (the one holding its package.json, lua/ and resources/): the one place that
// knows how to find it, from the sources (tsx, vitest), the built out/main and out/cli, or a packaged app.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let found: string | undefined;

/** Searched upward from `from` (default: this module) for the package.json named bioxen-workbench. */
export function findAppRoot(from = here): string {
  if (from === here && found) return found;
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'bioxen-workbench') {
      if (from === here) found = dir;
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the workbench's package.json above ${from} — run it from its installation folder`);
  }
}
