// The metrics domain through the real dispatcher and services: connect to a simulated hypervisor,
// batched sample events, snapshot, input errors, and a Lua VM reading metrics via the host.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../src-preload/contract/index';
import { HypervisorSimulator } from '../metrics/hypervisor-simulator';
import { waitFor } from '../testing/test-helpers';
import { createServices, type Services } from '../services';
import { createApi, type Api } from './index';

const ctx = { transport: 'websocket' } as const;
let dir: string;
let services: Services;
let api: Api;
let sim: HypervisorSimulator;
let port: number;
const events: { name: EventName; payload: any }[] = [];

async function invoke(name: string, input: unknown) {
  return api.invoke(name, input, ctx);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bioxen-metrics-api-'));
  services = await createServices({ dataDir: dir, restoreSessions: false });
  api = createApi(services, () => undefined);
  api.onEvent((name, payload) => events.push({ name, payload }));
  sim = new HypervisorSimulator({ port: 0, vms: 2, rateHz: 20 });
  port = await sim.start();
});

afterAll(async () => {
  api?.dispose();
  await services?.dispose();
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics API', () => {
  it('connects, streams batched samples as events and hydrates with a snapshot', async () => {
    const connected = await invoke('metrics:connect', { endpoint: `127.0.0.1:${port}` });
    expect(connected).toMatchObject({ ok: true, value: { endpoint: `127.0.0.1:${port}` } });
    await waitFor('samples events from both VMs', () => {
      const vms = new Set(events.filter((e) => e.name === 'metrics:samples').flatMap((e) => e.payload.samples.map((s: { vm: string }) => s.vm)));
      return vms.size === 2;
    });
    expect(events.some((e) => e.name === 'metrics:status' && e.payload.bridge?.state === 'connected')).toBe(true);
    const snapshot = await invoke('metrics:snapshot', { points: 3 });
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const { vms, status } = snapshot.value as { vms: { vm: string; samples: unknown[] }[]; status: { bridge: { state: string } } };
    expect(vms.map((v) => v.vm).sort()).toEqual(['cell-01', 'cell-02']);
    expect(vms.every((v) => v.samples.length >= 1 && v.samples.length <= 3)).toBe(true);
    expect(status.bridge.state).toBe('connected');
  });

  it('republishes to bioxen_metrics on the same Redis as Ol-Fi (the embedded server here)', async () => {
    const olfi = services.olfi.status();
    expect(olfi.source).toBe('embedded');
    await waitFor('published samples', () => (services.metrics.status().bridge?.publisher?.published ?? 0) >= 10);
    const client = new Redis(services.olfi.clientUrl()!);
    try {
      const [[, fields]] = (await client.xrevrange('bioxen_metrics', '+', '-', 'COUNT', 1)) as [string, string[]][];
      expect(fields.slice(0, 1)).toEqual(['vm']);
      expect(JSON.parse(fields[5]!)).toMatchObject({ vm: fields[1] });
    } finally {
      client.disconnect();
    }
  });

  it('a VM with the metrics capability reads the same samples', async () => {
    await services.vm.createVM('metrics-reader', { capabilities: { metrics: true } });
    const result = await services.vm.executeVMSync('metrics-reader', 'return require("bioxen.metrics").latest("cell-01").vm');
    expect(result.values).toEqual(['cell-01']);
  });

  it('answers bad input with invalid_input and a message naming the problem', async () => {
    const bad = await invoke('metrics:connect', { endpoint: 'nowhere:99999' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!bad.ok) expect(bad.error.message).toMatch(/port 99999 is out of range/);
    const disconnected = await invoke('metrics:disconnect', {});
    expect(disconnected).toMatchObject({ ok: true, value: { bridge: null } });
  });

  it('follows Settings: the endpoint and metrics stream named there, and the embedded Redis when an Ol-Fi restart moves it', async () => {
    const published = async (url: string) => {
      const client = new Redis(url);
      try {
        return await client.xlen('lab_metrics');
      } finally {
        client.disconnect();
      }
    };
    const updated = await invoke('settings:update', { hypervisorEndpoint: `127.0.0.1:${port}`, metricsStream: 'lab_metrics' });
    expect(updated.ok).toBe(true);
    const before = services.olfi.clientUrl()!;
    await waitFor('samples on lab_metrics', async () => (await published(before)) >= 10);
    // A new Ol-Fi stream restarts Ol-Fi, and with it the embedded redis-server (on a new port, usually).
    await invoke('settings:update', { olfiStream: 'lab_olfi' });
    await waitFor('Ol-Fi on its new stream', () => services.olfi.status().streamKey === 'lab_olfi' && services.olfi.status().mirror?.state === 'connected');
    const after = services.olfi.clientUrl()!;
    await waitFor('the bridge republishing to the current embedded Redis', () => {
      const publisher = services.metrics.status().bridge?.publisher;
      return publisher?.stream === 'lab_metrics' && publisher.connected;
    });
    const count = await published(after);
    await waitFor('new samples on lab_metrics there', async () => (await published(after)) >= count + 10);
  });
});
