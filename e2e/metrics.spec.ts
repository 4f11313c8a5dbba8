// The metrics view against a simulated BioXen hypervisor, acting as a user: connect, watch the
// charts grow live, pause, switch VM, export CSV.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HypervisorSimulator } from '../src-main/metrics/hypervisor-simulator';
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { connectMetrics } from './fixtures/workbench-user';

test('metrics charts update live from a hypervisor, pause, switch VM and export CSV', async ({ page, host }) => {
  const simulator = new HypervisorSimulator({ port: 0, vms: 2, rateHz: 20 });
  const port = await simulator.start();
  try {
    await openWorkbench(page, host);
    await connectMetrics(page, port);
    await expect(page.getByRole('status', { name: 'Hypervisor status' })).toContainText(`connected 127.0.0.1:${port}`);

    const atpChart = page.getByRole('img', { name: 'ATP of cell-01' });
    await expect(atpChart.locator('canvas')).toHaveCount(1);
    await expect(page.getByRole('img', { name: 'Gene expression of cell-01' })).toContainText('lacI');
    const points = async () => Number(await atpChart.getAttribute('data-points'));
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(5);
    const earlier = await points();
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(earlier);
    await expect(page.getByLabel('Latest ATP')).toContainText(/ATP \d+\.\d{3} mM/);

    await page.getByRole('button', { name: 'Pause' }).click();
    const frozen = await points();
    // Stillness can only be shown over time: samples keep arriving for a second while paused.
    await page.waitForTimeout(1_000);
    expect(await points()).toBe(frozen);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(frozen);

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('metrics-cell-01-60s.csv');
    const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('vm,t,atp,growth,gene:atpA,gene:cI,gene:gfp,gene:lacI,gene:tetR,growth_rate,model_time,nutrient_mM');
    expect(csv.length).toBeGreaterThan(5);
    expect(csv[1]).toMatch(/^cell-01,\d+(\.\d+)?,\d/);

    await page.getByLabel('Cellular VM').selectOption('cell-02');
    await expect(page.getByRole('img', { name: 'ATP of cell-02' }).locator('canvas')).toHaveCount(1);

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect(page.getByRole('status', { name: 'Hypervisor status' })).toContainText('not connected');
  } finally {
    await simulator.stop();
  }
});

test("charts a Python hypervisor that sends one sample per connection, as BioXen's design does", async ({ page, host }) => {
  // The stand-in of src-main/metrics/fixtures: accept, send json.dumps(sample) with no newline, close; 60 times,
  // then it keeps listening with nothing more to send.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const peer = spawn(python, [join(import.meta.dirname, '../src-main/metrics/fixtures/python_hypervisor.py'), 'per-connection', '60', 'linger'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  peer.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise((resolve) => peer.once('exit', resolve));
  try {
    await expect.poll(() => /listening (\d+)/.exec(output)?.[1], { timeout: 20_000 }).toBeTruthy();
    const port = /listening (\d+)/.exec(output)![1];
    await openWorkbench(page, host);
    await connectMetrics(page, port);

    const status = page.getByRole('status', { name: 'Hypervisor status' });
    await expect(status).toContainText('60 samples received', { timeout: 30_000 });
    await expect(status).toContainText('one sample per connection');
    await expect(status).not.toContainText('rejected');
    const atpChart = page.getByRole('img', { name: 'ATP of py-cell-1' });
    await expect(atpChart.locator('canvas')).toHaveCount(1);
    await expect(atpChart).toHaveAttribute('data-points', '30');
    await expect(page.getByRole('img', { name: 'Gene expression of py-cell-1' })).toContainText('lacI');
    // py-cell-2's samples carry no time: they are charted at the time they arrived.
    await page.getByLabel('Cellular VM').selectOption('py-cell-2');
    await expect(page.getByRole('img', { name: 'ATP of py-cell-2' })).toHaveAttribute('data-points', '30');
  } finally {
    if (peer.exitCode === null && peer.pid) process.kill(peer.pid, 'SIGKILL');
    await exited;
  }
});
