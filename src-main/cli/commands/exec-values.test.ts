// Returned tables in the terminal: `bioxen exec` and `bioxen repl` print them as trees (depth- and
// width-limited), `--json` carries the structured value.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../../testing/test-helpers';
import { runBioxen } from '../../testing/bioxen-cli';

const dir = scratchDir('bioxen-exec-values-');
afterAll(() => dir.remove());

const bioxen = (args: string[], input = '') => runBioxen(args, { dataDir: join(dir.path, 'data'), input });

const NESTED = `local t = { 'lacI', 'tetR', rates = { k1 = 0.5, k2 = { deep = { deeper = { 1 } } } } } t.me = t
  for i = 1, 30 do t['gene' .. string.format('%02d', i)] = i end
  return t, 7`;

describe.concurrent('bioxen CLI: returned tables', () => {
  it('exec prints a returned table as a tree: 3 levels, 20 entries a level, cycles and the rest said in words', async () => {
    const r = await bioxen(['exec', '--lua', 'lua5.4', '-e', NESTED]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['{', '  "lacI",', '  "tetR",', '  gene01 = 1,']);
    expect(r.stdout).toContain('  … 14 more\n}\t7\n');
    expect(r.stdout).not.toContain('gene19');
    expect(r.stdout).not.toContain('table: 0x');
  }, 60_000);

  it('exec --json carries the structured value in previews', async () => {
    const r = await bioxen(['exec', '--json', '--lua', 'lua5.1', '-e', 'local t = { 1, x = { y = true } } t.self = t return t']);
    const result = JSON.parse(r.stdout);
    expect(result.previews[0]).toMatchObject({ type: 'table', count: 3, children: { total: 3 } });
    const items = result.previews[0].children.items;
    expect(items.map((i: { key: { text: string } }) => i.key.text)).toEqual(['1', '"self"', '"x"']);
    expect(items[1].value).toMatchObject({ cycle: true });
    expect(items[2].value.children.items[0]).toEqual({ key: { type: 'string', text: '"y"', count: 1 }, value: { type: 'boolean', text: 'true' } });
  }, 60_000);

  it('repl echoes an evaluated table as a tree', async () => {
    const r = await bioxen(['repl', '--lua', 'lua5.3'], 'cell = { id = 4, genes = { "a" } }\ncell\nexit\n');
    expect(r.stdout).toContain('{\n  genes = {\n    "a",\n  },\n  id = 4,\n}\n');
  }, 60_000);
});
