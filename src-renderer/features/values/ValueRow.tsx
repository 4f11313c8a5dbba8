// One row of a value tree: an open/close toggle, the key, the value's short text, cycles and
// "show more" said plainly. Used by the console and the variable inspector.
import { visibleText } from '../../../src-preload/contract/outside-values';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import { valuesStore } from '../../stores/values';
import { CHILDREN_PAGE, STRING_PAGE } from '../../stores/values/values-store';
import { showBytes } from '../console/console-lines';
import type { TreeRow } from './value-tree';

const INDENT_PX = 14;

const shown = (text: string) => visibleText(showBytes(text));

/** How a key reads in a listing: identifier strings bare, the rest in brackets. */
export function keyLabel(key: ValuePreview | undefined): string {
  if (!key) return '';
  // A metatable entry, and a debug variable's name (keyOfName), read as they are.
  if (key.type === 'metatable' || key.type === 'name') return key.text;
  const ident = key.type === 'string' ? /^"([A-Za-z_][A-Za-z0-9_]*)"$/.exec(key.text) : null;
  return ident ? ident[1]! : `[${key.text}]`;
}

export function ValueRow({ row, sessionId }: { row: TreeRow; sessionId: string }) {
  const indent = { paddingLeft: row.depth * INDENT_PX };
  const actions = valuesStore.getState();
  switch (row.kind) {
    case 'node': {
      const label = row.key ? keyLabel(row.key) : '';
      return (
        <span className="value-row" style={indent}>
          {row.expandable ? (
            <button
              className="value-toggle"
              aria-expanded={row.open}
              aria-label={`${row.open ? 'Collapse' : 'Expand'} ${label || row.value.text}`}
              onClick={() => void actions.toggle(sessionId, row.id, row.value)}
            >
              {row.open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="value-toggle-space" />
          )}
          {label && <span className="value-key">{shown(label)} = </span>}
          <span className={`value-text value-${row.value.type}`}>{shown(row.value.text)}</span>
          {row.value.type === 'string' && row.value.ref !== undefined && !row.open && <span className="value-note"> ({row.value.count} bytes)</span>}
          {row.cycle && <span className="value-note"> ↻ cycle</span>}
        </span>
      );
    }
    case 'text':
      return <span className="value-row value-string-text" style={indent}>{shown(row.text) || '\u00a0'}</span>;
    case 'more': {
      const next = row.unit === 'entries' ? Math.min(CHILDREN_PAGE, row.left) : Math.min(STRING_PAGE, row.left);
      return (
        <span className="value-row" style={indent}>
          <button className="value-more" onClick={() => void actions.more(sessionId, row.node, row.value)}>
            {row.unit === 'entries' ? `show ${next} more (${row.left} left)` : `show more (${row.left} bytes left)`}
          </button>
        </span>
      );
    }
    case 'status':
      return <span className={`value-row ${row.problem ? 'value-problem' : 'value-note'}`} style={indent} role={row.problem ? 'alert' : undefined}>{row.text}</span>;
  }
}
