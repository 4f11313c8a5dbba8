// The built CLI's V8 code caches (bin/code-cache.mjs): written on a first start, used (not rewritten) on the next,
// ignored and replaced when corrupt or when their chunk changed, and never needed: an unwritable cache dir or a bad
// cache gives the same result as no cache.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const temp = mkdtempSync(join(tmpdir(), 'bioxen-code-cache-'));

function bioxen(cacheDir: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'bioxen.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BIOXEN_CACHE_DIR: cacheDir, BIOXEN_DATA_DIR: join(temp, 'data') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Each cache file's modification time, by name. */
function caches(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]));
}

/** Flips a byte every KB past the header: V8's own header checks still pass, only the checksum can tell. */
function corrupt(file: string): void {
  const bytes = readFileSync(file);
  for (let i = 200; i < bytes.length; i += 1024) bytes[i]! ^= 0x5a;
  writeFileSync(file, bytes);
}

const EXEC = ['exec', '-e', 'local t = {} for i = 1, 3 do t[i] = i * i end print("squares") return t, "x"'];
const EXPECTED = { code: 0, stdout: 'squares\n{\n  1,\n  4,\n  9,\n}\tx\n', stderr: '' };

describe('bioxen code cache', () => {
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('is written by a first start, keyed on the build and Node, and used as is by the next', () => {
    const dir = join(temp, 'fresh', 'cli-code');
    expect(bioxen(dirname(dir), EXEC)).toEqual(EXPECTED);
    const build = JSON.parse(readFileSync(join(ROOT, 'out', 'cli', 'inputs.json'), 'utf8')) as { outputs: Record<string, { sha256: string }> };
    const written = caches(dir);
    expect(written.size).toBeGreaterThan(3);
    const keys = new Set(Object.values(build.outputs).map((o) => `${o.sha256}-${process.version}-${process.arch}.v8`));
    for (const name of written.keys()) expect(keys).toContain(name);
    expect(bioxen(dirname(dir), EXEC)).toEqual(EXPECTED);
    // V8 took every cache: a rejected one would have been rewritten at exit.
    expect(caches(dir)).toEqual(written);
  });

  it('ignores and replaces corrupt or truncated caches; the result is the same as without any', () => {
    const dir = join(temp, 'corrupt', 'cli-code');
    expect(bioxen(dirname(dir), EXEC)).toEqual(EXPECTED);
    const names = [...caches(dir).keys()];
    names.forEach((name, i) => (i % 2 ? corrupt(join(dir, name)) : writeFileSync(join(dir, name), readFileSync(join(dir, name)).subarray(0, 100))));
    const before = new Map(names.map((name) => [name, readFileSync(join(dir, name))]));
    expect(bioxen(dirname(dir), EXEC)).toEqual(EXPECTED);
    for (const name of names) expect(readFileSync(join(dir, name)).equals(before.get(name)!)).toBe(false);
    // The replacements are good caches: used as they are.
    const written = caches(dir);
    bioxen(dirname(dir), EXEC);
    expect(caches(dir)).toEqual(written);
  });

  it('runs the same, and writes nothing, where the cache dir cannot be created', () => {
    const blocker = join(temp, 'a-file');
    writeFileSync(blocker, '');
    expect(bioxen(join(blocker, 'cache'), EXEC)).toEqual(EXPECTED);
    expect(bioxen(join(blocker, 'cache'), ['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^bioxen \d/) });
  });

  it('does not use the cache of a chunk whose file changed since the build (same size, new contents)', () => {
    const out = join(temp, 'stale-build');
    const cacheDir = join(temp, 'stale-cache');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'entry.cjs'), `process.stdout.write(require('./chunk.cjs').answer() + '\\n');`);
    const chunk = join(out, 'chunk.cjs');
    const record = () =>
      Object.fromEntries(
        ['entry.cjs', 'chunk.cjs'].map((f) => {
          const file = join(out, f);
          return [f, { sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), bytes: statSync(file).size, mtimeMs: statSync(file).mtimeMs }];
        }),
      );
    const run = (outputs: object) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `import { runWithCodeCache } from ${JSON.stringify(join(ROOT, 'bin', 'code-cache.mjs'))}; runWithCodeCache(${JSON.stringify(out)}, 'entry.cjs', ${JSON.stringify(outputs)}, ${JSON.stringify(cacheDir)});`], {
        encoding: 'utf8',
      });
    writeFileSync(chunk, `exports.answer = () => 'old';`);
    const built = record();
    expect(run(built).stdout).toBe('old\n');
    expect(run(built).stdout).toBe('old\n');
    const cached = caches(cacheDir);
    expect(cached.size).toBe(2);
    // Edited after the build, same length: V8 alone would take the old code for it.
    writeFileSync(chunk, `exports.answer = () => 'new';`);
    utimesSync(chunk, new Date(), new Date(Date.now() + 5000));
    expect(run(built)).toMatchObject({ status: 0, stdout: 'new\n', stderr: '' });
    expect(caches(cacheDir)).toEqual(cached);
    // Rebuilt (a new record): a cache of its own.
    const rebuilt = record();
    expect(run(rebuilt).stdout).toBe('new\n');
    expect(caches(cacheDir).size).toBe(3);
    expect(run(rebuilt).stdout).toBe('new\n');
  });
});

