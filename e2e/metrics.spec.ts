// The metrics view against a simulated BioXen hypervisor, acting as a user: connect, watch the
// charts grow live, pause, switch VM, export CSV.
import { readFileSync } from 'node:fs';
import { HypervisorSimulator } from '../src-main/hypervisor/hypervisor-simulator';
import { openWorkbench, test, expect } from './fixtures/workbench-host';

test('metrics charts update live from a hypervisor, pause, switch VM and export CSV', async ({ page, host }) => {
  const simulator = new HypervisorSimulator({ port: 0, vms: 2, rateHz: 20 });
  const port = await simulator.start();
  try {
    await openWorkbench(page, host);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    await page.getByLabel('Hypervisor endpoint').fill(`127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
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
