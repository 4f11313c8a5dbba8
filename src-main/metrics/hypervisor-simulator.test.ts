import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HypervisorSimulator } from './hypervisor-simulator';
import { parseMetricLine } from './metric-message';
import { waitFor } from '../testing/test-helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('HypervisorSimulator', () => {
  it('produces valid samples whose repressilator genes oscillate', () => {
    const sim = new HypervisorSimulator({ port: 0, vms: 1, rateHz: 10, speed: 2 });
    const lacI: number[] = [];
    for (let tick = 0; tick < 600; tick++) {
      const result = parseMetricLine(sim.nextLines(tick * 100).trimEnd());
      if (!result.ok) throw new Error(result.detail);
      lacI.push(result.message.geneExpression.lacI!);
    }
    // 120 model time units: several repressilator periods, so lacI rises and falls many times.
    const turns = lacI.slice(1, -1).filter((v, i) => (v - lacI[i]!) * (lacI[i + 2]! - v) < 0 && Math.abs(lacI[i + 2]! - lacI[i]!) > 5).length;
    expect(turns).toBeGreaterThanOrEqual(6);
    expect(Math.max(...lacI)).toBeGreaterThan(5 * Math.min(...lacI));
  });

  it('skips a client that stops reading instead of buffering without bound', async () => {
    const sim = new HypervisorSimulator({ port: 0, vms: 200, rateHz: 100, maxBufferedBytes: 64 * 1024 });
    cleanups.push(() => sim.stop());
    const port = await sim.start();
    const stalled = connect(port, '127.0.0.1');
    cleanups.push(() => stalled.destroy());
    stalled.pause();
    await waitFor('lines skipped for the stalled client', () => sim.stats().linesSkipped > 0, 30_000);
    expect(sim.stats().clients).toBe(1);
  });

  it('per-connection style: each connection gets one sample with no newline, then the close', async () => {
    const sim = new HypervisorSimulator({ port: 0, vms: 2, rateHz: 50, style: 'per-connection' });
    cleanups.push(() => sim.stop());
    const port = await sim.start();
    const documents: string[] = [];
    for (let i = 0; i < 4; i++) {
      const socket = connect(port, '127.0.0.1');
      cleanups.push(() => socket.destroy());
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      await new Promise((resolve) => socket.once('end', resolve));
      documents.push(text);
    }
    expect(documents.every((d) => !d.includes('\n'))).toBe(true);
    const vms = documents.map((d) => {
      const result = parseMetricLine(d);
      if (!result.ok) throw new Error(result.detail);
      return result.message.vm;
    });
    expect(vms).toEqual(['cell-01', 'cell-02', 'cell-01', 'cell-02']);
  });

  it('refuses bad settings with messages that name the flag', () => {
    expect(() => new HypervisorSimulator({ vms: 0 })).toThrow(/--vms 0: use a whole number from 1 to 1000/);
    expect(() => new HypervisorSimulator({ rateHz: 5000 })).toThrow(/--rate 5000/);
    expect(() => new HypervisorSimulator({ port: 80 })).toThrow(/simulator port 80 is out of range/);
    expect(() => new HypervisorSimulator({ host: '0.0.0.0' })).toThrow(/--allow-remote/);
    expect(() => new HypervisorSimulator({ style: 'pigeon' as never })).toThrow(/--style pigeon: use stream or per-connection/);
  });

  it('reports a port in use', async () => {
    const first = new HypervisorSimulator({ port: 0, vms: 1 });
    cleanups.push(() => first.stop());
    const port = await first.start();
    const second = new HypervisorSimulator({ port, vms: 1 });
    cleanups.push(() => second.stop());
    await expect(second.start()).rejects.toThrow(new RegExp(`port ${port} is in use: pick another with --port`));
  });
});
