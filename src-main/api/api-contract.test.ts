// The real services behind the real dispatcher: every contract method is implemented, and the
// sessions domain works end to end over the browser host's WebSocket with lua5.4.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, type EventPayload } from '../../src-preload/contract/index';
import { BrowserHost } from '../host/browser-host';
import { connectContractClient, type ContractClient } from '../host/contract-client';
import { createServices, type Services } from '../services';
import { createApi, type Api } from './index';
import { waitFor } from '../testing/test-helpers';


describe('contract over the browser host with the real engine', () => {
  let dir: string;
  let services: Services;
  let api: Api;
  let host: BrowserHost;
  let client: ContractClient;
  const output: EventPayload<'sessions:output'>[] = [];
  const changes: EventPayload<'sessions:changed'>[] = [];

  const call = async <T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<T> => {
    const reply = await promise;
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.value;
  };
  const textOf = (id: string) =>
    output
      .filter((o) => o.id === id)
      .flatMap((o) => o.chunks)
      .map((c) => c.text)
      .join('');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bioxen-contract-'));
    const rendererDir = join(dir, 'renderer');
    await mkdir(rendererDir);
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html>');
    services = await createServices({ dataDir: join(dir, 'data') });
    api = createApi(services, () => undefined);
    host = await BrowserHost.start({ api, rendererDir });
    client = await connectContractClient(`http://127.0.0.1:${host.port}`, host.token);
    client.on('sessions:output', (p) => output.push(p));
    client.on('sessions:changed', (p) => changes.push(p));
  });

  afterAll(async () => {
    client?.close();
    await host?.close();
    api?.dispose();
    await services?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('implements every contract method', () => {
    expect([...api.implemented].sort()).toEqual([...methodNames].sort());
  });

  it('reports app info with the discovered Lua versions and the transport', async () => {
    const info = await call(client.invoke('app:info', {}));
    expect(info.transport).toBe('websocket');
    expect(info.dataDir).toBe(join(dir, 'data'));
    expect(info.luaVersions.map((l) => l.version)).toContain('5.4');
  });

  it('creates a session, runs code, and streams its output as events', async () => {
    const info = await call(client.invoke('sessions:create', { id: 'cell-1', luaVersion: 'lua5.4' }));
    expect(info).toMatchObject({ id: 'cell-1', luaVersion: '5.4', attached: true });
    const result = await call(client.invoke('sessions:run', { id: 'cell-1', code: 'print("hello from cell-1")\nreturn 6 * 7', chunkName: '=growth.lua' }));
    expect(result).toMatchObject({ success: true, values: ['42'] });
    await waitFor('the output event', () => (textOf('cell-1').includes('hello from cell-1') ? true : undefined));
    // The text travelled once, as events: the reply names the run's chunks instead of repeating them.
    expect(result).not.toHaveProperty('stdout');
    expect(result).not.toHaveProperty('stderr');
    const own = await call(client.invoke('sessions:output', { id: 'cell-1', since: result.output.firstSeq }));
    const ran = own.chunks.filter((c) => c.seq < result.output.nextSeq);
    expect(ran.map((c) => [c.stream, c.text])).toEqual([['stdout', 'hello from cell-1\n'], ['value', '42\n']]);
    expect(changes.some((c) => c.id === 'cell-1' && c.info?.state === 'idle')).toBe(true);
  });

  it('keeps a function typed over several REPL lines and calls it', async () => {
    expect(await call(client.invoke('sessions:sendInput', { id: 'cell-1', line: 'function double(x)' }))).toEqual({ pending: true, failed: false });
    expect(await call(client.invoke('sessions:sendInput', { id: 'cell-1', line: '  return 2 * x' }))).toEqual({ pending: true, failed: false });
    expect(await call(client.invoke('sessions:sendInput', { id: 'cell-1', line: 'end' }))).toEqual({ pending: false, failed: false });
    await call(client.invoke('sessions:sendInput', { id: 'cell-1', line: 'double(21)' }));
    await waitFor('the REPL value', () => (textOf('cell-1').includes('42\n') ? true : undefined));
  });

  it('interrupts an infinite loop and keeps the session usable', async () => {
    const looping = client.invoke('sessions:run', { id: 'cell-1', code: 'while true do end' });
    await waitFor('the busy state', async () => {
      const { sessions } = await call(client.invoke('sessions:list', {}));
      return sessions.find((s) => s.info.id === 'cell-1')?.info.state === 'busy' ? true : undefined;
    });
    await call(client.invoke('sessions:interrupt', { id: 'cell-1' }));
    expect(await call(looping)).toMatchObject({ success: false });
    expect(await call(client.invoke('sessions:run', { id: 'cell-1', code: 'return double(4)' }))).toMatchObject({ success: true, values: ['8'] });
  });

  it('hydrates: list and output carry the session history', async () => {
    const { sessions } = await call(client.invoke('sessions:list', { recentChunks: 1000 }));
    const snap = sessions.find((s) => s.info.id === 'cell-1')!;
    expect(snap.output.chunks.map((c) => c.text).join('')).toContain('hello from cell-1');
    const page = await call(client.invoke('sessions:output', { id: 'cell-1', since: snap.output.nextSeq - 1 }));
    expect(page.chunks).toHaveLength(1);
    expect(page.nextSeq).toBe(snap.output.nextSeq);
  });

  it('detaches and re-attaches without losing output', async () => {
    expect(await call(client.invoke('sessions:detach', { id: 'cell-1' }))).toMatchObject({ attached: false, state: 'detached' });
    const attached = await call(client.invoke('sessions:attach', { id: 'cell-1', since: 0 }));
    expect(attached.info.attached).toBe(true);
    expect(attached.output.chunks.map((c) => c.text).join('')).toContain('hello from cell-1');
  });

  it('checks syntax without running, and completes globals and library members', async () => {
    const { diagnostics } = await call(client.invoke('sessions:check', { id: 'cell-1', code: 'local x = 1\nif x then\n  print(x)\n' }));
    expect(diagnostics[0]).toMatchObject({ severity: 'error', source: 'lua' });
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(3);
    expect((await call(client.invoke('sessions:check', { code: 'return 1' }))).diagnostics).toEqual([]);
    const lint = await call(client.invoke('sessions:check', { id: 'cell-1', code: 'local unused = double(2)\nprint(nowhere)' }));
    expect(lint.diagnostics.map((d) => [d.line, d.severity, d.source, d.message])).toEqual([
      [1, 'warning', 'luacheck', "unused variable 'unused' (W211)"],
      [2, 'warning', 'luacheck', "accessing undefined variable 'nowhere' (W113)"],
    ]);
    const globals = await call(client.invoke('sessions:completions', { id: 'cell-1', prefix: 'dou' }));
    expect(globals.items).toContainEqual(expect.objectContaining({ label: 'double', kind: 'function' }));
    const members = await call(client.invoke('sessions:completions', { id: 'cell-1', prefix: 'string.fo' }));
    expect(members.items.map((i) => i.label)).toEqual(['format']);
  });

  it('answers engine errors with stable codes', async () => {
    expect(await client.invoke('sessions:run', { id: 'nope', code: 'return 1' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await client.invoke('sessions:create', { id: 'cell-1' })).toMatchObject({ ok: false, error: { code: 'already_exists' } });
    expect(await client.invoke('sessions:create', { id: 'bad id!' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('creates sessions with the settings defaults and a free id when none is given', async () => {
    await call(client.invoke('settings:update', { limits: { memoryMb: 96 } }));
    const info = await call(client.invoke('sessions:create', { limits: { timeoutMs: 5000 } }));
    expect(info.id).toMatch(/^session-\d+$/);
    expect(info.limits).toMatchObject({ memoryMb: 96, timeoutMs: 5000 });
    await call(client.invoke('sessions:terminate', { id: info.id }));
  });

  it('terminates the session and announces its removal', async () => {
    expect(await call(client.invoke('sessions:terminate', { id: 'cell-1' }))).toEqual({ id: 'cell-1' });
    await waitFor('the removal event', () => (changes.some((c) => c.id === 'cell-1' && c.info === null) ? true : undefined));
    expect((await call(client.invoke('sessions:list', {}))).sessions).toEqual([]);
  });
});
