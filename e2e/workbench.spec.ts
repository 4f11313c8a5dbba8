// The workbench through the browser host, acting as a user: every test starts its own host.
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { consoleOutput, createSession, editorTextbox, sessionItem, typeInConsole, typeInEditor } from './fixtures/workbench-user';

test('create a session, type a script in Monaco and run it with the keyboard', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'demo');
  await typeInEditor(page, 'demo', ['local greeting = "hello from " .. _VERSION', 'print(greeting)', 'return 6 * 7']);
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('hello from Lua', { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('42');
});

test('run the current line with Shift+Enter', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'lines');
  await typeInEditor(page, 'lines', ['print("first line")', 'print("second line")']);
  await page.keyboard.press('Shift+Enter');
  await expect(consoleOutput(page)).toContainText('second line', { timeout: 20_000 });
  await expect(consoleOutput(page)).not.toContainText('first line');
});

test('define a function over several console lines and call it', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'repl');
  await typeInConsole(page, 'function square(n)');
  await expect(page.getByRole('textbox', { name: 'Console input (continuation)' })).toBeVisible();
  await typeInConsole(page, 'return n * n');
  await typeInConsole(page, 'end');
  await expect(page.getByRole('textbox', { name: 'Console input' })).toBeVisible();
  await typeInConsole(page, 'square(12)');
  await expect(consoleOutput(page)).toContainText('144', { timeout: 20_000 });
});

test('interrupt an infinite loop, then keep using the session', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'spin');
  await typeInConsole(page, 'kept = "still here"');
  await typeInConsole(page, 'while true do end');
  await expect(sessionItem(page, 'spin').getByLabel('state busy')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('textbox', { name: /^Console input/ }).press('Control+c');
  await expect(sessionItem(page, 'spin').getByLabel('state idle')).toBeVisible({ timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('interrupted');
  await typeInConsole(page, 'print(kept)');
  await expect(consoleOutput(page)).toContainText('still here', { timeout: 20_000 });
});

test('capabilities chosen in the dialog decide what the sandbox allows', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'closed');
  await typeInConsole(page, 'require("socket")');
  await expect(consoleOutput(page)).toContainText("needs the 'networked' capability", { timeout: 20_000 });
  await createSession(page, 'open', ['Networked']);
  await typeInConsole(page, 'type(require("socket").tcp)');
  await expect(consoleOutput(page)).toContainText('function', { timeout: 20_000 });
});

test('a syntax error shows up as a marker in the editor', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'syntax');
  await typeInEditor(page, 'syntax', ['local ok = 1', 'if ok then', 'print("never closed")']);
  await expect(page.getByLabel('Problems')).toContainText('1 error,', { timeout: 20_000 });
  await editorTextbox(page, 'syntax').press('F8');
  await expect(page.getByText(/'end' expected/).first()).toBeVisible();
});

test('completion offers the session globals and the BioXen API', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'intel');
  await typeInConsole(page, 'growth_rate = 0.5');
  await expect(consoleOutput(page)).toContainText('growth_rate = 0.5', { timeout: 20_000 });
  await editorTextbox(page, 'intel').focus();
  await page.keyboard.type('growth_r');
  await page.keyboard.press('Control+Space');
  await expect(page.getByRole('option', { name: /growth_rate/ })).toBeVisible({ timeout: 20_000 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await page.keyboard.type('seq.gc_');
  await page.keyboard.press('Control+Space');
  await expect(page.getByRole('option', { name: /gc_content/ })).toBeVisible({ timeout: 20_000 });
});

test('detach and attach keep the session and its output', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'roam');
  await typeInConsole(page, 'print("said before detaching")');
  await expect(consoleOutput(page)).toContainText('said before detaching', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Detach roam' }).click();
  await expect(sessionItem(page, 'roam').getByLabel('state detached')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Attach roam' }).click();
  await expect(sessionItem(page, 'roam').getByLabel('state idle')).toBeVisible({ timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('said before detaching');
  await typeInConsole(page, 'return "still the same VM"');
  await expect(consoleOutput(page)).toContainText('still the same VM', { timeout: 20_000 });
});

test('a runtime error is placed at its line', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'oops');
  await typeInEditor(page, 'oops', ['local t = {}', 'print("before the error")', 'local n = t.missing.field']);
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('before the error', { timeout: 20_000 });
  await expect(page.getByRole('toolbar', { name: 'Script actions' }).getByRole('alert')).toContainText(/line 3: .*attempt to index a nil value/);
  await editorTextbox(page, 'oops').press('F8');
  await expect(page.getByText(/attempt to index a nil value/).first()).toBeVisible();
});

test('start from an example, save it under a new name, then open another script', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'files');
  await page.getByRole('button', { name: 'New from example…' }).click();
  await page.getByRole('dialog', { name: 'New script from example' }).getByRole('button', { name: /Hello, BioXen/ }).click();
  await expect(page.getByRole('tabpanel', { name: 'Script of files' })).toContainText('Simulating', { timeout: 20_000 });
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('Hello from a BioXen VM', { timeout: 20_000 });

  await page.getByRole('button', { name: 'Save as…' }).click();
  const saveAs = page.getByRole('dialog', { name: 'Save script as' });
  await saveAs.getByLabel('File name').fill('my-hello');
  await saveAs.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('tab', { name: /files.*my-hello\.lua/ })).toBeVisible({ timeout: 20_000 });

  await page.getByRole('button', { name: 'Open…' }).click();
  const open = page.getByRole('dialog', { name: 'Open script' });
  await expect(open.getByRole('button', { name: /my-hello\.lua/ })).toBeVisible({ timeout: 20_000 });
  await open.getByRole('button', { name: /files\.lua/ }).click();
  await expect(page.getByRole('tab', { name: /files.*files\.lua/ })).toBeVisible({ timeout: 20_000 });
});

test('after a reload the session, its script and its output are intact; then terminate it', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'keep');
  await typeInEditor(page, 'keep', ['print("persisted-output")']);
  await page.keyboard.press('Control+Enter');
  await expect(consoleOutput(page)).toContainText('persisted-output', { timeout: 20_000 });
  await page.keyboard.press('Control+s');
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved', { timeout: 20_000 });

  await page.reload();
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('Connected', { timeout: 20_000 });
  await expect(sessionItem(page, 'keep')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('tabpanel', { name: 'Script of keep' })).toContainText('persisted-output', { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('persisted-output');

  await page.getByRole('button', { name: 'Terminate keep' }).click();
  await expect(sessionItem(page, 'keep')).toBeHidden({ timeout: 20_000 });
  await expect(page.getByText('No sessions yet')).toBeVisible();
});

test('a tab opened without the token says how to get in instead of reconnecting forever', async ({ page, host }) => {
  await page.goto(host.url.replace(/#token=.*$/, ''));
  await expect(page.getByRole('contentinfo', { name: 'Status bar' })).toContainText('this tab has no access token: open the URL that `bioxen serve` printed');
});
