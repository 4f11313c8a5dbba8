// Plot figures: a script plots 1,000,000 points; how long from the run's end (its sessions:run
// reply) until Chromium has drawn the plot in the console (the host parsed and decimated it, the
// page received the chunk, uPlot drew it and a frame was painted).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createApi } from '../../src-main/api/index';
import { BrowserHost } from '../../src-main/host/browser-host';
import { connectContractClient } from '../../src-main/host/contract-client';
import { createServices } from '../../src-main/services';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDir = join(root, 'out', 'renderer');
const RUNS = 3;

function ensureRendererBuilt(): void {
  if (existsSync(join(rendererDir, 'index.html'))) return;
  const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed (exit ${build.status}): ${build.stderr.slice(-2000)}`);
}

/** In the page: resolves with the time of the first painted frame after a plot titled `title` is drawn. */
const waitForPlot = (title: string) => `new Promise((resolve) => {
  const drawn = () => document.querySelector('figure[aria-label="Plot ${title}"][data-drawn="true"]');
  const done = () => requestAnimationFrame(() => resolve(Date.now()));
  if (drawn()) return done();
  const observer = new MutationObserver(() => {
    if (!drawn()) return;
    observer.disconnect();
    done();
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn'] });
})`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function bench(): Promise<Record<string, number>> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-plots-bench-'));
  const services = await createServices({ dataDir: join(dir, 'data'), appRoot: root, restoreSessions: false });
  const api = createApi(services);
  const host = await BrowserHost.start({ api, rendererDir });
  const client = await connectContractClient(`http://127.0.0.1:${host.port}`, host.token);
  const browser = await chromium.launch({ executablePath: process.env.BIOXEN_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const created = await client.invoke('sessions:create', {
      id: 'plotbench',
      luaVersion: 'lua5.4',
      limits: { outputBytes: 64 * 1024 * 1024, memoryMb: 1024, timeoutMs: 300_000, instructionQuota: 0 },
    });
    if (!created.ok) throw new Error(`sessions:create: ${created.error.message}`);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(host.url);
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected').waitFor({ timeout: 30_000 });
    await page.getByRole('listitem', { name: 'Session plotbench' }).getByText('plotbench').first().click();
    await page.getByRole('log', { name: 'Console output' }).waitFor({ timeout: 30_000 });
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const title = `million ${run}`;
      const drawn = page.evaluate(waitForPlot(title)) as Promise<number>;
      const reply = await client.invoke('sessions:run', {
        id: 'plotbench',
        code: `local y = {} for i = 1, 1e6 do y[i] = math.sin(i / 1e4) + (i % 1000) / 1e4 end require('bioxen.plot').line{y = y, title = '${title}'}`,
      });
      const ended = Date.now();
      if (!reply.ok || !reply.value.success) throw new Error(`sessions:run gave ${JSON.stringify(reply).slice(0, 500)}`);
      times.push(Math.max(0, (await drawn) - ended));
    }
    return { plot_1e6_points_ms: Number(median(times).toFixed(1)) };
  } finally {
    await browser.close();
    client.close();
    await host.close();
    api.dispose();
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
