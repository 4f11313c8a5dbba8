import { describe, expect, it } from 'vitest';
import { compareVersions, parseConstraints, parsePackageSpec, pickVersion, satisfies } from './rock-version';

describe('rock versions', () => {
  it('orders versions part by part, then by revision', () => {
    expect(['1.10-1', '1.2-1', '1.2-2', '1.2.1-1'].sort(compareVersions)).toEqual(['1.2-1', '1.2-2', '1.2.1-1', '1.10-1']);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
  });

  it('applies each operator with LuaRocks semantics', () => {
    const ok = (v: string, c: string) => parseConstraints(c).every((x) => satisfies(v, x));
    expect(ok('1.2-1', '1.2')).toBe(true);
    expect(ok('1.2-1', '= 1.2-2')).toBe(false);
    expect(ok('2.0-1', '>= 1.2, < 2')).toBe(false);
    expect(ok('1.9-1', '>= 1.2, < 2')).toBe(true);
    expect(ok('1.2.7-1', '~> 1.2')).toBe(true);
    expect(ok('1.3-1', '~> 1.2')).toBe(false);
    expect(ok('1.3-1', '~= 1.2')).toBe(true);
    expect(ok('1.2-1', '> 1.2')).toBe(false);
    expect(ok('1.2-1', '<= 1.2')).toBe(true);
  });

  it('picks the highest matching version', () => {
    const versions = ['1.0-1', '1.2-1', '2.0-1'];
    expect(pickVersion(versions, [])).toBe('2.0-1');
    expect(pickVersion(versions, parseConstraints('~> 1'))).toBe('1.2-1');
    expect(pickVersion(versions, parseConstraints('>= 3'))).toBeUndefined();
  });

  it('parses package specs and rejects nonsense with a usable message', () => {
    expect(parsePackageSpec('bioxen-seq')).toEqual({ name: 'bioxen-seq', constraint: '' });
    expect(parsePackageSpec('fixture-lib@1.0')).toEqual({ name: 'fixture-lib', constraint: '1.0' });
    expect(parsePackageSpec('fixture-lib >= 1.0, < 2')).toEqual({ name: 'fixture-lib', constraint: '>= 1.0, < 2' });
    expect(() => parsePackageSpec('x@>=banana')).toThrow(/bad version constraint ">=banana"/);
  });
});
