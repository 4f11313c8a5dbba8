import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDIS_NOT_FOUND_MESSAGE } from '../redis/redis-server-process';
import { VMManager } from '../vm/vm-manager';
import { buildFrame } from './frame-codec';
import { OlFiService } from './olfi-service';
import { TestRedis, shutdownNoSave } from './test-redis';
import { waitFor } from '../testing/test-helpers';
import type { OlFiEntry } from './stream-entry';

const env = new TestRedis();
const owned: { dispose(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(owned.splice(0).map((o) => o.dispose()));
  await env.cleanup();
});

/** Pids of live processes whose working directory is `dir` (the embedded redis-server runs in <dataDir>/redis). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) pids.push(Number(name));
    } catch {
      // Gone meanwhile, or another user's process.
    }
  }
  return pids;
}

function service(options: Partial<ConstructorParameters<typeof OlFiService>[0]> & { dataDir: string }) {
  const s = new OlFiService({ redisUrl: () => null, ...options });
  owned.push(s);
  const seen: OlFiEntry[] = [];
  s.on('update', (u) => seen.push(...u.entries));
  return { s, seen };
}

/** A started service that follows a Settings emitter; changeStream() saves a new Ol-Fi stream key there. */
async function followingSettings(options: { dataDir: string; redisUrl: string | null }) {
  const settings = new EventEmitter();
  let stream = 'olfi_stream';
  const { s, seen } = service({ dataDir: options.dataDir, redisUrl: () => options.redisUrl, streamKey: () => stream });
  s.attachSettings(settings as never);
  const started = await s.start();
  const changeStream = (next: string) => {
    stream = next;
    settings.emit('changed', { redisUrl: options.redisUrl, olfiStream: next });
  };
  return { s, seen, started, changeStream };
}

