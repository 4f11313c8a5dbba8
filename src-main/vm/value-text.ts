// A previewed Lua value (lua/runtime/inspect.lua) as text for a terminal: the tree the runner
// filled in, indented, array entries without their keys, identifier keys bare, cycles and cut
// pages said in words. What the runner did not fill in shows as its one-line preview.
import type { ValuePreview, ValueTree } from '../../src-preload/contract/value-preview';

/** How deep and how wide the runner fills a tree in for text (bioxen exec, the CLI repl). */
export interface TreeOptions {
  depth: number;
  width: number;
}

export const TEXT_TREE: TreeOptions = { depth: 3, width: 20 };

const KEYWORDS = new Set(
  'and break do else elseif end false for function goto if in local nil not or repeat return then true until while'.split(' '),
);

function keyText(key: ValuePreview): string {
  if (key.type === 'metatable') return key.text;
  const ident = key.type === 'string' ? /^"([A-Za-z_][A-Za-z0-9_]*)"$/.exec(key.text) : null;
  if (ident && !KEYWORDS.has(ident[1]!)) return ident[1]!;
  return `[${key.text}]`;
}

export function valueTreeText(tree: ValueTree, indent = ''): string {
  if (tree.cycle) return `<cycle> ${tree.text}`;
  const children = tree.children;
  if (!children) return tree.text;
  if (children.items.length === 0 && children.total === 0) return tree.name ? `${tree.name} {}` : '{}';
  const inner = `${indent}  `;
  const lines = children.items.map(({ key, value }, i) => {
    // The array part comes first and in order: its keys say nothing.
    const bare = key.type === 'number' && key.text === String(i + 1);
    return `${inner}${bare ? '' : `${keyText(key)} = `}${valueTreeText(value, inner)},`;
  });
  const more = children.total - children.items.length;
  if (more > 0) lines.push(`${inner}… ${more} more`);
  return `${tree.name ? `${tree.name} ` : ''}{\n${lines.join('\n')}\n${indent}}`;
}

/** A run's returned values as the REPL echoes them, with each table that came with a tree as text. */
export function echoText(values: readonly string[], previews: readonly ValueTree[] | undefined): string {
  return values.map((text, i) => (previews?.[i]?.children ? valueTreeText(previews[i]) : text)).join('\t');
}
