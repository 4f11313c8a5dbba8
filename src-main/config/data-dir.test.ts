// The data dir is private: created 0700, an existing one tightened, files with secrets 0600, nothing else touched.
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { prepareDataDir } from './data-dir';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('prepareDataDir', () => {
  let scratch: ReturnType<typeof scratchDir>;
  beforeEach(() => {
    scratch = scratchDir('bioxen-data-dir-');
  });
  afterEach(() => scratch.remove());

  it('creates a missing data dir 0700', () => {
    const dir = join(scratch.path, 'new', 'bioxen-workbench');
    prepareDataDir(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it('tightens an existing data dir and its secret files, and leaves the rest alone', () => {
    const dir = join(scratch.path, 'old');
    mkdirSync(join(dir, 'redis'), { recursive: true });
    mkdirSync(join(dir, 'scripts'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'settings.json'), '{"redisUrl":"redis://:pw@host:6379"}', { mode: 0o644 });
    writeFileSync(join(dir, 'redis', 'server.json'), '{}', { mode: 0o644 });
    writeFileSync(join(dir, 'scripts', 'growth.lua'), 'print(1)', { mode: 0o644 });
    chmodSync(join(dir, 'scripts', 'growth.lua'), 0o644);
    prepareDataDir(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'settings.json'))).toBe(0o600);
    expect(mode(join(dir, 'redis', 'server.json'))).toBe(0o600);
    expect(mode(join(dir, 'scripts', 'growth.lua'))).toBe(0o644);
  });

  it('never follows a link: the file a linked settings.json points to keeps its mode', () => {
    const dir = join(scratch.path, 'linked');
    mkdirSync(dir);
    const elsewhere = join(scratch.path, 'shared.json');
    writeFileSync(elsewhere, '{}');
    chmodSync(elsewhere, 0o644);
    symlinkSync(elsewhere, join(dir, 'settings.json'));
    prepareDataDir(dir);
    expect(mode(elsewhere)).toBe(0o644);
  });
});
