// lua/runtime/inspect.lua under each bare interpreter: listing order, paging, cycles, metatables,
// long strings, and hostile values whose metamethods must never run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { which } from './lua-discovery';

const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));
const RUNTIME = join(__dirname, '../../lua/runtime/');

interface Preview {
  type: string;
  text: string;
  ref?: number;
  count?: number;
  name?: string;
}
interface Page {
  items: { key: Preview; value: Preview }[];
  total: number;
  next?: number;
}

/** Runs `body` (which returns a value to encode) with `inspect`, `reg` and `json` in scope. */
function run<T>(lua: string, body: string): T {
  const script = `local inspect = dofile(${JSON.stringify(RUNTIME)} .. 'inspect.lua')
    local json = dofile(${JSON.stringify(RUNTIME)} .. 'json.lua')
    local reg = inspect.registry()
    local result = (function() ${body} end)()
    io.write(json.encode(result))`;
  return JSON.parse(execFileSync(lua, ['-e', script], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 })) as T;
}

const keys = (page: Page) => page.items.map((i) => i.key.text);

describe.each(versions)('inspect.lua on %s', (lua) => {
  it('lists the array part first, then the other keys by type then value, then the metatable', () => {
    const page = run<Page>(
      lua,
      `local t = setmetatable({ 'a', 'b', 'c', zeta = 1, alpha = 2, [10] = 3, [-1] = 4, [2.5] = 5, [true] = 6, [false] = 7 }, {})
       return reg:children(reg:preview(t).ref, 1, 50)`,
    );
    expect(keys(page)).toEqual(['1', '2', '3', '-1', '2.5', '10', '"alpha"', '"zeta"', 'false', 'true', '[metatable]']);
    expect(page.total).toBe(11);
    expect(page.next).toBeUndefined();
  });

  it('pages a 100k-entry table without sending more than a page, and keeps one order across pages', () => {
    const r = run<{ first: Page; second: Page; last: Page; preview: Preview }>(
      lua,
      `local t = {} for i = 1, 100000 do t['k' .. i] = i end
       local p = reg:preview(t)
       return { preview = p, first = reg:children(p.ref, 1, 100), second = reg:children(p.ref, 101, 100), last = reg:children(p.ref, 99990, 1000) }`,
    );
    expect(r.preview.count).toBe(100000);
    expect(r.first.items).toHaveLength(100);
    expect(r.first.total).toBe(100000);
    expect(r.first.next).toBe(101);
    expect(r.last.items).toHaveLength(11);
    expect(r.last.next).toBeUndefined();
    const all = [...keys(r.first), ...keys(r.second)];
    expect(all).toEqual([...all].sort());
    // A page never exceeds the cap, whatever was asked.
    const capped = run<Page>(lua, `local t = {} for i = 1, 5000 do t[i] = i end return reg:children(reg:preview(t).ref, 1, 1e9)`);
    expect(capped.items).toHaveLength(1000);
  });

  it('lists random number and string keys in sorted order, page by page and when jumping ahead', () => {
    const r = run<{ pages: string[][]; jump: string[] }>(
      lua,
      `math.randomseed(7)
       local t = {}
       for i = 1, 3000 do t[math.random() * 1000 - 500] = i end
       for i = 1, 5000 do t[string.format('%x', math.random(1, 2^30)) .. 'k'] = i end
       local p = reg:preview(t)
       local pages, start = {}, 1
       while start do
         local page = reg:children(p.ref, start, 97)
         local texts = {}
         for i, item in ipairs(page.items) do texts[i] = item.key.type .. ' ' .. item.key.text end
         pages[#pages + 1] = texts
         start = page.next
       end
       local copy = {} for k, v in pairs(t) do copy[k] = v end
       local q = reg:preview(copy)
       local jumped = reg:children(q.ref, 6001, 50)
       local jump = {}
       for i, item in ipairs(jumped.items) do jump[i] = item.key.type .. ' ' .. item.key.text end
       return { pages = pages, jump = jump }`,
    );
    const all = r.pages.flat();
    const numbers = all.filter((k) => k.startsWith('number ')).map((k) => Number(k.slice(7)));
    const strings = all.filter((k) => k.startsWith('string ')).map((k) => k.slice(7));
    expect(all).toHaveLength(numbers.length + strings.length);
    expect(numbers.length).toBeGreaterThan(2900);
    expect(strings.length).toBeGreaterThan(4900);
    // Every number before every string; each group in order (byte order for these ASCII keys).
    expect(all.findIndex((k) => k.startsWith('string '))).toBe(numbers.length);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(strings).toEqual([...strings].sort());
    expect(r.jump).toEqual(all.slice(6000, 6050));
  });

  it('gives the same table the same ref, so a cycle is visible as a child whose ref is an ancestor', () => {
    const r = run<{ p: Preview; page: Page }>(
      lua,
      `local t = {} t.self = t t.inner = { back = t }
       local p = reg:preview(t) return { p = p, page = reg:children(p.ref, 1, 10) }`,
    );
    const self = r.page.items.find((i) => i.key.text === '"self"');
    expect(self?.value.ref).toBe(r.p.ref);
    expect(r.page.items.find((i) => i.key.text === '"inner"')?.value.ref).not.toBe(r.p.ref);
  });

  it('never runs a metamethod: __index, __pairs, __len, __tostring, __name, __eq, __lt that loop forever', () => {
    const r = run<{ p: Preview; page: Page; key: Preview }>(
      lua,
      `local loop = function() while true do end end
       local mt = { __index = loop, __newindex = loop, __pairs = loop, __ipairs = loop, __len = loop, __tostring = loop,
         __eq = loop, __lt = loop, __le = loop, __call = loop, __concat = loop, __metatable = 'locked', __name = 'Cell' }
       local key = setmetatable({}, mt)
       local t = setmetatable({ 1, 2, x = 'y', [key] = 'tablekey' }, mt)
       local p = reg:preview(t)
       return { p = p, page = reg:children(p.ref, 1, 10), key = reg:preview(key) }`,
    );
    expect(r.p).toMatchObject({ type: 'table', name: 'Cell', count: 4 });
    expect(r.p.text).toBe('Cell {1, 2, x = "y", [{…}] = "tablekey"}');
    // The real metatable is shown even though __metatable hides it from getmetatable.
    expect(keys(r.page)).toEqual(['1', '2', '"x"', 'Cell {}', '[metatable]']);
    expect(r.page.items[4].value).toMatchObject({ type: 'table', count: 13 });
  });

  it('cuts a long __name, so a preview stays short whatever the metatable says', () => {
    const p = run<Preview>(lua, `return reg:preview(setmetatable({}, { __name = string.rep('N', 10000) }))`);
    expect(p.name).toBe(`${'N'.repeat(60)}…`);
    expect(p.text.length).toBeLessThan(100);
  });

  it('cuts a 20 MB string in the preview and pages it without splitting a UTF-8 character', () => {
    const r = run<{ p: Preview; a: { text: string; total: number; next?: number; start: number }; b: { start: number; text: string } }>(
      lua,
      `local s = string.rep('é', 10 * 1024 * 1024)
       local p = reg:preview(s)
       local a = reg:string(p.ref, 1, 65535)
       return { p = p, a = a, b = reg:string(p.ref, a.next, 3) }`,
    );
    expect(r.p.count).toBe(20 * 1024 * 1024);
    expect(r.p.text.length).toBeLessThan(200);
    expect(r.p.text.endsWith('"…')).toBe(true);
    expect(r.a.text).toBe('é'.repeat(32767));
    expect(r.a.total).toBe(20 * 1024 * 1024);
    expect(r.a.next).toBe(65535);
    expect(r.b).toMatchObject({ start: 65535, text: 'é' });
  });

  it('names functions by source:line and says what else a value is', () => {
    const r = run<Preview[]>(
      lua,
      `local f = function() end
       return { reg:preview(f), reg:preview(print), reg:preview(coroutine.create(f)), reg:preview('a\\n"b"'), reg:preview(1.5), reg:preview(true), reg:preview({}) }`,
    );
    expect(r[0].text).toBe('function <(command line):4>');
    expect(r[1].text).toBe('function [C]');
    expect(r[2].text).toBe('thread (suspended)');
    expect(r[3]).toEqual({ type: 'string', text: '"a\\n\\"b\\""', count: 5 });
    expect(r[4]).toEqual({ type: 'number', text: '1.5' });
    expect(r[5]).toEqual({ type: 'boolean', text: 'true' });
    // An empty table with no metatable has nothing to expand.
    expect(r[6]).toEqual({ type: 'table', text: '{}', count: 0 });
  });

  it('forgets released refs and says how to get the value back', () => {
    const r = run<[unknown, string, unknown]>(
      lua,
      `local p = reg:preview({ 1 }) reg:release(p.ref) local gone, why = reg:children(p.ref, 1, 10)
       local q = reg:preview({ 2 }) reg:release() return { gone == nil, why, reg:children(q.ref, 1, 1) == nil }`,
    );
    expect(r).toEqual([true, expect.stringContaining('run again to inspect it'), true]);
  });
});
