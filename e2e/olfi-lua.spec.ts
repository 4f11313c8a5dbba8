// Issue 5 as a user sees it: a Lua script typed in the editor sends an Ol-Fi frame with
// require("bioxen.olfi") (every VM has the olfi capability by default), and the frame shows up in the
// Ol-Fi panel with its compound and a valid checksum.
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { consoleOutput, createSession, openView, typeInEditor } from './fixtures/workbench-user';

test('a frame sent from a Lua script in the editor appears in the Ol-Fi panel, checksum valid', async ({ page, host }) => {
  test.setTimeout(120_000);
  await openWorkbench(page, host);
  await createSession(page, 'sender');
  await typeInEditor(page, 'sender', [
    'local olfi = require("bioxen.olfi")',
    'local sent = olfi.send("ACETOIN", { address = "CELL_0002", source = "CELL_0007", type = "STATUS", payload = "from-the-editor" })',
    'print("sent checksum " .. sent.checksum)',
  ]);
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('sent checksum', { timeout: 20_000 });

  await openView(page, 'Ol-Fi');
  const frames = page.getByRole('list', { name: 'Ol-Fi frames' });
  const frame = frames.getByRole('listitem', { name: 'ACETOIN STATUS valid' });
  await expect(frame).toBeVisible({ timeout: 20_000 });
  await expect(frame).toContainText('from-the-editor');
  await frame.click();
  const fields = page.getByRole('region', { name: 'Frame inspector' }).getByRole('list', { name: 'Frame fields in RFC order' });
  await expect(fields).toContainText('CELL_0002 from CELL_0007');
  await expect(fields).toContainText('✓ matches');
});
