// The Ol-Fi panel through the browser host, acting as a user: frames published from the CLI and from the
// panel's form appear live; filter, inspect, pause, and launch the visualizer.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { resolveRedis } from '../src-main/olfi/redis-endpoint';
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { newSessionButton, openView } from './fixtures/workbench-user';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');

function bioxen(dataDir: string, ...args: string[]) {
  return run(process.execPath, [resolve(ROOT, 'bin', 'bioxen.mjs'), ...args, '--data-dir', dataDir], { cwd: ROOT, timeout: 60_000 });
}

test('Ol-Fi frames from the CLI and the send form appear live; filter, inspect, pause, visualizer', async ({ page, host }) => {
  test.setTimeout(180_000);
  await openWorkbench(page, host);
  await openView(page, 'Ol-Fi');
  const connection = page.getByRole('status', { name: 'Ol-Fi connection' });
  await expect(connection).toContainText('connected', { timeout: 30_000 });
  await expect(connection).toContainText('embedded Redis');

  // The CLI finds the app's embedded Redis through the data dir.
  await bioxen(host.dataDir, 'olfi', 'publish', '--mvoc', 'acetoin', '--payload', 'temp=37.2', '--address', 'CELL_0002', '--source', 'CELL_0001', '--type', 'STATUS_RESPONSE');
  await bioxen(host.dataDir, 'olfi', 'publish', '--mvoc', 'ACETOIN', '--frame', '{"preamble":["ACETOIN"]}', '--force');
  const frames = page.getByRole('list', { name: 'Ol-Fi frames' });
  await expect(frames.getByRole('listitem', { name: 'ACETOIN STATUS_RESPONSE valid' })).toBeVisible({ timeout: 20_000 });
  await expect(frames.getByRole('listitem', { name: 'ACETOIN invalid-field invalid-field' })).toContainText('frame.preamble must be an array of 2 compound names');

  await bioxen(host.dataDir, 'olfi', 'simulate', '--rate', '200', '--duration', '2', '--noise', '0');
  await expect.poll(async () => Number(await frames.getAttribute('data-rows')), { timeout: 20_000 }).toBeGreaterThan(100);

  // Filters: invalid only, then one compound and a text search.
  await page.getByLabel('Validity filter').selectOption('invalid');
  await expect(frames).toHaveAttribute('data-rows', '1');
  await page.getByLabel('Validity filter').selectOption('all');
  await page.getByLabel('Search frames').fill('temp=37.2');
  await expect(frames).toHaveAttribute('data-rows', '1');

  // Inspect: the fields in RFC order with the checksum verdict.
  await frames.getByRole('listitem', { name: 'ACETOIN STATUS_RESPONSE valid' }).click();
  const inspector = page.getByRole('region', { name: 'Frame inspector' });
  const fields = inspector.getByRole('list', { name: 'Frame fields in RFC order' });
  await expect(fields).toContainText('Preamble');
  await expect(fields).toContainText('CELL_0002 from CELL_0001');
  await expect(fields).toContainText('STATUS_RESPONSE · #0 · normal');
  await expect(fields).toContainText('✓ matches');
  await page.getByLabel('Search frames').fill('');

  // The send form computes the checksum as the payload is typed.
  await page.getByText('Send a test frame').click();
  const form = page.getByRole('form', { name: 'Send frame' });
  await form.getByLabel('Compound').selectOption('DIMETHYL_SULFIDE');
  await form.getByLabel('Type').selectOption('EMERGENCY');
  await form.getByLabel('Payload').fill('abc');
  await expect(form.getByRole('status', { name: 'Checksum' })).toHaveText('Checksum 294');
  await form.getByRole('button', { name: 'Send frame' }).click();
  await expect(frames.getByRole('listitem', { name: 'DIMETHYL_SULFIDE EMERGENCY valid' }).first()).toBeVisible({ timeout: 20_000 });

  // Pause freezes the table while frames keep arriving.
  await page.getByRole('button', { name: 'Pause' }).click();
  const frozen = await frames.getAttribute('data-rows');
  await bioxen(host.dataDir, 'olfi', 'publish', '--mvoc', 'ACETOIN', '--payload', 'while paused');
  await page.waitForTimeout(1_000);
  await expect(frames).toHaveAttribute('data-rows', frozen!);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(frames).not.toHaveAttribute('data-rows', frozen!);

  // The visualizer is launched as its own process; without a display it reports why it stopped.
  await page.getByRole('button', { name: 'Launch visualizer' }).click();
  await expect(page.getByLabel('Visualizer state')).toHaveText(/visualizer (running|crashed)/, { timeout: 20_000 });
});

