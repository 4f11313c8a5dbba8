import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFrame } from './frame-codec';
import { RATE_SERIES_SECONDS } from '../../src-preload/contract/olfi';
import { OlFiMirror, type MirrorState, type MirrorUpdate } from './olfi-mirror';
import { OlFiPublisher } from './olfi-publisher';
import { reconnectDelay } from './redis-connection';
import { TestRedis, addEntries, shutdownNoSave } from './test-redis';
import { waitFor } from '../testing/test-helpers';
import { Redis } from 'ioredis';
import type { OlFiEntry } from './stream-entry';

const env = new TestRedis();
const mirrors: OlFiMirror[] = [];

afterEach(async () => {
  await Promise.all(mirrors.splice(0).map((m) => m.dispose()));
  await env.cleanup();
});

function validFields(i: number): string[] {
  return ['mvoc', 'ACETOIN', 'frame', JSON.stringify(buildFrame({ address: 'CELL_0001', type: 'STATUS', payload: `n=${i}`, sequence: i % 65536 }))];
}

/** A mirror plus everything it delivered through update events, in order. */
function watch(options: ConstructorParameters<typeof OlFiMirror>[0]) {
  const mirror = new OlFiMirror({ blockMs: 500, ...options });
  mirrors.push(mirror);
  const seen: OlFiEntry[] = [];
  const updates: MirrorUpdate[] = [];
  const states: MirrorState[] = [];
  mirror.on('update', (u) => {
    updates.push(u);
    seen.push(...u.entries);
  });
  mirror.on('status', (s) => states.push(s.state));
  mirror.start();
  return { mirror, seen, updates, states };
}

function payloadsOf(entries: OlFiEntry[]): string[] {
  return entries.map((e) => e.frame?.payload ?? '?');
}

