// The visualizer's metrics column against a real redis-server: samples written by the hypervisor bridge's
// own publisher, read by LÖVE offscreen, checked in the screenshot's pixels card by card.
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsStreamPublisher } from '../metrics/metrics-stream-publisher';
import { buildFrame } from '../olfi/frame-codec';
import { OlFiPublisher } from '../olfi/olfi-publisher';
import { TestRedis } from '../olfi/test-redis';
import { waitFor } from '../testing/test-helpers';
import { countNear, countWhere, type Box } from './screenshot-pixels';
import { VisualizerProcess, commandLine } from './visualizer-process';

const appRoot = resolve(import.meta.dirname, '..', '..');
const env = new TestRedis();
const owned: VisualizerProcess[] = [];

afterEach(async () => {
  await Promise.all(owned.splice(0).map((v) => v.dispose()));
  await env.cleanup();
});

const ATP_AMBER = '#f5a623';
const DMS = '#e5484d';
/** The metrics column (right of the 960-px Ol-Fi view) and, within it, card i's ATP gauge and gene bars. */
const METRICS: Box = { x0: 960, y0: 48, x1: 1280, y1: 600 };
const OLFI_VIEW: Box = { x0: 0, y0: 48, x1: 960, y1: 600 };
const cardTop = (i: number) => 48 + 40 + i * 96;
const gauge = (i: number): Box => ({ x0: 964, y0: cardTop(i) + 22, x1: 1276, y1: cardTop(i) + 34 });
const genes = (i: number): Box => ({ x0: 1064, y0: cardTop(i) + 40, x1: 1276, y1: cardTop(i) + 76 });
/** Bar colours: saturated and bright, unlike the grey card, track and labels. */
const vivid = (r: number, g: number, b: number) => Math.max(r, g, b) > 140 && Math.max(r, g, b) - Math.min(r, g, b) > 60;

/** Writes samples through the bridge's real publisher, so the visualizer reads exactly what the workbench writes. */
async function publishMetrics(url: string, stream: string | undefined, cells: { vm: string; atp: number; gene: number }[], rounds: number): Promise<void> {
  const publisher = new MetricsStreamPublisher({ url, ...(stream && { stream }) });
  // dispose() flushes only over a ready connection.
  await waitFor('the metrics publisher connecting to Redis', () => publisher.stats().connected);
  for (let round = 0; round < rounds; round++) {
    for (const { vm, atp, gene } of cells) {
      publisher.publish({ vm, t: 1_000 + round, atp, geneExpression: { lacI: gene, tetR: gene, cI: gene, gfp: gene }, series: {}, receivedAt: Date.now() });
    }
  }
  await publisher.dispose(30_000);
  expect(publisher.stats()).toMatchObject({ published: cells.length * rounds, dropped: 0 });
}

async function publishFrames(url: string): Promise<void> {
  const publisher = new OlFiPublisher(env.client(url));
  for (let i = 0; i < 4; i++) {
    await publisher.publish('DIMETHYL_SULFIDE', JSON.stringify(buildFrame({ address: '*', source: `CELL_000${i + 1}`, type: 'STATUS', payload: `n=${i}` })));
  }
}

async function screenshot(url: string, name: string, launch: { metricsStreamKey?: string; afterMetrics: number }): Promise<{ shot: string; log: string }> {
  const shot = join(env.tempDir(), `${name}.png`);
  const v = new VisualizerProcess({ appRoot });
  owned.push(v);
  v.launch({ redisUrl: url, from: '0-0', offscreen: true, screenshot: shot, after: 4, timeoutSeconds: 60, ...launch });
  expect(await v.waitForExit(), v.log).toMatchObject({ state: 'exited', exitCode: 0 });
  return { shot, log: v.log };
}

