// The `bioxen` entry through the real bin/bioxen.mjs: --version, --help for every command, usage errors.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands, domains } from './commands/index';
import { runBioxen } from '../testing/bioxen-cli';

const ROOT = join(__dirname, '..', '..');
const bin = join(ROOT, 'bin', 'bioxen.mjs');
const EXIT_CODES = 'Exit codes: 0 ok, 1 the script or operation failed, 2 usage error, 130/143 stopped by SIGINT/SIGTERM while running Lua.';

const bioxen = (args: string[]) => runBioxen(args);

describe('bioxen entry', () => {
  it('ends normally, without an EPIPE trace, when the reader of its output goes away', async () => {
    const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE/);
    expect(code).toBe(0);
  });

  it('lists each command under the paths its domain module exports, in commands/index.ts', async () => {
    for (const domain of domains) expect((await domain.load()).map((c) => c.path.join(' '))).toEqual(domain.paths);
  });

  it('prints its version, and usage with exit codes for a command given --help or -h (one per domain)', async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await bioxen(['--version'])).toMatchObject({ code: 0, stdout: `bioxen ${version}\n` });
    // bioxen.ts answers --help before any command runs; one command of each domain proves each module loads for it.
    const commands = await Promise.all(domains.map(async (d) => (await d.load()).at(-1)!));
    const helps = await Promise.all(commands.map((c, i) => bioxen([...c.path, i % 2 ? '-h' : '--help'])));
    commands.forEach((c, i) => {
      expect(helps[i]).toMatchObject({ code: 0, stdout: `usage: bioxen ${c.usage}\n\n${c.summary}\n\n${EXIT_CODES}\n` });
    });
    const all = await bioxen(['--help']);
    expect(all.code).toBe(0);
    for (const c of await allCommands()) expect(all.stdout).toContain(`bioxen ${c.usage}\n      ${c.summary}\n`);
  }, 120_000);

  it('usage errors exit 2 with the command usage: a flag missing its value, an unknown option or command', async () => {
    const [missing, unknown, command, bool, cap] = await Promise.all([
      bioxen(['exec', '--lua', '--json', '-e', 'return 1']),
      bioxen(['exec', '--nope', '-e', 'return 1']),
      bioxen(['exce']),
      bioxen(['exec', '--json=perhaps', '-e', 'return 1']),
      bioxen(['repl', '--cap', 'olfi,telepathy']),
    ]);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('bioxen exec: --lua needs a value') });
    expect(missing.stderr).toContain('usage: bioxen exec ');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option --nope') });
    expect(command).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "exce" — see the commands with: bioxen --help') });
    expect(bool).toMatchObject({ code: 2, stderr: expect.stringContaining('--json is true or false, got "perhaps"') });
    expect(cap).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown capability "telepathy" in --cap — use any of networked, remoteNetwork, fs, olfi, metrics, native (comma-separated), or none'),
    });
  }, 60_000);

  it('exec --json=false prints plain output; --cap grants exactly the capabilities listed', async () => {
    const open = 'local ok, err = pcall(io.open, "cap.txt", "w") return ok and "opened" or err';
    const [plain, fs, none] = await Promise.all([
      bioxen(['exec', '--json=false', '-e', 'return 6 * 7']),
      bioxen(['exec', '--cap', 'olfi,fs', '-e', open]),
      bioxen(['exec', '--cap=none', '-e', open]),
    ]);
    expect(plain).toMatchObject({ code: 0, stdout: '42\n' });
    expect(fs).toMatchObject({ code: 0, stdout: 'opened\n' });
    expect(none).toMatchObject({ code: 0, stdout: expect.stringContaining("needs the 'fs' capability") });
  }, 60_000);
});
