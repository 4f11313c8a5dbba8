// The debugger in the workbench, as a user drives it: a breakpoint set in the editor's margin, a
// debugged run stopping there (the line highlighted), a local inspected in the Debug panel, steps
// over and into a function, continue to the end, and Stop ending a stopped run.
import type { Page } from '@playwright/test';
import { openWorkbench, test, expect } from './fixtures/workbench-host';
import { consoleOutput, createSession, typeInEditor } from './fixtures/workbench-user';

const SCRIPT = [
  'local function double(n)',
  '  local twice = n * 2',
  '  return twice',
  'end',
  'local total, cfg = 20, { rate = 3 }',
  'local result = double(total)',
  'print("result is " .. result)',
];

/** Clicks the editor's glyph margin beside a line (where breakpoints are set). */
async function clickGutter(page: Page, sessionId: string, line: number, button: 'left' | 'right' = 'left') {
  const editor = page.locator(`.script-editor[data-session="${sessionId}"]`);
  const number = editor.locator('.line-numbers', { hasText: new RegExp(`^${line}$`) });
  const numberBox = (await number.boundingBox())!;
  const glyphBox = (await editor.locator('.glyph-margin').boundingBox())!;
  await page.mouse.click(glyphBox.x + glyphBox.width / 2, numberBox.y + numberBox.height / 2, { button });
}

/** The line number beside the highlighted (stopped-at) line. */
async function highlightedLine(page: Page, sessionId: string): Promise<number | null> {
  const editor = page.locator(`.script-editor[data-session="${sessionId}"]`);
  const highlight = editor.locator('.debug-current-line');
  if ((await highlight.count()) === 0) return null;
  const top = (await highlight.first().boundingBox())!.y;
  const numbers = await editor.locator('.line-numbers').evaluateAll((nodes) => nodes.map((node) => ({ top: node.getBoundingClientRect().top, text: node.textContent ?? '' })));
  const match = numbers.find((n) => Math.abs(n.top - top) < 2);
  return match ? Number(match.text) : null;
}

async function openDebugView(page: Page) {
  await page.getByRole('tab', { name: 'Debug' }).click();
  return page.getByRole('region', { name: 'Debug', exact: true });
}

test('a gutter breakpoint stops the run; inspect a local, step over and into, continue to the end', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'dbg');
  await typeInEditor(page, 'dbg', SCRIPT);
  await clickGutter(page, 'dbg', 6);
  const debug = await openDebugView(page);
  const breakpoints = debug.getByRole('list', { name: 'Breakpoint list' });
  await expect(breakpoints.getByRole('checkbox', { name: /:6$/ })).toBeChecked();

  await page.getByRole('toolbar', { name: 'Script actions' }).getByRole('button', { name: 'Debug' }).click();
  const status = debug.getByRole('status', { name: 'Debug status' });
  await expect(status).toContainText(/Stopped at a breakpoint at .*:6/, { timeout: 20_000 });
  await expect.poll(() => highlightedLine(page, 'dbg')).toBe(6);
  const variables = debug.getByRole('tree', { name: 'Variables of the selected frame' });
  await expect(variables).toContainText('total = 20');
  // A table local opens a page at a time, fetched from the stopped run.
  await variables.getByRole('button', { name: 'Expand cfg' }).click();
  await expect(variables.getByRole('treeitem', { name: 'rate = 3', exact: true })).toHaveAttribute('aria-level', '3');

  // Step over the call: line 7, with result known.
  await debug.getByRole('button', { name: 'Step over' }).click();
  await expect(status).toContainText(/Stopped after a step at .*:7/);
  await expect.poll(() => highlightedLine(page, 'dbg')).toBe(7);
  await expect(variables).toContainText('result = 40');
  // What was open stays open across the step (fetched again from the new stop).
  await expect(variables.getByRole('treeitem', { name: 'rate = 3', exact: true })).toBeVisible();
  await expect(consoleOutput(page)).not.toContainText('result is');

  await debug.getByRole('button', { name: 'Continue' }).click();
  await expect(consoleOutput(page)).toContainText('result is 40', { timeout: 20_000 });
  await expect(status).toHaveText('Not debugging');
  await expect.poll(() => highlightedLine(page, 'dbg')).toBeNull();

  // Again, now stepping into the function with F11: its frame is on top of the stack.
  await page.getByRole('toolbar', { name: 'Script actions' }).getByRole('button', { name: 'Debug' }).click();
  await expect(status).toContainText(/:6/, { timeout: 20_000 });
  await page.keyboard.press('F11');
  await expect(status).toContainText(/Stopped after a step at .*:2/);
  const stack = debug.getByRole('list', { name: 'Call stack frames' });
  await expect(stack.getByRole('button').first()).toContainText('double');
  await expect(variables).toContainText('n = 20');
  await page.keyboard.press('F10');
  await expect(status).toContainText(/:3/);
  await expect(variables).toContainText('twice = 40');
  await page.keyboard.press('F5');
  await expect(consoleOutput(page).getByText('result is 40')).toHaveCount(2, { timeout: 20_000 });
  await expect(status).toHaveText('Not debugging');
});

