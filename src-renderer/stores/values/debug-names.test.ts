import { describe, expect, it } from 'vitest';
import { keyOfName } from './values-store';

describe('keyOfName', () => {
  it("turns the debugger's variable names into the keys a value row shows", () => {
    expect(keyOfName('total')).toEqual({ type: 'string', text: '"total"' });
    expect(keyOfName('[1]')).toEqual({ type: 'index', text: '1' });
    expect(keyOfName('[true]')).toEqual({ type: 'index', text: 'true' });
    expect(keyOfName('hello world')).toEqual({ type: 'name', text: 'hello world' });
    expect(keyOfName('(*temporary)')).toEqual({ type: 'name', text: '(*temporary)' });
  });
});
