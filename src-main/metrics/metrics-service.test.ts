import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HypervisorSimulator } from './hypervisor-simulator';
import { MetricsService, type MetricsStatus } from './metrics-service';
import type { StoredMetric } from './metrics-store';
import { TestRedis } from '../olfi/test-redis';
import { waitFor } from '../testing/test-helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(vms: number) {
  const sim = new HypervisorSimulator({ port: 0, vms, rateHz: 40 });
  cleanups.push(() => sim.stop());
  return { sim, port: await sim.start() };
}

function service(options: ConstructorParameters<typeof MetricsService>[0] = {}) {
  const s = new MetricsService({ bridge: { backoff: { initialMs: 50, maxMs: 200, stableMs: 1_000 } }, ...options });
  cleanups.push(() => s.dispose());
  return s;
}

describe('MetricsService', () => {
  it('delivers samples in batches and answers the Lua host call from the same store', async () => {
    const { port } = await simulator(2);
    const s = service({ batchMs: 30 });
    const batches: StoredMetric[][] = [];
    s.on('samples', (batch) => batches.push(batch));
    const connected = await s.connect(`tcp://127.0.0.1:${port}`);
    expect(connected.endpoint).toBe(`127.0.0.1:${port}`);
    await waitFor('samples from both VMs', () => new Set(batches.flat().map((b) => b.vm)).size === 2 && batches.length >= 3);
    expect(batches.some((b) => b.length > 1)).toBe(true);
    expect(s.status().bridge?.state).toBe('connected');
    const latest = s.hostCall('metrics.latest', { vm: 'cell-01' }) as { atp: number; gene_expression: Record<string, number> };
    expect(latest.atp).toBeGreaterThan(0);
    expect(latest.gene_expression.lacI).toBeGreaterThanOrEqual(0);
    expect(s.hostCall('metrics.vms', {})).toEqual(expect.arrayContaining(['cell-01', 'cell-02']));
  });

  it('switches endpoints, keeps the store, and disconnects on request', async () => {
    const first = await simulator(1);
    const second = await simulator(3);
    const s = service();
    await s.connect(`127.0.0.1:${first.port}`);
    await waitFor('cell-01', () => s.store.latest('cell-01'));
    await s.connect(`127.0.0.1:${second.port}`);
    await waitFor('cell-03 from the second simulator', () => s.store.latest('cell-03'));
    await waitFor('the first simulator lost its client', () => first.sim.stats().clients === 0);
    const stopped = await s.disconnect();
    expect(stopped.bridge).toBeNull();
    expect(s.store.vmIds()).toContain('cell-03');
    await expect(s.connect('tcp://127.0.0.1:99999')).rejects.toThrow(/port 99999 is out of range|not a URL/);
  });

  it('serializes concurrent connects so only one bridge stays open', async () => {
    const { sim, port } = await simulator(1);
    const s = service();
    await Promise.all([s.connect(`127.0.0.1:${port}`), s.connect(`127.0.0.1:${port}`), s.connect(`127.0.0.1:${port}`)]);
    await waitFor('connected', () => s.status().bridge?.state === 'connected');
    await waitFor('exactly one client at the simulator', () => sim.stats().clients === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.stats().clients).toBe(1);
  });

  it('opens nothing once disposed', async () => {
    const { sim, port } = await simulator(1);
    const s = service();
    await s.dispose();
    expect((await s.connect(`127.0.0.1:${port}`)).bridge).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.stats().clients).toBe(0);
  });

  it('caps a batch and counts what it left out', async () => {
    const { port } = await simulator(50);
    const s = service({ batchMs: 1_000, maxBatch: 10 });
    const sizes: number[] = [];
    s.on('samples', (batch) => sizes.push(batch.length));
    await s.connect(`127.0.0.1:${port}`);
    await waitFor('a full batch', () => sizes.length > 0, 10_000);
    expect(sizes[0]).toBe(10);
    expect(s.status().batchDropped).toBeGreaterThan(0);
  });
});

