// The Debug panel for the active session: the run's controls and where it stopped, the call stack
// (coroutine boundaries marked), the selected frame's variables (expanded a page at a time), the
// watch expressions and every breakpoint (on/off, edit, remove).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { exceptionModeSchema } from '../../../src-preload/contract/debug';
import { visibleText } from '../../../src-preload/contract/outside-values';
import { debugStore, selectAllBreakpoints, selectExceptions, selectProblem, selectRun, selectVerdicts, selectWatches, useDebug, type DebugRun } from '../../stores/debug';
import { selectActiveId, useSessions } from '../../stores/sessions';
import { debugInSession, step } from './debug-commands';
import { runToCursor } from './editor-debugging';
import type { ValuePreview } from '../../../src-preload/contract/value-preview';
import { errorMessage } from '../../bridge';
import { DEBUG_ROOT, useValues, valuesStore } from '../../stores/values';
import type { Scope } from '../../stores/debug';
import { ValueRow } from '../values/ValueRow';
import { treeRows } from '../values/value-tree';

const REASONS: Record<string, string> = {
  entry: 'on entry',
  breakpoint: 'at a breakpoint',
  step: 'after a step',
  pause: 'paused',
  exception: 'at an error',
};

export function DebugView() {
  const sessionId = useSessions(selectActiveId);
  const run = useDebug(selectRun(sessionId));
  const problem = useDebug(selectProblem);

  return (
    <section className="debug-view" aria-label="Debug">
      <header className="view-header">
        <h1>Debug{sessionId ? ` · ${sessionId}` : ''}</h1>
      </header>
      {sessionId ? <DebugToolbar sessionId={sessionId} run={run} /> : <p className="wb-empty">No session selected.</p>}
      {problem && (
        <p className="wb-problem debug-problem" role="alert">
          {problem} <button onClick={() => debugStore.getState().dismissProblem()}>Dismiss</button>
        </p>
      )}
      {sessionId && run?.stop && (
        <>
          <DebugSection title="Call stack">
            <CallStack sessionId={sessionId} run={run} />
          </DebugSection>
          <DebugSection title="Variables">
            <Variables sessionId={sessionId} run={run} />
          </DebugSection>
        </>
      )}
      <DebugSection title="Watch">
        <Watches sessionId={sessionId} stopped={!!run?.stop} />
      </DebugSection>
      <DebugSection title="Breakpoints">
        <BreakpointList />
      </DebugSection>
    </section>
  );
}

function DebugSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="debug-section" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function DebugToolbar({ sessionId, run }: { sessionId: string; run: DebugRun | undefined }) {
  const stopped = !!run?.stop;
  const actions = debugStore.getState();
  const status = !run ? 'Not debugging' : run.stop ? `Stopped ${REASONS[run.stop.reason] ?? ''} at ${run.stop.script}:${run.stop.line}` : 'Running';
  return (
    <>
      <div className="debug-toolbar" role="toolbar" aria-label="Debug controls">
        {run ? (
          <button className="primary" disabled={!stopped} onClick={() => step(sessionId, 'continue')} title="Continue (F5)">Continue</button>
        ) : (
          <button className="primary" onClick={() => void debugInSession(sessionId)} title="Run the script with the debugger (F5)">Start debugging</button>
        )}
        <button disabled={!run || stopped} onClick={() => void actions.pause(sessionId)} title="Pause at the next line">Pause</button>
        <button disabled={!stopped} onClick={() => step(sessionId, 'next')} title="Step over (F10)">Step over</button>
        <button disabled={!stopped} onClick={() => step(sessionId, 'stepIn')} title="Step into (F11)">Step into</button>
        <button disabled={!stopped} onClick={() => step(sessionId, 'stepOut')} title="Step out (Shift+F11)">Step out</button>
        <button disabled={!stopped} onClick={() => void runToCursor(sessionId)} title="Run to the editor's cursor line">Run to cursor</button>
        <button className="danger" disabled={!run} onClick={() => void actions.stop(sessionId)} title="Stop the run (Shift+F5)">Stop</button>
        <ExceptionModeSelect />
      </div>
      <p className="debug-status" role="status" aria-label="Debug status">
        {status}
        {run?.stop?.text && <span className="debug-stop-text">: {visibleText(run.stop.text)}</span>}
      </p>
    </>
  );
}

function ExceptionModeSelect() {
  const mode = useDebug(selectExceptions);
  return (
    <label className="debug-exceptions" title="Where a debugged run stops at an error, at the line that raised it">
      Stop on{' '}
      <select value={mode} onChange={(e) => void debugStore.getState().setExceptions(exceptionModeSchema.parse(e.target.value))}>
        <option value="none">no errors</option>
        <option value="uncaught">uncaught errors</option>
        <option value="all">all errors (also caught)</option>
      </select>
    </label>
  );
}

function CallStack({ sessionId, run }: { sessionId: string; run: DebugRun }) {
  if (!run.frames) return <p className="wb-empty">loading…</p>;
  return (
    <ol className="debug-stack" aria-label="Call stack frames">
      {run.frames.map((frame) =>
        frame.boundary ? (
          <li key={frame.id} className="debug-boundary">— {visibleText(frame.name)} —</li>
        ) : (
          <li key={frame.id}>
            <button aria-current={frame.id === run.frame} onClick={() => debugStore.getState().selectFrame(sessionId, frame.id)}>
              <span className="debug-frame-name">{visibleText(frame.name)}</span>
              <span className="debug-frame-where">{frame.script}{frame.line !== undefined ? `:${frame.line}` : ''}</span>
            </button>
          </li>
        ),
      )}
    </ol>
  );
}

