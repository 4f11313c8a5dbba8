// VMManager's public API on real lua5.4: every method and every error trigger.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AttachError, DetachError, InteractiveSessionError, LimitExceededError, LuaNotFoundError, SessionAlreadyExistsError, SessionNotFoundError, VMManagerError, VMUnavailableError } from './errors';
import { VMLogger } from './logger';
import { VMManager } from './vm-manager';
import { alive } from '../testing/test-helpers';
import type { OutputChunk } from './types';

const quietLogger = new VMLogger({ sink: () => undefined });

describe('VMManager', () => {
  let manager: VMManager;
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'bioxen-vm-test-'));
  });
  afterEach(async () => {
    await manager?.dispose();
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  const fresh = (options: ConstructorParameters<typeof VMManager>[0] = {}) => {
    manager = new VMManager({ luaExecutable: 'lua5.4', logger: quietLogger, ...options });
    return manager;
  };

  it('debugMode on a VM turns on its debug log', async () => {
    const lines: string[] = [];
    manager = new VMManager({ luaExecutable: 'lua5.4', logger: new VMLogger({ sink: (_l, c, msg) => lines.push(`${c} ${msg}`) }, {}) });
    await manager.createVM('quiet');
    await manager.createVM('chatty', { debugMode: true });
    expect(lines.some((l) => l.startsWith('vm:chatty') && l.includes('spawned'))).toBe(true);
    expect(lines.some((l) => l.startsWith('vm:quiet'))).toBe(false);
  });

  it('creates a VM and runs code in it (the seed examples)', async () => {
    const m = fresh();
    const vm = await m.createVM('managed_vm');
    expect(vm.state).toBe('idle');
    expect((await vm.executeString('print("Hello, BioXen!")')).stdout).toBe('Hello, BioXen!\n');
    const r = await m.executeVMSync('managed_vm', 'print("Result:", 2 + 2)');
    expect(r.stdout).toBe('Result:\t4\n');
    expect((await m.executeVMSync('managed_vm', 'return 2 + 2')).stdout).toBe('4\n');
  });

  it('runs files and reports a missing file', async () => {
    const m = fresh();
    const vm = await m.createVM('files');
    const file = join(dataDir, 'script.lua');
    writeFileSync(file, 'local t = {}\nfor i = 1, 3 do t[i] = i * i end\nreturn table.concat(t, ",")\n');
    expect((await vm.executeFile(file)).values).toEqual(['1,4,9']);
    await expect(vm.executeFile(join(dataDir, 'missing.lua'))).rejects.toThrow(/Cannot read Lua file/);
    await expect(vm.executeString('  ')).rejects.toThrow(/No Lua code given/);
  });

  it('rejects bad ids, duplicates, unknown VMs, unknown Lua and unknown environments', async () => {
    const m = fresh({ resolveEnvironment: (name) => (name === 'known' ? { path: '', cpath: '' } : undefined) });
    await expect(m.createVM('bad id!')).rejects.toBeInstanceOf(VMManagerError);
    await m.createVM('dup');
    await expect(m.createVM('dup')).rejects.toBeInstanceOf(SessionAlreadyExistsError);
    await expect(m.createInteractiveVM('dup')).resolves.toBeDefined();
    await expect(m.createInteractiveVM('dup')).rejects.toBeInstanceOf(SessionAlreadyExistsError);
    await expect(m.executeVMSync('nope', 'return 1')).rejects.toBeInstanceOf(SessionNotFoundError);
    expect(() => m.attachToVM('nope')).toThrow(SessionNotFoundError);
    await expect(m.terminateVMSession('nope')).rejects.toBeInstanceOf(SessionNotFoundError);
    await expect(m.createVM('nolua', { luaExecutable: '/nonexistent/lua9' })).rejects.toBeInstanceOf(LuaNotFoundError);
    await expect(m.createVM('noenv', { environment: 'unknown' })).rejects.toThrow(/Unknown environment "unknown"/);
    await expect(m.createVM('withenv', { environment: 'known' })).resolves.toBeDefined();
    const err = (await m.createVM('dup').catch((e: unknown) => e)) as SessionAlreadyExistsError;
    expect(err.code).toBe('already_exists');
  });

  it('executeVMAsync streams output, reports status and cancels', async () => {
    const m = fresh({ defaultLimits: { instructionQuota: 0 } });
    await m.createVM('async');
    const handle = m.executeVMAsync('async', 'for i = 1, 3 do print(i) end return "ok"');
    const seen: string[] = [];
    handle.on('output', (_stream, text) => seen.push(text));
    const result = await handle.promise;
    expect(handle.status).toBe('done');
    expect(result.values).toEqual(['ok']);
    expect(seen.join('')).toBe('1\n2\n3\n');

    const running = m.executeVMAsync('async', 'while true do end');
    const queued = m.executeVMAsync('async', 'return "never"');
    await expect.poll(() => m.getVM('async').state).toBe('busy');
    expect(queued.cancel()).toBe(true);
    expect(running.cancel()).toBe(true);
    expect(running.status).toBe('cancelled');
    expect((await running.promise).error?.message).toContain('interrupted!');
    await expect(queued.promise).rejects.toThrow(/cancelled/);
    expect(running.cancel()).toBe(false);
    // One request runs, 10 000 wait, the next is refused.
    const flood = Array.from({ length: 10_002 }, () => m.getVM('async').request({ op: 'ping' }));
    await expect(flood[10_001]).rejects.toThrow(/already has 10000 requests waiting/);
    await Promise.all(flood.slice(0, 10_001));
    expect((await m.executeVMSync('async', 'return 5')).values).toEqual(['5']);
  });

  it('sandbox errors name the script position, never the runtime, in exec results and the console', async () => {
    const m = fresh();
    await m.createVM('blamed');
    const tail = await m.executeVMSync('blamed', 'return require("socket")');
    expect(tail.error?.message).toMatch(/^module 'socket' needs the 'networked' capability/);
    await m.createInteractiveVM('blame');
    await m.sendInput('blame', 'local s = require("socket")');
    const shown = m.readOutput('blame');
    expect(shown).toMatch(/^stdin:1: module 'socket' needs the 'networked' capability/);
    expect(shown).not.toContain('lua/runtime');
  });

  it('interactive sessions: seed example, readers, attach replay, detach errors', async () => {
    const m = fresh();
    const session = await m.createInteractiveVM('interactive_vm');
    expect(session.attached).toBe(true);
    await m.sendInput('interactive_vm', "x = 42\nprint('Value:', x)\n");
    expect(m.readOutput('interactive_vm')).toBe('Value:\t42\n');
    expect(m.readOutput('interactive_vm')).toBe('');

    const first = m.attachToVM('interactive_vm', 'ui');
    expect(first.replay.map((c) => c.text).join('')).toBe("x = 42\nprint('Value:', x)\nValue:\t42\n");
    m.detachFromVM('interactive_vm', 'ui');
    expect(() => m.detachFromVM('interactive_vm', 'ui')).toThrow(DetachError);
    await m.sendInput('interactive_vm', 'print("while away")');
    const again = m.attachToVM('interactive_vm', 'ui');
    expect(again.replay.map((c) => `${c.stream}:${c.text}`)).toEqual(['input:print("while away")\n', 'stdout:while away\n']);
    expect(m.readOutput('interactive_vm')).toBe('while away\n');

    m.detachFromVM('interactive_vm');
    m.detachFromVM('interactive_vm', 'ui');
    expect(session.info().state).toBe('detached');
    expect(session.info().attached).toBe(false);
    await m.terminateVMSession('interactive_vm');
    expect(() => session.attach()).toThrow(AttachError);
    expect(m.listSessions()).toEqual([]);
  });

  it('emits batched output and session events', async () => {
    const m = fresh();
    const outputs: OutputChunk[] = [];
    const states: string[] = [];
    m.on('output', (_id, chunks) => outputs.push(...chunks));
    m.on('session', (info) => states.push(info.state));
    const s = await m.createInteractiveVM('events');
    await s.sendInput('print("evt")');
    await expect.poll(() => outputs.map((c) => c.text).join('')).toContain('evt\n');
    expect(outputs.map((c) => c.seq)).toEqual(outputs.map((_, i) => i));
    expect(states).toContain('busy');
  });

  it('lists sessions, exposes the session manager and terminates through it', async () => {
    const m = fresh();
    await m.createInteractiveVM('s1');
    await m.createVM('s2');
    const listed = m.sessionManager.listSessions();
    expect(Object.keys(listed).sort()).toEqual(['s1', 's2']);
    expect(listed.s1).toMatchObject({ luaVersion: '5.4', state: 'idle', attached: true });
    expect(listed.s1!.memoryKb).toBeGreaterThan(0);
    expect(m.sessionManager.getSession('s1').id).toBe('s1');
    await m.sessionManager.terminateSession('s1');
    expect(m.listSessions().map((s) => s.id)).toEqual(['s2']);
  });

  it('loadPackage requires a module from the bound environment; setEnvironment rejects unknown names', async () => {
    const envDir = mkdtempSync(join(tmpdir(), 'bioxen-env-'));
    writeFileSync(join(envDir, 'greeter.lua'), 'return { hello = function(n) return "hello " .. n end }\n');
    const m = fresh({
      defaultLimits: { instructionQuota: 5_000_000 },
      resolveEnvironment: (name) => (name === 'mine' ? { path: `${envDir}/?.lua`, cpath: '' } : undefined),
    });
    const s = await m.createInteractiveVM('pkg');
    await expect(s.loadPackage('greeter')).rejects.toThrow(/module 'greeter' not found/);
    const changes: (string | undefined)[] = [];
    m.on('session', (info) => changes.push(info.environment));
    await s.setEnvironment('mine');
    // State events (busy, idle) come first; the last one must carry the new environment.
    expect(changes.at(-1)).toBe('mine');
    expect(m.listSessions().find((i) => i.id === 'pkg')?.environment).toBe('mine');
    await s.loadPackage('greeter');
    await s.sendInput('greeter.hello("cell")');
    expect(s.readOutput()).toContain('hello cell\n');
    await expect(s.setEnvironment('other')).rejects.toBeInstanceOf(InteractiveSessionError);
    writeFileSync(join(envDir, 'heavy.lua'), 'while true do end\n');
    const heavy = (await s.loadPackage('heavy').catch((e: unknown) => e)) as LimitExceededError;
    expect(heavy).toBeInstanceOf(LimitExceededError);
    expect(heavy).toMatchObject({ limit: 'instructionQuota', code: 'limit_exceeded' });
    rmSync(envDir, { recursive: true, force: true });
  });

  it('run() executes the editor buffer in the session environment', async () => {
    const m = fresh();
    const s = await m.createInteractiveVM('editor');
    const r = await s.run('shared = 10\nlocal function sq(v) return v * v end\nreturn sq(shared)', '=buffer.lua');
    expect(r.values).toEqual(['100']);
    await s.sendInput('=shared');
    expect(s.readOutput()).toBe('100\n10\n');
    const bad = await s.run('x = = 1', '=buffer.lua');
    expect(bad.error).toMatchObject({ line: 1 });
  });

  it('interrupts through the manager and keeps state; restart resets it', async () => {
    const m = fresh({ defaultLimits: { instructionQuota: 0 } });
    const s = await m.createInteractiveVM('ir');
    await s.sendInput('v = 1');
    const pending = m.sendInput('ir', 'while true do end');
    await expect.poll(() => s.process.state).toBe('busy');
    expect(m.interrupt('ir')).toBe(true);
    await pending;
    expect(m.interrupt('ir')).toBe(false);
    await s.sendInput('=v');
    expect(s.readOutput()).toMatch(/1\n$/);
    await m.restart('ir');
    await s.sendInput('=v');
    expect(s.readOutput()).toMatch(/runner restarted: restarted on request\n.*nil\n$/s);
  });

  it('a discarded continuation: interrupt while the REPL waits for more lines', async () => {
    const m = fresh();
    const s = await m.createInteractiveVM('cont');
    expect((await s.sendInput('function f()')).more).toBe(true);
    expect(s.interrupt()).toBe(true);
    expect(s.awaitingMore).toBe(false);
    await s.sendInput('=1 + 1');
    expect(s.readOutput()).toMatch(/incomplete input discarded\n2\n$/);
  });

  it('detects a runner killed with kill -9 and restarts it on request', async () => {
    const m = fresh();
    const s = await m.createInteractiveVM('victim');
    const pid = s.process.pid!;
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => s.info().state).toBe('crashed');
    expect(s.info().reason).toBe('killed by SIGKILL');
    const err = (await m.executeVMSync('victim', 'return 1').catch((e: unknown) => e)) as VMUnavailableError;
    expect(err).toBeInstanceOf(VMUnavailableError);
    expect(err.message).toMatch(/crashed \(killed by SIGKILL\) — call restart\("victim"\)/);
    expect(s.readOutput()).toContain('runner killed by SIGKILL');
    await m.restart('victim');
    expect((await m.executeVMSync('victim', 'return 2')).values).toEqual(['2']);
  });

  it('wall-clock timeout: interrupts a run, and kills + restarts a runner stuck in C', async () => {
    const m = fresh({ defaultLimits: { instructionQuota: 0 } });
    await m.createVM('slow', { networked: true });
    const r = await m.executeVMSync('slow', 'while true do end', { limits: { timeoutMs: 300 } });
    expect(r.error).toMatchObject({ limit: 'timeoutMs' });
    expect(r.error?.message).toContain('wall-clock timeout exceeded (timeoutMs = 300 ms)');
    const oldPid = m.getVM('slow').pid;
    const stuck = await m.executeVMSync('slow', 'require("socket").sleep(30)', { limits: { timeoutMs: 200 } });
    expect(stuck.error?.limit).toBe('timeoutMs');
    expect(stuck.error?.message).toContain('runner was killed and restarted');
    expect(m.getVM('slow').pid).not.toBe(oldPid);
    expect((await m.executeVMSync('slow', 'return "back"')).values).toEqual(['back']);
  });

  it('persists persistent VM definitions and restores them', async () => {
    const dir = join(dataDir, 'persist');
    const lab = { resolveEnvironment: (name: string) => (name === 'lab' ? { path: '', cpath: '' } : undefined) };
    const m = fresh({ dataDir: dir, ...lab });
    const kept = await m.createInteractiveVM('keep', { persistent: true, limits: { memoryMb: 32 }, capabilities: { fs: true } });
    await kept.setEnvironment('lab');
    await m.createVM('temp');
    const saved = JSON.parse(readFileSync(join(dir, 'vms.json'), 'utf8'));
    expect(saved.vms.map((v: { id: string }) => v.id)).toEqual(['keep']);
    await m.dispose();

    const m2 = fresh({ dataDir: dir, ...lab });
    expect(await m2.restorePersistent()).toEqual({ restored: ['keep'], failed: [] });
    const info = m2.getSession('keep').info();
    expect(info).toMatchObject({ persistent: true, environment: 'lab', limits: { memoryMb: 32 }, capabilities: { fs: true } });
    expect(m2.readOutput('keep')).toContain('restored from a previous run');
    await m2.terminateVMSession('keep');
    expect(JSON.parse(readFileSync(join(dir, 'vms.json'), 'utf8')).vms).toEqual([]);
  });

  it('routes emit and call between Lua and the host, gated by capability', async () => {
    const m = fresh();
    const emits: unknown[] = [];
    m.on('emit', (id, kind, data) => emits.push({ id, kind, data }));
    m.handleCall('metrics.latest', (vmId, data) => ({ from: vmId, asked: data }));
    await m.createVM('caps', { capabilities: { olfi: true, metrics: true } });
    await m.executeVMSync('caps', 'require("bioxen.host").emit("olfi", { mvoc = "acetoin", frame = "{}" })');
    expect(emits).toEqual([{ id: 'caps', kind: 'olfi', data: { mvoc: 'acetoin', frame: '{}' } }]);
    const called = await m.executeVMSync('caps', 'local r = require("bioxen.host").call("metrics.latest", { vm = "x" }) return r.from, r.asked.vm');
    expect(called.values).toEqual(['caps', 'x']);
    const missing = await m.executeVMSync('caps', 'return require("bioxen.host").call("nobody.home", {})');
    expect(missing.error?.message).toContain('no host handler for "nobody.home"');

    await m.createVM('nocaps', { capabilities: { olfi: false } });
    const denied = await m.executeVMSync('nocaps', 'require("bioxen.host")');
    expect(denied.error?.message).toContain("needs the 'olfi' or 'metrics' capability");
    await m.createVM('olfionly', { capabilities: { olfi: true } });
    const gated = await m.executeVMSync('olfionly', 'require("bioxen.host").call("metrics.latest", {})');
    expect(gated.error?.message).toContain("needs the 'metrics' capability");
    const metricsModule = await m.executeVMSync('olfionly', 'require("bioxen.metrics")');
    expect(metricsModule.error?.message).toContain("module 'bioxen.metrics' needs the 'metrics' capability");
  });

  it('resolves bioxen.olfi from lua/packages and sends frames through emit', async () => {
    const m = fresh();
    const emits: { kind: string; data: { mvoc: string; frame: string } }[] = [];
    m.on('emit', (_id, kind, data) => emits.push({ kind, data: data as { mvoc: string; frame: string } }));
    await m.createVM('olfi', { capabilities: { olfi: true } });
    const r = await m.executeVMSync('olfi', 'local olfi = require("bioxen.olfi") olfi.send("acetoin", "hello") return type(olfi.send)');
    expect(r.error).toBeUndefined();
    expect(emits).toHaveLength(1);
    expect(emits[0]!.kind).toBe('olfi');
    expect(emits[0]!.data.mvoc.toLowerCase()).toBe('acetoin');
    expect(JSON.parse(emits[0]!.data.frame)).toHaveProperty('payload');
  });

  it('marks echoed input that continues an incomplete chunk, until the chunk ends or is discarded', async () => {
    const m = fresh();
    const s = await m.createInteractiveVM('echo');
    await s.sendInput('function add(a,\n b)');
    await s.sendInput('  return a + b');
    await s.sendInput('end');
    await s.sendInput('if add(1, 2) == 3 then');
    expect(s.interrupt()).toBe(true);
    await s.sendInput('add(1, 2)');
    const echoed = s.readChunks().filter((c) => c.stream === 'input').map((c) => [c.text, c.continuation ?? false]);
    expect(echoed).toEqual([
      ['function add(a,\n', false],
      [' b)\n', true],
      ['  return a + b\n', true],
      ['end\n', true],
      ['if add(1, 2) == 3 then\n', false],
      ['add(1, 2)\n', false],
    ]);
  });

  it('resolves bioxen.metrics from its rock in lua/packages, which asks the host with {vm}', async () => {
    const m = fresh();
    const asked: unknown[] = [];
    m.handleCall('metrics.latest', (_vmId, data) => {
      asked.push(data);
      return { vm: 'cell-01', atp: 2.5 };
    });
    await m.createVM('metrics', { capabilities: { metrics: true } });
    const rockVersion = /^version = "([^"]+)-\d+"$/m.exec(readFileSync(join(import.meta.dirname, '../../lua/packages/bioxen-metrics/bioxen-metrics-0.1.0-1.rockspec'), 'utf8'))![1];
    const r = await m.executeVMSync('metrics', 'local metrics = require("bioxen.metrics") return metrics.VERSION, metrics.latest("cell-01").atp');
    expect(r.error).toBeUndefined();
    expect(r.values).toEqual([rockVersion, '2.5']);
    expect(asked).toEqual([{ vm: 'cell-01' }]);
  });

  it('fs capability confines io.open to the VM work dir', async () => {
    const m = fresh({ dataDir: join(dataDir, 'fs') });
    await m.createVM('files', { capabilities: { fs: true } });
    const w = await m.executeVMSync('files', 'local f = assert(io.open("note.txt", "w")) f:write("kept") f:close() return io.open("note.txt"):read("*a")');
    expect(w.values).toEqual(['kept']);
    expect(readFileSync(join(dataDir, 'fs', 'vms', 'files', 'note.txt'), 'utf8')).toBe('kept');
    expect((await m.executeVMSync('files', 'io.open("../escape.txt", "w")')).error?.message).toContain("leaves the VM work dir");
    expect((await m.executeVMSync('files', 'io.open("/etc/passwd")')).error?.message).toContain('outside the VM work dir');
    await m.createVM('empty');
    await m.terminateVMSession('empty');
    await m.terminateVMSession('files');
    expect(existsSync(join(dataDir, 'fs', 'vms', 'empty'))).toBe(false);
    expect(existsSync(join(dataDir, 'fs', 'vms', 'files', 'note.txt'))).toBe(true);
  });

  it('networked grants LuaSocket; native grants C rocks from the environment cpath', async () => {
    const cpath = '/usr/lib/x86_64-linux-gnu/lua/5.4/?.so';
    const m = fresh({ resolveEnvironment: () => ({ path: '', cpath }) });
    await m.createVM('net', { networked: true });
    expect((await m.executeVMSync('net', 'return type(require("socket").tcp)')).values).toEqual(['function']);
    if (existsSync(cpath.replace('?', 'cjson'))) {
      await m.createVM('native', { environment: 'sys', capabilities: { native: true } });
      expect((await m.executeVMSync('native', 'return require("cjson").encode({1, 2})')).values).toEqual(['[1,2]']);
      await m.createVM('nonative', { environment: 'sys' });
      expect((await m.executeVMSync('nonative', 'return require("cjson")')).error?.message).toContain('native capability');
    }
  });

  it('default limits: 100 MB of output never reaches the host; prlimit caps the address space', async () => {
    const m = fresh();
    const vm = await m.createVM('flood');
    const before = process.memoryUsage().rss;
    const r = await m.executeVMSync('flood', 'local line = ("x"):rep(99) for i = 1, 1e6 do print(line) end');
    expect(r.error?.limit).toBe('outputBytes');
    expect(r.stdout.length).toBeLessThan(4 * 1024 * 1024 + 200);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(readFileSync(`/proc/${vm.pid}/limits`, 'utf8')).toMatch(new RegExp(`Max address space\\s+${(256 * 2 + 256) * 1024 * 1024}`));
    const stats = await vm.stats();
    expect(stats.luaMemoryKb).toBeGreaterThan(0);
    expect(stats.rssKb).toBeGreaterThan(0);
  });

  it('survives failing emit listeners and unserializable call results', async () => {
    const m = fresh();
    m.on('emit', () => {
      throw new Error('listener bug');
    });
    m.handleCall('metrics.latest', () => ({ big: BigInt(1) }));
    await m.createVM('robust', { capabilities: { olfi: true, metrics: true } });
    const r = await m.executeVMSync('robust', 'local h = require("bioxen.host") h.emit("olfi", {}) return pcall(h.call, "metrics.latest", {})');
    expect(r.values[0]).toBe('false');
    expect(r.values[1]).toContain('BigInt');
    expect((await m.executeVMSync('robust', 'return "alive"')).values).toEqual(['alive']);
  });

  it('a runner whose host died mid-run exits instead of spinning on', async () => {
    const script = join(dataDir, 'orphan-host.mjs');
    writeFileSync(
      script,
      `const { VMManager } = await import(${JSON.stringify(join(__dirname, 'vm-manager.ts'))});
const m = new VMManager({ luaExecutable: 'lua5.4', defaultLimits: { instructionQuota: 0, timeoutMs: 0 } });
const vm = await m.createVM('orphan');
process.stdout.write(vm.pid + '\\n');
await vm.executeString('while true do end');
`,
    );
    const host = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    host.stdout.on('data', (d) => (out += d));
    await expect.poll(() => out, { timeout: 20_000 }).toMatch(/^\d+\n/);
    const runnerPid = Number(out.trim());
    expect(alive(runnerPid)).toBe(true);
    host.kill('SIGKILL');
    await expect.poll(() => alive(runnerPid), { timeout: 10_000 }).toBe(false);
  });

  it('keeps answering a ready VM while 200 others are being created', async () => {
    const m = fresh();
    await m.createVM('ready');
    let created = 0;
    const burst = Promise.all(Array.from({ length: 200 }, (_, i) => m.createVM(`burst-${i}`).then(() => created++)));
    // Asked on the event loop's next turn, as another window's request would arrive.
    const answered = new Promise<{ stdout: string; createdBefore: number }>((resolve, reject) => {
      setTimeout(() => m.executeVMSync('ready', 'return 1').then((r) => resolve({ stdout: r.stdout, createdBefore: created }), reject), 0);
    });
    const { stdout, createdBefore } = await answered;
    await burst;
    expect(stdout).toBe('1\n');
    expect(created).toBe(200);
    // Spawned back to back (the event loop blocked), all 200 were ready before the answer could be read.
    expect(createdBefore).toBeLessThan(100);
  }, 120_000);

  it('runs 100 concurrent sessions and dispose() kills every runner', async () => {
    const m = fresh();
    const ids = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const sessions = await Promise.all(ids.map((id) => m.createInteractiveVM(id)));
    await Promise.all(sessions.map((s, i) => s.sendInput(`n = ${i} * 2\n=n`)));
    sessions.forEach((s, i) => expect(s.readOutput()).toBe(`${i * 2}\n`));
    const pids = sessions.map((s) => s.process.pid!);
    expect(pids.every(alive)).toBe(true);
    await m.dispose();
    await expect.poll(() => pids.filter(alive).length).toBe(0);
    await expect(m.createVM('late')).rejects.toThrow(/disposed/);
  });
});
