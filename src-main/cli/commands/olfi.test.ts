import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFrame } from '../../olfi/frame-codec';
import { compareStreamIds } from '../../olfi/stream-entry';
import { TestRedis, addEntries } from '../../olfi/test-redis';
import { waitFor } from '../../testing/test-helpers';
import { SettingsStore } from '../../settings/settings-store';

const run = promisify(execFile);
const env = new TestRedis();

afterEach(() => env.cleanup());

async function bioxen(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return bioxenIn(env.tempDir(), ...args);
}

async function bioxenIn(dataDir: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/bioxen.mjs', ...args], { timeout: 60_000, env: { ...process.env, BIOXEN_DATA_DIR: dataDir } });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** `bioxen olfi tail` as a child process whose stdout is read line by line (and can be paused, as a slow reader does). */
function startTail(url: string, ...args: string[]) {
  const child = spawn(process.execPath, ['bin/bioxen.mjs', 'olfi', 'tail', '--redis', url, '--json', ...args], { env: { ...process.env, BIOXEN_DATA_DIR: env.tempDir() } });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines, exited, stderr: () => stderr };
}

function idsOf(lines: string[]): string[] {
  return lines.map((line) => (JSON.parse(line) as { id: string }).id);
}

function expectEveryEntryOnce(ids: string[], all: string[]): void {
  for (let i = 1; i < ids.length; i++) if (compareStreamIds(ids[i]!, ids[i - 1]!) <= 0) expect.fail(`id ${ids[i]} at line ${i + 1} is not after ${ids[i - 1]}`);
  expect(ids.length).toBe(all.length);
  expect(ids).toEqual(all);
}

describe('bioxen olfi tail delivers every entry exactly once', () => {
  const TOTAL = 100_000;
  const frame = (i: number) => ['mvoc', 'ACETOIN', 'frame', JSON.stringify(buildFrame({ address: 'CELL_0001', type: 'STATUS', payload: `n=${i}`, sequence: i % 65536 }))];

  it('prints a 100k backlog in order, through a Redis restart mid-tail and a kill and resume of tail; ends quietly when its reader goes away', async () => {
    const { server, url } = await env.server({ persistence: 'aof' });
    const client = env.client(url);
    await addEntries(client, 'olfi_stream', TOTAL, frame, 10_000);
    const all = ((await client.call('XRANGE', 'olfi_stream', '-', '+')) as [string, string[]][]).map(([id]) => id);
    expect(all).toHaveLength(TOTAL);

    // A reader that stops reading: tail blocks on stdout, and Redis restarts (clean shutdown, same data, same port) meanwhile.
    const first = startTail(url, '--from', '0', '--count', String(TOTAL));
    await waitFor('the first 10k lines', () => first.lines.length >= 10_000, 60_000);
    first.child.stdout.pause();
    await server.stop();
    await server.restart();
    first.child.stdout.resume();
    expect(await first.exited).toBe(0);
    expectEveryEntryOnce(idsOf(first.lines), all);

    // tail killed part way, then resumed after the last line it printed.
    const killed = startTail(url, '--from', '0');
    await waitFor('30k lines before the kill', () => killed.lines.length >= 30_000, 60_000);
    killed.child.kill('SIGKILL');
    await killed.exited;
    const before = idsOf(killed.lines);
    const resumed = startTail(url, '--from', before.at(-1)!, '--count', String(TOTAL - before.length));
    expect(await resumed.exited).toBe(0);
    expectEveryEntryOnce([...before, ...idsOf(resumed.lines)], all);

    // The reader going away (`tail | head -1`) ends tail normally, with no EPIPE error.
    const cut = startTail(url, '--from', '0');
    await waitFor('a first line', () => cut.lines.length >= 1);
    cut.child.stdout.destroy();
    expect(await cut.exited).toBe(0);
    expect(cut.stderr()).not.toContain('EPIPE');
  }, 240_000);
});