describe('MetricsService republishing', () => {
  const env = new TestRedis();
  afterEach(() => env.cleanup());

  it('sends UIs a status that counts the samples Redis did not take, and why', async () => {
    const { url, server } = await env.server();
    const count = 60_000;
    let text = '';
    for (let i = 0; i < count; i++) text += `{"vm":"cell-${i % 10}","t":${i}}\n`;
    const peer = createServer((socket) => {
      socket.on('error', () => {});
      socket.write(text);
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => peer.close(r)));
    const s = service({ redisUrl: () => url });
    const statuses: MetricsStatus[] = [];
    s.on('status', (status) => statuses.push(status));
    await s.connect(`127.0.0.1:${(peer.address() as { port: number }).port}`);
    await waitFor('republishing connected', () => s.status().bridge?.publisher?.connected);
    const pid = server.info!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      // No bridge state changes while Redis is stopped: the service must still tell the UIs.
      const told = await waitFor('a status event with dropped samples', () => statuses.find((st) => (st.bridge?.publisher?.dropped ?? 0) > 0), 25_000);
      expect(told.bridge!.publisher!.lastError).toMatch(/^republish queue full \(50000 samples\) — Redis too slow; \d+ oldest samples dropped$/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });
});

describe('MetricsService settings', () => {
  it('connects at start to the endpoint Settings name', async () => {
    const { port } = await simulator(1);
    const s = service({ endpoint: `http://127.0.0.1:${port}` });
    expect((await s.start()).endpoint).toBe(`127.0.0.1:${port}`);
    await waitFor('a sample', () => s.store.latest('cell-01'));
  });

  it('stays idle without a configured endpoint, and reports a bad one instead of failing', async () => {
    expect((await service().start()).bridge).toBeNull();
    const bad = service({ endpoint: 'ws://127.0.0.1:0' });
    const status = await bad.start();
    expect(status.bridge).toBeNull();
    expect(status.endpoint).toBe('127.0.0.1:12345');
    expect(status.error).toMatch(/hypervisor endpoint in Settings ignored: .*port 0 is out of range/);
  });
});

describe('MetricsService follows Settings', () => {
  const env = new TestRedis();
  const clients = new Map<string, ReturnType<TestRedis['client']>>();
  afterEach(async () => {
    clients.clear();
    await env.cleanup();
  });

  /** One client per server, so CLIENT LIST counts only it besides the service's connections. */
  function redis(url: string) {
    let client = clients.get(url);
    if (!client) clients.set(url, (client = env.client(url)));
    return client;
  }

  /** A settings store stand-in: what the real one's `changed` event carries, emitted on demand. */
  function settingsSource(initial: { hypervisorEndpoint: string | null; redisUrl: string | null; metricsStream: string }) {
    const emitter = new EventEmitter();
    let current = { ...initial };
    return {
      emitter,
      get: () => current,
      change(patch: Partial<typeof initial>) {
        current = { ...current, ...patch };
        emitter.emit('changed', current);
      },
    };
  }

  function following(settings: ReturnType<typeof settingsSource>) {
    const s = service({
      endpoint: settings.get().hypervisorEndpoint ?? undefined,
      redisUrl: () => settings.get().redisUrl ?? undefined,
      stream: () => settings.get().metricsStream,
    });
    s.attachSettings(settings.emitter);
    return s;
  }

  /** Stream entry ids and their `vm` field, oldest first. */
  async function entries(url: string, stream: string): Promise<{ id: string; vm: string }[]> {
    const rows = (await redis(url).xrange(stream, '-', '+')) as [string, string[]][];
    return rows.map(([id, fields]) => ({ id, vm: fields[fields.indexOf('vm') + 1]! }));
  }

  const idOrder = (id: string) => id.split('-').map(Number) as [number, number];
  const before = (a: string, b: string) => idOrder(a)[0] < idOrder(b)[0] || (idOrder(a)[0] === idOrder(b)[0] && idOrder(a)[1] < idOrder(b)[1]);

  it('moves to the endpoint Settings name, and samples from the new hypervisor arrive', async () => {
    const first = await simulator(1);
    const second = await simulator(3);
    const settings = settingsSource({ hypervisorEndpoint: `127.0.0.1:${first.port}`, redisUrl: null, metricsStream: 'bioxen_metrics' });
    const s = following(settings);
    await s.start();
    await waitFor('cell-01 from the first simulator', () => s.store.latest('cell-01'));
    settings.change({ hypervisorEndpoint: `tcp://127.0.0.1:${second.port}` });
    await waitFor('cell-03 from the second simulator', () => s.store.latest('cell-03'));
    await waitFor('the first simulator lost its client', () => first.sim.stats().clients === 0);
    expect(s.status()).toMatchObject({ endpoint: `127.0.0.1:${second.port}`, bridge: { state: 'connected', port: second.port } });
    expect(second.sim.stats().clients).toBe(1);
  });

  it('republishes on the new metrics stream once it changes, and nothing more on the old one', async () => {
    const { url } = await env.server();
    const { port } = await simulator(2);
    const settings = settingsSource({ hypervisorEndpoint: `127.0.0.1:${port}`, redisUrl: url, metricsStream: 'bioxen_metrics' });
    const s = following(settings);
    await s.start();
    await waitFor('samples on bioxen_metrics', async () => (await redis(url).xlen('bioxen_metrics')) >= 10);
    settings.change({ metricsStream: 'lab_metrics' });
    await waitFor('the bridge publishing on lab_metrics', () => s.status().bridge?.publisher?.stream === 'lab_metrics' && s.status().bridge?.publisher?.connected);
    await waitFor('samples on lab_metrics', async () => (await redis(url).xlen('lab_metrics')) >= 10);
    const old = await entries(url, 'bioxen_metrics');
    const fresh = await entries(url, 'lab_metrics');
    await waitFor('20 more samples on lab_metrics', async () => (await redis(url).xlen('lab_metrics')) >= fresh.length + 20);
    expect(await entries(url, 'bioxen_metrics')).toEqual(old);
    expect(before(old.at(-1)!.id, fresh[0]!.id)).toBe(true);
    expect(new Set(fresh.map((e) => e.vm))).toEqual(new Set(['cell-01', 'cell-02']));
  });

  it('ends three quick changes with exactly one bridge, at the last endpoint and stream', async () => {
    const { url } = await env.server();
    const sims = [await simulator(1), await simulator(2), await simulator(3)];
    const settings = settingsSource({ hypervisorEndpoint: `127.0.0.1:${sims[0]!.port}`, redisUrl: url, metricsStream: 'bioxen_metrics' });
    const s = following(settings);
    await s.start();
    await waitFor('connected to the first simulator', () => sims[0]!.sim.stats().clients === 1);
    settings.change({ hypervisorEndpoint: `127.0.0.1:${sims[1]!.port}` });
    settings.change({ metricsStream: 'lab_b' });
    settings.change({ hypervisorEndpoint: `127.0.0.1:${sims[2]!.port}` });
    await waitFor('connected to the last simulator', () => s.status().bridge?.state === 'connected' && s.status().bridge?.port === sims[2]!.port);
    await waitFor('samples on lab_b', async () => (await redis(url).xlen('lab_b')) >= 5);
    // Give a second bridge, if one were left, time to show up at a simulator or at Redis.
    await new Promise((r) => setTimeout(r, 500));
    expect(sims.map(({ sim }) => sim.stats().clients)).toEqual([0, 0, 1]);
    const connections = String(await redis(url).call('CLIENT', 'LIST')).trim().split('\n');
    expect(connections).toHaveLength(2); // this test's client and the one publisher
    expect((await entries(url, 'lab_b')).some((e) => e.vm === 'cell-03')).toBe(true);
  });

  it('reports a bad endpoint from Settings in the status without throwing, and recovers from the next good one', async () => {
    const { sim, port } = await simulator(1);
    const settings = settingsSource({ hypervisorEndpoint: `127.0.0.1:${port}`, redisUrl: null, metricsStream: 'bioxen_metrics' });
    const s = following(settings);
    await s.start();
    await waitFor('connected', () => sim.stats().clients === 1);
    expect(() => settings.change({ hypervisorEndpoint: 'ws://127.0.0.1:0' })).not.toThrow();
    await waitFor('the bad endpoint in the status', () => s.status().error);
    expect(s.status().error).toMatch(/hypervisor endpoint in Settings ignored: .*port 0 is out of range/);
    await waitFor('the bridge closed', () => s.status().bridge === null && sim.stats().clients === 0);
    settings.change({ hypervisorEndpoint: `127.0.0.1:${port}` });
    await waitFor('connected again', () => s.status().bridge?.state === 'connected');
    expect(s.status().error).toBeUndefined();
  });

  it('keeps an endpoint chosen in the UI across stream changes, until Settings change the endpoint', async () => {
    const { url } = await env.server();
    const configured = await simulator(1);
    const chosen = await simulator(2);
    const settings = settingsSource({ hypervisorEndpoint: `127.0.0.1:${configured.port}`, redisUrl: url, metricsStream: 'bioxen_metrics' });
    const s = following(settings);
    await s.start();
    await s.connect(`127.0.0.1:${chosen.port}`);
    settings.change({ metricsStream: 'lab_metrics' });
    await waitFor('the chosen simulator republished on lab_metrics', () => {
      const bridge = s.status().bridge;
      return bridge?.state === 'connected' && bridge.port === chosen.port && bridge.publisher?.stream === 'lab_metrics' && chosen.sim.stats().clients === 1;
    });
    expect(configured.sim.stats().clients).toBe(0);
    settings.change({ hypervisorEndpoint: `tcp://127.0.0.1:${configured.port}` });
    await waitFor('back at the configured simulator', () => configured.sim.stats().clients === 1 && chosen.sim.stats().clients === 0);
  });

  it('connects when Settings first name an endpoint, and disconnects when they clear it', async () => {
    const { sim, port } = await simulator(1);
    const settings = settingsSource({ hypervisorEndpoint: null, redisUrl: null, metricsStream: 'bioxen_metrics' });
    const s = following(settings);
    expect((await s.start()).bridge).toBeNull();
    settings.change({ metricsStream: 'lab_metrics' });
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.stats().clients).toBe(0);
    settings.change({ hypervisorEndpoint: `127.0.0.1:${port}` });
    await waitFor('a sample', () => s.store.latest('cell-01'));
    settings.change({ hypervisorEndpoint: null });
    await waitFor('disconnected', () => s.status().bridge === null && sim.stats().clients === 0);
  });

  it('reopens the bridge on the new Redis when the Redis URL moves, from Settings or from the Redis owner', async () => {
    const a = await env.server();
    const b = await env.server();
    const c = await env.server();
    const { port } = await simulator(1);
    const settings = settingsSource({ hypervisorEndpoint: `127.0.0.1:${port}`, redisUrl: a.url, metricsStream: 'bioxen_metrics' });
    let embeddedUrl = c.url;
    const redisOwner = new EventEmitter();
    const s = service({
      endpoint: settings.get().hypervisorEndpoint!,
      redisUrl: () => settings.get().redisUrl ?? embeddedUrl,
      stream: () => settings.get().metricsStream,
    });
    s.attachSettings(settings.emitter);
    s.attachRedis(redisOwner);
    await s.start();
    await waitFor('samples on Redis a', async () => (await redis(a.url).xlen('bioxen_metrics')) >= 3);
    settings.change({ redisUrl: b.url });
    await waitFor('samples on Redis b', async () => (await redis(b.url).xlen('bioxen_metrics')) >= 3);
    settings.change({ redisUrl: null });
    await waitFor('samples on the embedded Redis', async () => (await redis(c.url).xlen('bioxen_metrics')) >= 3);
    // The embedded server restarts elsewhere: its owner's status event is the cue.
    embeddedUrl = a.url;
    const onA = await redis(a.url).xlen('bioxen_metrics');
    redisOwner.emit('status');
    await waitFor('samples on the moved embedded Redis', async () => (await redis(a.url).xlen('bioxen_metrics')) >= onA + 3);
    const onC = await redis(c.url).xlen('bioxen_metrics');
    redisOwner.emit('status');
    await new Promise((r) => setTimeout(r, 300));
    expect(await redis(c.url).xlen('bioxen_metrics')).toBe(onC);
    expect(s.status().bridge?.connections).toBe(1);
  });

  it('stops following Settings once disposed', async () => {
    const settings = settingsSource({ hypervisorEndpoint: null, redisUrl: null, metricsStream: 'bioxen_metrics' });
    const redisOwner = new EventEmitter();
    const s = following(settings);
    s.attachRedis(redisOwner);
    expect(settings.emitter.listenerCount('changed')).toBe(1);
    await s.dispose();
    expect(settings.emitter.listenerCount('changed')).toBe(0);
    expect(redisOwner.listenerCount('status')).toBe(0);
  });
});
