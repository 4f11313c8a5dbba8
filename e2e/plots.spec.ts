// Plots from bioxen.plot in the console, through the browser host, as a user sees them.
import { readFileSync } from 'node:fs';
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { consoleOutput, createSession, typeInConsole, typeInEditor } from './fixtures/workbench-user';

test('a script’s plot appears inline, zooms, exports PNG, SVG and CSV, and is there after a reload', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'plots');
  await typeInEditor(page, 'plots', [
    'local t, n = {}, {}',
    'for i = 1, 50 do t[i] = i / 2; n[i] = 100 / (1 + 99 * math.exp(-0.5 * t[i])) end',
    'require("bioxen.plot").line{x = t, y = n, name = "cells", title = "Growth curve", xlabel = "t (h)"}',
    'print("plotted")',
  ]);
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('plotted', { timeout: 20_000 });
  const figure = consoleOutput(page).getByRole('figure', { name: 'Plot Growth curve' });
  await expect(figure).toHaveAttribute('data-drawn', 'true');
  await expect(figure).toHaveAttribute('data-x-range', '0.5..25');

  // Drag across the middle of the plot area zooms in; a double-click shows everything again.
  const area = figure.locator('.u-over');
  const box = (await area.boundingBox())!;
  // The plot is taller than the console: drag at a height where both are.
  const shown = (await consoleOutput(page).boundingBox())!;
  const y = (Math.max(box.y, shown.y) + Math.min(box.y + box.height, shown.y + shown.height)) / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
  await page.mouse.up();
  await expect(figure).not.toHaveAttribute('data-x-range', '0.5..25');
  const [zoomMin, zoomMax] = (await figure.getAttribute('data-x-range'))!.split('..').map(Number);
  expect(zoomMin).toBeGreaterThan(5);
  expect(zoomMax).toBeLessThan(18);
  await area.dblclick({ position: { x: box.width / 2, y: y - box.y } });
  await expect(figure).toHaveAttribute('data-x-range', '0.5..25');

  const saved = async (button: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), figure.getByRole('button', { name: button }).click()]);
    const path = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(path);
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  };
  const png = await saved('PNG');
  expect(png.name).toBe('growth-curve.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.bytes.length).toBeGreaterThan(1000);
  const svg = await saved('SVG');
  expect(svg.name).toBe('growth-curve.svg');
  const svgText = svg.bytes.toString('utf8');
  expect(svgText).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  expect(svgText).toContain('Growth curve');
  expect(svgText).toMatch(/<path [^>]*d="M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){49}"/);
  expect(svgText.trim().endsWith('</svg>')).toBe(true);
  const csv = await saved('CSV');
  const rows = csv.bytes.toString('utf8').trim().split('\n');
  expect(rows[0]).toBe('t (h),cells');
  expect(rows).toHaveLength(51);
  expect(rows[1]).toMatch(/^0\.5,1\.2\d*$/);

  await page.reload();
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('Connected', { timeout: 20_000 });
  await expect(consoleOutput(page).getByRole('figure', { name: 'Plot Growth curve' })).toHaveAttribute('data-drawn', 'true', { timeout: 20_000 });
});

test('every kind of plot draws, and bioxen.show draws a table of records that sorts by a column', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'records');
  await typeInConsole(page, 'p = require("bioxen.plot")');
  const kinds: [string, string][] = [
    ['S', 'p.scatter({3, 1, 2}, {1, 2, 3}, {title = "S"})'],
    ['St', 'p.step({1, 2, 3}, {a = {1, 2, 1}, b = {2, 1, 2}}, {title = "St"})'],
    ['B', 'p.bar{labels = {"A", "C"}, y = {4, 5}, title = "B"}'],
    ['H', 'p.histogram({1, 2, 2, 3, 3, 3}, {title = "H", bins = 3})'],
    ['L', 'p.line{y = {1, 10, 100}, logy = true, title = "L"}'],
  ];
  // One at a time: the console draws only the rows near what is shown, and each plot is 18 rows tall.
  for (const [title, line] of kinds) {
    await typeInConsole(page, line);
    await expect(consoleOutput(page).getByRole('figure', { name: `Plot ${title}`, exact: true })).toHaveAttribute('data-drawn', 'true', { timeout: 20_000 });
  }
  await typeInConsole(page, 'require("bioxen").show({{gene = "lacI", copies = 12}, {gene = "araC", copies = 3}, {gene = "tetR", copies = 7}}, {title = "Genes"})');
  const table = consoleOutput(page).getByRole('figure', { name: 'Table Genes' });
  await expect(table.getByRole('row')).toHaveCount(4, { timeout: 20_000 });
  await table.getByRole('button', { name: 'copies' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('araC');
  await table.getByRole('button', { name: 'copies' }).click();
  await expect(table.getByRole('row').nth(1)).toContainText('lacI');
});