describe('OlFiService', () => {
  it('starts an embedded redis-server in the data dir, publishes and mirrors, and stops it on dispose', async () => {
    const dataDir = env.tempDir();
    const { s, seen } = service({ dataDir });
    const status = await s.start();
    expect(status.source).toBe('embedded');
    const record = JSON.parse(readFileSync(join(dataDir, 'redis', 'server.json'), 'utf8')) as { pid: number };
    await waitFor('mirror connected', () => s.status().mirror?.state === 'connected');
    await waitFor('start id', () => s.status().mirror?.lastId !== '');
    const frame = buildFrame({ address: 'CELL_0002', type: 'PING', payload: 'hello' });
    const published = await s.publish('acetoin', frame);
    await waitFor('the frame mirrored', () => seen.length === 1);
    expect(seen[0]).toMatchObject({ id: published.id, mvoc: 'ACETOIN', status: 'valid', frame });
    expect(s.window(0, 10).map((e) => e.id)).toEqual([published.id]);
    await s.dispose();
    expect(existsSync(join(dataDir, 'redis', 'server.json'))).toBe(false);
    expect(() => process.kill(record.pid, 0)).toThrow();
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
  });

  it('dispose right after start stops the embedded redis-server it was starting', async () => {
    const dataDir = env.tempDir();
    const redisDir = join(dataDir, 'redis');
    const { s } = service({ dataDir });
    const started = s.start();
    let pids: number[] = [];
    await waitFor('the embedded redis-server process', () => (pids = processesIn(redisDir)).length > 0);
    await s.dispose();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(processesIn(redisDir)).toEqual([]);
    await expect(started).resolves.toMatchObject({ streamKey: 'olfi_stream' });
    expect(s.status().mirror).toBeNull();
    expect(existsSync(join(redisDir, 'server.json'))).toBe(false);
  });

  it('dispose in the same tick as start cancels it: no redis-server, no mirror', async () => {
    const dataDir = env.tempDir();
    const { s } = service({ dataDir });
    const started = s.start();
    await s.dispose();
    const status = await started;
    expect(status.mirror).toBeNull();
    expect(status.error).toBeUndefined();
    expect(processesIn(join(dataDir, 'redis'))).toEqual([]);
    expect(s.status().mirror).toBeNull();
  });

  it('says how to fix a missing redis-server and keeps working otherwise', async () => {
    const { s } = service({ dataDir: env.tempDir(), redisServerExecutable: '/nonexistent/redis-server' });
    const status = await s.start();
    expect(status).toMatchObject({ source: 'none', url: null, error: REDIS_NOT_FOUND_MESSAGE });
    expect(s.window(0, 10)).toEqual([]);
    await expect(s.publish('ACETOIN', buildFrame({ address: 'x', type: 'PING' }))).rejects.toThrow(/install it \(apt install redis-server\)/);
  });

  it('uses a configured URL as is and hides its password', async () => {
    const { url, port } = await env.server();
    await env.client(url).call('CONFIG', 'SET', 'requirepass', 'pw-123');
    const dataDir = env.tempDir();
    const { s } = service({ dataDir, redisUrl: () => `redis://:pw-123@127.0.0.1:${port}/0` });
    const status = await s.start();
    expect(status.source).toBe('configured');
    await waitFor('mirror connected', () => s.status().mirror?.state === 'connected');
    expect(JSON.stringify(s.status())).not.toContain('pw-123');
    expect(existsSync(join(dataDir, 'redis'))).toBe(false);
  });

  it('follows the stream key set in Settings: reconnects and mirrors the new stream', async () => {
    const { url } = await env.server();
    const { s, seen, changeStream } = await followingSettings({ dataDir: env.tempDir(), redisUrl: url });
    await waitFor('mirror connected', () => s.status().mirror?.state === 'connected');
    changeStream('lab_stream');
    await waitFor('the mirror on the new stream', () => s.status().streamKey === 'lab_stream' && s.status().mirror?.state === 'connected');
    await waitFor('start id', () => s.status().mirror?.lastId !== '');
    await env.client(url).call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', JSON.stringify(buildFrame({ address: '*', type: 'PING', payload: 'old' })));
    const published = await s.publish('acetoin', buildFrame({ address: '*', type: 'PING', payload: 'new' }));
    await waitFor('the frame on the new stream', () => seen.some((e) => e.id === published.id));
    expect(seen.every((e) => (e.frame as { payload?: string } | undefined)?.payload !== 'old')).toBe(true);
    expect(await env.client(url).call('XLEN', 'lab_stream')).toBe(1);
  });

  it('settles on the last of several quick Settings changes, with one live mirror', async () => {
    const { url } = await env.server();
    const { s, seen, changeStream } = await followingSettings({ dataDir: env.tempDir(), redisUrl: url });
    for (const next of ['lab_a', 'lab_b', 'lab_c']) changeStream(next);
    await waitFor('the mirror on the last stream', () => s.status().streamKey === 'lab_c' && s.status().mirror?.state === 'connected' && s.status().mirror?.lastId !== '');
    const published = await s.publish('acetoin', buildFrame({ address: '*', type: 'PING', payload: 'last' }));
    await waitFor('the frame on the last stream', () => seen.some((e) => e.id === published.id));
    const readers = String(await env.client(url).call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes('name=bioxen-olfi-reader'));
    expect(readers).toHaveLength(1);
  });

  it('keeps its embedded redis-server (same port, same data) when only the stream key changes', async () => {
    const dataDir = env.tempDir();
    const { s, started, changeStream } = await followingSettings({ dataDir, redisUrl: null });
    await waitFor('mirror connected', () => s.status().mirror?.state === 'connected');
    const before = processesIn(join(dataDir, 'redis'));
    changeStream('lab_stream');
    await waitFor('the mirror on the new stream', () => s.status().streamKey === 'lab_stream' && s.status().mirror?.state === 'connected');
    expect(s.status().url).toBe(started.url);
    expect(processesIn(join(dataDir, 'redis'))).toEqual(before);
  });

  it('restarts its embedded redis-server after a SHUTDOWN (same port, same data), says so, and the mirror misses nothing', async () => {
    const dataDir = env.tempDir();
    const { s, seen } = service({ dataDir });
    await s.start();
    await waitFor('mirror connected', () => s.status().mirror?.state === 'connected' && s.status().mirror?.lastId !== '');
    const url = s.clientUrl()!;
    const secret = new URL(url).password;
    const client = env.client(url);
    const add = (i: number) => client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', JSON.stringify(buildFrame({ address: '*', type: 'PING', payload: `n=${i}` })));
    for (let i = 0; i < 5; i++) await add(i);
    await waitFor('the first frames', () => seen.length === 5);
    await shutdownNoSave(url);
    await waitFor('the restart notice', () => /restarted/.test(s.status().notice ?? ''));
    expect(s.status().notice).toMatch(/^embedded Redis stopped \(it exited normally \(SHUTDOWN\?\)\) — restarted at .* on port \d+ with the same data/);
    expect(s.clientUrl()).toBe(url);
    for (let i = 5; i < 10; i++) await add(i);
    await waitFor('the frames after the restart', () => seen.length === 10 && s.status().mirror?.state === 'connected');
    expect(seen.map((e) => e.frame?.payload)).toEqual(Array.from({ length: 10 }, (_, i) => `n=${i}`));
    const published = await s.publish('acetoin', buildFrame({ address: '*', type: 'PING', payload: 'after' }));
    await waitFor('a frame published after the restart', () => seen.some((e) => e.id === published.id));
    // The secret stays on the main side: status (which the renderer gets) shows the URL redacted.
    expect(JSON.stringify(s.status())).not.toContain(secret);
    expect(s.status().url).toContain(':***@127.0.0.1:');
  });

  it('says Redis is not responding while redis-server is stopped (SIGSTOP), and connected again after SIGCONT, losing nothing', async () => {
    const { server, url } = await env.server();
    const { s, seen } = service({ dataDir: env.tempDir(), redisUrl: () => url });
    await s.start();
    await waitFor('mirror connected', () => s.status().mirror?.state === 'connected' && s.status().mirror?.lastId !== '');
    const client = env.client(url);
    const add = (i: number) => client.call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', JSON.stringify(buildFrame({ address: '*', type: 'PING', payload: `n=${i}` })));
    for (let i = 0; i < 3; i++) await add(i);
    await waitFor('the first frames', () => seen.length === 3);
    expect(await s.stats()).toMatchObject({ streamLength: 3 });
    const pid = server.info!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      await waitFor('the not-responding status', () => s.status().mirror?.state === 'not-responding', 20_000);
      expect(s.status().mirror?.reason).toMatch(/is not responding .* is redis-server stopped \(SIGSTOP/);
      // The panel's status call still answers (with the last counters) instead of waiting on the stopped server.
      expect(await s.stats()).toMatchObject({ streamLength: 3, received: 3 });
      await expect(s.publish('acetoin', buildFrame({ address: '*', type: 'PING' }))).rejects.toThrow(/frame not published: Redis at .* is not responding/);
      await expect(s.history(seen[2]!.id, 10)).rejects.toThrow(/older frames cannot be read now/);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('connected again', () => s.status().mirror?.state === 'connected');
    for (let i = 3; i < 6; i++) await add(i);
    await waitFor('the frames after SIGCONT', () => seen.length === 6);
    expect(seen.map((e) => e.frame?.payload)).toEqual(['n=0', 'n=1', 'n=2', 'n=3', 'n=4', 'n=5']);
  });

  it('dispose during a restart leaves no connection behind', async () => {
    const { url } = await env.server();
    const { s } = await followingSettings({ dataDir: env.tempDir(), redisUrl: url });
    void s.restart();
    void s.restart();
    await s.dispose();
    await waitFor('no Ol-Fi connection left', async () => !String(await env.client(url).call('CLIENT', 'LIST')).includes('name=bioxen-olfi'));
    expect(s.status().mirror).toBeNull();
  });

  it('publishes what a Lua VM sends with require("bioxen.olfi").send, including bioxen-circuits events', async () => {
    const { url } = await env.server();
    const { s, seen } = service({ dataDir: env.tempDir(), redisUrl: () => url });
    await s.start();
    await waitFor('start id', () => s.status().mirror?.lastId !== '');
    const vm = new VMManager({ dataDir: env.tempDir() });
    owned.push(vm);
    s.attachEngine(vm);
    await vm.createVM('cell', { capabilities: { olfi: true } });
    const run = await vm.executeVMSync(
      'cell',
      'local olfi = require("bioxen.olfi")\n' +
        'olfi.send("acetoin", { address = "CELL_0002", type = "STATUS_REQUEST", payload = "temp?" })\n' +
        'olfi.send("ethyl_acetate", "circuit=toggle;event=u_high")\n' +
        'return pcall(olfi.send, "signal1", {})',
    );
    expect(run.success).toBe(true);
    expect(run.values.join(' ')).toContain('mvoc "signal1" is not in the MVOC library');
    await waitFor('two frames from Lua', () => seen.length === 2);
    expect(seen.map((e) => [e.mvoc, e.status, e.frame?.payload, e.extra?.vm])).toEqual([
      ['ACETOIN', 'valid', 'temp?', 'cell'],
      ['ETHYL_ACETATE', 'valid', 'circuit=toggle;event=u_high', 'cell'],
    ]);
    expect(s.status().vmPublishFailures).toBe(0);

    const circuit = await vm.executeVMSync('cell', 'local c = require("bioxen.circuits")\nreturn #c.simulate(c.models.quorum_sensing()).events');
    expect(circuit.values).toEqual(['1']);
    await waitFor('the quorum-sensing event frame', () => seen.length === 3);
    expect(seen[2]).toMatchObject({ mvoc: 'ACETOIN', status: 'valid', frame: { address: '*', control: { type: 'BROADCAST' } } });
    expect(seen[2]!.frame!.payload).toMatch(/^circuit=quorum_sensing;event=quorum;/);
  });
});
