import { describe, expect, it } from 'vitest';
import type { NodeState } from '../../stores/values/values-store';
import { TEXT_ROW_CHARS, treeRows } from './value-tree';

const table = (ref: number, text = '{…}') => ({ type: 'table', text, ref });
const num = (n: number) => ({ type: 'number', text: String(n) });
const open = (change: Partial<NodeState>): NodeState => ({ open: true, loading: false, items: [], ...change });

describe('treeRows', () => {
  it('is one row while closed, and the fetched children plus "show more" while open', () => {
    expect(treeRows({}, 'r', table(1))).toEqual([{ kind: 'node', id: 'r', depth: 0, key: undefined, value: table(1), open: false, expandable: true, cycle: false }]);
    const rows = treeRows({ r: open({ items: [{ key: num(1), value: num(10) }], total: 250, next: 2 }) }, 'r', table(1));
    expect(rows.map((r) => [r.kind, r.depth])).toEqual([['node', 0], ['node', 1], ['more', 1]]);
    expect(rows[2]).toMatchObject({ kind: 'more', left: 249, unit: 'entries', node: 'r' });
  });

  it('marks a child naming an ancestor as a cycle and never opens it, even if its node is open', () => {
    const nodes = { r: open({ items: [{ key: { type: 'string', text: '"self"' }, value: table(1) }], total: 1 }), 'r/0': open({}) };
    const rows = treeRows(nodes, 'r', table(1));
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ kind: 'node', cycle: true, open: false, expandable: false });
  });

  it("cuts a long string's fetched text into rows and counts the bytes left", () => {
    const value = { type: 'string', text: '"ab…"', ref: 3, count: 1000 };
    const rows = treeRows({ s: open({ text: `${'a'.repeat(TEXT_ROW_CHARS + 5)}\nb`, total: 1000, next: 207 }) }, 's', value);
    expect(rows.map((r) => (r.kind === 'text' ? r.text.length : r.kind))).toEqual(['node', TEXT_ROW_CHARS, 5, 1, 'more']);
    expect(rows.at(-1)).toMatchObject({ left: 794, unit: 'bytes' });
  });

  it('says why a node shows nothing: loading, or the value is gone', () => {
    expect(treeRows({ r: open({ loading: true }) }, 'r', table(1)).at(-1)).toMatchObject({ kind: 'status', text: 'loading…', problem: false });
    expect(treeRows({ r: open({ error: 're-run to expand it', gone: true }) }, 'r', table(1)).at(-1)).toMatchObject({ kind: 'status', problem: true });
  });
});
