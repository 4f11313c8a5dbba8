// A value tree as rows, for lists that draw one fixed-height row at a time (the console is
// virtualized): the node's own row, then, while it is open, its fetched children (or the fetched
// text of a long string, cut into rows), a "show more" row and a status row. Pure: the open state
// and the pages come from the values store.
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import type { NodeState } from '../../stores/values/values-store';

/** Characters of a long string's text per row. */
export const TEXT_ROW_CHARS = 200;

export type TreeRow =
  | { kind: 'node'; id: string; depth: number; key?: ValuePreview; value: ValuePreview; open: boolean; expandable: boolean; cycle: boolean }
  | { kind: 'text'; id: string; depth: number; text: string }
  | { kind: 'more'; id: string; depth: number; node: string; value: ValuePreview; left: number; unit: 'entries' | 'bytes' }
  | { kind: 'status'; id: string; depth: number; text: string; problem: boolean };

export function isExpandable(value: ValuePreview): boolean {
  return value.ref !== undefined;
}

/**
 * Rows of the tree at `id` (value under `key`). `ancestors` are the refs above it: a child naming
 * one of them is a cycle, marked and not expanded (it would repeat forever).
 */
export function treeRows(nodes: Record<string, NodeState>, id: string, value: ValuePreview, key?: ValuePreview, depth = 0, ancestors: readonly number[] = [], out: TreeRow[] = []): TreeRow[] {
  const cycle = value.ref !== undefined && ancestors.includes(value.ref);
  const node = nodes[id];
  const open = !cycle && !!node?.open;
  out.push({ kind: 'node', id, depth, key, value, open, expandable: isExpandable(value) && !cycle, cycle });
  if (!open || !node) return out;
  const inner = depth + 1;
  if (value.type === 'string') {
    textRows(node.text ?? '', id, inner, out);
    if (node.next !== undefined && node.total !== undefined) {
      out.push({ kind: 'more', id: `${id}/more`, depth: inner, node: id, value, left: node.total - node.next + 1, unit: 'bytes' });
    }
  } else {
    const path = value.ref !== undefined ? [...ancestors, value.ref] : ancestors;
    node.items.forEach((item, i) => treeRows(nodes, `${id}/${i}`, item.value, item.key, inner, path, out));
    if (node.next !== undefined && node.total !== undefined) {
      out.push({ kind: 'more', id: `${id}/more`, depth: inner, node: id, value, left: node.total - node.items.length, unit: 'entries' });
    }
  }
  if (node.loading) out.push({ kind: 'status', id: `${id}/status`, depth: inner, text: 'loading…', problem: false });
  else if (node.error) out.push({ kind: 'status', id: `${id}/status`, depth: inner, text: node.error, problem: true });
  return out;
}

function textRows(text: string, id: string, depth: number, out: TreeRow[]) {
  let n = 0;
  for (const line of text.split('\n')) {
    for (let at = 0; at === 0 || at < line.length; at += TEXT_ROW_CHARS) {
      out.push({ kind: 'text', id: `${id}/t${n++}`, depth, text: line.slice(at, at + TEXT_ROW_CHARS) });
    }
  }
}