/** A scope as a tree root: its variables are its children. */
function scopeValue(scope: Scope): ValuePreview {
  return { type: 'scope', text: `${scope.count} variable${scope.count === 1 ? '' : 's'}`, ref: scope.count > 0 ? scope.ref : undefined, count: scope.count };
}

/**
 * The selected frame's scopes as value trees (the console's rows and paging). At every stop the trees
 * are fetched again from the new refs and what was open stays open (the values store's reopen), so a
 * table being watched across steps stays expanded; Locals open at once when nothing is.
 */
function Variables({ sessionId, run }: { sessionId: string; run: DebugRun }) {
  const root = `${DEBUG_ROOT}${sessionId}/`;
  const [scopes, setScopes] = useState<Scope[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const nodes = useValues((state) => state.nodes);

  useEffect(() => {
    let current = true;
    debugStore.getState().scopes(sessionId, run.frame).then(async (list) => {
      if (!current) return;
      setScopes(list);
      const values = valuesStore.getState();
      await values.reopen(sessionId, root, list.map((scope) => ({ id: `${root}${scope.name}`, value: scopeValue(scope) })));
      const anyOpen = Object.entries(valuesStore.getState().nodes).some(([id, node]) => id.startsWith(root) && node.open);
      const locals = list.find((scope) => scope.name === 'Locals');
      if (current && !anyOpen && locals && locals.count > 0) await values.toggle(sessionId, `${root}Locals`, scopeValue(locals));
    }, (error: unknown) => current && setProblem(errorMessage(error)));
    return () => {
      current = false;
    };
  }, [sessionId, run.frame, run.stops, root]);

  const rows = useMemo(
    () => (scopes ?? []).flatMap((scope) => treeRows(nodes, `${root}${scope.name}`, scopeValue(scope), { type: 'name', text: scope.name })),
    [scopes, nodes, root],
  );
  if (problem) return <p className="wb-problem" role="alert">{problem}</p>;
  if (!scopes) return <p className="wb-empty">loading…</p>;
  return (
    <div className="debug-variables" role="tree" aria-label="Variables of the selected frame">
      {rows.map((row) => (
        <div key={row.id} className="debug-variable" role="treeitem" aria-level={row.depth + 1}>
          <ValueRow row={row} sessionId={sessionId} />
        </div>
      ))}
    </div>
  );
}

function Watches({ sessionId, stopped }: { sessionId: string | null; stopped: boolean }) {
  const watches = useDebug(selectWatches);
  const values = useDebug((state) => (sessionId ? state.watchValues[sessionId] : undefined));
  const [draft, setDraft] = useState('');
  return (
    <>
      <form
        className="debug-watch-form"
        onSubmit={(event) => {
          event.preventDefault();
          debugStore.getState().addWatch(draft);
          setDraft('');
        }}
      >
        <input aria-label="Add watch expression" placeholder="Expression to watch" value={draft} onChange={(event) => setDraft(event.target.value)} />
      </form>
      <ul className="debug-watches" aria-label="Watch expressions">
        {watches.map((expression) => {
          const shown = stopped ? values?.[expression] : undefined;
          return (
            <li key={expression}>
              <span className="value-key">{visibleText(expression)} = </span>
              {shown?.error ? <span className="value-problem">{visibleText(shown.error)}</span> : <span className="value-text">{shown?.value ? visibleText(shown.value.text) : '—'}</span>}
              <button className="debug-remove" aria-label={`Remove watch ${expression}`} onClick={() => debugStore.getState().removeWatch(expression)}>×</button>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function BreakpointList() {
  const all = useDebug(selectAllBreakpoints);
  const verdicts = useDebug(selectVerdicts);
  const actions = debugStore.getState();
  const rows = Object.entries(all).flatMap(([script, list]) => list.map((bp) => ({ script, bp })));
  if (rows.length === 0) return <p className="wb-empty">Click in the editor's margin or press F9 to set a breakpoint.</p>;
  return (
    <ul className="debug-breakpoints" aria-label="Breakpoint list">
      {rows.map(({ script, bp }) => {
        const label = `${script}:${bp.line}`;
        const verdict = verdicts[script]?.[bp.line];
        const details = [bp.condition && `when ${bp.condition}`, bp.hitCondition && `hits ${bp.hitCondition}`, bp.logMessage && `log "${bp.logMessage}"`].filter(Boolean).join(' · ');
        return (
          <li key={label}>
            <label className="wb-checkbox">
              <input type="checkbox" checked={bp.enabled} onChange={(event) => actions.setEnabled(script, bp.line, event.target.checked)} />
              {label}
            </label>
            {details && <span className="debug-bp-details">{visibleText(details)}</span>}
            {verdict && !verdict.verified && <span className="wb-problem">{verdict.message ?? 'not set'}</span>}
            <button aria-label={`Edit breakpoint ${label}`} onClick={() => actions.editBreakpoint({ script, line: bp.line })}>Edit</button>
            <button className="debug-remove" aria-label={`Remove breakpoint ${label}`} onClick={() => actions.remove(script, bp.line)}>×</button>
          </li>
        );
      })}
    </ul>
  );
}
