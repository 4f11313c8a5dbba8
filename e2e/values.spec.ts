// Rich values as a user sees them: returned tables expand lazily in the console, the variable
// inspector follows the session's globals, and a 20 MB string pages without freezing the window.
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { consoleOutput, createSession, openView, typeInConsole, typeInEditor } from './fixtures/workbench-user';

test('a nested table expands lazily in the console, pages with "show more", and can be expanded again after a reload', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'tree');
  await typeInConsole(page, 'cell = { name = "E. coli", genes = { "lacI", "tetR" }, rates = { growth = 0.7 } } cell.parent = cell for i = 1, 250 do cell[i] = i * i end');
  await typeInConsole(page, 'cell');
  const output = consoleOutput(page);
  const root = output.getByRole('button', { name: /^Expand \{1, 4, 9/ });
  await expect(root).toBeVisible({ timeout: 20_000 });
  // Nothing below the root is fetched until it is opened.
  await expect(output.getByRole('button', { name: 'Expand genes' })).toHaveCount(0);
  await root.click();
  await expect(output.getByRole('button', { name: /^show 100 more \(154 left\)$/ })).toBeAttached();
  await output.getByRole('button', { name: /^show 100 more/ }).click();
  await expect(output.getByRole('button', { name: /^show 54 more \(54 left\)$/ })).toBeAttached();
  await output.getByRole('button', { name: /^show 54 more/ }).click();
  await output.getByRole('button', { name: 'Expand genes' }).scrollIntoViewIfNeeded();
  await output.getByRole('button', { name: 'Expand genes' }).click();
  await expect(output).toContainText('"tetR"');
  // The table holds itself: the child is marked as a cycle and cannot be opened forever.
  await expect(output).toContainText('parent = {1, 4, 9');
  await expect(output).toContainText('↻ cycle');

  await page.reload();
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('Connected', { timeout: 20_000 });
  const again = consoleOutput(page).getByRole('button', { name: /^Expand \{1, 4, 9/ });
  await expect(again).toBeVisible({ timeout: 20_000 });
  await again.click();
  await expect(consoleOutput(page).getByRole('button', { name: /^show 100 more/ })).toBeAttached();

  // A value the program dropped, after the next run, says so instead of expanding.
  await typeInConsole(page, '{ "temporary" }');
  const temporary = consoleOutput(page).getByRole('button', { name: 'Expand {"temporary"}' });
  await expect(temporary).toBeVisible({ timeout: 20_000 });
  await typeInConsole(page, 'collectgarbage() collectgarbage()');
  await temporary.click();
  await expect(consoleOutput(page).getByRole('alert')).toContainText('re-run to expand it');
});

test('the variable inspector shows a new global after a run, hides builtins unless asked, and filters', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'vars');
  await openView(page, 'Variables');
  // Beside the script, to watch both.
  await page.getByRole('button', { name: 'Move the active tab to the right group' }).click();
  const list = page.getByRole('tree', { name: 'Variables of vars' });
  await expect(list).toContainText('No variables yet');
  await typeInEditor(page, 'vars', ['growth_rate = 0.25', 'species = { "lacI", "tetR", "cI" }']);
  await page.keyboard.press('Control+Enter');
  await expect(list.getByRole('treeitem', { name: 'growth_rate' })).toContainText('0.25', { timeout: 20_000 });
  await expect(list.getByRole('treeitem', { name: 'species' })).toContainText('table, 3');
  await expect(list.getByRole('treeitem', { name: 'print' })).toHaveCount(0);
  await list.getByRole('button', { name: 'Expand species' }).click();
  await expect(list).toContainText('"cI"');

  await typeInConsole(page, 'doubling_time = math.log(2) / growth_rate');
  await expect(list.getByRole('treeitem', { name: 'doubling_time' })).toContainText('2.77', { timeout: 20_000 });
  // What was open stays open across the refresh, with the new values.
  await typeInConsole(page, 'species[4] = "araC"');
  await expect(list).toContainText('"araC"', { timeout: 20_000 });
  await expect(list.getByRole('button', { name: 'Collapse species' })).toBeVisible();

  await page.getByRole('checkbox', { name: 'builtins' }).check();
  await expect(list.getByRole('treeitem', { name: 'print' })).toContainText('builtin');
  await page.getByRole('searchbox', { name: 'Filter variables' }).fill('RATE');
  await expect(list.getByRole('treeitem', { name: 'growth_rate' })).toBeVisible();
  await expect(list.getByRole('treeitem', { name: 'species' })).toHaveCount(0);
});

test('a 20 MB string shows "show more" and pages without freezing the window', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'long');
  await typeInConsole(page, 'genome = string.rep("ACGT", 5 * 1024 * 1024)');
  await typeInConsole(page, 'genome');
  const output = consoleOutput(page);
  await expect(output).toContainText('(20971520 bytes)', { timeout: 20_000 });
  await output.getByRole('button', { name: /^Expand "ACGTACGT/ }).click();
  const more = output.getByRole('button', { name: /^show more \(\d+ bytes left\)$/ });
  await expect(more).toHaveText('show more (20905984 bytes left)', { timeout: 20_000 });
  await more.click();
  await expect(more).toHaveText('show more (20840448 bytes left)', { timeout: 20_000 });
  // The window still answers at once: the next line runs and echoes.
  await typeInConsole(page, '6 * 7');
  await expect(output).toContainText('42', { timeout: 5_000 });
});
