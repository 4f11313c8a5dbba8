// The active session's console: virtualized output, a REPL input with history and a continuation
// prompt, clear and copy. Ctrl+C with no text selected interrupts the running code.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { canRun, selectActiveSession, selectHistory, selectOutput, selectReplPending, sessionsStore, useSessions } from '../../stores/sessions';
import { visibleText } from '../../../src-preload/contract/outside-values';
import { useFixedRows } from '../common/fixed-rows';
import { PlotBlock } from '../plots/PlotView';
import { useValues } from '../../stores/values';
import type { NodeState } from '../../stores/values/values-store';
import { ValueRow } from '../values/ValueRow';
import { treeRows, type TreeRow } from '../values/value-tree';
import { buildLines, emptyLineBuffer, linesAsText, PLOT_ROWS, promptOf, showBytes, type ConsoleLine } from './console-lines';

const ROW_HEIGHT = 19;

export function ConsolePanel() {
  const session = useSessions(selectActiveSession);
  if (!session) return <section className="console" aria-label="Console"><p className="wb-empty">Create or select a session to use its console.</p></section>;
  return <SessionConsole key={session.id} sessionId={session.id} runnable={canRun(session)} />;
}

function SessionConsole({ sessionId, runnable }: { sessionId: string; runnable: boolean }) {
  const output = useSessions(selectOutput(sessionId));
  const pending = useSessions(selectReplPending(sessionId));
  const history = useSessions(selectHistory(sessionId));
  const lineBuffer = useRef(emptyLineBuffer);
  const lines = useMemo(() => (lineBuffer.current = buildLines(lineBuffer.current, output.chunks)).lines, [output.chunks]);
  const nodes = useValues((state) => state.nodes);
  const rows = useMemo(() => consoleRows(lines, nodes, sessionId), [lines, nodes, sessionId]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [stickToBottom, setStickToBottom] = useState(true);
  const [input, setInput] = useState('');
  const [historyIndex, setHistoryIndex] = useState<number | null>(null);
  const [copied, setCopied] = useState(false);

  const drawn = useFixedRows(scrollRef, rows.length, ROW_HEIGHT, 20);

  // Follows new output (also once the line cap is reached and the count stops growing) unless the
  // user scrolled up to read.
  useEffect(() => {
    const scroller = scrollRef.current;
    if (stickToBottom && scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [rows, stickToBottom]);

  const actions = sessionsStore.getState();

  const submit = async () => {
    const text = input;
    setInput('');
    setHistoryIndex(null);
    setStickToBottom(true);
    // A pasted block goes in line by line, exactly as if typed, so multi-line chunks work the same.
    for (const line of text.split('\n')) await actions.sendInput(sessionId, line);
  };

  const browseHistory = (direction: -1 | 1) => {
    if (!history.length) return;
    const current = historyIndex ?? history.length;
    const next = Math.min(history.length, Math.max(0, current + direction));
    setHistoryIndex(next === history.length ? null : next);
    setInput(next === history.length ? '' : history[next]!);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      browseHistory(-1);
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      browseHistory(1);
    }
  };

  const onPanelKeyDown = (event: KeyboardEvent) => {
    const selected = window.getSelection()?.toString() || hasInputSelection(event.target);
    if (event.ctrlKey && !event.metaKey && event.key.toLowerCase() === 'c' && !selected) {
      event.preventDefault();
      void actions.interrupt(sessionId);
    }
  };

  const copy = async () => {
    await navigator.clipboard.writeText(linesAsText(lines)).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  return (
    <section className="console" aria-label={`Console ${sessionId}`} onKeyDown={onPanelKeyDown}>
      <header className="console-header">
        <h2>Console — {sessionId}</h2>
        <div className="console-actions">
          <button onClick={() => void actions.interrupt(sessionId)} aria-label="Interrupt">Interrupt</button>
          <button onClick={() => actions.clearOutput(sessionId)}>Clear</button>
          <button onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
        </div>
      </header>
      <div
        ref={scrollRef}
        className="console-output"
        role="log"
        aria-label="Console output"
        aria-live="polite"
        tabIndex={0}
        onScroll={(event) => {
          const el = event.currentTarget;
          setStickToBottom(el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 2);
        }}
      >
        {output.droppedChunks > 0 && <div className="console-line stream-system">… {output.droppedChunks} earlier output chunks not shown</div>}
        <div style={{ height: drawn.totalHeight, position: 'relative' }}>
          {rows.slice(drawn.start, drawn.end).map((row, i) => {
            const top = `translateY(${(drawn.start + i) * ROW_HEIGHT}px)`;
            if ('tree' in row) {
              return (
                <div key={row.tree.id} className="console-line stream-value" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: top }}>
                  <ValueRow row={row.tree} sessionId={sessionId} />
                </div>
              );
            }
            const line = row;
            return line.filler ? null : (
              <div key={line.key} className={`console-line stream-${line.stream}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: line.stream === 'plot' ? PLOT_ROWS * ROW_HEIGHT : ROW_HEIGHT, transform: top }}>
                <LineContent line={line} />
              </div>
            );
          })}
        </div>
      </div>
      <div className="console-input">
        <span className="console-prompt" aria-hidden="true">{pending ? '>>' : '>'}</span>
        <input
          aria-label={pending ? 'Console input (continuation)' : 'Console input'}
          placeholder={runnable ? (pending ? 'continue the chunk…' : 'Lua expression or statement') : 'session not running'}
          value={input}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => setInput(event.target.value)}
          onKeyDown={onKeyDown}
        />
      </div>
    </section>
  );
}

/** The console's rows: each line, with every returned value's tree rows in its place (one while closed). */
function consoleRows(lines: readonly ConsoleLine[], nodes: Record<string, NodeState>, sessionId: string): readonly (ConsoleLine | { tree: TreeRow })[] {
  if (!lines.some((line) => line.value)) return lines;
  const rows: (ConsoleLine | { tree: TreeRow })[] = [];
  for (const line of lines) {
    if (!line.value) rows.push(line);
    else for (const tree of treeRows(nodes, `${sessionId}|${line.key}`, line.value)) rows.push({ tree });
  }
  return rows;
}

function LineContent({ line }: { line: ConsoleLine }) {
  if (line.stream === 'plot') return <PlotBlock text={line.text} height={PLOT_ROWS * ROW_HEIGHT} />;
  return <>{line.stream === 'input' ? promptOf(line) + visibleText(showBytes(line.text)) : visibleText(showBytes(line.text)) || '\u00a0'}</>;
}

function hasInputSelection(target: EventTarget): boolean {
  return target instanceof HTMLInputElement && target.selectionStart !== target.selectionEnd;
}
