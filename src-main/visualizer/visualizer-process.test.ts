import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFrame } from '../olfi/frame-codec';
import { OlFiPublisher } from '../olfi/olfi-publisher';
import { TestRedis } from '../olfi/test-redis';
import { waitFor } from '../testing/test-helpers';
import { acquireEmbeddedRedis } from '../redis/embedded-redis';
import { countNear, countWhere } from './screenshot-pixels';
import { LOVE_NOT_FOUND_MESSAGE, VisualizerProcess, commandLine } from './visualizer-process';

const appRoot = resolve(import.meta.dirname, '..', '..');
const env = new TestRedis();
const owned: VisualizerProcess[] = [];

afterEach(async () => {
  await Promise.all(owned.splice(0).map((v) => v.dispose()));
  await env.cleanup();
});

function visualizer(loveExecutable?: string): VisualizerProcess {
  const v = new VisualizerProcess({ appRoot, loveExecutable });
  owned.push(v);
  return v;
}

/** The channel: where the cells sit and molecules diffuse (left of the recent list, above the field strip). */
const CHANNEL = { x0: 0, y0: 48, x1: 660, y1: 450 };

async function publishFrames(url: string, lastChecksumBad: boolean): Promise<void> {
  const client = env.client(url);
  const publisher = new OlFiPublisher(client);
  for (let i = 0; i < 6; i++) {
    const frame = buildFrame({ address: '*', source: `CELL_000${(i % 3) + 1}`, type: 'EMERGENCY', priority: 'emergency', payload: `SHUTDOWN ${i}`, sequence: i });
    if (lastChecksumBad && i === 5) frame.checksum = (frame.checksum + 7) % 65536;
    await publisher.publish('DIMETHYL_SULFIDE', frame, { force: true });
  }
}

const DMS = '#e5484d';
const VALID_GREEN = '#3ecf6e';
const INVALID_RED = '#ff3b30';

describe('VisualizerProcess (LÖVE, offscreen)', () => {
  it('renders the stream: compound-coloured fields and a valid checksum, in the screenshot pixels', async () => {
    const { url } = await env.server();
    await publishFrames(url, false);
    const shot = join(env.tempDir(), 'valid.png');
    const v = visualizer();
    v.launch({ redisUrl: url, from: '0-0', offscreen: true, screenshot: shot, after: 6, timeoutSeconds: 60 });
    const done = await v.waitForExit();
    expect(done, v.log).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(v.log).toContain('screenshot saved');
    expect(countNear(shot, DMS)).toBeGreaterThan(3000);
    expect(countNear(shot, VALID_GREEN)).toBeGreaterThan(3000);
    expect(countNear(shot, INVALID_RED)).toBeLessThan(500);
    // Dimethyl-sulfide molecules (reddish, partly faded) on their way between the three cells.
    expect(countWhere(shot, (r, g, b) => r > 120 && r > g * 1.8 && r > b * 1.8, CHANNEL)).toBeGreaterThan(100);
  }, 90_000);

  it('shows a bad checksum in red', async () => {
    const { url } = await env.server();
    await publishFrames(url, true);
    const shot = join(env.tempDir(), 'invalid.png');
    const v = visualizer();
    v.launch({ redisUrl: url, from: '0-0', offscreen: true, screenshot: shot, after: 6, timeoutSeconds: 60 });
    expect(await v.waitForExit(), v.log).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(countNear(shot, INVALID_RED)).toBeGreaterThan(3000);
    expect(countNear(shot, VALID_GREEN)).toBeLessThan(1500);
  }, 90_000);

  it("reads the embedded Redis with the data dir's secret, passed by environment: love's command line never shows it", async () => {
    const lease = await acquireEmbeddedRedis(env.tempDir());
    try {
      const secret = new URL(lease.url).password;
      const { args, env: childEnv } = commandLine({ redisUrl: lease.url });
      expect(args.join(' ')).not.toContain(secret);
      expect(childEnv.BIOXEN_REDIS_PASSWORD).toBe(secret);
      const shot = join(env.tempDir(), 'auth.png');
      const v = visualizer();
      v.launch({ redisUrl: lease.url, from: '0-0', offscreen: true, screenshot: shot, after: 6, timeoutSeconds: 60 });
      await waitFor('the visualizer reading the stream', () => v.log.includes('reading olfi_stream'));
      expect(readFileSync(`/proc/${v.status.pid}/cmdline`, 'utf8')).not.toContain(secret);
      await publishFrames(lease.url, false);
      expect(await v.waitForExit(), v.log).toMatchObject({ state: 'exited', exitCode: 0 });
      expect(v.log).not.toContain(secret);
    } finally {
      await lease.release();
    }
  }, 90_000);

  it('reconnects after redis-server is killed and restarted, and keeps reading', async () => {
    const { server, url } = await env.server({ persistence: 'aof-always' });
    const shot = join(env.tempDir(), 'reconnect.png');
    const v = visualizer();
    v.launch({ redisUrl: url, offscreen: true, screenshot: shot, after: 6, timeoutSeconds: 60 });
    await waitFor('the visualizer reading the stream', () => v.log.includes('reading olfi_stream'));
    const publisher = new OlFiPublisher(env.client(url));
    const send = (i: number) => publisher.publish('ACETOIN', buildFrame({ address: 'CELL_0002', source: 'CELL_0001', type: 'STATUS', payload: `n=${i}` }));
    for (let i = 0; i < 3; i++) await send(i);
    await server.killHard();
    await server.restart();
    for (let i = 3; i < 6; i++) await send(i);
    expect(await v.waitForExit(), v.log).toMatchObject({ state: 'exited', exitCode: 0 });
    expect(v.log.match(/connected to/g)!.length).toBeGreaterThanOrEqual(2);
    expect(v.log).toContain('after 6 frames');
  }, 90_000);

  it('stops and relaunches, and reports a crash instead of throwing', async () => {
    const { url } = await env.server();
    const v = visualizer();
    v.launch({ redisUrl: url, offscreen: true });
    await waitFor('the visualizer reading the stream', () => v.log.includes('reading olfi_stream'));
    const first = v.status.pid!;
    expect(await v.stop()).toMatchObject({ state: 'exited' });
    await v.relaunch();
    await waitFor('the relaunched visualizer reading', () => v.log.includes('reading olfi_stream'));
    expect(v.status.pid).not.toBe(first);
    process.kill(v.status.pid!, 'SIGKILL');
    const crashed = await v.waitForExit();
    expect(crashed.state).toBe('crashed');
    expect(crashed.reason).toContain('killed by SIGKILL');
  }, 90_000);

  it('reports a missing love binary and refuses TLS URLs with a reason', async () => {
    const v = visualizer('/nonexistent/love');
    v.launch({ redisUrl: 'redis://127.0.0.1:1' });
    expect(await v.waitForExit()).toMatchObject({ state: 'crashed', reason: LOVE_NOT_FOUND_MESSAGE });
    expect(() => visualizer().launch({ redisUrl: 'rediss://example:6380' })).toThrow(/cannot use TLS/);
  });
});
