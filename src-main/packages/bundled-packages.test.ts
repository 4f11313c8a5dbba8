// The bundled BioXen packages' own Lua test suites, on every Lua the workbench supports.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourcesDir } from './resource-paths';

const packages = join(resourcesDir, '..', 'lua', 'packages');
const suites = [
  ['bioxen-seq', 'spec/seq_spec.lua'],
  ['bioxen-circuits', 'spec/circuits_spec.lua'],
] as const;

describe.each(['lua5.4', 'lua5.1', 'luajit'])('bundled packages on %s', (lua) => {
  it.each(suites)('%s passes its spec', (pkg, spec) => {
    const out = execFileSync(lua, [spec], { cwd: join(packages, pkg), encoding: 'utf8' });
    const plan = /^1\.\.(\d+)$/m.exec(out);
    expect(plan, out).not.toBeNull();
    expect(out.match(/^ok \d+/gm)?.length).toBe(Number(plan![1]));
    expect(Number(plan![1])).toBeGreaterThan(20);
  });
});
