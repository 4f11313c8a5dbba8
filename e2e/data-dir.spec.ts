// A data-dir file the workbench cannot read is moved aside at start, and the window says so in the status bar.
import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, stopHost } from './fixtures/workbench-host';

test('a settings.json cut short is moved aside and the status bar shows the warning', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bioxen-e2e-corrupt-'));
  writeFileSync(join(dataDir, 'settings.json'), '{"theme": "li');
  const { child, url } = await startHost(dataDir);
  try {
    await page.goto(url);
    const status = page.getByRole('contentinfo', { name: 'Status bar' });
    await expect(status).toContainText('Connected', { timeout: 20_000 });
    const warning = status.getByRole('alert');
    await expect(warning).toContainText('settings.json is not valid JSON');
    await expect(warning).toContainText('moved aside');
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(false);
    expect(readdirSync(dataDir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
  } finally {
    await stopHost(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
