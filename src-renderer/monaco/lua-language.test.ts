import { describe, expect, it } from 'vitest';
import { docsForPrefix, findDoc } from './lua-api-docs';
import { dottedPrefix } from './lua-language';

describe('Lua completion helpers', () => {
  it('finds the dotted name before the cursor, treating method calls as fields', () => {
    expect(dottedPrefix('local n = string.fo')).toBe('string.fo');
    expect(dottedPrefix('print(seq.')).toBe('seq.');
    expect(dottedPrefix('s:up')).toBe('s.up');
    expect(dottedPrefix('x = 1 + ')).toBe('');
  });

  it('offers only the next segment under a prefix', () => {
    const names = docsForPrefix('string.').map((doc) => doc.name);
    expect(names).toContain('string.format');
    expect(names.every((name) => name.startsWith('string.'))).toBe(true);
    expect(docsForPrefix('circuits.').map((doc) => doc.name)).toEqual(['circuits.rk4_step', 'circuits.integrate', 'circuits.simulate', 'circuits.models']);
  });

  it('documents the BioXen API for hover', () => {
    expect(findDoc('seq.gc_content')?.signature).toBe('seq.gc_content(s) -> number');
  });
});