describe('OlFiMirror against a real redis-server', () => {
  it('delivers new entries in order, classified, with extra fields kept', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    await addEntries(client, 'olfi_stream', 5, validFields);
    const { mirror, seen } = watch({ url });
    await waitFor('connected', () => mirror.status.state === 'connected');
    await waitFor('start id resolved', () => mirror.status.lastId !== '');
    await addEntries(client, 'olfi_stream', 300, (i) => (i % 3 === 2 ? ['mvoc', 'acetoin', 'frame', '{bad', 'cell', `C${i}`] : validFields(i)));
    await waitFor('300 entries', () => seen.length >= 300);
    expect(seen).toHaveLength(300);
    const ids = seen.map((e) => e.id);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1)).length).toBe(new Set(ids).size);
    for (let i = 0; i < seen.length; i++) {
      if (i % 3 === 2) {
        expect(seen[i]).toMatchObject({ status: 'malformed-json', raw: '{bad', extra: { cell: `C${i}` } });
      } else {
        expect(seen[i]).toMatchObject({ status: 'valid', mvoc: 'ACETOIN' });
        expect(seen[i]!.frame!.payload).toBe(`n=${i}`);
      }
    }
    const stats = await mirror.stats();
    expect(stats).toMatchObject({ received: 300, buffered: 300, dropped: 0, streamLength: 305, byStatus: { valid: 200, 'malformed-json': 100 } });
    expect(stats.perCompoundRate.ACETOIN ?? 0).toBeGreaterThanOrEqual(0);
    // The per-second series the panel draws: every frame counted once, 'acetoin' as the library's ACETOIN.
    expect(stats.rateSeries.ACETOIN).toHaveLength(RATE_SERIES_SECONDS);
    expect(stats.rateSeries.ACETOIN!.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Object.keys(stats.rateSeries)).toEqual(['ACETOIN']);
  });

  it('loads the last N entries on open, then follows', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    await addEntries(client, 'olfi_stream', 50, validFields);
    const { seen } = watch({ url, start: { last: 20 } });
    await waitFor('the last 20', () => seen.length >= 20);
    expect(payloadsOf(seen)).toEqual(Array.from({ length: 20 }, (_, i) => `n=${30 + i}`));
    await addEntries(client, 'olfi_stream', 1, () => validFields(999));
    await waitFor('the new entry', () => seen.length >= 21);
    expect(payloadsOf(seen).at(-1)).toBe('n=999');
  });

  it('loses nothing and shows nothing twice across kill -9 and restart (AOF kept)', async () => {
    const { server, url } = await env.server({ persistence: 'aof-always' });
    const client = env.client(url);
    const { mirror, seen, states } = watch({ url });
    await waitFor('start id resolved', () => mirror.status.lastId !== '');
    await addEntries(client, 'olfi_stream', 200, validFields);
    await waitFor('some entries before the crash', () => seen.length >= 150);
    await server.killHard();
    await waitFor('reconnecting after the crash', () => mirror.status.state === 'reconnecting');
    await server.restart();
    await addEntries(client, 'olfi_stream', 200, (i) => validFields(200 + i));
    await waitFor('all 400 entries', () => seen.length >= 400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(payloadsOf(seen)).toEqual(Array.from({ length: 400 }, (_, i) => `n=${i}`));
    expect(states).toContain('reconnecting');
    expect(mirror.status.state).toBe('connected');
  });

  it('resumes after a restart that lost the data (no persistence): what was read stays, new entries follow', async () => {
    const { server, url } = await env.server({ persistence: 'none' });
    const client = env.client(url);
    const { mirror, seen } = watch({ url });
    await waitFor('start id resolved', () => mirror.status.lastId !== '');
    await addEntries(client, 'olfi_stream', 100, validFields);
    await waitFor('first 100', () => seen.length >= 100);
    await server.killHard();
    await server.restart();
    await addEntries(client, 'olfi_stream', 100, (i) => validFields(100 + i));
    await waitFor('entries written after the restart', () => seen.length >= 200);
    expect(payloadsOf(seen)).toEqual(Array.from({ length: 200 }, (_, i) => `n=${i}`));
    expect(mirror.buffered).toBe(200);
  });

  it('reports why it cannot connect and connects when Redis starts late', async () => {
    const late = env.unstarted();
    const { port } = await (async () => {
      const probe = await env.server();
      const p = probe.port;
      await probe.server.stop();
      return { port: p };
    })();
    const url = `redis://127.0.0.1:${port}`;
    const { mirror, seen } = watch({ url });
    await waitFor('a refused-connection status', () => mirror.status.state === 'reconnecting' && /connection refused/.test(mirror.status.reason ?? ''));
    await late.start({ dataDir: env.tempDir(), port, persistence: 'none' });
    await waitFor('connected once Redis is up', () => mirror.status.state === 'connected');
    await addEntries(env.client(url), 'olfi_stream', 10, validFields);
    await waitFor('10 entries', () => seen.length >= 10);
    expect(payloadsOf(seen)).toEqual(Array.from({ length: 10 }, (_, i) => `n=${i}`));
  });

  it('keeps memory bounded while reading a 1M-entry stream', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    await addEntries(client, 'olfi_stream', 1_000_000, (i) => ['mvoc', 'ACETOIN', 'frame', i % 2 ? 'x' : '{}'], 20_000);
    const { mirror, updates } = watch({ url, start: { from: '0-0' }, capacity: 10_000, readCount: 10_000 });
    await waitFor('1M entries read', async () => (await mirror.stats()).received === 1_000_000, 290_000);
    const stats = await mirror.stats();
    expect(stats.buffered).toBe(10_000);
    expect(stats.dropped).toBe(990_000);
    expect(Math.max(...updates.map((u) => u.entries.length))).toBeLessThanOrEqual(10_000);
    expect(mirror.window(0, 1)[0]!.id).toBe((await client.call('XREVRANGE', 'olfi_stream', '+', '-', 'COUNT', '1') as [string, string[]][])[0]![0]);
  }, 300_000);

  it('bounds its buffer by bytes: 251 entries of 1 MB are kept cut, with a visible marker, and do not hold their replies', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { url } = await env.server();
    const client = env.client(url);
    const big = 'x'.repeat(1024 * 1024);
    // Alternately a 1 MB frame (too big to parse) and a valid frame with a 1 MB extra field.
    const fields = (i: number) => (i % 2 ? ['mvoc', 'ACETOIN', 'frame', big] : [...validFields(i), 'note', big]);
    const { mirror, seen, updates } = watch({ url, start: { from: '0-0' }, maxBytes: 256 * 1024 });
    await waitFor('connected', () => mirror.status.state === 'connected');
    // Large strings made from a socket's bytes live outside the JS heap ("external"): count both.
    const held = () => {
      gc();
      const { heapUsed, external } = process.memoryUsage();
      return heapUsed + external;
    };
    const heldBefore = held();
    await addEntries(client, 'olfi_stream', 251, fields, 10);
    await waitFor('251 entries read', async () => (await mirror.stats()).received === 251, 60_000);
    // Updates are bounded by bytes too: what does not fit is counted as skipped.
    await waitFor('251 entries delivered or counted as skipped', () => seen.length + updates.reduce((n, u) => n + u.skipped, 0) === 251);
    seen.length = 0;
    updates.length = 0;
    // 251 MB went through; cut copies of 2 KB stay. A cut that kept its 1 MB reply alive held 400 MB here; what
    // remains (30–80 MB depending on what ran before) is the clients' and decoder's reusable buffers, not entries.
    expect(held() - heldBefore).toBeLessThan(128 * 1024 * 1024);
    expect(mirror.bufferedBytes).toBeLessThanOrEqual(256 * 1024);
    const stats = await mirror.stats();
    expect(stats.buffered + stats.dropped).toBe(251);
    expect(stats.buffered).toBeGreaterThan(10);
    const [newest, older] = mirror.window(0, 2);
    expect(older!.raw).toMatch(/^x{2048}… \[cut: 1048576 characters\]$/);
    expect(newest!.extra!.note).toMatch(/^x{2048}… \[cut: 1048576 characters\]$/);
    expect(newest!.status).toBe('valid');
  }, 90_000);

  it('says how many entries an update skipped, and they are the ones right before its first entry (paged from history)', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    const { mirror, updates } = watch({ url, start: { from: '0-0' }, capacity: 200, batchMs: 1000 });
    await waitFor('connected', () => mirror.status.state === 'connected');
    await addEntries(client, 'olfi_stream', 2000, validFields);
    await waitFor('every entry delivered or counted as skipped', () => updates.reduce((n, u) => n + u.entries.length + u.skipped, 0) === 2000);
    const skipping = updates.find((u) => u.skipped > 0)!;
    expect(skipping).toBeDefined();
    const before = updates.slice(0, updates.indexOf(skipping)).flatMap((u) => u.entries);
    // Paged as the panel does it: at most 1,000 per history call, each page before the oldest one paged so far.
    const gap: OlFiEntry[] = [];
    for (let beforeId = skipping.entries[0]!.id; gap.length < skipping.skipped; beforeId = gap[0]!.id) {
      gap.unshift(...(await mirror.history(beforeId, skipping.skipped - gap.length)).reverse());
    }
    const all = [...before, ...gap, ...skipping.entries];
    expect(payloadsOf(all)).toEqual(Array.from({ length: all.length }, (_, i) => `n=${i}`));
  });

  it('reads from the database the URL names', async () => {
    const { url } = await env.server();
    await addEntries(env.client(url), 'olfi_stream', 2, validFields);
    await addEntries(env.client(`${url}/3`), 'olfi_stream', 1, () => validFields(30));
    const { seen } = watch({ url: `${url}/3`, start: { from: '0-0' } });
    await waitFor('the entry of database 3', () => seen.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(payloadsOf(seen)).toEqual(['n=30']);
  });

  it('names a stream key of the wrong type, and is connected again once the key is a stream', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    await client.set('olfi_stream', 'not a stream');
    const { mirror, seen } = watch({ url, start: { from: '0-0' } });
    await waitFor('a wrong-type error', () => mirror.status.state === 'error' && /not a stream/.test(mirror.status.reason ?? ''));
    await client.del('olfi_stream');
    await addEntries(client, 'olfi_stream', 3, validFields);
    await waitFor('entries once the key is a stream', () => seen.length >= 3);
    expect(payloadsOf(seen)).toEqual(['n=0', 'n=1', 'n=2']);
    expect(mirror.status).toMatchObject({ state: 'connected' });
    expect(mirror.status.reason).toBeUndefined();
  });

  it('pages older history with XREVRANGE', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    await addEntries(client, 'olfi_stream', 30, validFields);
    const { mirror, seen } = watch({ url, start: { last: 10 } });
    await waitFor('the last 10', () => seen.length >= 10);
    const oldestBuffered = mirror.window(0, 100).at(-1)!;
    const page = await mirror.history(oldestBuffered.id, 15);
    expect(payloadsOf(page)).toEqual(Array.from({ length: 15 }, (_, i) => `n=${19 - i}`));
    await expect(mirror.history('nonsense', 5)).rejects.toThrow(/not a stream id/);
  });

  it('never puts the password in its status, and names a credential problem', async () => {
    const { url, port } = await env.server();
    await env.client(url).call('CONFIG', 'SET', 'requirepass', 's3cret-pw');
    const good = watch({ url: `redis://:s3cret-pw@127.0.0.1:${port}` });
    await waitFor('connected with the password', () => good.mirror.status.state === 'connected');
    expect(JSON.stringify(good.mirror.status)).not.toContain('s3cret-pw');
    const bad = watch({ url: `redis://:wrong-pw@127.0.0.1:${port}` });
    await waitFor('a credentials reason', () => /credentials/.test(bad.mirror.status.reason ?? ''));
    expect(JSON.stringify(bad.mirror.status)).not.toContain('wrong-pw');
  });

  it('publisher writes BioXen-compatible entries and refuses invalid frames unless forced', async () => {
    const { url } = await env.server();
    const client = env.client(url);
    const publisher = new OlFiPublisher(client, { streamKey: 'custom_stream', maxStreamLength: 100 });
    const frame = buildFrame({ address: 'CELL_0002', type: 'PING', payload: 'hi' });
    const result = await publisher.publish('acetoin', frame, { extra: { source_vm: 'vm-1' } });
    const [[id, fields]] = (await client.call('XRANGE', 'custom_stream', '-', '+')) as [string, string[]][];
    expect(id).toBe(result.id);
    expect(fields).toEqual(['mvoc', 'ACETOIN', 'frame', JSON.stringify(frame), 'source_vm', 'vm-1']);
    await expect(publisher.publish('ACETOIN', '{bad')).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('not valid JSON') });
    await expect(publisher.publish('ACETOIN', '{bad', { force: true })).resolves.toMatchObject({ classification: { status: 'malformed-json' } });
    for (let i = 0; i < 500; i++) await publisher.publish('ACETOIN', frame);
    expect(Number(await client.call('XLEN', 'custom_stream'))).toBeLessThan(300);
  });

  it('publisher waits for a connection that is coming back instead of failing with "connection refused"', async () => {
    const { server, url, port } = await env.server();
    // The service's publisher connection: no offline queue, so a command sent while reconnecting fails at once.
    const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => reconnectDelay(n) });
    redis.on('error', () => undefined);
    try {
      const publisher = new OlFiPublisher(redis);
      await publisher.publish('ACETOIN', buildFrame({ address: '*', type: 'PING', payload: 'before' }));
      await shutdownNoSave(url);
      // Both must see the shutdown: the publisher's connection, and the server's owner (its process has exited).
      await waitFor('the shutdown to be noticed', () => redis.status === 'reconnecting' && server.state !== 'ready');
      await server.start({ dataDir: env.tempDir(), persistence: 'none', port });
      const after = await publisher.publish('ACETOIN', buildFrame({ address: '*', type: 'PING', payload: 'after' }));
      expect(after.id).toMatch(/^\d+-\d+$/);
    } finally {
      redis.disconnect();
    }
  });
});
