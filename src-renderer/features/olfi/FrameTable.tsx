// The live frame table: windowed rows of one height (time, compound chip, address, type, payload, checksum ✓/✗).
import { useRef } from 'react';
import { olfiStore, useOlFi } from '../../stores/olfi';
import { useFixedRows } from '../common/fixed-rows';
import { FrameRow } from './frame-parts';

const ROW_HEIGHT = 24;
const select = (id: string) => olfiStore.getState().select(id);

export function FrameTable() {
  const rows = useOlFi((s) => s.rows);
  const selectedId = useOlFi((s) => s.selectedId);
  const loadingHistory = useOlFi((s) => s.loadingHistory);
  const exhausted = useOlFi((s) => s.historyExhausted);
  const colours = useOlFi((s) => s.colours);
  const parent = useRef<HTMLDivElement>(null);
  const drawn = useFixedRows(parent, rows.length, ROW_HEIGHT, 2);

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
          {/* The drawn rows flow in one block moved to their place: a transform per row gave the compositor one
              more node to update per row at every redraw. */}
          <div style={{ transform: `translateY(${drawn.start * ROW_HEIGHT}px)` }}>
            {rows.slice(drawn.start, drawn.end).map((entry, i) => (
              <FrameRow key={drawn.start + i} entry={entry} selected={entry.id === selectedId} colours={colours} onSelect={select} />
            ))}
          </div>
        </div>
      </div>
      <button className="olfi-older" disabled={loadingHistory || exhausted || rows.length === 0} onClick={() => void olfiStore.getState().loadOlder()}>
        {exhausted ? 'No older frames' : loadingHistory ? 'Loading…' : 'Load older frames'}
      </button>
    </div>
  );
}
