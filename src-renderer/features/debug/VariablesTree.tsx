// A stopped frame's scopes and their values as a tree: Locals open at once, everything else fetched
// when opened, a page at a time ("show more"), so a huge table or string never stalls the panel. The
// pages live in the nodes' own state: they are valid only until the run goes on (the panel remounts
// the tree at every stop and frame change).
import { useEffect, useState } from 'react';
import { visibleText } from '../../../src-preload/contract/outside-values';
import type { VariablesPage } from '../../../src-preload/contract/debug';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import { errorMessage } from '../../bridge';
import { debugStore, VARIABLES_PAGE, type Scope } from '../../stores/debug';

type Child = VariablesPage['items'][number];

interface Pages {
  items: Child[];
  text: string;
  total?: number;
  next?: number;
}

const INDENT_PX = 14;

export function VariablesTree({ sessionId, frame }: { sessionId: string; frame: number }) {
  const [scopes, setScopes] = useState<Scope[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    debugStore.getState().scopes(sessionId, frame).then(setScopes, (error: unknown) => setProblem(errorMessage(error)));
  }, [sessionId, frame]);

  if (problem) return <p className="value-problem" role="alert">{problem}</p>;
  if (!scopes) return <p className="wb-empty">loading…</p>;
  return (
    <ul className="debug-variables" aria-label="Variables of the selected frame">
      {scopes.map((scope) => (
        <VariableNode
          key={scope.name}
          sessionId={sessionId}
          name={scope.name}
          value={{ type: 'scope', text: `${scope.count}`, ref: scope.ref, count: scope.count }}
          depth={0}
          startOpen={scope.name === 'Locals'}
        />
      ))}
    </ul>
  );
}

function VariableNode({ sessionId, name, value, depth, startOpen = false }: { sessionId: string; name: string; value: ValuePreview; depth: number; startOpen?: boolean }) {
  const [open, setOpen] = useState(false);
  const [pages, setPages] = useState<Pages | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const scope = value.type === 'scope';
  const expandable = value.ref !== undefined && (!scope || (value.count ?? 0) > 0);

  async function load(current: Pages | null) {
    if (value.ref === undefined || loading) return;
    setLoading(true);
    setProblem(null);
    const base = current ?? { items: [], text: '' };
    try {
      const store = debugStore.getState();
      if (value.type === 'string') {
        const page = await store.stringPage(sessionId, value.ref, base.next ?? 1);
        setPages({ ...base, text: base.text + page.text, total: page.total, next: page.next });
      } else {
        const page = await store.variables(sessionId, value.ref, base.next ?? 1);
        setPages({ ...base, items: [...base.items, ...page.items], total: page.total, next: page.next });
      }
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setLoading(false);
    }
  }

  function toggle() {
    setOpen(!open);
    if (!open && !pages) void load(null);
  }

  useEffect(() => {
    if (startOpen && expandable) toggle();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- opened once, when the scope first shows
  }, []);

  const indent = { paddingLeft: depth * INDENT_PX };
  const left = pages?.total !== undefined && pages.next !== undefined ? pages.total - pages.next + 1 : 0;
  return (
    <li>
      <span className="value-row" style={indent}>
        {expandable ? (
          <button className="value-toggle" aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`} onClick={toggle}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="value-toggle-space" />
        )}
        {scope ? (
          <span className="debug-scope-name">{name}</span>
        ) : (
          <>
            <span className="value-key">{visibleText(name)} = </span>
            <span className={`value-text value-${value.type}`}>{visibleText(value.text)}</span>
          </>
        )}
      </span>
      {open && (
        <ul>
          {value.type === 'string' && pages && <li className="value-row value-string-text" style={{ paddingLeft: (depth + 1) * INDENT_PX }}>{visibleText(pages.text)}</li>}
          {pages?.items.map((child, i) => <VariableNode key={`${i}:${child.name}`} sessionId={sessionId} name={child.name} value={child.value} depth={depth + 1} />)}
          {pages?.next !== undefined && !loading && (
            <li className="value-row" style={{ paddingLeft: (depth + 1) * INDENT_PX }}>
              <button className="value-more" onClick={() => void load(pages)}>
                {value.type === 'string' ? `show more (${left} bytes left)` : `show ${Math.min(VARIABLES_PAGE, left)} more (${left} left)`}
              </button>
            </li>
          )}
          {loading && <li className="value-note" style={{ paddingLeft: (depth + 1) * INDENT_PX }}>loading…</li>}
          {problem && <li className="value-problem" role="alert" style={{ paddingLeft: (depth + 1) * INDENT_PX }}>{problem}</li>}
        </ul>
      )}
    </li>
  );
}
