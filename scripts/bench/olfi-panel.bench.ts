// Ol-Fi panel figures in the real renderer: Chromium (/usr/bin/chromium) on the browser host, services in this
// process, the embedded redis-server. The panel first takes in a 100k-frame backlog, then frames arrive live at
// 1,000 frames/s for 10 s:
//   olfi_panel_frames_buffered   frames the panel holds when the live run starts (100k expected)
//   olfi_xadd_to_panel_p99_ms    XADD → the frame's row drawn in the table, 99th percentile of the rows drawn (goal ≤ 100)
//   olfi_panel_frame_p99_ms      interval between animation frames during the live run, 99th percentile (60 Hz = 16.7)
//   olfi_panel_long_tasks        main-thread tasks over 50 ms during the live run
//   olfi_panel_busy_pct          share of the live run the page's main thread spent in tasks (CDP TaskDuration)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { Redis } from 'ioredis';
import { createApi } from '../../src-main/api/index';
import { BrowserHost } from '../../src-main/host/browser-host';
import { buildFrame } from '../../src-main/olfi/frame-codec';
import { createServices } from '../../src-main/services';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDir = join(root, 'out', 'renderer');
const BACKLOG = 100_000;
const RATE = 1000;
const LIVE_SECONDS = 10;

function frameFields(payload: string, i: number): string[] {
  const frame = buildFrame({ address: `CELL_${String(i % 100).padStart(4, '0')}`, source: 'CELL_0001', type: 'STATUS', payload, sequence: i % 65536 });
  return ['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame)];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

function ensureRendererBuilt(): void {
  if (existsSync(join(rendererDir, 'index.html'))) return;
  const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed (exit ${build.status}): ${build.stderr.slice(-2000)}`);
}

/**
 * In the page: when each live frame's row is first drawn, animation frame intervals, long tasks. Plain
 * JavaScript text, so neither the DOM types nor the TypeScript transform's helpers are needed here.
 */
const PROBE = `(() => {
  const probe = { drawn: {}, intervals: [], longTasks: 0, running: true };
  window.olfiProbe = probe;
  const list = document.querySelector('[aria-label="Ol-Fi frames"]');
  const seen = (payload, now) => {
    if (payload && payload.startsWith('live') && !(payload in probe.drawn)) probe.drawn[payload] = now;
  };
  // Rows are reused as the table moves: a frame shows up as a new row or as new text in a row's payload cell.
  new MutationObserver((records) => {
    const now = Date.now();
    for (const record of records) {
      if (record.type === 'characterData') {
        if (record.target.parentElement?.classList.contains('olfi-payload')) seen(record.target.data, now);
        continue;
      }
      if (record.target.classList?.contains('olfi-payload')) seen(record.target.textContent, now);
      for (const node of record.addedNodes) {
        if (node.querySelector) seen(node.querySelector('.olfi-payload')?.textContent, now);
      }
    }
  }).observe(list, { childList: true, subtree: true, characterData: true });
  new PerformanceObserver((entries) => { probe.longTasks += entries.getEntries().length; }).observe({ type: 'longtask' });
  let last = performance.now();
  const tick = (t) => {
    probe.intervals.push(t - last);
    last = t;
    if (probe.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

const COLLECT = `(() => {
  const p = window.olfiProbe;
  p.running = false;
  return { drawn: p.drawn, intervals: p.intervals, longTasks: p.longTasks };
})()`;

interface ProbeResult {
  drawn: Record<string, number>;
  intervals: number[];
  longTasks: number;
}

async function publishLive(client: Redis): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const started = performance.now();
  for (let i = 0; i < RATE * LIVE_SECONDS; i++) {
    const wait = started + (i * 1000) / RATE - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const payload = `live${i}`;
    sentAt.set(payload, Date.now());
    void client.call('XADD', 'olfi_stream', '*', ...frameFields(payload, i));
  }
  return sentAt;
}

export async function bench(): Promise<Record<string, number>> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-panel-bench-'));
  const services = await createServices({ dataDir: join(dir, 'data'), appRoot: root, restoreSessions: false });
  const api = createApi(services);
  const host = await BrowserHost.start({ api, rendererDir });
  const browser = await chromium.launch({ executablePath: process.env.BIOXEN_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  let client: Redis | undefined;
  try {
    const status = await services.olfi.start();
    const url = services.olfi.clientUrl();
    if (!url) throw new Error(`Ol-Fi has no Redis: ${status.error}`);
    client = new Redis(url);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected').waitFor({ timeout: 30_000 });
    // Views open from the activity bar's launchers, as main-area tabs.
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Ol-Fi', exact: true }).click();
    const list = page.getByRole('list', { name: 'Ol-Fi frames' });
    await list.waitFor();

    for (let start = 0; start < BACKLOG; start += 5_000) {
      const pipeline = client.pipeline();
      for (let i = start; i < start + 5_000; i++) pipeline.call('XADD', 'olfi_stream', '*', ...frameFields(`bulk${i}`, i));
      await pipeline.exec();
    }
    const deadline = Date.now() + 120_000;
    let buffered = 0;
    while ((buffered = Number(await list.getAttribute('data-rows'))) < BACKLOG) {
      if (Date.now() > deadline) throw new Error(`the panel holds ${buffered} of the ${BACKLOG} backlog frames after 120 s`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    await page.evaluate(PROBE);
    const busyBefore = await taskSeconds();
    const liveStarted = performance.now();
    const sentAt = await publishLive(client);
    await page.waitForTimeout(1_000);
    const busyPct = ((await taskSeconds()) - busyBefore) / ((performance.now() - liveStarted) / 1000) * 100;
    const probe = (await page.evaluate(COLLECT)) as ProbeResult;
    const latencies = Object.entries(probe.drawn).map(([payload, at]) => at - sentAt.get(payload)!);
    if (latencies.length < LIVE_SECONDS) throw new Error(`only ${latencies.length} live frames were drawn in ${LIVE_SECONDS} s`);
    return {
      olfi_panel_frames_buffered: buffered,
      olfi_xadd_to_panel_p99_ms: Math.round(percentile(latencies, 0.99)),
      olfi_xadd_to_panel_p50_ms: Math.round(percentile(latencies, 0.5)),
      olfi_panel_frame_p99_ms: Math.round(percentile(probe.intervals, 0.99) * 10) / 10,
      olfi_panel_long_tasks: probe.longTasks,
      olfi_panel_busy_pct: Math.round(busyPct),
    };
  } finally {
    client?.disconnect();
    await browser.close();
    await host.close();
    api.dispose();
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
