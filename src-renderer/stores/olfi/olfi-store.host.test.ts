// The Ol-Fi store against the real browser host, services and embedded Redis, over the renderer's own
// WebSocket transport: hydration, live entries, filters, pause, history paging and publishing.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFrame } from '../../../src-main/olfi/frame-codec';
import { waitFor } from '../../../src-main/testing/test-helpers';
import type { BridgeClient } from '../../bridge/bridge-client';
import { startStoreHost, type StoreHost } from '../../testing/store-host';
import { OlFiEntryBuffer } from './olfi-entries';
import { createOlFiStore } from './olfi-store';

let env: StoreHost;
let client: BridgeClient;
let redis: Redis;

beforeAll(async () => {
  env = await startStoreHost('bioxen-olfi-store-', async (started) => {
    await started.olfi.start();
    await waitFor('the mirror connected', () => started.olfi.status().mirror?.state === 'connected' && started.olfi.status().mirror?.lastId !== '');
    redis = new Redis(started.olfi.visualizerTarget().redisUrl);
    // 1,500 older frames: more than the store hydrates (1,000), so the rest comes by history paging.
    const pipeline = redis.pipeline();
    for (let i = 0; i < 1500; i++) pipeline.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', JSON.stringify(buildFrame({ address: 'CELL_0001', type: 'STATUS', payload: `old ${i}` })));
    await pipeline.exec();
    await waitFor('the backlog mirrored', () => started.olfi.buffered >= 1500);
  });
  ({ client } = env);
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await env?.stop();
});

describe('Ol-Fi store over the browser host', () => {
  it('hydrates, follows live frames, filters, pauses, pages history and publishes', async () => {
    const buffer = new OlFiEntryBuffer();
    const store = createOlFiStore(client, buffer);
    const disconnect = store.getState().connect();
    await waitFor('the hydrated window', () => store.getState().rows.length === 1000 || store.getState().lastError !== null);
    expect(store.getState().lastError).toBeNull();
    expect(store.getState().colours.ACETOIN).toBe('#f2c14e');
    expect(store.getState().rows.at(0)!.frame!.payload).toBe('old 1499');

    await store.getState().loadOlder();
    expect(store.getState().rows.length).toBe(1500);
    expect(store.getState().rows.at(-1)!.frame!.payload).toBe('old 0');
    await store.getState().loadOlder();
    expect(store.getState().historyExhausted).toBe(true);

    expect(await store.getState().publish({ mvoc: 'DIMETHYL_SULFIDE', type: 'EMERGENCY', priority: 'emergency', payload: 'live one' })).toBe(true);
    expect(store.getState().lastPublish).toMatch(/^sent DIMETHYL_SULFIDE as \d+-\d+$/);
    await waitFor('the live frame in the rows', () => store.getState().rows.at(0)?.frame?.payload === 'live one');

    store.getState().setFilters({ compound: 'DIMETHYL_SULFIDE' });
    expect(store.getState().rows.slice(0).map((e) => e.frame!.payload)).toEqual(['live one']);
    store.getState().setFilters({ compound: '' });

    store.getState().setPaused(true);
    await redis.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', '{broken');
    await waitFor('the broken frame buffered', () => buffer.length === 1502);
    await new Promise((done) => setTimeout(done, 300));
    expect(store.getState().rows.at(0)!.frame!.payload).toBe('live one');
    store.getState().setPaused(false);
    expect(store.getState().rows.at(0)).toMatchObject({ status: 'malformed-json', raw: '{broken' });

    expect(await store.getState().publish({ mvoc: 'ACETOIN', frame: '{}' })).toBe(false);
    expect(store.getState().lastError).toMatch(/frame.preamble is missing/);
    disconnect();
  }, 60_000);
});
