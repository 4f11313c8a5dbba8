// Whether out/cli (scripts/build-cli.mjs) was built after the last change to each of its sources: about a
// hundred stat calls, so bin/bioxen.mjs asks at every start.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The build's record (out/cli/inputs.json: its sources, and each output's SHA-256, size and mtime) while it is current. */
export function currentCliBuild(root) {
  try {
    const build = JSON.parse(readFileSync(join(root, 'out', 'cli', 'inputs.json'), 'utf8'));
    const { built, inputs, outputs } = build;
    // A record without outputs is an older build's (ES modules, before the code caches): stale.
    if (!outputs || inputs.length === 0) return undefined;
    return inputs.every((file) => statSync(join(root, file)).mtimeMs <= built) ? build : undefined;
  } catch {
    return undefined;
  }
}

export function builtCliIsCurrent(root) {
  return currentCliBuild(root) !== undefined;
}
