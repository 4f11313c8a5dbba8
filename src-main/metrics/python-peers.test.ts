// BioXen's Python side as its design describes it (seeds/000), played by stand-ins in fixtures/:
// a hypervisor in both connection styles against the real bridge, and OlFiNetworkCircuit.send_mvoc
// (the real redis-py client) against a real redis-server and the real Ol-Fi mirror.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OlFiMirror } from '../olfi/olfi-mirror';
import type { OlFiEntry } from '../olfi/stream-entry';
import { TestRedis } from '../olfi/test-redis';
import { waitFor } from '../testing/test-helpers';
import { HypervisorBridge, type BridgeState } from './hypervisor-bridge';
import type { StoredMetric } from './metrics-store';

const FIXTURES = join(import.meta.dirname, 'fixtures');
// Debian's python3, where setup installs python3-redis (a python3 earlier on PATH, e.g. pyenv's, may lack it).
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs a fixture with python3; its stdout is collected, and it is killed by pid if still running at the end. */
function python(script: string, ...args: string[]) {
  const child = spawn(PYTHON, [join(FIXTURES, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  cleanups.push(async () => {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await exited;
  });
  return { output: () => stdout, errors: () => stderr, exited };
}

describe('a Python hypervisor written as the design describes it', () => {
  it.each(['per-connection', 'stream'] as const)('every sample arrives once and in order in the %s style', async (style) => {
    const count = 120;
    const peer = python('python_hypervisor.py', style, String(count));
    const port = Number((await waitFor('the stand-in to listen', () => /listening (\d+)/.exec(peer.output()) ?? undefined)).at(1));
    const bridge = new HypervisorBridge({ port, backoff: { initialMs: 50, maxMs: 300, stableMs: 2_000 } });
    cleanups.push(() => bridge.stop());
    const samples: StoredMetric[] = [];
    const states: BridgeState[] = [];
    let statesUntilLast: BridgeState[] = [];
    bridge.on('metric', (sample) => samples.push(sample) === count && (statesUntilLast = [...states]));
    bridge.on('state', (status) => states.at(-1) !== status.state && states.push(status.state));
    const startedAt = Date.now();
    bridge.start();
    await waitFor(`${count} samples (stand-in said: ${peer.errors() || peer.output()})`, () => samples.length >= count, 60_000);
    // The connection closing after each sample is the per-connection rhythm, not a failure to back off from.
    expect(statesUntilLast).toEqual(['connecting', 'connected']);
    expect(await peer.exited).toBe(0);

    expect(samples.map((s) => s.series.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
    const status = bridge.status();
    expect(status.ingest.linesRejected).toBe(0);
    expect(status.style).toBe(style);
    expect(status.connections).toBe(style === 'stream' ? 1 : count);
    for (const [i, sample] of samples.entries()) {
      expect(sample.vm).toBe(`py-cell-${(i % 2) + 1}`);
      expect(sample.geneExpression).toEqual({ lacI: i % 5, tetR: 1.5 });
      if (i % 2 === 0) {
        expect(sample.t).toBe(1700000000 + i / 10);
        expect(sample.tFromArrival).toBeUndefined();
      } else {
        // No t in the document: the time it arrived, in seconds, and marked as such.
        expect(sample.tFromArrival).toBe(true);
        expect(sample.t * 1000).toBeGreaterThanOrEqual(startedAt);
        expect(sample.t * 1000).toBeLessThanOrEqual(sample.receivedAt);
      }
    }
  });
});

describe("the design's Ol-Fi producer (redis-py XADD) read by the mirror", () => {
  const env = new TestRedis();
  afterEach(() => env.cleanup());

  it('shows v1 frames as valid and free-form frame dicts as what they are, every entry in order', async () => {
    const { url, port } = await env.server();
    const mirror = new OlFiMirror({ url, streamKey: 'olfi_stream', start: { from: '0-0' }, blockMs: 500 });
    cleanups.push(() => mirror.dispose());
    const seen: OlFiEntry[] = [];
    mirror.on('update', (update) => seen.push(...update.entries));
    mirror.start();
    const count = 60;
    const producer = python('python_olfi_circuit.py', String(port), 'olfi_stream', String(count));
    expect(await producer.exited, producer.errors()).toBe(0);
    await waitFor(`${count} entries`, () => seen.length >= count);

    expect(seen).toHaveLength(count);
    for (const [i, entry] of seen.entries()) {
      expect(entry.mvoc).toBe('ACETOIN');
      if (i % 2 === 0) {
        expect(entry).toMatchObject({ status: 'valid', reason: '' });
        expect(entry.frame).toMatchObject({ payload: `n=${i}`, address: 'CELL_0002', source: 'CELL_0001', control: { sequence: i } });
      } else {
        expect(entry.status).toBe('missing-field');
        expect(entry.reason).toBe('not an Ol-Fi v1 frame: missing preamble, address, control, payload, checksum, terminator; it has signal, concentration, cell');
        expect(JSON.parse(entry.raw!)).toEqual({ signal: 'quorum', concentration: Math.round(i % 10) / 10, cell: `CELL_${String(i).padStart(4, '0')}` });
      }
    }
  });
});
