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

describe('bundled package sources', () => {
  it.each(suites)('%s passes luacheck', (pkg) => {
    const run = () => execFileSync('luacheck', ['--std', 'max', '--max-line-length', '140', '--no-color', 'src', 'spec'], { cwd: join(packages, pkg), encoding: 'utf8' });
    expect(run()).toMatch(/Total: 0 warnings \/ 0 errors/);
  });
});

describe('examples using the bundled packages', () => {
  const luaPath = ['bioxen-seq', 'bioxen-circuits', 'bioxen-olfi'].map((p) => join(packages, p, 'src', '?.lua')).join(';');
  const run = (example: string) => execFileSync('lua5.4', [join(resourcesDir, 'examples', example)], { env: { ...process.env, LUA_PATH: `${luaPath};;` }, encoding: 'utf8' });

  it('seq-toolkit translates with both codon tables and finds the GFP ORF', () => {
    const out = run('seq-toolkit.lua');
    expect(out).toMatch(/standard: {6}MIT\*RP\*/);
    expect(out).toMatch(/vertebrate mt: MMTW\*P\*/);
    expect(out).toMatch(/ORF \+1 1\.\.159 {2}MASKGEELFTG/);
  });

  it('toggle-switch shows memory only with strong promoters', () => {
    const out = run('toggle-switch.lua');
    expect(out).toMatch(/a1 = a2 = {2}1 -> .*\(no memory\)/);
    expect(out).toMatch(/a1 = a2 = 10 -> .*\(latched\)/);
  });

  it('quorum-olfi reports the quorum event, unsent outside a workbench VM', () => {
    expect(run('quorum-olfi.lua')).toMatch(/event quorum at t=\d+\.\d+ .* -> acetoin not sent: .*no workbench host/);
  });
});
