// Issue 13's "views with room", as a user meets them: the welcome tab at a first start, Ol-Fi in the main
// area beside a script (split, resized with the keyboard), and the layout as it was left after a reload
// and after the workbench restarts.
import type { Page } from '@playwright/test';
import { openWorkbench, startHost, stopHost, test, expect } from './fixtures/workbench-host';
import { consoleOutput, createSession, openView, sessionItem, typeInEditor } from './fixtures/workbench-user';

const leftGroup = (page: Page) => page.getByRole('region', { name: 'Left tab group' });
const rightGroup = (page: Page) => page.getByRole('region', { name: 'Right tab group' });
/** SIGTERM, as a user quitting does; resolves once the process is gone. */
async function stopFixtureHost(pid: number) {
  process.kill(-pid, 'SIGTERM');
  await expect.poll(() => {
    try {
      process.kill(pid, 0);
      return 'running';
    } catch {
      return 'stopped';
    }
  }, { timeout: 20_000 }).toBe('stopped');
}

const widthOf = async (page: Page, name: string) => (await page.getByRole('region', { name }).boundingBox())!.width;

test('a first start shows the welcome tab, whose example runs in a new session in one click', async ({ page, host }) => {
  await openWorkbench(page, host);
  const welcome = page.getByRole('region', { name: 'Welcome' });
  await expect(page.getByRole('tab', { name: 'Welcome', selected: true })).toBeVisible({ timeout: 20_000 });
  await expect(welcome.getByRole('heading', { name: /BioXen Workbench/ })).toBeVisible();
  await expect(welcome.getByLabel('Data folder')).toHaveText(host.dataDir);
  await expect(welcome.getByRole('table', { name: 'Keyboard shortcuts' })).toContainText('Ctrl/Cmd+Enter');

  await welcome.getByRole('button', { name: 'Run example Hello, BioXen' }).click();
  await expect(sessionItem(page, 'hello').getByLabel('state idle')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('tab', { name: /^hello/, selected: true })).toBeVisible();
  await expect(page.getByRole('tabpanel', { name: 'Script of hello' })).toContainText('Simulating', { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('Hello from a BioXen VM', { timeout: 20_000 });

  // Closed, then back from the activity bar; a second start of the example gets a session of its own.
  await page.getByRole('button', { name: 'Close Welcome' }).click();
  await expect(page.getByRole('tab', { name: 'Welcome' })).toHaveCount(0);
  await openView(page, 'Welcome');
  await page.getByRole('region', { name: 'Welcome' }).getByRole('button', { name: 'Run example Hello, BioXen' }).click();
  await expect(sessionItem(page, 'hello-2')).toBeVisible({ timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('Hello from a BioXen VM', { timeout: 20_000 });
});

test('Ol-Fi beside a script: frames arrive as it runs; the split survives a reload and a restart', async ({ page, host }) => {
  test.setTimeout(180_000);
  await openWorkbench(page, host);
  await createSession(page, 'quorum', [], { persistent: true });
  await typeInEditor(page, 'quorum', [
    'local olfi = require("bioxen.olfi")',
    'olfi.send("ACETOIN", { address = "CELL_0002", source = "CELL_0007", type = "STATUS", payload = "side-by-side" })',
    'print("quorum reached")',
  ]);
  await openView(page, 'Ol-Fi');
  await page.getByRole('button', { name: 'Move the active tab to the right group' }).click();

  await expect(leftGroup(page).getByRole('tab', { name: /^quorum/, selected: true })).toBeVisible();
  await expect(rightGroup(page).getByRole('tab', { name: 'Ol-Fi', selected: true })).toBeVisible();
  const script = leftGroup(page).getByRole('tabpanel', { name: 'Script of quorum' });
  const olfi = rightGroup(page).getByRole('tabpanel', { name: 'Ol-Fi' });
  await expect(olfi.getByRole('status', { name: 'Ol-Fi connection' })).toContainText('connected', { timeout: 30_000 });

  await leftGroup(page).getByRole('button', { name: 'Run', exact: true }).click();
  await expect(consoleOutput(page)).toContainText('quorum reached', { timeout: 20_000 });
  await expect(olfi.getByRole('listitem', { name: 'ACETOIN STATUS valid' })).toContainText('side-by-side', { timeout: 20_000 });
  await expect(script).toBeVisible();

  // The splitter moves with the keyboard: Shift+← five times gives the left group 200 px less.
  const before = await widthOf(page, 'Left tab group');
  const splitter = page.getByRole('separator', { name: 'Resize the two tab groups' });
  await splitter.focus();
  for (let i = 0; i < 5; i++) await splitter.press('Shift+ArrowLeft');
  await expect.poll(() => widthOf(page, 'Left tab group')).toBeLessThan(before - 150);
  const resized = await widthOf(page, 'Left tab group');

  const expectLayoutKept = async () => {
    await expect(leftGroup(page).getByRole('tab', { name: /^quorum/, selected: true })).toBeVisible({ timeout: 20_000 });
    await expect(rightGroup(page).getByRole('tab', { name: 'Ol-Fi', selected: true })).toBeVisible();
    await expect(leftGroup(page).getByRole('tab', { name: 'Welcome' })).toHaveCount(1);
    await expect.poll(() => widthOf(page, 'Left tab group')).toBeCloseTo(resized, -1);
    await expect(rightGroup(page).getByRole('listitem', { name: 'ACETOIN STATUS valid' })).toBeVisible({ timeout: 20_000 });
  };
  // The ratio is saved once the drag pauses.
  await page.waitForTimeout(600);
  await page.reload();
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('Connected', { timeout: 20_000 });
  await expectLayoutKept();

  // A restart: the host stops, another starts on the same data dir and another port (so nothing can come
  // from the page's own storage).
  await stopFixtureHost(host.pid);
  const { child, url } = await startHost(host.dataDir);
  try {
    await page.goto(url);
    await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('Connected', { timeout: 20_000 });
    await expectLayoutKept();
  } finally {
    await stopHost(child);
  }
});

test('tabs work from the keyboard and by dragging: switch, move to the other group, close', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'keys');
  await openView(page, 'Metrics');
  const selected = (name: string | RegExp) => page.getByRole('tab', { name, selected: true });

  await page.keyboard.press('Alt+PageDown');
  await expect(selected('Welcome')).toBeVisible();
  await page.keyboard.press('Alt+PageUp');
  await expect(selected('Metrics')).toBeVisible();

  await page.keyboard.press('Control+\\');
  await expect(rightGroup(page).getByRole('tab', { name: 'Metrics', selected: true })).toBeVisible();
  await expect(leftGroup(page).getByRole('tab')).toHaveCount(2);
  // Dragged back onto the left group: one group again; then split once more.
  await rightGroup(page).getByRole('tab', { name: 'Metrics' }).dragTo(leftGroup(page).getByRole('tablist'));
  await expect(rightGroup(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Tab group' }).getByRole('tab')).toHaveCount(3);
  await page.keyboard.press('Control+\\');
  await expect(rightGroup(page).getByRole('tab', { name: 'Metrics', selected: true })).toBeVisible();

  // Arrow keys move along the left strip; Enter shows the tab; Delete closes it.
  await leftGroup(page).getByRole('tab', { selected: true }).focus();
  await page.keyboard.press('End');
  await expect(leftGroup(page).getByRole('tab', { name: /^keys/ })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(leftGroup(page).getByRole('tab', { name: 'Welcome' })).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(page.getByRole('tab', { name: 'Welcome' })).toHaveCount(0);

  // Closing the right group's last tab leaves one group, the script's.
  await rightGroup(page).getByRole('tab', { name: 'Metrics' }).click();
  await page.keyboard.press('Control+Alt+KeyW');
  await expect(rightGroup(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Tab group' }).getByRole('tab', { name: /^keys/, selected: true })).toBeVisible();
  await expect(sessionItem(page, 'keys')).toBeVisible();
});
