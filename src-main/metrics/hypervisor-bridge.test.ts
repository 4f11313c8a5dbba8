import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, RedisServerProcess } from '../redis/redis-server-process';
import { HypervisorBridge } from './hypervisor-bridge';
import { HypervisorSimulator } from './hypervisor-simulator';
import { MetricsStreamPublisher } from './metrics-stream-publisher';
import { scratchDir, waitFor } from '../testing/test-helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: ConstructorParameters<typeof HypervisorSimulator>[0] = {}) {
  const sim = new HypervisorSimulator({ port: 0, vms: 3, rateHz: 50, ...options });
  cleanups.push(() => sim.stop());
  return { sim, port: await sim.start() };
}

function bridge(options: ConstructorParameters<typeof HypervisorBridge>[0]) {
  const b = new HypervisorBridge({ backoff: { initialMs: 50, maxMs: 300, stableMs: 2_000 }, ...options });
  cleanups.push(() => b.stop());
  return b;
}

/** A peer that plays a script per connection, then closes. */
async function scriptedPeer(scripts: Array<(socket: Socket) => Promise<void>>): Promise<{ server: Server; port: number }> {
  let connection = 0;
  const server = createServer((socket) => {
    const script = scripts[Math.min(connection++, scripts.length - 1)]!;
    socket.on('error', () => {});
    void script(socket).finally(() => socket.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { server, port: (server.address() as { port: number }).port };
}

function write(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => (socket.write(data) ? resolve() : socket.once('drain', () => resolve())));
}

describe('HypervisorBridge against the simulator', () => {
  it('receives plausible samples for every cellular VM with no rejected lines', async () => {
    const { sim, port } = await simulator();
    const b = bridge({ port });
    b.start();
    await waitFor('5 samples for each of 3 VMs', () => sim.vmIds.every((vm) => b.store.history(vm).length >= 5));
    const status = b.status();
    expect(status.state).toBe('connected');
    expect(status.ingest.linesRejected).toBe(0);
    for (const vm of sim.vmIds) {
      const latest = b.store.latest(vm)!;
      expect(latest.atp).toBeGreaterThan(0);
      expect(latest.atp).toBeLessThan(20);
      expect(latest.growth).toBeGreaterThan(0);
      expect(Object.keys(latest.geneExpression).sort()).toEqual(['atpA', 'cI', 'gfp', 'lacI', 'tetR']);
      expect(latest.series.model_time).toBeGreaterThan(0);
      const times = b.store.history(vm).map((s) => s.t);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
    }
  });

  it('serves any number of clients at once', async () => {
    const { sim, port } = await simulator({ vms: 2 });
    const bridges = [bridge({ port }), bridge({ port }), bridge({ port })];
    for (const b of bridges) b.start();
    await waitFor('every bridge has samples', () => bridges.every((b) => b.store.history('cell-01').length >= 3));
    expect(sim.stats().clients).toBe(3);
  });

  it('reconnects after the simulator restarts on the same port', async () => {
    const first = new HypervisorSimulator({ port: 0, vms: 1, rateHz: 50 });
    const port = await first.start();
    const b = bridge({ port });
    b.start();
    await waitFor('first samples', () => b.store.history('cell-01').length > 0);
    await first.stop();
    await waitFor('backoff after the peer left', () => b.state === 'backoff');
    const second = await simulator({ port, vms: 1, seed: 2 });
    await waitFor('a second connection', () => b.status().connections === 2 && second.sim.stats().clients === 1);
    const before = b.store.history('cell-01').length;
    await waitFor('samples after reconnecting', () => b.store.history('cell-01').length > before);
  });
});

describe('HypervisorBridge against a bad peer', () => {
  it('counts garbage, an oversized 10 MB line and bad messages, keeps good lines, and survives disconnects', async () => {
    const tenMb = Buffer.alloc(10 * 1024 * 1024, 'x');
    const { port } = await scriptedPeer([
      async (socket) => {
        await write(socket, '{"vm":"good","t":1,"atp":2}\n');
        await write(socket, 'this is not json\n\x00\x01\x02 binary junk\n');
        await write(socket, '{"vm":"huge","t":1,"blob":"');
        await write(socket, tenMb);
        await write(socket, '"}\n');
        await write(socket, '{"vm":"bad","t":"yesterday"}\n');
        await write(socket, '{"vm":"good","t":2,"atp":3}\n');
        // An unterminated document then a close: incomplete, and it must not leak into the next connection.
        await write(socket, '{"vm":"cut","t":3');
        socket.destroy();
      },
      async (socket) => {
        await write(socket, '{"vm":"good","t":3,"atp":4}\n');
      },
    ]);
    const b = bridge({ port, maxLineBytes: 64 * 1024 });
    const invalid: string[] = [];
    b.on('invalid', (line) => invalid.push(line.reason));
    b.start();
    await waitFor('the sample sent after reconnecting', () => b.store.latest('good')?.t === 3, 30_000);
    const { ingest, connections } = b.status();
    expect(connections).toBeGreaterThanOrEqual(2);
    // The last script serves every later connection: one sample per connection, polled again at once.
    expect(b.store.history('good').map((s) => s.atp).slice(0, 3)).toEqual([2, 3, 4]);
    expect(b.store.vmIds()).toEqual(['good']);
    expect(ingest.rejectedByReason).toEqual({ invalid_json: 2, line_too_long: 1, invalid_message: 1, incomplete: 1 });
    expect(invalid).toEqual(['invalid_json', 'invalid_json', 'line_too_long', 'invalid_message', 'incomplete']);
    expect(ingest.recentInvalid[0]!.excerpt).toBe('this is not json');
    expect(ingest.recentInvalid[2]!.detail).toMatch(/exceeded 65536 bytes/);
    expect(ingest.recentInvalid[3]!.detail).toMatch(/^t: /);
    expect(ingest.bytesReceived).toBeGreaterThan(tenMb.length);
  });

  it('rejects a document cut short by a reset or a close as incomplete, never joined with the next connection; a whole one counts', async () => {
    let bridgeRef: HypervisorBridge | undefined;
    const received = (bytes: number) => waitFor(`${bytes} bytes at the bridge`, () => (bridgeRef?.status().ingest.bytesReceived ?? 0) >= bytes);
    const { port } = await scriptedPeer([
      async (socket) => {
        await write(socket, '{"vm_id":"cut","t":1,"atp":');
        // Reset only once the bytes are at the bridge, so the test is about the bridge, not the kernel.
        await received(27);
        socket.resetAndDestroy();
      },
      async (socket) => {
        await write(socket, '{"vm_id":"cut","t":2,"gene_expr');
        socket.destroy();
      },
      async (socket) => {
        // A whole JSON object then a reset (a peer closing with SO_LINGER 0): nothing was cut short.
        await write(socket, '{"vm_id":"reset","t":3}');
        await received(27 + 31 + 23);
        socket.resetAndDestroy();
      },
      async (socket) => {
        await write(socket, '{"vm_id":"whole","t":4}');
      },
    ]);
    const b = bridge({ port });
    bridgeRef = b;
    b.start();
    await waitFor('the whole document', () => b.store.latest('whole'));
    const { ingest } = b.status();
    expect(b.store.vmIds()).toEqual(['reset', 'whole']);
    expect(ingest.rejectedByReason).toMatchObject({ incomplete: 2, invalid_json: 0 });
    expect(ingest.recentInvalid[0]!.detail).toBe("the connection broke after 27 bytes of an unterminated document; dropped (never joined with the next connection's data)");
    expect(ingest.recentInvalid[1]!.detail).toMatch(/^the connection closed in the middle of a document \(31 characters received\): /);
  });

  it('backs off while nothing listens, then connects when the hypervisor appears', async () => {
    const port = await freePort();
    const b = bridge({ port });
    const states: string[] = [];
    b.on('state', (s) => states.push(s.state));
    b.start();
    await waitFor('three failed attempts', () => b.status().failures >= 3);
    const status = b.status();
    expect(status.state === 'backoff' || status.state === 'connecting').toBe(true);
    expect(status.lastError).toMatch(/ECONNREFUSED/);
    await simulator({ port, vms: 1 });
    await waitFor('connected', () => b.state === 'connected');
    await waitFor('a sample', () => b.store.latest('cell-01'));
    expect(states.slice(0, 3)).toEqual(['connecting', 'backoff', 'connecting']);
    await b.stop();
    expect(b.state).toBe('stopped');
  });

  it('rejects an invalid endpoint with a message that names it', () => {
    expect(() => new HypervisorBridge({ port: 70000 })).toThrow(/hypervisor port 70000 is out of range/);
    expect(() => new HypervisorBridge({ host: 'not a host' })).toThrow(/hypervisor host "not a host"/);
  });
});

describe('republishing to Redis', () => {
  async function redis() {
    const server = new RedisServerProcess();
    const dir = scratchDir('bioxen-hv-redis-');
    cleanups.push(dir.remove);
    cleanups.push(() => server.stop());
    const info = await server.start({ dataDir: dir.path, persistence: 'none' });
    const client = new Redis(info.url);
    cleanups.push(() => client.disconnect());
    return { info, client };
  }

  it('every accepted sample reaches the configured stream as vm, t and the wire JSON', async () => {
    const { info, client } = await redis();
    const { port } = await simulator({ vms: 2 });
    const b = bridge({ port, redis: { url: info.url, stream: 'test_metrics' } });
    b.start();
    await waitFor('20 stream entries', async () => (await client.xlen('test_metrics')) >= 20);
    const entries = await client.xrange('test_metrics', '-', '+', 'COUNT', 5);
    for (const [, fields] of entries) {
      const entry = Object.fromEntries(fields.reduce<string[][]>((pairs, v, i) => (i % 2 ? pairs : [...pairs, [v, fields[i + 1]!]]), []));
      expect(entry.vm).toMatch(/^cell-0[12]$/);
      const metrics = JSON.parse(entry.metrics!);
      expect(metrics.vm).toBe(entry.vm);
      expect(String(metrics.t)).toBe(entry.t);
      expect(metrics.atp).toBeGreaterThan(0);
      expect(metrics.gene_expression.lacI).toBeGreaterThanOrEqual(0);
    }
    await waitFor('publisher stats', () => (b.status().publisher?.published ?? 0) >= 20);
    expect(b.status().publisher).toMatchObject({ stream: 'test_metrics', connected: true, dropped: 0 });
  });

  it('slows a hypervisor that outruns Redis instead of dropping its samples', async () => {
    const { info, client } = await redis();
    const count = 50_000;
    let text = '';
    for (let i = 0; i < count; i++) text += `{"vm":"cell-${i % 10}","t":${i},"atp":1}\n`;
    // The burst once, then a connection that stays quiet.
    const { port } = await scriptedPeer([(socket) => write(socket, text), (socket) => new Promise((r) => socket.once('close', r))]);
    // A queue of 5,000 (a socket chunk holds ~1,900 of these lines) against a burst of 50,000: without
    // pausing the socket most would be dropped.
    const b = bridge({ port, redis: { url: info.url, stream: 'burst', queueLimit: 5_000, batchSize: 500 } });
    await waitFor('publisher connected', () => b.status().publisher?.connected);
    b.start();
    await waitFor('every sample republished or dropped', () => b.status().publisher!.published + b.status().publisher!.dropped >= count, 60_000);
    expect(b.status().publisher).toMatchObject({ published: count, dropped: 0 });
    expect(await client.xlen('burst')).toBe(count);
  });

  it('keeps reading a hypervisor while Redis is stopped, and says why samples are not republished', async () => {
    const { info } = await redis();
    const count = 20_000;
    let text = '';
    for (let i = 0; i < count; i++) text += `{"vm":"cell-${i % 10}","t":${i},"atp":1}\n`;
    const { port } = await scriptedPeer([(socket) => write(socket, text), (socket) => new Promise((r) => socket.once('close', r))]);
    const b = bridge({ port, redis: { url: info.url, stream: 'stopped', queueLimit: 5_000, batchSize: 500 } });
    await waitFor('publisher connected', () => b.status().publisher?.connected);
    process.kill(info.pid, 'SIGSTOP');
    cleanups.push(() => process.kill(info.pid, 'SIGCONT'));
    b.start();
    // Held back only until Redis has answered nothing for a while; then the charts get every sample.
    await waitFor('every sample accepted', () => b.status().ingest.linesAccepted === count, 60_000);
    const { publisher } = b.status();
    expect(publisher!.dropped).toBeGreaterThan(0);
    expect(publisher!.lastError).toMatch(/^republish queue full \(5000 samples\) — Redis too slow; \d+ oldest samples dropped$/);
  });

  it('trims the stream to about maxLen', async () => {
    const { info, client } = await redis();
    const publisher = new MetricsStreamPublisher({ url: info.url, stream: 'trimmed', maxLen: 100 });
    cleanups.push(() => publisher.dispose());
    await waitFor('publisher connected', () => publisher.stats().connected);
    for (let i = 0; i < 2_000; i++) publisher.publish({ vm: 'a', t: i, geneExpression: {}, series: {}, receivedAt: i });
    await waitFor('all published', () => publisher.stats().published === 2_000);
    const length = await client.xlen('trimmed');
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(400);
  });

  it('holds a bounded queue while Redis is unreachable and never throws', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const publisher = new MetricsStreamPublisher({ url, queueLimit: 100 });
    cleanups.push(() => publisher.dispose(0));
    for (let i = 0; i < 5_000; i++) publisher.publish({ vm: 'a', t: i, geneExpression: {}, series: {}, receivedAt: i });
    await waitFor('a connection error', () => publisher.stats().lastError);
    expect(publisher.stats()).toMatchObject({ connected: false, published: 0, queued: 100, dropped: 4_900 });
    expect(publisher.stats().lastError).toContain(url);
  });

  it('says the queue overflowed because Redis is too slow, and sends the rest once it answers again', async () => {
    const { info, client } = await redis();
    const publisher = new MetricsStreamPublisher({ url: info.url, stream: 'stalled', queueLimit: 100, batchSize: 10 });
    cleanups.push(() => publisher.dispose(0));
    await waitFor('publisher connected', () => publisher.stats().connected);
    // A paused redis-server keeps its connections open and answers nothing: ioredis still says ready.
    process.kill(info.pid, 'SIGSTOP');
    let resumed = false;
    cleanups.push(() => resumed || process.kill(info.pid, 'SIGCONT'));
    // 1,000 samples over 20 ticks, as a hypervisor's would arrive: the first batch goes out and never returns.
    for (let i = 0; i < 1_000; i++) {
      publisher.publish({ vm: 'a', t: i, geneExpression: {}, series: {}, receivedAt: i });
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
    }
    const stalled = publisher.stats();
    expect(stalled).toMatchObject({ connected: true, queued: 100 });
    // One batch went out before Redis could answer it; everything beyond it and the queue was dropped.
    expect(stalled.dropped).toBe(1_000 - 100 - 10);
    expect(stalled.lastError).toBe('republish queue full (100 samples) — Redis too slow; 890 oldest samples dropped');
    process.kill(info.pid, 'SIGCONT');
    resumed = true;
    await waitFor('the batch in flight and the queue published', () => publisher.stats().published === 110);
    expect(publisher.stats()).toMatchObject({ queued: 0, dropped: 890 });
    const ts = (await client.xrange('stalled', '-', '+')).map(([, fields]) => Number(fields[3]));
    expect(ts).toEqual([...Array.from({ length: 10 }, (_, i) => i), ...Array.from({ length: 100 }, (_, i) => 900 + i)]);
  });

  it('publishes as plain XADDs to a server whose ACL refuses scripts', async () => {
    const { info, client } = await redis();
    await client.call('ACL', 'SETUSER', 'noscripts', 'on', '>pw', '~*', '&*', '+@all', '-@scripting');
    const publisher = new MetricsStreamPublisher({ url: `redis://noscripts:pw@127.0.0.1:${info.port}`, stream: 'plain' });
    cleanups.push(() => publisher.dispose());
    await waitFor('publisher connected', () => publisher.stats().connected);
    for (let i = 0; i < 50; i++) publisher.publish({ vm: 'a', t: i, geneExpression: {}, series: {}, receivedAt: i });
    await waitFor('all published', () => publisher.stats().published === 50);
    expect(publisher.stats()).toMatchObject({ dropped: 0, queued: 0 });
    expect(publisher.stats().lastError).toBeUndefined();
    expect((await client.xrange('plain', '-', '+')).map(([, fields]) => Number(fields[3]))).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('rejects a bad stream name', () => {
    expect(() => new MetricsStreamPublisher({ url: 'redis://127.0.0.1:1', stream: 'has space' })).toThrow(/invalid Redis stream name "has space"/);
  });
});
