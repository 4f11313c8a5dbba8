// Rich values through the runner protocol on every Lua: previews of what a REPL line or a run
// returned, pages of tables and long strings fetched on demand, the globals list, ref lifetimes,
// and hostile values whose metamethods must never run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValuePreview } from '../../src-preload/contract/value-preview';
import type { InteractiveSession } from './interactive-session';
import { which } from './lua-discovery';
import { VMManager } from './vm-manager';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));
const limits = { instructionQuota: 50_000_000, memoryMb: 512, outputBytes: 1024 * 1024, timeoutMs: 30_000 };

describe.each(versions)('values on %s', (lua) => {
  let manager: VMManager;
  let session: InteractiveSession;

  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: lua, defaultLimits: limits });
    session = await manager.createInteractiveVM('values', { autoAttach: false });
  });
  afterAll(async () => {
    await manager.dispose();
  });

  /** The previews of the last 'value' chunk a REPL line produced. */
  async function line(input: string): Promise<ValuePreview[]> {
    session.readChunks('t');
    const r = await session.sendInput(input);
    expect(r.failed).toBe(false);
    const chunks = session.readChunks('t').filter((c) => c.stream === 'value');
    return chunks.at(-1)?.values ?? [];
  }

  it('previews a returned nested table and expands it lazily, a level per request', async () => {
    const [p] = await line(`cfg = { species = { 'lacI', 'tetR' }, rates = { k = 0.5 }, name = 'toggle' } cfg.self = cfg return cfg`);
    expect(p).toMatchObject({ type: 'table', count: 4 });
    expect(p!.text).toBe('{name = "toggle", rates = {…}, self = {…}, species = {…}}');
    const page = await session.children(p!.ref!);
    expect(page.items.map((i) => i.key.text)).toEqual(['"name"', '"rates"', '"self"', '"species"']);
    const self = page.items[2]!.value;
    // A cycle: the child names the same ref as its ancestor.
    expect(self.ref).toBe(p!.ref);
    const species = await session.children(page.items[3]!.value.ref!);
    expect(species).toEqual({ items: [{ key: { type: 'number', text: '1' }, value: { type: 'string', text: '"lacI"', count: 4 } }, { key: { type: 'number', text: '2' }, value: { type: 'string', text: '"tetR"', count: 4 } }], total: 2 });
  });

  it('keeps a value the program holds expandable after the next run; a dropped one answers not_found', async () => {
    const [kept] = await line('held = { 1, 2, 3 } return held');
    const [dropped] = await line('return { 4, 5, 6 }');
    await line('collectgarbage() collectgarbage() return 1');
    expect((await session.children(kept!.ref!)).total).toBe(3);
    await expect(session.children(dropped!.ref!)).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('re-run to expand it') });
  });

  it('pages a 100k-entry table, never more than a page per answer', async () => {
    const [p] = await line('big = {} for i = 1, 100000 do big[i] = i * 2 end return big');
    expect(p!.count).toBe(100000);
    const first = await session.children(p!.ref!, 1, 100);
    expect(first).toMatchObject({ total: 100000, next: 101 });
    expect(first.items).toHaveLength(100);
    const later = await session.children(p!.ref!, 99_901, 1000);
    expect(later.items).toHaveLength(100);
    expect(later.items[99]).toEqual({ key: { type: 'number', text: '100000' }, value: { type: 'number', text: '200000' } });
    expect(later.next).toBeUndefined();
  });

  it('cuts a 20 MB string and pages it with "show more"', async () => {
    const [p] = await line(`long = string.rep('ab', 10 * 1024 * 1024) return long`);
    expect(p).toMatchObject({ type: 'string', count: 20 * 1024 * 1024 });
    expect(p!.text.length).toBeLessThan(120);
    const page = await session.stringPage(p!.ref!, 1, 65536);
    expect(page).toMatchObject({ start: 1, total: 20 * 1024 * 1024, next: 65537 });
    expect(page.text).toBe('ab'.repeat(32768));
    const tail = await session.stringPage(p!.ref!, 20 * 1024 * 1024 - 1, 65536);
    expect(tail).toEqual({ text: 'ab', start: 20 * 1024 * 1024 - 1, total: 20 * 1024 * 1024 });
    await line('long = nil return 1');
  });

  it('never runs a hostile metamethod: __index/__pairs/__len/__eq loops, a late __gc, a __tostring loop on a global', async () => {
    // One line: the REPL runs each line as its own chunk.
    const [p] = await line(
      `local loop = function() while true do end end; ` +
        `local mt = { __index = loop, __newindex = loop, __pairs = loop, __len = loop, __eq = loop, __lt = loop, __call = loop, __name = 'Trap' }; ` +
        `trap = setmetatable({ 1, x = 2 }, mt); mt.__gc = loop; return trap`,
    );
    expect(p).toMatchObject({ type: 'table', name: 'Trap', text: 'Trap {1, x = 2}' });
    const page = await session.children(p!.ref!);
    expect(page.items.map((i) => i.key.text)).toEqual(['1', '"x"', '[metatable]']);
    // A __tostring that loops forever: the REPL echo runs it under the limits and fails; the inspector never calls it.
    await session.sendInput(`spin = setmetatable({}, { __tostring = function() while true do end end })`);
    const { items } = await session.globals();
    expect(items.find((g) => g.name === 'spin')?.value).toMatchObject({ type: 'table', text: '{}' });
    await line('trap = nil spin = nil collectgarbage() return 1');
  });

  it('lists the globals: the program first, builtins hidden unless asked, a filter on names', async () => {
    await line('zeta_count = 3 alpha_rate = 0.25 function grow(n) return n * 2 end print = print return 1');
    const user = await session.globals();
    const names = user.items.map((g) => g.name);
    expect(names).toEqual(expect.arrayContaining(['alpha_rate', 'grow', 'zeta_count']));
    expect(names).not.toContain('string');
    expect(names.indexOf('alpha_rate')).toBeLessThan(names.indexOf('zeta_count'));
    expect(user.items.every((g) => !g.builtin)).toBe(true);
    expect(user.items.find((g) => g.name === 'grow')?.value.text).toMatch(/^function <stdin:1>$/);
    const all = await session.globals(true);
    expect(all.items.find((g) => g.name === 'string')).toMatchObject({ builtin: true, value: { type: 'table' } });
    expect(all.items.findIndex((g) => g.builtin)).toBe(user.items.length);
    const filtered = await session.globals(true, 'RATE');
    expect(filtered.items.map((g) => g.name)).toEqual(['alpha_rate']);
  });

  it('shares one counting budget among the previews of a listing, so many huge globals stay cheap', async () => {
    await line(`for i = 1, 20 do local t = {} for j = 1, 100000 do t[j] = j end _G[string.format('huge%02d', i)] = t end return 1`);
    const { items } = await session.globals(false, 'huge');
    expect(items.map((g) => g.value.count)).toEqual([100000, 100000, 100000, ...Array(17).fill(undefined)]);
    expect(items[19]!.value).toMatchObject({ type: 'table', text: expect.stringMatching(/^\{1, 2, 3, .*…\}$/) });
    await line('for i = 1, 20 do _G[string.format("huge%02d", i)] = nil end return 1');
  });

  it('answers not_found for a ref of a runner that was replaced', async () => {
    const [p] = await line('survivor = { 1 } return survivor');
    await manager.restart('values');
    await line('again = { 1 } return again');
    await expect(session.children(p!.ref!)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('fills tables in for text when asked (bioxen exec and the CLI repl)', async () => {
    const r = await manager.getVM('values').executeString(`local t = { 1, 'two', nested = { deep = { deeper = { 1 } } }, ['a key'] = true } t.me = t return t, 42`, {
      tree: { depth: 3, width: 20 },
    });
    expect(r.values[1]).toBe('42');
    expect(r.stdout).toBe(
      [
        '{',
        '  1,',
        '  "two",',
        '  ["a key"] = true,',
        '  me = <cycle> {1, "two", ["a key"] = true, me = {…}, nested = {…}},',
        '  nested = {',
        '    deep = {',
        '      deeper = {1},',
        '    },',
        '  },',
        '}\t42',
        '',
      ].join('\n'),
    );
  });
});