test('Settings: the Ol-Fi stream key moves the panel to another stream; the metrics stream key saves; a Redis password is never shown', async ({ page, host }) => {
  await openWorkbench(page, host);
  await openView(page, 'Ol-Fi');
  const connection = page.getByRole('status', { name: 'Ol-Fi connection' });
  await expect(connection).toContainText('olfi_stream', { timeout: 30_000 });

  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const streamKey = dialog.getByLabel('Ol-Fi stream key');
  await streamKey.fill('lab_stream');
  await streamKey.press('Enter');
  await expect(connection).toContainText('lab_stream', { timeout: 30_000 });
  await bioxen(host.dataDir, 'olfi', 'publish', '--stream', 'lab_stream', '--mvoc', 'ETHANOL', '--payload', 'on the lab stream');
  await expect(page.getByRole('list', { name: 'Ol-Fi frames' }).getByRole('listitem', { name: 'ETHANOL BROADCAST valid' })).toBeVisible({ timeout: 20_000 });

  const metricsStream = dialog.getByLabel('Metrics stream key');
  await expect(metricsStream).toHaveValue('bioxen_metrics');
  await metricsStream.fill('lab_stream');
  await metricsStream.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('the metrics stream key must differ from the Ol-Fi stream key');
  await metricsStream.fill('lab_metrics');
  await metricsStream.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveCount(0);

  const redisUrl = dialog.getByLabel('Redis URL');
  await redisUrl.fill('redis://lab:s3cret@127.0.0.1:1/0');
  await redisUrl.press('Enter');
  await expect(redisUrl).toHaveValue('redis://lab:***@127.0.0.1:1/0');
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByLabel('Redis URL')).toHaveValue('redis://lab:***@127.0.0.1:1/0');
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByLabel('Metrics stream key')).toHaveValue('lab_metrics');
  expect(await page.content()).not.toContain('s3cret');
});

test('hostile stream data never takes the page down; a view that throws shows its error and the other views keep working', async ({ page, host }) => {
  test.setTimeout(180_000);
  await openWorkbench(page, host);
  await openView(page, 'Ol-Fi');
  await expect(page.getByRole('status', { name: 'Ol-Fi connection' })).toContainText('connected', { timeout: 30_000 });
  const redis = await resolveRedis(host.dataDir);
  const client = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
  client.on('error', () => undefined);
  // A valid v1 frame: the checksum is the sum of the payload's UTF-8 bytes mod 65536.
  const frame = (payload: string) =>
    JSON.stringify({
      preamble: ['ACETOIN', 'ACETOIN'],
      address: 'CELL_0001',
      control: { type: 'STATUS', sequence: 0, priority: 'normal' },
      payload,
      checksum: Buffer.from(payload).reduce((sum, byte) => sum + byte, 0) % 65536,
      terminator: ['BENZALDEHYDE', 'BENZALDEHYDE'],
    });
  try {
    await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', frame('evil\u202Etxt.exe\u200B\u0007'));
    await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', 'x'.repeat(1024 * 1024));
    // An id beyond any date; every later automatic id inherits its time.
    await client.call('XADD', 'olfi_stream', '8640000000000001-0', 'mvoc', 'ACETOIN', 'frame', frame('from the far future'));
    await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ETHANOL', 'frame', frame('inherits the time'));

    const frames = page.getByRole('list', { name: 'Ol-Fi frames' });
    const row = (text: string) => frames.getByRole('listitem').filter({ hasText: text });
    for (let pass = 0; pass < 2; pass++) {
      await expect(row('from the far future')).toContainText('invalid time', { timeout: 20_000 });
      await expect(row('inherits the time')).toContainText('invalid time');
      await expect(row('evil\\u202Etxt.exe\\u200B\\x07')).toBeVisible();
      expect(await frames.innerText()).not.toMatch(/[\u202E\u200B\u0007]/);
      await expect(row('frame is 1048576 bytes')).toBeVisible();
      await row('from the far future').click();
      await expect(page.getByRole('region', { name: 'Frame inspector' })).toContainText('8640000000000001-0 · invalid time');
      // Again after a reload, as the window hydrates from the buffer.
      if (pass === 0) {
        await page.reload();
        await openView(page, 'Ol-Fi');
      }
    }
    await openView(page, 'Metrics');
    await expect(page.getByRole('heading', { name: 'Metrics' })).toBeVisible();

    // A fault injected into the page: the Ol-Fi table's time formatter throws, as a bug in one view would.
    await openView(page, 'Ol-Fi');
    await page.evaluate(() => {
      const original = Object.getOwnPropertyDescriptor(Intl.DateTimeFormat.prototype, 'format')!;
      (globalThis as unknown as { restoreFormat: () => void }).restoreFormat = () => Object.defineProperty(Intl.DateTimeFormat.prototype, 'format', original);
      Object.defineProperty(Intl.DateTimeFormat.prototype, 'format', {
        configurable: true,
        get() {
          throw new Error('injected fault in the Ol-Fi table');
        },
      });
    });
    await client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', frame('redraw'));
    const failed = page.getByRole('alert', { name: 'Ol-Fi failed' });
    await expect(failed).toContainText('The Ol-Fi view stopped: injected fault in the Ol-Fi table', { timeout: 20_000 });
    // The other views, the editor and the console keep working; only the Ol-Fi tab shows a failure.
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await newSessionButton(page).click();
    await expect(page.getByRole('dialog', { name: 'New session' })).toBeVisible();
    await page.keyboard.press('Escape');
    await openView(page, 'Metrics');
    await expect(page.getByRole('heading', { name: 'Metrics' })).toBeVisible();
    await expect(page.getByRole('alert', { name: /failed$/ })).toHaveCount(0);
    await openView(page, 'Ol-Fi');
    await expect(failed).toBeVisible();
    await page.evaluate(() => (globalThis as unknown as { restoreFormat: () => void }).restoreFormat());
    await failed.getByRole('button', { name: 'Reload view' }).click();
    await expect(row('redraw')).toBeVisible({ timeout: 20_000 });
    await expect(failed).toHaveCount(0);
  } finally {
    client.disconnect();
    await redis.release();
  }
});