test('Stop ends a stopped run, and breakpoints come back with the script after a reload', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'halt');
  await typeInEditor(page, 'halt', ['local n = 1', 'print("before")', 'n = n + 1', 'print("after " .. n)']);
  await clickGutter(page, 'halt', 3);
  const debug = await openDebugView(page);
  await page.keyboard.press('F5');
  const status = debug.getByRole('status', { name: 'Debug status' });
  await expect(status).toContainText(/Stopped at a breakpoint at .*:3/, { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('before');
  await debug.getByRole('button', { name: 'Stop' }).click();
  await expect(status).toHaveText('Not debugging', { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('interrupted');
  await expect(consoleOutput(page)).not.toContainText('after');

  // The script is on disk (autosaved) before the window goes.
  await expect(page.getByRole('status', { name: 'Save status' })).toHaveText('Saved', { timeout: 20_000 });
  await page.reload();
  const reloaded = await openDebugView(page);
  await expect(reloaded.getByRole('list', { name: 'Breakpoint list' }).getByRole('checkbox', { name: /:3$/ })).toBeChecked({ timeout: 20_000 });
});

test('a logpoint set from the margin prints without stopping; hover shows a value; run to the cursor', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'lp');
  await typeInEditor(page, 'lp', ['local sum = 0', 'for i = 1, 3 do', 'sum = sum + i', 'end', 'print("sum " .. sum)', 'return sum * 10']);
  await clickGutter(page, 'lp', 3, 'right');
  const dialog = page.getByRole('dialog', { name: /Breakpoint at .*:3$/ });
  await dialog.getByLabel(/^Log message/).fill('i is {i}');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await clickGutter(page, 'lp', 5);
  const debug = await openDebugView(page);
  await expect(debug.getByRole('list', { name: 'Breakpoint list' })).toContainText('log "i is {i}"');

  await page.getByRole('toolbar', { name: 'Script actions' }).getByRole('button', { name: 'Debug' }).click();
  const status = debug.getByRole('status', { name: 'Debug status' });
  await expect(status).toContainText(/Stopped at a breakpoint at .*:5/, { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('i is 3');

  // Hovering the name shows its value in the stopped frame.
  const editor = page.locator('.script-editor[data-session="lp"]');
  await editor.locator('.view-line', { hasText: 'print(' }).getByText('sum', { exact: true }).hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: /sum\s*=\s*6/ })).toBeVisible();

  // Run to the cursor's line.
  await editor.locator('.view-line', { hasText: 'return sum' }).click();
  await debug.getByRole('button', { name: 'Run to cursor' }).click();
  await expect(status).toContainText(/Stopped after a step at .*:6/);
  await expect(consoleOutput(page)).toContainText('sum 6');
  await debug.getByRole('button', { name: 'Continue' }).click();
  await expect(consoleOutput(page)).toContainText('60', { timeout: 20_000 });
  await expect(status).toHaveText('Not debugging');
});

test('Pause stops a busy loop where it runs; a watch shows a value there; Stop ends it', async ({ page, host }) => {
  await openWorkbench(page, host);
  await createSession(page, 'busy');
  await typeInEditor(page, 'busy', ['local n = 0', 'while true do', 'n = n + 1', 'end']);
  const debug = await openDebugView(page);
  await debug.getByRole('textbox', { name: 'Add watch expression' }).fill('n > 0');
  await debug.getByRole('textbox', { name: 'Add watch expression' }).press('Enter');
  await page.getByRole('toolbar', { name: 'Script actions' }).getByRole('button', { name: 'Debug' }).click();
  const status = debug.getByRole('status', { name: 'Debug status' });
  await expect(status).toHaveText('Running', { timeout: 20_000 });
  await debug.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText(/Stopped paused at .*:[23]$/, { timeout: 20_000 });
  await expect(debug.getByRole('list', { name: 'Watch expressions' })).toContainText('n > 0 = true');
  await page.keyboard.press('Shift+F5');
  await expect(status).toHaveText('Not debugging', { timeout: 20_000 });
  await expect(consoleOutput(page)).toContainText('interrupted');
});
