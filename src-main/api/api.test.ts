import { describe, expect, it } from 'vitest';
import type { Services } from '../services';
import { Api } from './api';
import { toContractError } from './contract-errors';
import { defineApi, type DomainApi } from './define-api';

/** A settings domain whose handlers misbehave on purpose, to exercise the dispatcher. */
function domainThatThrows(err: unknown): DomainApi {
  return defineApi('settings', () => ({
    'settings:get': () => {
      throw err;
    },
    'settings:update': () => ({ theme: 'purple' }) as never,
    'settings:addLuaExecutable': () => ({}) as never,
  }));
}

describe('Api dispatcher', () => {
  const services = {} as Services;

  it('maps an error with a contract code to that code and keeps its first line only', async () => {
    const err = Object.assign(new Error('session "s1" not found — create it first\n  at stack frame'), { code: 'not_found' });
    const api = new Api(services, [domainThatThrows(err)], () => undefined);
    expect(await api.invoke('settings:get', {}, { transport: 'websocket' })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'session "s1" not found — create it first' },
    });
  });

  it('maps engine error classes by name', () => {
    class SessionAlreadyExistsError extends Error {}
    class LuaVMError extends Error {}
    expect(toContractError(new SessionAlreadyExistsError('dup'), 'm', () => undefined).code).toBe('already_exists');
    expect(toContractError(new LuaVMError('boom'), 'm', () => undefined).code).toBe('lua_error');
  });

  it('maps only its own error names: one named like an Object.prototype member is internal', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const err = Object.assign(new Error('odd'), { name });
      expect(toContractError(err, 'm', () => undefined).code, name).toBe('internal');
    }
  });

  it('turns an unknown failure into internal without the stack, and logs the stack', async () => {
    const logged: string[] = [];
    const api = new Api(services, [domainThatThrows(new TypeError('x is undefined'))], (m) => logged.push(m));
    const result = await api.invoke('settings:get', {}, { transport: 'electron' });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('x is undefined') } });
    expect(JSON.stringify(result)).not.toContain('at ');
    expect(logged[0]).toContain('TypeError');
    expect(logged[0]).toContain('api.test.ts');
  });

  it('rejects output outside the contract instead of passing it on', async () => {
    const logged: string[] = [];
    const api = new Api(services, [domainThatThrows(null)], (m) => logged.push(m));
    expect(await api.invoke('settings:update', {}, { transport: 'electron' })).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(logged[0]).toContain('settings:update returned a value outside the contract');
  });

  it('refuses unknown names, unimplemented methods and invalid input before calling anything', async () => {
    const api = new Api(services, [domainThatThrows(new Error('must not run'))], () => undefined);
    expect(await api.invoke('constructor', {}, { transport: 'electron' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await api.invoke('sessions:list', {}, { transport: 'electron' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await api.invoke('settings:update', { theme: 'pink' }, { transport: 'electron' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^settings:update: theme:/) },
    });
  });

  it('validates published events, fans them out and stops after dispose', () => {
    let publishToBus: ((name: 'settings:changed', payload: unknown) => void) | undefined;
    const domain = defineApi(
      'settings',
      () => ({ 'settings:get': () => ({}) as never, 'settings:update': () => ({}) as never, 'settings:addLuaExecutable': () => ({}) as never }),
      (_s, publish) => {
        publishToBus = publish as typeof publishToBus;
        return () => (publishToBus = undefined);
      },
    );
    const logged: string[] = [];
    const api = new Api(services, [domain], (m) => logged.push(m));
    const heard: unknown[] = [];
    api.onEvent((name, payload) => heard.push([name, payload]));
    publishToBus!('settings:changed', { theme: 'nope' });
    expect(heard).toEqual([]);
    expect(logged[0]).toContain('dropped settings:changed');
    const valid = {
      theme: 'light',
      luaExecutable: null,
      redisUrl: null,
      hypervisorEndpoint: null,
      olfiStream: 'olfi_stream',
      metricsStream: 'bioxen_metrics',
      limits: { instructionQuota: 0, memoryMb: 64, timeoutMs: 0, outputBytes: 4096 },
      editor: { fontSize: 12, autosaveMs: 500 },
    };
    publishToBus!('settings:changed', valid);
    expect(heard).toEqual([['settings:changed', valid]]);
    api.dispose();
    expect(publishToBus).toBeUndefined();
  });
});