describe('visualizer metrics column (LÖVE, offscreen)', () => {
  it('draws each cellular VM’s ATP gauge and gene expression bars beside the Ol-Fi traffic, bad entries counted', async () => {
    const { url } = await env.server();
    await publishFrames(url);
    // Cards are sorted by VM name: cell-a (ATP 9 of the 10 mM scale, genes at full scale) above cell-b (ATP 1, genes off).
    await publishMetrics(url, undefined, [{ vm: 'cell-b', atp: 1, gene: 0 }, { vm: 'cell-a', atp: 9, gene: 200 }], 10);
    await env.client(url).call('XADD', 'bioxen_metrics', '*', 'vm', 'broken', 'metrics', '{"vm": "broken", "atp": ');
    const { shot, log } = await screenshot(url, 'metrics', { afterMetrics: 20 });
    expect(log).toContain('after 4 frames and 20 metric samples (1 bad: metrics is not valid JSON');
    const highAtp = countNear(shot, ATP_AMBER, 6, gauge(0));
    const lowAtp = countNear(shot, ATP_AMBER, 6, gauge(1));
    expect(highAtp).toBeGreaterThan(2000); // ~90 % of a 296 × 12 gauge, less the flow chevrons
    expect(lowAtp).toBeGreaterThan(100);
    expect(lowAtp).toBeLessThan(highAtp / 5);
    expect(countWhere(shot, vivid, genes(0))).toBeGreaterThan(1500);
    expect(countWhere(shot, vivid, genes(1))).toBeLessThan(100);
    // No third card: the bad entry made no VM.
    expect(countNear(shot, ATP_AMBER, 6, gauge(2))).toBe(0);
    // The Ol-Fi view is still drawn, and metrics stay in their column.
    expect(countNear(shot, DMS, 6, OLFI_VIEW)).toBeGreaterThan(3000);
    expect(countNear(shot, ATP_AMBER, 6, OLFI_VIEW)).toBe(0);
  }, 90_000);

  it('reads the metrics stream it is given', async () => {
    const { url } = await env.server();
    await publishFrames(url);
    await publishMetrics(url, 'lab_metrics', [{ vm: 'cell-a', atp: 5, gene: 50 }], 3);
    await publishMetrics(url, undefined, [{ vm: 'cell-z', atp: 9, gene: 50 }], 3);
    const { shot, log } = await screenshot(url, 'named', { metricsStreamKey: 'lab_metrics', afterMetrics: 3 });
    expect(log).toContain('reading lab_metrics after');
    expect(log).toContain('3 metric samples (0 bad)');
    const half = countNear(shot, ATP_AMBER, 6, gauge(0));
    expect(half).toBeGreaterThan(1000); // ATP 5 of 10 mM
    expect(half).toBeLessThan(2200);
    expect(countNear(shot, ATP_AMBER, 6, gauge(1))).toBe(0);
  }, 90_000);

  it('keeps showing Ol-Fi when the metrics key is not a stream, and says why', async () => {
    const { url } = await env.server();
    await publishFrames(url);
    await env.client(url).call('SET', 'bioxen_metrics', 'not a stream');
    const { shot, log } = await screenshot(url, 'wrongtype', { afterMetrics: 0 });
    expect(log).toMatch(/cannot read bioxen_metrics: WRONGTYPE/);
    expect(countNear(shot, DMS, 6, OLFI_VIEW)).toBeGreaterThan(3000);
    expect(countNear(shot, ATP_AMBER, 6, METRICS)).toBe(0);
  }, 90_000);

  it('passes the metrics stream on the command line and refuses one shared with Ol-Fi', () => {
    expect(commandLine({ redisUrl: 'redis://127.0.0.1:6390' }).args).toEqual(expect.arrayContaining(['--metrics-stream', 'bioxen_metrics']));
    expect(commandLine({ redisUrl: 'redis://127.0.0.1:6390', metricsStreamKey: 'lab' }).args.join(' ')).toContain('--metrics-stream lab');
    expect(() => commandLine({ redisUrl: 'redis://127.0.0.1:6390', streamKey: 'same', metricsStreamKey: 'same' })).toThrow(/give the metrics their own stream/);
  });
});
