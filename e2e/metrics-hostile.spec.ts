// The Metrics view against a hypervisor that sends impossible numbers, acting as a user: samples with t = 1e300
// (which froze the page for 30 s) and ATP = 1e300 are not drawn, the view says how many were left out, and the
// charts keep following the good samples.
import { createServer, type Socket } from 'node:net';
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { connectMetrics, newSessionButton } from './fixtures/workbench-user';

test('hypervisor samples with impossible times or values are left out, counted, and the charts keep working', async ({ page, host }) => {
  test.setTimeout(120_000);
  /** Each connection with the ticks it has been sent. */
  const sockets = new Map<Socket, number>();
  let t = 0;
  const line = (sample: object) => `${JSON.stringify({ vm: 'cell-01', atp: 2.5, growth: 0.1, gene_expression: { lacI: 1 }, ...sample })}\n`;
  const server = createServer((socket) => {
    sockets.set(socket, 0);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  // Good samples, then the bad ones as the newest for a while (what the charts are drawn from), then good ones again.
  const timer = setInterval(() => {
    for (const [socket, sent] of sockets) {
      const tick = sent + 1;
      sockets.set(socket, tick);
      socket.write(tick === 40 ? line({ t: ++t, atp: 1e300 }) + line({ t: -1e300 }) + line({ t: 1e300 }) : tick > 40 && tick < 70 ? '' : line({ t: ++t }));
    }
  }, 50);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    await openWorkbench(page, host);
    await connectMetrics(page, port);
    await expect(page.getByRole('status', { name: 'Hypervisor status' })).toContainText(`connected 127.0.0.1:${port}`);
    const latest = page.getByLabel('Latest ATP');
    await expect(latest).toContainText('2 samples with an invalid time not drawn', { timeout: 20_000 });
    const atpChart = page.getByRole('img', { name: 'ATP of cell-01' });
    await expect(atpChart.locator('canvas')).toHaveCount(1);
    const points = async () => Number(await atpChart.getAttribute('data-points'));
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(5);
    const earlier = await points();
    await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(earlier);
    await expect(latest).toContainText('ATP 2.500 mM');
    // The page stays responsive: another view opens at once.
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await expect(newSessionButton(page)).toBeVisible({ timeout: 5_000 });
  } finally {
    clearInterval(timer);
    for (const socket of sockets.keys()) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
