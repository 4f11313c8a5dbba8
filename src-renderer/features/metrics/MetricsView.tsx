// Sidebar view: connect to a BioXen hypervisor and watch one cellular VM's ATP, growth and gene
// expression live, with pause, a time window and CSV export of what is on screen.
import { useEffect, useMemo } from 'react';
import type { MetricsStatus } from '../../../src-preload/contract/metrics';
import { isAxisValue, visibleText } from '../../../src-preload/contract/outside-values';
import { metricsBuffer, metricsStore, useMetrics } from './index';
import { atpColumns, expressionColumns } from './metrics-buffer';
import { MetricChart } from './MetricChart';
import { WINDOW_CHOICES_S } from './metrics-store';
import './metrics.css';

function describeStatus(status: MetricsStatus | null): string {
  const bridge = status?.bridge;
  if (!bridge) return 'not connected';
  if (bridge.state === 'backoff') {
    const retry = bridge.nextRetryAt ? ` — retrying in ${Math.max(0, Math.round((bridge.nextRetryAt - Date.now()) / 1000))} s` : '';
    return `waiting for ${status.endpoint}${retry}`;
  }
  const style = bridge.state === 'connected' && bridge.style ? ` · ${bridge.style === 'stream' ? 'line stream' : 'one sample per connection'}` : '';
  return `${bridge.state} ${status.endpoint}${style}`;
}

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

function ConnectionForm() {
  const endpoint = useMetrics((s) => s.endpoint);
  const busy = useMetrics((s) => s.busy);
  const connected = useMetrics((s) => s.status?.bridge != null);
  const { setEndpoint, connectHypervisor, disconnectHypervisor } = metricsStore.getState();
  return (
    <form
      className="metrics-connect"
      onSubmit={(event) => {
        event.preventDefault();
        void connectHypervisor();
      }}
    >
      <label>
        Hypervisor endpoint
        <input value={endpoint} onChange={(event) => setEndpoint(event.target.value)} placeholder="127.0.0.1:12345" spellCheck={false} />
      </label>
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          {connected ? 'Reconnect' : 'Connect'}
        </button>
        <button type="button" disabled={busy || !connected} onClick={() => void disconnectHypervisor()}>
          Disconnect
        </button>
      </div>
    </form>
  );
}

function StatusLine() {
  const status = useMetrics((s) => s.status);
  const received = useMetrics((s) => s.received);
  const lastError = useMetrics((s) => s.lastError);
  const ingest = status?.bridge?.ingest;
  const publisher = status?.bridge?.publisher;
  return (
    <div className="metrics-status" role="status" aria-label="Hypervisor status">
      <div>{describeStatus(status)}</div>
      <div>
        {received} samples received
        {ingest && ingest.linesRejected > 0 && <span className="metrics-rejected"> · {ingest.linesRejected} bad lines rejected</span>}
        {publisher && ` · ${publisher.published} to ${publisher.stream}`}
        {publisher && publisher.dropped > 0 && <span className="metrics-rejected"> · {publisher.dropped} not republished</span>}
      </div>
      {publisher?.lastError && <div className="metrics-error">Republishing: {publisher.lastError}</div>}
      {ingest?.recentInvalid.at(-1) && <div className="metrics-rejected">last rejected: {ingest.recentInvalid.at(-1)!.detail}</div>}
      {status?.bridge?.lastError && status.bridge.state !== 'connected' && <div className="metrics-error">{status.bridge.lastError}</div>}
      {status?.error && <div className="metrics-error">{status.error}</div>}
      {lastError && <div className="metrics-error">{lastError}</div>}
    </div>
  );
}

function Controls() {
  const vmIds = useMetrics((s) => s.vmIds);
  const selectedVm = useMetrics((s) => s.selectedVm);
  const paused = useMetrics((s) => s.paused);
  const windowS = useMetrics((s) => s.windowS);
  const { selectVm, setPaused, setWindow, csv } = metricsStore.getState();
  return (
    <div className="metrics-controls">
      <label>
        Cellular VM
        <select value={selectedVm ?? ''} onChange={(event) => selectVm(event.target.value)} disabled={!vmIds.length}>
          {vmIds.map((vm) => (
            <option key={vm} value={vm}>{visibleText(vm)}</option>
          ))}
        </select>
      </label>
      <label>
        Time window
        <select value={windowS} onChange={(event) => setWindow(Number(event.target.value))}>
          {WINDOW_CHOICES_S.map((seconds) => (
            <option key={seconds} value={seconds}>
              {seconds < 60 ? `${seconds} s` : `${seconds / 60} min`}
            </option>
          ))}
        </select>
      </label>
      <div className="toolbar">
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          disabled={!selectedVm}
          onClick={() => {
            const file = csv();
            if (file) download(file.filename, file.text);
          }}
        >
          Export CSV
        </button>
      </div>
    </div>
  );
}

function Charts() {
  const selectedVm = useMetrics((s) => s.selectedVm);
  const windowS = useMetrics((s) => s.windowS);
  const version = useMetrics((s) => s.version);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- metricsBuffer is mutated in place; `version` is its change counter
  const samples = useMemo(() => (selectedVm ? metricsBuffer.window(selectedVm, windowS) : []), [selectedVm, windowS, version]);
  const atp = useMemo(() => atpColumns(samples), [samples]);
  const expression = useMemo(() => expressionColumns(samples), [samples]);
  if (!selectedVm) return <p className="empty">No samples yet: connect to a hypervisor (try `bioxen hypervisor simulate`).</p>;
  const latest = samples.at(-1);
  const vm = visibleText(selectedVm);
  const invalid = metricsBuffer.invalidSamples;
  return (
    <section className="metrics-charts" aria-label={`Metrics of ${vm}`}>
      <h2>ATP and growth</h2>
      <p className="metrics-latest" aria-label="Latest ATP">
        {latest?.atp === undefined ? 'ATP —' : isAxisValue(latest.atp) ? `ATP ${latest.atp.toFixed(3)} mM` : 'ATP invalid'} · {samples.length} points
        {invalid > 0 && <span className="metrics-rejected"> · {invalid} samples with an invalid time not drawn</span>}
      </p>
      <MetricChart label={`ATP of ${vm}`} columns={atp} rightAxisSeries={['growth']} />
      <h2>Gene expression</h2>
      <MetricChart label={`Gene expression of ${vm}`} columns={expression} />
    </section>
  );
}

export function MetricsView() {
  useEffect(() => metricsStore.getState().connect(), []);
  return (
    <div className="metrics-view">
      <header className="view-header">
        <h1>Metrics</h1>
      </header>
      <ConnectionForm />
      <StatusLine />
      <Controls />
      <Charts />
    </div>
  );
}
