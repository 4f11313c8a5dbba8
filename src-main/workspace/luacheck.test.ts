import { describe, expect, it } from 'vitest';
import { Luacheck, parseLuacheckOutput } from './luacheck';

describe('Luacheck', () => {
  const luacheck = new Luacheck();

  it('is found on this machine', () => {
    expect(luacheck.available).toBe(true);
  });

  it('reports warnings with lines and ranges, trusting the globals the session knows', async () => {
    const warnings = await luacheck.lint('local unused = 1\nprint(grow(2), missing)\nfunction helper() end\n', { luaVersion: '5.4', knownGlobals: ['grow'] });
    expect(warnings).toEqual([
      { line: 1, column: 7, endColumn: 13, code: 'W211', message: "unused variable 'unused'" },
      { line: 2, column: 16, endColumn: 23, code: 'W113', message: "accessing undefined variable 'missing'" },
    ]);
  });

  it('knows the version-specific standard library', async () => {
    expect(await luacheck.lint('print(utf8.char(72))', { luaVersion: '5.4' })).toEqual([]);
    expect((await luacheck.lint('print(utf8.char(72))', { luaVersion: '5.1' })).map((w) => w.code)).toEqual(['W113']);
  });

  it('reports nothing when luacheck is not installed', async () => {
    const missing = new Luacheck(null);
    expect(missing.available).toBe(false);
    expect(await missing.lint('local x')).toEqual([]);
  });

  it('parses only warning lines', () => {
    expect(parseLuacheckOutput('stdin:2:1-1: (E011) expected end\nx.lua:3:5-6: (W212) unused argument \'a\'\n\nTotal: 1 warning')).toEqual([
      { line: 3, column: 5, endColumn: 7, code: 'W212', message: "unused argument 'a'" },
    ]);
  });
});
