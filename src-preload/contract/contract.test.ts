import { describe, expect, it } from 'vitest';
import { NAME_PATTERN } from './define';
import { contract, eventNames, isEventName, isMethodName, methodNames } from './index';
import { EVENT_NAMES, METHOD_NAMES } from './names';

describe('contract', () => {
  it('names every method and event domain:verb', () => {
    expect(methodNames.length).toBeGreaterThan(10);
    for (const name of [...methodNames, ...eventNames]) expect(name).toMatch(NAME_PATTERN);
  });

  it('gives every method an input and an output schema, and every event a payload schema', () => {
    for (const def of Object.values(contract.methods)) {
      expect(def.kind).toBe('method');
      expect(typeof def.input.safeParse).toBe('function');
      expect(typeof def.output.safeParse).toBe('function');
      expect(def.description.length).toBeGreaterThan(0);
    }
    for (const def of Object.values(contract.events)) expect(typeof def.payload.safeParse).toBe('function');
  });

  it("gives the preload exactly the contract's names", () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(contract.methods).sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(contract.events).sort());
  });

  it('streams a call only on a contract event keyed by id', () => {
    const streamed = Object.entries(contract.methods).filter(([, def]) => 'streams' in def && def.streams);
    expect(streamed.map(([name]) => name)).toContain('sessions:run');
    for (const [, def] of streamed) {
      const event = (contract.events as Record<string, { payload: { safeParse(v: unknown): { success: boolean } } }>)[(def as { streams: string }).streams];
      expect(event).toBeDefined();
      expect(event!.payload.safeParse({ id: 's', chunks: [] }).success).toBe(true);
    }
  });

  it('recognizes only its own names (no prototype keys)', () => {
    expect(isMethodName('sessions:run')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isEventName('sessions:output')).toBe(true);
    expect(isEventName('sessions:run')).toBe(false);
  });

  it('fills defaults for argument-less methods and rejects unsafe script names', () => {
    expect(contract.methods['sessions:list'].input.parse(undefined)).toEqual({ recentChunks: 500 });
    expect(contract.methods['workspace:read'].input.safeParse({ name: '../etc/passwd.lua' }).success).toBe(false);
    expect(contract.methods['workspace:read'].input.safeParse({ name: 'dir/a.lua' }).success).toBe(false);
    expect(contract.methods['workspace:read'].input.safeParse({ name: 'growth model.lua' }).success).toBe(true);
  });

  it('validates settings URLs with an actionable message', () => {
    const r = contract.methods['settings:update'].input.safeParse({ redisUrl: 'http://x' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/redis:\/\//);
    expect(contract.methods['settings:update'].input.safeParse({ redisUrl: 'redis://127.0.0.1:6379/0' }).success).toBe(true);
  });
});
