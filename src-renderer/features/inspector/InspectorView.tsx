// The variable inspector: the active session's globals (name, type, size, short value), the
// program's first and the builtins hidden unless asked, a filter on names, each expandable like a
// value in the console. Refreshed after every run and REPL line of the session.
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import type { GlobalEntry } from '../../../src-preload/contract/values';
import { bridge } from '../../bridge';
import { selectActiveSession, useSessions } from '../../stores/sessions';
import { useValues, valuesStore } from '../../stores/values';
import { ValueRow } from '../values/ValueRow';
import { treeRows } from '../values/value-tree';
import { createInspectorStore, inspectorRoot } from './inspector-store';

const inspectorStore = createInspectorStore(bridge(), valuesStore);

function size(value: ValuePreview): string {
  if (value.count === undefined) return value.type === 'table' ? 'table, many' : value.type;
  if (value.type === 'string') return `string, ${value.count} B`;
  return `${value.type}, ${value.count}`;
}

export function InspectorView() {
  const session = useSessions(selectActiveSession);
  const sessionId = session?.id ?? null;
  const { items, total, filter, builtins, loading, error } = useStore(inspectorStore);
  const nodes = useValues((state) => state.nodes);

  // A run or REPL line moves lastActivity; the inspector's own requests do not, so this never loops.
  const activity = session && session.state !== 'busy' && session.state !== 'starting' ? session.lastActivity : null;
  useEffect(() => {
    void inspectorStore.getState().refresh(sessionId);
  }, [sessionId, activity]);

  const rows = useMemo(() => (sessionId ? items.flatMap((entry) => entryRows(sessionId, entry, nodes)) : []), [items, nodes, sessionId]);

  if (!sessionId) return <section className="inspector" aria-label="Variables"><p className="wb-empty">Select a session to see its variables.</p></section>;
  return (
    <section className="inspector" aria-label="Variables">
      <div className="inspector-tools">
        <input type="search" aria-label="Filter variables" placeholder="filter by name" value={filter} onChange={(event) => inspectorStore.getState().setFilter(event.target.value)} />
        <label className="wb-checkbox">
          <input type="checkbox" checked={builtins} onChange={(event) => inspectorStore.getState().setBuiltins(event.target.checked)} /> builtins
        </label>
      </div>
      {error && <p className="wb-problem" role="alert">{error}</p>}
      <div className="inspector-list" role="tree" aria-label={`Variables of ${sessionId}`} aria-busy={loading}>
        {items.length === 0 && !loading && <p className="wb-empty">{filter ? `No variable matches "${filter}".` : 'No variables yet — run something.'}</p>}
        {rows.map(({ row, entry }) => (
          <div key={row.id} className="inspector-row" role="treeitem" aria-level={row.depth + 1} aria-label={entry && row.kind === 'node' && row.depth === 0 ? entry.name : undefined}>
            <ValueRow row={row} sessionId={sessionId} />
            {entry && <span className="inspector-meta">{size(entry.value)}{entry.builtin ? ' · builtin' : ''}</span>}
          </div>
        ))}
        {total > items.length && <p className="wb-empty">{total - items.length} more — narrow the filter</p>}
      </div>
    </section>
  );
}

/** A global's rows: its own (with the type and size beside it), then its open subtree. */
function entryRows(sessionId: string, entry: GlobalEntry, nodes: Parameters<typeof treeRows>[0]) {
  const key: ValuePreview = { type: 'string', text: JSON.stringify(entry.name) };
  return treeRows(nodes, `${inspectorRoot(sessionId)}${entry.name}`, entry.value, key).map((row, i) => ({ row, entry: i === 0 ? entry : undefined }));
}
