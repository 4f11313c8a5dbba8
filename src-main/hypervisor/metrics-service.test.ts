import { afterEach, describe, expect, it } from 'vitest';
import { HypervisorSimulator } from './hypervisor-simulator';
import { MetricsService } from './metrics-service';
import type { StoredMetric } from './metrics-store';
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
