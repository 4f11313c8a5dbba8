// The Ol-Fi domain through the real dispatcher and services: embedded Redis, publish, batched entry
// events, window and history, input errors, and a Lua script's olfi.send reaching the UI events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../src-preload/contract/index';
import { waitFor } from '../testing/test-helpers';
import { createServices, type Services } from '../services';
import { commandLine } from '../visualizer/visualizer-process';
import { createApi, type Api } from './index';

const ctx = { transport: 'websocket' } as const;
let dir: string;
let services: Services;
let api: Api;
const events: { name: EventName; payload: any }[] = [];

async function value(name: string, input: unknown): Promise<any> {
  const result = await api.invoke(name, input, ctx);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function entries(): any[] {
  return events.filter((e) => e.name === 'olfi:entries').flatMap((e) => e.payload.entries);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bioxen-olfi-api-'));
  services = await createServices({ dataDir: dir, restoreSessions: false });
  api = createApi(services, () => undefined);
  api.onEvent((name, payload) => events.push({ name, payload }));
  await services.olfi.start();
  await waitFor('the Ol-Fi mirror connected', () => services.olfi.status().mirror?.state === 'connected' && services.olfi.status().mirror?.lastId !== '');
});

afterAll(async () => {
  api?.dispose();
  await services?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('olfi API', () => {
  it('serves the library and an embedded-Redis status', async () => {
    const library = await value('olfi:library', {});
    expect(library.compounds.find((c: { name: string }) => c.name === 'ACETOIN')).toMatchObject({ cas: '513-86-0', colour: '#f2c14e' });
    expect(library.messageTypes).toContain('EMERGENCY');
    const { status } = await value('olfi:status', {});
    expect(status).toMatchObject({ source: 'embedded', mirror: { state: 'connected' } });
  });

  it("gives the send form the codec's checksum: UTF-8 bytes mod 65536, too long a payload refused", async () => {
    expect(await value('olfi:checksum', { payload: 'é' })).toEqual({ checksum: 0xc3 + 0xa9 });
    expect(await value('olfi:checksum', { payload: 'z'.repeat(600) })).toEqual({ checksum: (122 * 600) % 65536 });
    expect(await api.invoke('olfi:checksum', { payload: 'x'.repeat(5001) }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('publishes from fields and from JSON, streams entries as events, and pages', async () => {
    const sent = await value('olfi:publish', { mvoc: 'acetoin', address: 'CELL_0002', type: 'STATUS_REQUEST', payload: 'temp?' });
    expect(sent).toMatchObject({ mvoc: 'ACETOIN', status: 'valid', reason: '' });
    const refused = await api.invoke('olfi:publish', { mvoc: 'ACETOIN', frame: '{"preamble":1}' }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('frame.preamble must be') } });
    const forced = await value('olfi:publish', { mvoc: 'ACETOIN', frame: '{"preamble":1}', force: true });
    expect(forced.status).toBe('invalid-field');
    await waitFor('two entry events', () => entries().length >= 2);
    expect(entries().map((e) => [e.id, e.status])).toEqual([
      [sent.id, 'valid'],
      [forced.id, 'invalid-field'],
    ]);
    const window = await value('olfi:window', { offset: 0, count: 10 });
    expect(window.entries.map((e: { id: string }) => e.id)).toEqual([forced.id, sent.id]);
    const history = await value('olfi:history', { beforeId: forced.id, count: 10 });
    expect(history.entries.map((e: { id: string }) => e.id)).toEqual([sent.id]);
    const bad = await api.invoke('olfi:history', { beforeId: 'later' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('delivers frames sent by a Lua script in a VM', async () => {
    await services.vm.createVM('olfi-script', { capabilities: { olfi: true } });
    const run = await services.vm.executeVMSync('olfi-script', 'require("bioxen.olfi").send("DIMETHYL_SULFIDE", { type = "EMERGENCY", priority = "emergency", payload = "SHUTDOWN" })');
    expect(run.success).toBe(true);
    await waitFor('the Lua frame as an event', () => entries().some((e) => e.mvoc === 'DIMETHYL_SULFIDE'));
    expect(entries().find((e) => e.mvoc === 'DIMETHYL_SULFIDE')).toMatchObject({ status: 'valid', extra: { vm: 'olfi-script' }, frame: { payload: 'SHUTDOWN' } });
  });

  it('launches the visualizer on the metrics stream Settings name', async () => {
    expect(services.olfi.visualizerTarget()).toMatchObject({ streamKey: 'olfi_stream', metricsStreamKey: 'bioxen_metrics' });
    await value('settings:update', { metricsStream: 'lab_metrics' });
    const target = services.olfi.visualizerTarget();
    expect(target).toMatchObject({ streamKey: 'olfi_stream', metricsStreamKey: 'lab_metrics' });
    expect(commandLine(target).args.join(' ')).toContain('--stream olfi_stream --metrics-stream lab_metrics');
  });

  it("never shows the embedded Redis's secret in a reply or an event", async () => {
    const secret = new URL(services.olfi.clientUrl()!).password;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const replies = await Promise.all(
      [['olfi:status', {}], ['olfi:window', { offset: 0, count: 100 }], ['olfi:visualizerStatus', {}], ['settings:get', {}], ['metrics:status', {}]].map(([name, input]) => api.invoke(name as string, input, ctx)),
    );
    expect(JSON.stringify(replies)).not.toContain(secret);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect((await value('olfi:status', {})).status.url).toMatch(/^redis:\/\/:\*\*\*@127\.0\.0\.1:\d+$/);
  });
});
