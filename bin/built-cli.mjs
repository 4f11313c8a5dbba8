// Whether out/cli (scripts/build-cli.mjs) was built after the last change to each of its sources: about a
// hundred stat calls, so bin/bioxen.mjs asks at every start.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function builtCliIsCurrent(root) {
  try {
    const { built, inputs } = JSON.parse(readFileSync(join(root, 'out', 'cli', 'inputs.json'), 'utf8'));
    return inputs.length > 0 && inputs.every((file) => statSync(join(root, file)).mtimeMs <= built);
  } catch {
    return false;
  }
}
