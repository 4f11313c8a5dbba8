// The layout store against the real browser host and layout.json, over the renderer's own WebSocket
// transport: what a reload (a second store on the same host) finds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../src-main/testing/test-helpers';
import { EMPTY_LAYOUT, moveToOtherGroup, openTab, setSplitRatio } from '../../features/layout/main-area-layout';
import { startStoreHost, type StoreHost } from '../../testing/store-host';
import { createLayoutStore } from './layout-store';

let env: StoreHost;

beforeAll(async () => {
  env = await startStoreHost('bioxen-layout-store-');
}, 60_000);

afterAll(() => env?.stop());

const connected = async (isKnown: (tab: string) => boolean = () => true) => {
  const store = createLayoutStore(env.client);
  const disconnect = store.getState().connect(isKnown);
  await waitFor('the saved layout to load', () => store.getState().loaded);
  return { store, disconnect };
};

describe('layout store over the browser host', () => {
  it('starts empty at a first start, saves each change, and a reload finds the layout as it was left', async () => {
    const { store, disconnect } = await connected();
    expect(store.getState()).toMatchObject({ firstStart: true, layout: EMPTY_LAYOUT, problem: null });

    store.getState().change((layout) => openTab(openTab(openTab(layout, 'view:welcome'), 'session:quorum'), 'view:olfi'));
    store.getState().change((layout) => moveToOtherGroup(layout, 'view:olfi'));
    const split = store.getState().layout;
    await waitFor('layout.json to hold the split', () => JSON.stringify(env.services.layout.get()) === JSON.stringify(split));

    // A drag saves once it pauses, not at every step.
    store.getState().change((layout) => setSplitRatio(layout, 0.3), { debounce: true });
    expect(env.services.layout.get()?.splitRatio).toBe(0.5);
    await waitFor('the paused drag to be saved', () => env.services.layout.get()?.splitRatio === 0.3);
    disconnect();

    const reloaded = await connected();
    expect(reloaded.store.getState()).toMatchObject({ firstStart: false, layout: { ...split, splitRatio: 0.3 } });
    reloaded.disconnect();

    // A window that no longer knows a view drops its tab: the right group, left empty, goes.
    const older = await connected((tab) => tab !== 'view:olfi');
    expect(older.store.getState().layout.groups).toEqual([{ tabs: ['view:welcome', 'session:quorum'], active: 'session:quorum' }]);
    older.disconnect();
  });
});
