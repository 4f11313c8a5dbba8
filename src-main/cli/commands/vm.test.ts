// `bioxen exec`, `bioxen repl`, `bioxen lua-versions` through the real bin/bioxen.mjs.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBioxen } from '../../testing/bioxen-cli';

const bin = join(__dirname, '..', '..', '..', 'bin', 'bioxen.mjs');
const dataDir = mkdtempSync(join(tmpdir(), 'bioxen-cli-test-'));

const bioxen = (args: string[], input = '') => runBioxen(args, { dataDir, input });

// Each run pays tsx's start-up, so the suite's runs start together.
describe.concurrent('bioxen CLI: VM commands', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exec -e prints output and returned values', async () => {
    const r = await bioxen(['exec', '-e', 'print("hi") return 2 + 2']);
    expect(r).toMatchObject({ code: 0, stdout: 'hi\n4\n' });
  });

  it('exec --json prints one result object; a Lua error exits non-zero', async () => {
    const ok = await bioxen(['exec', '--json', '-e', 'return 1, "two"']);
    expect(JSON.parse(ok.stdout)).toMatchObject({ success: true, returnCode: 0, values: ['1', 'two'], stdout: '1\ttwo\n' });
    const bad = await bioxen(['exec', '--json', '--lua', 'lua5.1', '-e', 'error("bad")']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ success: false, returnCode: 1, error: { message: 'stdin:1: bad', line: 1 } });
  });

  it('exec FILE runs a file; usage errors exit 2', async () => {
    const file = join(dataDir, 'hello.lua');
    writeFileSync(file, 'print(_VERSION)\n');
    expect(await bioxen(['exec', '--lua', 'lua5.4', file])).toMatchObject({ code: 0, stdout: 'Lua 5.4\n' });
    const usage = await bioxen(['exec']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('give exactly one of -e CODE or FILE');
  });

  it('exec writes the exact bytes Lua wrote; exec FILE skips a #! line and keeps raw bytes in the source', async () => {
    const e = await bioxen(['exec', '-e', 'io.write("\\225\\n", "é\\n") return "\\255"']);
    expect(e.stdoutBytes).toEqual(Buffer.concat([Buffer.of(0xe1, 0x0a), Buffer.from('é\n'), Buffer.of(0xff, 0x0a)]));
    const file = join(dataDir, 'script.lua');
    writeFileSync(file, Buffer.concat([Buffer.from('#!/usr/bin/env bioxen exec\nlocal s = "'), Buffer.of(0xe1), Buffer.from('"\nio.write(#s, s, "\\n")\nerror("line 4")\n')]));
    const r = await bioxen(['exec', '--lua', 'lua5.4', file]);
    expect(r.code).toBe(1);
    expect(r.stdoutBytes).toEqual(Buffer.concat([Buffer.from('1'), Buffer.of(0xe1, 0x0a)]));
    expect(r.stderr).toContain(`${file}:4: line 4`);
  });

  it('exec --vm ID runs with the saved VM definition', async () => {
    const saved = join(dataDir, 'saved-vms');
    mkdirSync(saved);
    const definition = {
      id: 'old-lab',
      luaExecutable: 'lua5.1',
      capabilities: { networked: false, fs: false, olfi: false, metrics: false },
      limits: { instructionQuota: 1000, memoryMb: 64, timeoutMs: 5000, outputBytes: 4096 },
      interactive: false,
      createdAt: 0,
    };
    writeFileSync(join(saved, 'vms.json'), JSON.stringify({ version: 1, vms: [definition] }));
    const r = await bioxen(['exec', '--vm', 'old-lab', '--data-dir', saved, '--json', '-e', 'print(_VERSION) while true do end']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ stdout: 'Lua 5.1\n', error: { limit: 'instructionQuota' } });
  });

  it('lua-versions lists the discovered interpreters', async () => {
    const r = await bioxen(['lua-versions', '--json']);
    const found = JSON.parse(r.stdout) as { version: string; path: string }[];
    expect(found[0]).toMatchObject({ version: '5.4' });
    expect(found.map((l) => l.version)).toContain('5.1');
  });

  it('lua-versions --add refuses a program that fakes the banner and keeps a real Lua for the workbench', async () => {
    const addDir = mkdtempSync(join(tmpdir(), 'bioxen-cli-add-'));
    const fake = join(addDir, 'fake-lua');
    writeFileSync(fake, "#!/bin/sh\necho 'Lua 5.4.6  Copyright (C) 1994-2023 Lua.org, PUC-Rio'\n", { mode: 0o755 });
    const real = join(addDir, 'lua-wrapper');
    writeFileSync(real, '#!/bin/sh\nexec lua5.3 "$@"\n', { mode: 0o755 });
    const [refused, added] = await Promise.all([bioxen(['lua-versions', '--data-dir', addDir, '--add', fake]), bioxen(['lua-versions', '--data-dir', addDir, '--add', real])]);
    const listed = await bioxen(['lua-versions', '--data-dir', addDir]);
    rmSync(addDir, { recursive: true, force: true });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('did not evaluate Lua') });
    expect(added).toMatchObject({ code: 0, stdout: expect.stringMatching(/^added Lua 5\.3\.\d+ as "lua-wrapper-[0-9a-f]{8}"/) });
    expect(listed.stdout).toMatch(/^lua5\.4 .*\n(.*\n)*lua-wrapper-[0-9a-f]{8} +5\.3 /);
  });

  it('exec and repl exit with the status a script gives os.exit, as plain lua does', async () => {
    const exec = await bioxen(['exec', '-e', 'io.write("out ") pcall(os.exit, 4) print("not reached")']);
    expect(exec).toMatchObject({ code: 4, stdout: 'out ', stderr: '' });
    expect(await bioxen(['exec', '-e', 'os.exit(true)'])).toMatchObject({ code: 0, stdout: '' });
    const repl = await bioxen(['repl', 'quitter'], 'x = 1\nos.exit(x + 6)\nprint("not reached")\n');
    expect(repl.code).toBe(7);
    expect(repl.stdout).not.toContain('not reached');
  });

  it('repl keeps state across lines, continues chunks, keeps a bounded history and leaves on exit', async () => {
    const historyDir = mkdtempSync(join(tmpdir(), 'bioxen-cli-history-'));
    writeFileSync(join(historyDir, 'repl_history'), Array.from({ length: 2500 }, (_, i) => `old ${i}`).join('\n'));
    const r = await bioxen(['repl', 'demo', '--data-dir', historyDir], 'x = 20\nfunction twice(v)\n  return v * 2\nend\ntwice(x) + 2\nexit\nprint("not reached")\n');
    const history = readFileSync(join(historyDir, 'repl_history'), 'utf8').trim().split('\n');
    rmSync(historyDir, { recursive: true, force: true });
    expect(history.length).toBeLessThanOrEqual(1010);
    expect(history.slice(-2)).toEqual(['end', 'twice(x) + 2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('lua[demo]> ');
    expect(r.stdout).toContain('>> ');
    expect(r.stdout).toContain('42\n');
    expect(r.stdout).not.toContain('not reached');
  });

  it('repl on a real terminal: Ctrl-C interrupts a running loop and keeps the state, Ctrl-D leaves', async () => {
    const steps = [
      ['', 'lua[tty]> '],
      ['kept = 7\r', 'lua[tty]> '],
      // The loop's own output proves it is running before Ctrl-C is typed.
      ['print("spinning") while true do end\r', 'spinning\r\n'],
      ['\u0003', 'lua[tty]> '],
      ['print(kept * 6)\r', 'lua[tty]> '],
      ['\u0004', ''],
    ];
    const driver = join(__dirname, 'fixtures', 'pty-driver.py');
    const r = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('python3', [driver, JSON.stringify(steps), '--', process.execPath, bin, 'repl', 'tty'], { env: { ...process.env, BIOXEN_DATA_DIR: dataDir } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
    });
    expect(r.out).toContain('interrupted!');
    expect(r.out).toMatch(/print\(kept \* 6\)\r?\r\n42\r\n/);
    expect(r.code).toBe(0);
  });
});
