// Networked VMs and metrics access through the real engine (VMManager + lua runner + LuaSocket).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../redis/redis-server-process';
import { VMManager } from '../vm/vm-manager';
import { HypervisorSimulator } from '../metrics/hypervisor-simulator';
import { MetricsService } from '../metrics/metrics-service';
import { runP2PRing, validateRingOptions, DEFAULT_RING_OPTIONS, defaultRingTemplatePath } from './p2p-ring';
import { waitFor } from '../testing/test-helpers';

let vm: VMManager;
const cleanups: Array<() => unknown> = [];
beforeEach(() => {
  vm = new VMManager();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await vm.dispose();
});

/** Five consecutive free ports (probed, so a busy CI box does not collide with something running). */
async function freeBasePort(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const probes = await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)));
    if (probes.every(Boolean)) return base;
  }
  throw new Error('no run of free ports found');
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('P2P ring of networked VMs', () => {
  it('5 VMs exchange heartbeats around the ring and stop on time', async () => {
    const basePort = await freeBasePort(5);
    const output: Record<string, string> = {};
    const durationS = 3;
    const started = Date.now();
    const results = await runP2PRing(vm, { size: 5, basePort, durationS, intervalS: 0.25 }, (id, _stream, text) => {
      output[id] = (output[id] ?? '') + text;
    });
    const elapsed = Date.now() - started;
    expect(results).toHaveLength(5);
    for (const node of results) {
      expect(node.error).toBeUndefined();
      const previous = (node.index + 4) % 5;
      expect(node.received, `${node.vmId} heartbeats`).toBeGreaterThanOrEqual(3);
      expect(node.sent).toBeGreaterThanOrEqual(3);
      expect(output[node.vmId]).toContain(`node-${node.index} received heartbeat #1 from node-${previous}`);
      expect(output[node.vmId]).not.toMatch(new RegExp(`from node-(?!${previous}\\b)`));
      // Wall-clock timing: each node ran for its duration, not for a CPU-time multiple of it.
      expect(node.elapsedMs).toBeGreaterThanOrEqual(durationS * 1000 - 50);
      expect(node.elapsedMs).toBeLessThan(durationS * 1000 + 15_000);
    }
    expect(elapsed).toBeLessThan(durationS * 1000 + 30_000);
    expect(vm.listSessions()).toEqual([]);
  });

  it('validates sizes, ports and hosts before creating any VM', async () => {
    const base = { ...DEFAULT_RING_OPTIONS, templatePath: defaultRingTemplatePath() };
    expect(() => validateRingOptions({ ...base, basePort: 80 })).toThrow(/--base-port 80 is out of range: use a whole number from 1024 to 65535/);
    expect(() => validateRingOptions({ ...base, basePort: 65534, size: 5 })).toThrow(/would need ports up to 65538/);
    expect(() => validateRingOptions({ ...base, size: 0 })).toThrow(/--size 0/);
    expect(() => validateRingOptions({ ...base, host: '0.0.0.0' })).toThrow(/not loopback/);
    expect(() => validateRingOptions({ ...base, host: '0.0.0.0', allowRemote: true })).not.toThrow();
    await expect(runP2PRing(vm, { size: 2, basePort: 1000 })).rejects.toThrow(/out of range/);
    expect(vm.listSessions()).toEqual([]);
  });
});

describe('echo server, client and heartbeat templates in networked VMs', () => {
  const template = (name: string) => readFileSync(join(import.meta.dirname, '../../resources/examples', name), 'utf8');
  const withSettings = (settings: string, name: string) => `NET = { ${settings} } ${template(name)}`;

  it('a client and a heartbeat sender talk to an echo server in other VMs, on wall-clock time', async () => {
    const port = await freePort();
    for (const id of ['server', 'client', 'beats']) await vm.createVM(id, { networked: true });
    const server = vm.executeVMAsync('server', withSettings(`port = ${port}, duration = 4`, 'net-echo-server.lua'));
    const client = await vm.executeVMSync('client', withSettings(`port = ${port}, messages = { "ATP 3.2 mM", "bye" }`, 'net-client.lua'));
    expect(client.error).toBeUndefined();
    expect(client.stdout).toMatch(/^echo: ATP 3.2 mM\necho: bye\n/);
    expect(client.values).toEqual(['2']);
    const beats = await vm.executeVMSync('beats', withSettings(`port = ${port}, interval = 0.3, count = 4`, 'net-heartbeat.lua'));
    expect(beats.error).toBeUndefined();
    expect(beats.stdout.match(/reply: echo: heartbeat \d/g)).toHaveLength(4);
    // Four beats 0.3 s apart span at least 0.9 s of real time.
    expect(beats.durationMs).toBeGreaterThanOrEqual(850);
    const served = await server.promise;
    expect(served.values).toEqual(['6']);
    expect(served.stdout).toContain('echo server done: 2 clients, 6 lines echoed');
  });

  it('the templates refuse privileged ports and non-loopback hosts', async () => {
    await vm.createVM('checks', { networked: true });
    const lowPort = await vm.executeVMSync('checks', withSettings('port = 80', 'net-echo-server.lua'));
    expect(lowPort.error?.message).toMatch(/port 80 is out of range: use a whole number from 1024 to 65535/);
    const remote = await vm.executeVMSync('checks', withSettings('host = "0.0.0.0", port = 9000', 'net-echo-server.lua'));
    expect(remote.error?.message).toMatch(/host 0.0.0.0 is not loopback/);
  });
});

describe('sockets and the sandbox', () => {
  it('a VM without networked: true cannot load LuaSocket', async () => {
    await vm.createVM('plain');
    const result = await vm.executeVMSync('plain', 'local socket = require("socket"); return socket.tcp()');
    expect(result.success).toBe(false);
    expect(result.error?.message).toMatch(/module 'socket' needs the 'networked' capability/);
  });

  it('a networked VM can open a socket', async () => {
    const port = await freePort();
    await vm.createVM('net', { networked: true });
    const result = await vm.executeVMSync('net', `local s = assert(require("socket").bind("127.0.0.1", ${port})); s:close(); return "bound"`);
    expect(result.values).toEqual(['bound']);
  });
});

describe('metrics through the host', () => {
  it('a VM with the metrics capability reads the latest sample with require("bioxen.metrics")', async () => {
    const sim = new HypervisorSimulator({ port: 0, vms: 2, rateHz: 20 });
    cleanups.push(() => sim.stop());
    const port = await sim.start();
    const metrics = new MetricsService();
    cleanups.push(() => metrics.dispose());
    metrics.attachHostCalls(vm);
    await metrics.connect(`127.0.0.1:${port}`);
    await waitFor('a sample for cell-02', () => metrics.store.latest('cell-02'));
    await vm.createVM('reader', { capabilities: { metrics: true } });
    const result = await vm.executeVMSync(
      'reader',
      'local m = require("bioxen.metrics").latest("cell-02"); return m.vm, m.atp > 0, m.gene_expression.lacI ~= nil, require("bioxen.metrics").latest("nope")',
    );
    expect(result.error).toBeUndefined();
    expect(result.values).toEqual(['cell-02', 'true', 'true', 'nil']);
  });

  it('a VM without the capability is refused', async () => {
    await vm.createVM('nocap');
    const result = await vm.executeVMSync('nocap', 'return require("bioxen.metrics").latest("cell-01")');
    expect(result.error?.message).toMatch(/needs the 'metrics' capability/);
  });
});
