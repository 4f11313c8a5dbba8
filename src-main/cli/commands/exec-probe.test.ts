// `bioxen exec` keeps what its Lua probe learned in the cache folder (lua-probes.json), so a second exec starts only
// the runner; a changed executable or a bad results file means a new probe, never a wrong or failed run.
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'bioxen-exec-probe-'));
const cacheDir = join(temp, 'cache');
const log = join(temp, 'runs.log');
const lua = join(temp, 'lua-logged');

function exec(code: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bioxen.mjs'), 'exec', '--lua', lua, '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BIOXEN_CACHE_DIR: cacheDir, BIOXEN_DATA_DIR: join(temp, 'data') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** How often the executable ran as a probe (`-v -e …`) and as a runner, so far. */
function runs(): { probes: number; runners: number } {
  const lines = readFileSync(log, 'utf8').trim().split('\n');
  return { probes: lines.filter((l) => l.startsWith('-v ')).length, runners: lines.filter((l) => l.endsWith('runner.lua')).length };
}

describe('bioxen exec: kept Lua probe results', () => {
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('probes an executable once, again when it changed or the results file is bad', () => {
    // A real lua5.4 behind a script that logs each start (the probe runs with PATH alone in its environment).
    writeFileSync(lua, `#!/bin/sh\necho "$*" >> '${log}'\nexec /usr/bin/lua5.4 "$@"\n`);
    chmodSync(lua, 0o755);
    const ok = { code: 0, stdout: 'Lua 5.4\n', stderr: '' };
    expect(exec('return _VERSION')).toEqual(ok);
    expect(runs()).toEqual({ probes: 1, runners: 1 });
    expect(exec('return _VERSION')).toEqual(ok);
    expect(runs()).toEqual({ probes: 1, runners: 2 });

    appendFileSync(lua, '# changed\n');
    expect(exec('return _VERSION')).toEqual(ok);
    expect(runs()).toEqual({ probes: 2, runners: 3 });

    const results = join(cacheDir, 'lua-probes.json');
    expect(Object.keys(JSON.parse(readFileSync(results, 'utf8')) as object)).toEqual([lua]);
    for (const bad of ['{"truncated', JSON.stringify({ [lua]: { file: lua, stat: 'x', banner: 'Lua 5.4.4' } }), '[]']) {
      writeFileSync(results, bad);
      expect(exec('return _VERSION')).toEqual(ok);
    }
    expect(runs()).toEqual({ probes: 5, runners: 6 });
    expect(exec('return _VERSION')).toEqual(ok);
    expect(runs()).toEqual({ probes: 5, runners: 7 });
  }, 60_000);
});
