// The debug store against the real browser host, debug service and lua5.4, over the renderer's own
// WebSocket transport: kept breakpoints reach the runner, a stop fills the stack and the watches,
// steps and continue go through, and what the window's storage holds comes back (or is dropped, said).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../src-main/testing/test-helpers';
import { startStoreHost, type StoreHost } from '../../testing/store-host';
import { storageKey } from './breakpoint-model';
import { createDebugStore } from './debug-store';

/** The window's storage, in memory (Node has no localStorage). */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const SCRIPT = ['local function double(n)', '  local twice = n * 2', '  return twice', 'end', 'local total = 20', 'local result = double(total)', 'print("result is " .. result)'].join('\n');

let env: StoreHost;
const stops: (() => void)[] = [];

function connect(storage = memoryStorage()) {
  const store = createDebugStore({ client: env.client, storage });
  stops.push(store.getState().connect());
  return { store, storage };
}

beforeAll(async () => {
  env = await startStoreHost('bioxen-debug-store-');
  await env.client.invoke('sessions:create', { id: 'dbg', luaVersion: '5.4' });
});

afterAll(async () => {
  stops.forEach((stop) => stop());
  await env?.stop();
});

describe('debug store', () => {
  it('stops at a breakpoint set here, shows the stack and watches, steps, and runs to the end', async () => {
    const { store, storage } = connect();
    store.getState().loadScript('double.lua', 7);
    store.getState().toggle('double.lua', 6);
    store.getState().addWatch('total + 1');
    expect(JSON.parse(storage.getItem(storageKey('double.lua'))!)).toEqual([{ line: 6, enabled: true }]);

    const result = store.getState().run('dbg', SCRIPT, 'double.lua');
    const stopped = await waitFor('the stop at line 6', () => store.getState().runs.dbg?.frames && store.getState().runs.dbg);
    expect(stopped.stop).toMatchObject({ reason: 'breakpoint', line: 6 });
    expect(stopped.frames?.[0]).toMatchObject({ script: 'double.lua', line: 6 });
    await waitFor('the watch value', () => store.getState().watchValues.dbg?.['total + 1']);
    expect(store.getState().watchValues.dbg?.['total + 1']?.value?.text).toBe('21');

    const scopes = await store.getState().scopes('dbg', stopped.frame);
    const locals = await env.client.invoke('debug:variables', { id: 'dbg', ref: scopes.find((s) => s.name === 'Locals')!.ref });
    expect(locals.items.map((v) => `${v.name}=${v.value.text}`)).toContain('total=20');

    await store.getState().resume('dbg', 'stepIn');
    await waitFor('the step into double', () => store.getState().runs.dbg?.frames?.[0]?.name === 'double');
    expect(store.getState().runs.dbg?.stop?.line).toBe(2);
    expect(await store.getState().evaluate('dbg', 'n * 3', 'hover')).toMatchObject({ text: '60' });

    await store.getState().resume('dbg', 'stepOut');
    await waitFor('the step out', () => store.getState().runs.dbg?.frames?.[0]?.name === 'main chunk' && store.getState().runs.dbg);
    await store.getState().resume('dbg', 'continue');
    expect(await result).toMatchObject({ success: true });
    expect(store.getState().runs.dbg).toBeUndefined();
    expect(store.getState().problem).toBeNull();
  });

  it("a disabled breakpoint doesn't stop the run; the kept list comes back in a new window", async () => {
    const first = connect();
    first.store.getState().loadScript('kept.lua', 3);
    first.store.getState().toggle('kept.lua', 2);
    first.store.getState().setEnabled('kept.lua', 2, false);

    const second = connect(first.storage);
    second.store.getState().loadScript('kept.lua', 3);
    expect(second.store.getState().breakpoints['kept.lua']).toEqual([{ line: 2, enabled: false }]);
    const result = await second.store.getState().run('dbg', 'local a = 1\nlocal b = a + 1\nreturn b', 'kept.lua');
    expect(result).toMatchObject({ success: true });
  });

  it('drops unreadable kept breakpoints and says so, keeping the good ones', async () => {
    const storage = memoryStorage();
    storage.setItem(storageKey('bad.lua'), JSON.stringify([{ line: 1 }, { line: 'two' }, { line: 99 }]));
    const { store } = connect(storage);
    store.getState().loadScript('bad.lua', 3);
    expect(store.getState().breakpoints['bad.lua']).toEqual([{ line: 1, enabled: true }]);
    expect(store.getState().problem).toMatch(/2 kept breakpoints of bad\.lua could not be restored/);
    // The unreadable entry is gone from storage; the one past the end stays kept.
    expect(JSON.parse(storage.getItem(storageKey('bad.lua'))!)).toEqual([{ line: 1, enabled: true }, { line: 99, enabled: true }]);
  });

  it('Stop on all errors stops where a caught error was raised; a new window learns the mode', async () => {
    const { store } = connect();
    await store.getState().setExceptions('all');
    expect(store.getState().exceptions).toBe('all');
    const result = store.getState().run('dbg', 'local ok, err = pcall(function()\n  error("nope")\nend)\nprint(ok, err)', 'caught.lua');
    const stopped = await waitFor('the stop at the caught error', () => store.getState().runs.dbg?.frames && store.getState().runs.dbg);
    expect(stopped.stop).toMatchObject({ reason: 'exception', line: 2, text: expect.stringMatching(/:2: nope$/) });
    const second = connect();
    await waitFor('the mode in a new window', () => second.store.getState().exceptions === 'all');
    await store.getState().resume('dbg', 'continue');
    expect(await result).toMatchObject({ success: true });
    await store.getState().setExceptions('none');
    expect(store.getState().problem).toBeNull();
  });

  it('Stop ends a stopped run', async () => {
    const { store } = connect();
    store.getState().loadScript('halt.lua', 3);
    store.getState().toggle('halt.lua', 2);
    const result = store.getState().run('dbg', 'local n = 1\nn = n + 1\nreturn n', 'halt.lua');
    await waitFor('the stop', () => store.getState().runs.dbg?.stop);
    await store.getState().stop('dbg');
    expect(await result).toMatchObject({ success: false });
    expect(store.getState().runs.dbg).toBeUndefined();
  });
});
