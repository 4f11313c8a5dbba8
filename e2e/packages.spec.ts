// The package browser through the browser host, as a user: create an environment, search, install
// with progress, then use the package from a session's editor.
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { consoleOutput, editorTextbox, newSessionButton, sessionItem } from './fixtures/workbench-user';

test('search the catalog, install a bundled package with progress, and use it from the editor', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('tab', { name: 'Packages' }).click();

  await page.getByRole('button', { name: 'New environment' }).click();
  const create = page.getByRole('dialog', { name: 'New environment' });
  await create.getByLabel('Name').fill('bio');
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(create).toBeHidden();
  await expect(page.getByRole('listitem', { name: 'Environment bio' })).toContainText('Lua 5.4 · 0 packages');

  const search = page.getByRole('searchbox', { name: 'Search packages' });
  await search.fill('sequence');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('button').first()).toHaveAccessibleName('Package bioxen-seq', { timeout: 20_000 });
  await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Data formats' });
  await expect(results.getByRole('button', { name: 'Package bioxen-seq' })).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Biological analysis' });
  await results.getByRole('button', { name: 'Package bioxen-seq' }).click();

  const details = page.getByRole('region', { name: 'Package details' });
  await expect(details).toContainText('FASTA read/write');
  await expect(details.getByRole('tree', { name: 'Dependency tree' })).toContainText('bioxen-seq 0.1.0-1');
  await expect(details.getByLabel('Installed in')).toHaveText('no environment');
  await details.getByRole('button', { name: 'Install into bio' }).click();

  const progress = page.getByRole('region', { name: 'Install progress' });
  await expect(progress.getByRole('status')).toHaveText('done', { timeout: 60_000 });
  await expect(progress.getByRole('progressbar')).toHaveAttribute('value', '1');
  await expect(progress.getByLabel('Install log')).toContainText('bioxen-seq 0.1.0-1 is now installed');
  await expect(details.getByLabel('Installed in')).toHaveText('bio (0.1.0-1)');
  await expect(results.getByRole('button', { name: 'Package bioxen-seq' })).toContainText('installed');
  await expect(page.getByRole('listitem', { name: 'Environment bio' })).toContainText('1 package');

  await page.getByRole('tab', { name: 'Sessions' }).click();
  await newSessionButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByLabel('Session id').fill('genes');
  await dialog.getByLabel('Environment').selectOption('bio');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(sessionItem(page, 'genes').getByLabel('state idle')).toBeVisible({ timeout: 20_000 });
  await expect(sessionItem(page, 'genes')).toContainText('env bio');
  await expect(editorTextbox(page, 'genes')).toBeAttached({ timeout: 20_000 });
  // Pasted rather than typed: member completion popups would otherwise rewrite `seq.` calls.
  await editorTextbox(page, 'genes').focus();
  await page.keyboard.insertText('local seq = require("bioxen.seq")\nprint("rc=" .. seq.reverse_complement("AACG"))\nreturn seq.translate("ATGTTTTAA")\n');
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('rc=CGTT', { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('MF*');

  await page.getByRole('tab', { name: 'Packages' }).click();
  await page.getByRole('button', { name: 'Use bio in session genes' }).click();
  await expect(consoleOutput(page)).toContainText('environment "bio" bound', { timeout: 20_000 });
});

test('check an environment\'s health, then install and remove a package from the detail pane', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('tab', { name: 'Packages' }).click();
  await page.getByRole('button', { name: 'New environment' }).click();
  const create = page.getByRole('dialog', { name: 'New environment' });
  await create.getByLabel('Name').fill('lab');
  await create.getByRole('button', { name: 'Create' }).click();
  await expect(create).toBeHidden();
  await page.getByRole('button', { name: 'Check health of lab' }).click();
  await expect(page.getByRole('status', { name: 'Health of lab' })).toContainText('Healthy', { timeout: 20_000 });

  await page.getByRole('searchbox', { name: 'Search packages' }).fill('circuits');
  await page.getByRole('button', { name: 'Package bioxen-circuits' }).click();
  const details = page.getByRole('region', { name: 'Package details' });
  await expect(details.getByRole('combobox', { name: 'Version to install' })).toBeVisible();
  await details.getByRole('button', { name: 'Install into lab' }).click();
  await expect(page.getByRole('region', { name: 'Install progress' }).getByRole('status')).toHaveText('done', { timeout: 60_000 });
  await expect(details.getByRole('button', { name: 'Remove from lab' })).toBeVisible();
  await details.getByRole('button', { name: 'Remove from lab' }).click();
  await expect(details.getByLabel('Installed in')).toHaveText('no environment', { timeout: 20_000 });
});
