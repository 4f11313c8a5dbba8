// Sidebar view: the Ol-Fi stream live — connection bar, filters, per-compound rate sparklines, the
// virtualized frame table with pause and older-history paging, the inspector, a send form, the visualizer.
import { useEffect } from 'react';
import { olfiStore, useOlFi } from '../../stores/olfi';
import { FrameInspector } from './FrameInspector';
import { FrameTable } from './FrameTable';
import { RateSparklines } from './frame-parts';
import { SendFrameForm } from './SendFrameForm';
import './olfi.css';

function ConnectionBar() {
  const status = useOlFi((s) => s.status);
  const stats = useOlFi((s) => s.stats);
  const buffered = useOlFi((s) => s.buffered);
  const skipped = useOlFi((s) => s.skipped);
  const loadingHistory = useOlFi((s) => s.loadingHistory);
  const state = status?.mirror?.state ?? (status?.error ? 'error' : 'connecting');
  return (
    <div className="olfi-connection" role="status" aria-label="Ol-Fi connection">
      <div>
        <span className={`olfi-light ${state}`} aria-hidden="true" /> {state}
        {status?.url && <span className="pkg-dim"> {status.url}</span>}
        {status && <span className="pkg-dim"> · {status.streamKey}{status.source === 'embedded' ? ' (embedded Redis)' : ''}</span>}
      </div>
      <div>
        {(stats?.framesPerSecond ?? 0).toFixed(1)} frames/s · stream length {stats?.streamLength ?? '?'} · {buffered} shown
        {(stats?.dropped ?? 0) > 0 && ` · ${stats!.dropped} dropped from the buffer`}
      </div>
      {skipped > 0 && (
        <div className="metrics-rejected" aria-label="Skipped frames">
          {skipped} frames skipped: they arrived faster than the panel is updated (they are still in Redis).{' '}
          <button disabled={loadingHistory} onClick={() => void olfiStore.getState().loadSkipped()}>
            Show skipped
          </button>
        </div>
      )}
      {status?.mirror?.reason && state !== 'connected' && <div className="metrics-error">{status.mirror.reason}</div>}
      {status?.error && <div className="metrics-error">{status.error}</div>}
      {status?.notice && <div className="pkg-dim">{status.notice}</div>}
      {status?.lastVmPublishError && <div className="metrics-error">{status.lastVmPublishError}</div>}
    </div>
  );
}

function Filters() {
  const filters = useOlFi((s) => s.filters);
  const compounds = useOlFi((s) => s.compounds);
  const types = useOlFi((s) => s.messageTypes);
  const { setFilters } = olfiStore.getState();
  return (
    <div className="olfi-filters">
      <select aria-label="Compound filter" value={filters.compound} onChange={(e) => setFilters({ compound: e.target.value })}>
        <option value="">all compounds</option>
        {compounds.map((c) => (
          <option key={c.name} value={c.name}>{c.name}</option>
        ))}
      </select>
      <select aria-label="Type filter" value={filters.type} onChange={(e) => setFilters({ type: e.target.value })}>
        <option value="">all types</option>
        {types.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
      <select aria-label="Validity filter" value={filters.validity} onChange={(e) => setFilters({ validity: e.target.value as typeof filters.validity })}>
        <option value="all">valid and invalid</option>
        <option value="valid">valid only</option>
        <option value="invalid">invalid only</option>
      </select>
      <input aria-label="Address filter" placeholder="address" value={filters.address} onChange={(e) => setFilters({ address: e.target.value })} />
      <input aria-label="Search frames" placeholder="search payload, reason" value={filters.text} onChange={(e) => setFilters({ text: e.target.value })} />
    </div>
  );
}

function Sparklines() {
  // The main side's per-second counts, redrawn with the stats (every second), not with every batch of rows.
  const rateSeries = useOlFi((s) => s.stats?.rateSeries);
  const colours = useOlFi((s) => s.colours);
  return rateSeries ? <RateSparklines series={rateSeries} colours={colours} /> : null;
}

function Controls() {
  const paused = useOlFi((s) => s.paused);
  const visualizer = useOlFi((s) => s.visualizer);
  const { setPaused, launchVisualizer, stopVisualizer } = olfiStore.getState();
  const running = visualizer?.status.state === 'running';
  return (
    <div className="olfi-controls">
      <div className="toolbar">
        <button onClick={() => setPaused(!paused)}>{paused ? 'Resume' : 'Pause'}</button>
        <button onClick={() => void launchVisualizer()}>{running ? 'Relaunch visualizer' : 'Launch visualizer'}</button>
        <button disabled={!running} onClick={() => void stopVisualizer()}>Stop visualizer</button>
      </div>
      {visualizer && (
        <details className="olfi-vislog">
          <summary aria-label="Visualizer state">
            visualizer {visualizer.status.state}
            {visualizer.status.reason ? ` — ${visualizer.status.reason.split('\n')[0]}` : ''}
          </summary>
          <pre>{visualizer.log || '(no output yet)'}</pre>
        </details>
      )}
    </div>
  );
}

export function OlFiView() {
  useEffect(() => olfiStore.getState().connect(), []);
  const lastError = useOlFi((s) => s.lastError);
  return (
    <section className="olfi-view" aria-label="Ol-Fi">
      <header className="view-header">
        <h1>Ol-Fi</h1>
      </header>
      <ConnectionBar />
      {lastError && (
        <p className="problem olfi-pad" role="alert">
          {lastError} <button onClick={() => olfiStore.getState().clearError()} aria-label="Dismiss error">×</button>
        </p>
      )}
      <Controls />
      <Filters />
      <Sparklines />
      <FrameTable />
      <FrameInspector />
      <details className="olfi-pad">
        <summary>Send a test frame</summary>
        <SendFrameForm />
      </details>
    </section>
  );
}