describe('bioxen olfi', () => {
  it('publishes, simulates and tails against a given Redis', async () => {
    const { url } = await env.server();
    const published = await bioxen('olfi', 'publish', '--redis', url, '--mvoc', 'acetoin', '--payload', 'temp=37', '--address', 'CELL_0002', '--type', 'status');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^\d+-\d+ ACETOIN → olfi_stream on redis:\/\/127\.0\.0\.1:\d+\/? \(valid\)/);
    const refused = await bioxen('olfi', 'publish', '--redis', url, '--mvoc', 'ACETOIN', '--frame', '{"preamble":[]}');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('frame not published: frame.preamble must be an array of 2 compound names');
    const simulated = await bioxen('olfi', 'simulate', '--redis', url, '--rate', '100', '--duration', '1', '--noise', '0');
    expect(simulated.stdout).toMatch(/sent \d+ frames/);
    const sent = Number(/sent (\d+) frames/.exec(simulated.stdout)![1]);
    expect(sent).toBeGreaterThan(20);
    const tail = await bioxen('olfi', 'tail', '--redis', url, '--from', '0', '--count', String(sent + 1), '--json');
    const entries = tail.stdout.trim().split('\n').map((line) => JSON.parse(line) as { status: string; mvoc: string; frame: { payload: string } });
    expect(entries).toHaveLength(sent + 1);
    expect(entries[0]).toMatchObject({ mvoc: 'ACETOIN', status: 'valid', frame: { payload: 'temp=37' } });
    expect(entries.every((e) => e.status === 'valid')).toBe(true);
    const text = await bioxen('olfi', 'tail', '--redis', url, '--from', '0', '--count', '1');
    expect(text.stdout).toMatch(/ACETOIN ✓ \? → CELL_0002 STATUS #0 normal "temp=37"/);
    // tail promises the stream: long values and any field name come out whole (the panel's bounded view cuts them).
    const long = 'x'.repeat(5000);
    const id = String(await env.client(url).call('XADD', 'olfi_stream', '*', 'mvoc', 'ACETOIN', 'frame', `not json ${long}`, 'note', long, '__proto__', 'kept'));
    const whole = await bioxen('olfi', 'tail', '--redis', url, '--from', published.stdout.split(' ')[0]!, '--count', String(sent + 1), '--json');
    const last = JSON.parse(whole.stdout.trim().split('\n').at(-1)!) as { id: string; raw: string; extra: Record<string, string> };
    expect(last.id).toBe(id);
    expect(last.raw).toBe(`not json ${long}`);
    expect(last.extra.note).toBe(long);
    expect(Object.getOwnPropertyDescriptor(last.extra, '__proto__')?.value).toBe('kept');
  }, 120_000);

  it('uses the Ol-Fi stream key of the data dir\'s Settings unless --stream names another', async () => {
    const { url } = await env.server();
    const dataDir = env.tempDir();
    await (await SettingsStore.open(join(dataDir, 'settings.json'))).update({ olfiStream: 'lab_stream' });
    const published = await bioxenIn(dataDir, 'olfi', 'publish', '--redis', url, '--mvoc', 'ACETOIN', '--payload', 'to-the-lab');
    expect(published.stdout).toContain('ACETOIN → lab_stream on');
    const elsewhere = await bioxenIn(dataDir, 'olfi', 'publish', '--redis', url, '--stream', 'other_stream', '--mvoc', 'ACETOIN', '--payload', 'x');
    expect(elsewhere.stdout).toContain('ACETOIN → other_stream on');
    const tail = await bioxenIn(dataDir, 'olfi', 'tail', '--redis', url, '--from', '0', '--count', '1', '--json');
    expect(JSON.parse(tail.stdout.trim())).toMatchObject({ frame: { payload: 'to-the-lab' } });
    expect(await env.client(url).call('XLEN', 'olfi_stream')).toBe(0);
  }, 120_000);

  it('rejects bad arguments with usage', async () => {
    const noMvoc = await bioxen('olfi', 'publish', '--payload', 'x');
    expect(noMvoc.code).toBe(2);
    expect(noMvoc.stderr).toContain('--mvoc NAME is required');
    const badUrl = await bioxen('olfi', 'tail', '--redis', 'http://x');
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('is not a Redis URL');
    const badFrom = await bioxen('olfi', 'tail', '--from', 'yesterday');
    expect(badFrom.stderr).toContain('--from needs a stream id');
  }, 120_000);
});
