import { describe, expect, it } from 'vitest';
import { sessionIdSchema } from '../../../src-preload/contract/sessions';
import { sessionIdFor } from './session-name';

describe('a session named after its script', () => {
  it('takes the script\'s name, or the first free numbered one', () => {
    expect(sessionIdFor('logistic-growth.lua', [])).toBe('logistic-growth');
    expect(sessionIdFor('hello.lua', ['hello', 'hello-2'])).toBe('hello-3');
  });

  it('is always a valid session id, whatever the script is called', () => {
    for (const name of ['growth model.lua', '_private.lua', '..lua', `${'x'.repeat(100)}.lua`, 'ünïcode.lua']) {
      const id = sessionIdFor(name, []);
      expect(sessionIdSchema.safeParse(id).success, `${name} → ${id}`).toBe(true);
      expect(sessionIdSchema.safeParse(sessionIdFor(name, [id, `${id}-2`])).success).toBe(true);
    }
    expect(sessionIdFor('growth model.lua', [])).toBe('growth-model');
  });
});
