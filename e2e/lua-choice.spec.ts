// Choosing the Lua for new sessions as a user does: the Settings dialog and the New session dialog
// list the discovered interpreters by name; a browser window is told how to add another one.
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { newSessionButton } from './fixtures/workbench-user';

test('Lua is chosen from the discovered interpreters; a browser window is sent to the CLI to add one', async ({ page, host }) => {
  await openWorkbench(page, host);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const luaForNew = settings.getByLabel('Lua for new sessions');
  await luaForNew.selectOption({ label: await luaForNew.locator('option', { hasText: 'LuaJIT' }).first().innerText() });
  await expect(luaForNew).toHaveValue('luajit');
  await settings.getByRole('button', { name: 'Add interpreter…' }).click();
  await expect(settings.getByRole('alert')).toContainText('bioxen lua-versions --add /path/to/lua');
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'Sessions' }).click();
  await newSessionButton(page).click();
  const dialog = page.getByRole('dialog', { name: 'New session' });
  await dialog.getByLabel('Session id').fill('five-three');
  await dialog.getByLabel('Lua version').selectOption('lua5.3');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toHaveCount(0);
  const status = page.getByRole('contentinfo', { name: 'Status bar' });
  await expect(status.getByLabel('Session state')).toContainText('five-three');
  await expect(status.getByLabel('Lua version')).toHaveText('5.3');
});
