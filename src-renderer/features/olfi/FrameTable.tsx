// The live frame table: windowed rows of one height (time, compound chip, address, type, payload, checksum ✓/✗).
import { memo, useRef } from 'react';
import type { OlFiEntryView } from '../../../src-preload/contract/olfi';
import { formatTime, visibleText } from '../../../src-preload/contract/outside-values';
import { entryTime, olfiStore, useOlFi } from '../../stores/olfi';
import { useFixedRows } from '../common/fixed-rows';

const ROW_HEIGHT = 24;

// One formatter for every row: toLocaleTimeString builds a new one per call, which cost more than the rest of a row.
const clock = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function timeOf(id: string): string {
  return formatTime(entryTime(id), (t) => `${clock.format(t)}.${String(t.getTime() % 1000).padStart(3, '0')}`);
}

export function CompoundChip({ name }: { name: string | undefined }) {
  const colour = useOlFi((s) => (name ? s.colours[name.toUpperCase().replace(/[-\s]/g, '_')] : undefined));
  return (
    <span className="olfi-chip" style={{ background: colour ?? 'var(--fg-dim)' }} title={colour ? name : `${name ?? '(no mvoc)'} is not in the MVOC library`}>
      {name === undefined ? '—' : visibleText(name)}
    </span>
  );
}

/** Entries never change once received: a row whose slot still shows the same frame is not drawn again. */
const Row = memo(function Row({ entry, selected }: { entry: OlFiEntryView; selected: boolean }) {
  const valid = entry.status === 'valid';
  const frame = entry.frame;
  return (
    <div
      role="listitem"
      aria-selected={selected}
      aria-label={visibleText(`${entry.mvoc ?? 'no mvoc'} ${frame?.control.type ?? entry.status} ${valid ? 'valid' : entry.status}`)}
      className={`olfi-row${selected ? ' selected' : ''}${valid ? '' : ' invalid'}`}
      onClick={() => olfiStore.getState().select(entry.id)}
    >
      <span className="olfi-time">{timeOf(entry.id)}</span>
      <CompoundChip name={entry.mvoc} />
      <span className="olfi-addr">{frame ? visibleText(`${frame.source ? `${frame.source}→` : ''}${frame.address}`) : ''}</span>
      <span className="olfi-type">{frame?.control.type ?? ''}</span>
      <span className="olfi-payload">{visibleText(frame?.payload ?? entry.raw ?? '')}</span>
      <span className={valid ? 'olfi-ok' : 'olfi-bad'} title={visibleText(entry.reason) || 'checksum matches the payload'}>
        {valid ? '✓' : `✗ ${visibleText(entry.reason)}`}
      </span>
    </div>
  );
});

export function FrameTable() {
  const rows = useOlFi((s) => s.rows);
  const selectedId = useOlFi((s) => s.selectedId);
  const loadingHistory = useOlFi((s) => s.loadingHistory);
  const exhausted = useOlFi((s) => s.historyExhausted);
  const parent = useRef<HTMLDivElement>(null);
  const drawn = useFixedRows(parent, rows.length, ROW_HEIGHT, 4);

  return (
    <div className="olfi-table">
      {/* Column names for the eye; each row's own label already says what it holds to a screen reader. */}
      <div className="olfi-row olfi-head" aria-hidden="true">
        <span>time</span>
        <span>compound</span>
        <span>source→address</span>
        <span>type</span>
        <span>payload</span>
        <span title="checksum">✓/✗</span>
      </div>
      <div
        ref={parent}
        className="olfi-scroll"
        role="list"
        aria-label="Ol-Fi frames"
        data-rows={rows.length}
        onScroll={(event) => {
          // Reaching the bottom pages older history in from Redis.
          const el = event.currentTarget;
          if (!exhausted && !loadingHistory && rows.length > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 2) void olfiStore.getState().loadOlder();
        }}
      >
        <div style={{ height: drawn.totalHeight, position: 'relative' }}>
          {/* Keyed by position: at 1,000 frames/s every drawn row holds a new frame at each redraw, and updating the
              text of the rows on screen costs a fraction of replacing them. */}
          {rows.slice(drawn.start, drawn.end).map((entry, i) => (
            <div key={drawn.start + i} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${(drawn.start + i) * ROW_HEIGHT}px)` }}>
              <Row entry={entry} selected={entry.id === selectedId} />
            </div>
          ))}
        </div>
      </div>
      <button className="olfi-older" disabled={loadingHistory || exhausted || rows.length === 0} onClick={() => void olfiStore.getState().loadOlder()}>
        {exhausted ? 'No older frames' : loadingHistory ? 'Loading…' : 'Load older frames'}
      </button>
    </div>
  );
}
