// `bioxen exec FILE` reports a Lua error as plain `lua5.4 FILE` does: the message, then the
// traceback of the script's own frames. Plain lua5.4 is the oracle.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { scratchDir } from '../../testing/test-helpers';

const bin = join(__dirname, '..', '..', '..', 'bin', 'bioxen.mjs');
const dir = scratchDir('bioxen-exec-report-');
afterAll(() => dir.remove());

function run(command: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: dir.path, env: { ...process.env, BIOXEN_DATA_DIR: join(dir.path, 'data') } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

it('exec FILE prints the error message and the traceback, as lua5.4 FILE does', async () => {
  writeFileSync(join(dir.path, 'failing.lua'), 'local function f() error("boom") end\nlocal t = {}\nfunction t.g() f() end\nt.g()\n');
  const plain = await run('lua5.4', ['failing.lua']);
  const session = await run(process.execPath, [bin, 'exec', '--lua', 'lua5.4', 'failing.lua']);
  expect(session.code).toBe(1);
  // bin/bioxen.mjs may say first that it runs from the TypeScript sources.
  const report = session.stderr.slice(session.stderr.indexOf('failing.lua:1: boom'));
  expect(report).toBe(plain.stderr.replace(/^lua5\.4: /, ''));
  expect(report).toMatch(/^failing\.lua:1: boom\nstack traceback:\n/);
}, 60_000);

