// Runs the Lua codec under every Lua on the machine and holds it to the same vectors and MVOC library as the TS codec.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import libraryFile from '../../../resources/olfi/mvoc-library.json';
import vectorFile from '../../../resources/olfi/vectors.json';
import { classifyEntry } from '../../../src-main/olfi/frame-codec';

const packageDir = dirname(fileURLToPath(import.meta.url));
const vectorsPath = join(packageDir, '../../../resources/olfi/vectors.json');
const luas = ['lua5.4', 'lua5.1', 'luajit'];

function runLua(lua: string, args: string[]): string {
  return execFileSync(lua, args, { cwd: packageDir, encoding: 'utf8', timeout: 60_000 });
}

describe.each(luas)('bioxen.olfi on %s', (lua) => {
  it('passes its own spec', () => {
    expect(runLua(lua, ['spec/olfi_spec.lua'])).toMatch(/all \d+ checks passed/);
  });

  it('classifies every shared vector exactly like the TypeScript codec', () => {
    const lines = runLua(lua, ['spec/vectors_run.lua', vectorsPath]).trimEnd().split('\n');
    expect(lines).toHaveLength(vectorFile.vectors.length);
    vectorFile.vectors.forEach((v, i) => {
      const [status, reason, computed] = lines[i]!.split('\t');
      const ts = classifyEntry((v as { mvoc?: string }).mvoc, (v as { frame?: string }).frame);
      expect(status, v.name).toBe(v.status);
      expect(reason!.startsWith(v.reason), `${v.name}: ${reason}`).toBe(true);
      if (status !== 'malformed-json') expect(reason, v.name).toBe(ts.reason);
      expect(computed === '-' ? undefined : Number(computed), v.name).toBe(ts.computedChecksum);
    });
  });

  it('carries the same MVOC library as resources/olfi/mvoc-library.json', () => {
    const dump = runLua(lua, [
      '-e',
      'package.path = "src/?.lua;" .. package.path; for _, c in ipairs(require("bioxen.olfi").compounds) do ' +
        'print(table.concat({ c.name, c.display_name, c.chemical_class, c.band, c.cas, table.concat(c.roles, ","), c.colour }, "|")) end',
    ]);
    const expected = libraryFile.compounds.map((c) => [c.name, c.displayName, c.chemicalClass, c.band, c.cas, c.roles.join(','), c.colour].join('|'));
    expect(dump.trimEnd().split('\n')).toEqual(expected);
  });
});
