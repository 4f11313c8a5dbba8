import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PathEscapeError, resolveInside } from './resolve-inside';

const root = mkdtempSync(join(tmpdir(), 'bioxen-resolve-inside-'));
const data = join(root, 'data');
mkdirSync(join(data, 'cache'), { recursive: true });
mkdirSync(join(root, 'elsewhere'));
symlinkSync(join(root, 'elsewhere'), join(data, 'cache', 'link-out'));
symlinkSync(join(root, 'missing'), join(data, 'dangling'));
symlinkSync(join(data, 'cache'), join(data, 'link-in'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resolveInside', () => {
  it('returns paths at or below the root, existing or not', () => {
    expect(resolveInside(data)).toBe(data);
    expect(resolveInside(data, 'cache', 'rockspecs', 'a-1.0-1.rockspec')).toBe(join(data, 'cache', 'rockspecs', 'a-1.0-1.rockspec'));
    expect(resolveInside(data, 'envs/x/../y')).toBe(join(data, 'envs', 'y'));
    expect(resolveInside(data, 'link-in', 'new-file')).toBe(join(data, 'link-in', 'new-file'));
    expect(resolveInside(join(root, 'not-yet'), 'a')).toBe(join(root, 'not-yet', 'a'));
  });

  it('refuses "..", absolute parts, NUL bytes and symbolic links that lead out', () => {
    for (const parts of [['..', 'x'], ['cache', '../../../tmp/x/pwned-1.rockspec'], ['/etc/passwd'], ['a\0b'], ['cache', 'link-out', 'file'], ['dangling'], ['dangling', 'below']]) {
      expect(() => resolveInside(data, ...parts), parts.join('/')).toThrow(PathEscapeError);
    }
  });
});
