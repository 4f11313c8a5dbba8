#!/usr/bin/env node
// The README's screenshot (docs/screenshot.png), taken from the built renderer through the browser host:
// the quorum-sensing example started from the welcome tab, its script beside the Ol-Fi tab where its
// frame arrived, and its plot in the console. Run after a build: npx electron-vite build && node scripts/screenshot.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = process.argv[2] ?? join(root, 'docs', 'screenshot.png');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.error('out/renderer is missing — build first: npx electron-vite build');
  process.exit(1);
}

/** `bioxen serve` on a free port with a fresh data dir; resolves with the URL it prints. */
function startHost(dataDir) {
  const child = spawn(process.execPath, [join(root, 'bin', 'bioxen.mjs'), 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BIOXEN_NO_OPEN: '1' },
  });
  let printed = '';
  const url = new Promise((resolve, reject) => {
    const scan = (data) => {
      printed += data;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(printed);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', scan);
    child.stderr.on('data', scan);
    child.once('exit', (code) => reject(new Error(`bioxen serve exited (${code}) before printing its URL:\n${printed}`)));
  });
  return { child, url };
}

const dataDir = mkdtempSync(join(tmpdir(), 'bioxen-screenshot-'));
const { child, url } = startHost(dataDir);
const browser = await chromium.launch(existsSync(chromiumPath) ? { executablePath: chromiumPath } : {});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(30_000);
  await page.goto(await url);
  await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected').waitFor();

  // A user's first minute: the example from the welcome tab, then Ol-Fi beside its script.
  await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: /^Run example Quorum sensing/ }).click();
  const console_ = page.getByRole('log', { name: 'Console output' });
  await console_.getByText(/event quorum at/).waitFor();
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Ol-Fi', exact: true }).click();
  await page.getByRole('button', { name: 'Move the active tab to the right group' }).click();
  await page.getByRole('region', { name: 'Right tab group' }).getByRole('listitem', { name: /^ACETOIN/ }).first().waitFor();

  // Room for the plot: the console taller, the groups 55:45, the plot scrolled to the console's top.
  const consoleSplitter = page.getByRole('separator', { name: 'Resize console' });
  for (let i = 0; i < 5; i++) await consoleSplitter.press('Shift+ArrowUp');
  const groupSplitter = page.getByRole('separator', { name: 'Resize the two tab groups' });
  await groupSplitter.press('Shift+ArrowRight');
  const plot = console_.getByRole('figure', { name: 'Plot Quorum sensing' });
  await plot.waitFor();
  await plot.evaluate((figure) => figure.scrollIntoView({ block: 'start' }));
  await groupSplitter.blur();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(500);
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  rmSync(dataDir, { recursive: true, force: true });
}
