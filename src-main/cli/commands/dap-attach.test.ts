// `bioxen dap` attached to a session of a running workbench (a real `bioxen serve` child with lua5.4),
// driven by VS Code's DAP test client while a contract client plays the workbench's UI: the UI starts the
// session's debugged run, the DAP client stops it at its breakpoint, inspects, steps, continues and
// detaches; the session lives on and runs without stopping. Also: what a refused or missing workbench says.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../../src-preload/contract/index';
import { connectContractClient, type ContractClient } from '../../host/contract-client';
import { ENDPOINT_FILE, readEndpoint, type WorkbenchEndpoint } from '../../host/workbench-endpoint';
import { alive, scratchDir, waitFor } from '../../testing/test-helpers';
import { BIOXEN_BIN } from '../../testing/bioxen-cli';
import { GROWTH_SCRIPT } from '../../testing/growth-script';

const scratch = scratchDir('bioxen-dap-attach-');
const dataDir = join(scratch.path, 'data');
const renderer = join(scratch.path, 'renderer');
mkdirSync(renderer);
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>served</title>');

const script = 'growth.lua';
const scriptPath = join(dataDir, 'scripts', script);

let host: ChildProcess;
let endpoint: WorkbenchEndpoint;
/** The workbench's UI, as far as this test needs it: the contract over the host's socket. */
let ui: ContractClient;

async function call<N extends MethodName>(name: N, input: MethodInput<N>): Promise<MethodOutput<N>> {
  const reply = await ui.invoke(name, input);
  if (!reply.ok) throw new Error(`${name}: ${reply.error.message}`);
  return reply.value;
}

function adapter(): DebugClient {
  const dc = new DebugClient(BIOXEN_BIN, 'dap', 'bioxen', { env: { ...process.env, BIOXEN_DATA_DIR: dataDir } });
  // Generous: an unbuilt CLI compiles its TypeScript at start (a loaded machine takes many seconds).
  dc.defaultTimeout = 60_000;
  return dc;
}

async function initialize(dc: DebugClient): Promise<void> {
  // The adapter sends 'initialized' right after its reply: listen before asking.
  const initialized = dc.waitForEvent('initialized');
  await dc.initializeRequest({ adapterID: 'bioxen', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  await initialized;
}

beforeAll(async () => {
  host = spawn(process.execPath, [BIOXEN_BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, BIOXEN_RENDERER_DIR: renderer },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  host.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor('the workbench to serve', () => /serving at/.test(out), 90_000);
  endpoint = readEndpoint(dataDir);
  ui = await connectContractClient(`http://127.0.0.1:${endpoint.port}`, endpoint.token);
  await call('sessions:create', { id: 'lab', luaVersion: 'lua5.4' });
  await call('workspace:write', { name: script, content: GROWTH_SCRIPT });
}, 120_000);

afterAll(async () => {
  ui?.close();
  if (host && host.exitCode === null) {
    const exited = new Promise((r) => host.once('exit', r));
    host.kill('SIGTERM');
    await exited;
  }
  scratch.remove();
});

describe('the workbench endpoint record', () => {
  it('the running workbench records its socket privately: 0600, with its pid', () => {
    expect(statSync(join(dataDir, ENDPOINT_FILE)).mode & 0o777).toBe(0o600);
    expect(endpoint).toMatchObject({ host: '127.0.0.1', kind: 'browser', pid: host.pid });
  });
});

describe('bioxen dap attach', () => {
  let dc: DebugClient;

  beforeEach(async () => {
    dc = adapter();
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
  });

  it('attaches to the only session, stops the run the workbench starts, inspects, steps, continues and detaches', { timeout: 240_000 }, async () => {
    await initialize(dc);
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await dc.attachRequest({} as DebugProtocol.AttachRequestArguments);
    expect(output.join('')).toContain('Attached to session "lab"');
    const bps = await dc.setBreakpointsRequest({ source: { path: scriptPath }, breakpoints: [{ line: 7 }] });
    expect(bps.body.breakpoints).toMatchObject([{ verified: true, line: 7 }]);
    await dc.configurationDoneRequest();
    // The client's breakpoints are its own: the workbench's list does not show them.
    expect((await call('debug:breakpoints', {})).scripts).toEqual([]);

    // The workbench's UI starts the session's script under the debugger (its Debug command).
    const uiStops: unknown[] = [];
    const offStops = ui.on('debug:stopped', (e) => uiStops.push(e));
    const stopped = dc.waitForEvent('stopped');
    const firstRun = call('debug:run', { id: 'lab', code: GROWTH_SCRIPT, script });
    expect((await stopped).body).toMatchObject({ reason: 'breakpoint', threadId: 1 });
    // Both look at the same stopped run.
    await waitFor('the UI to hear the stop', () => uiStops.length === 1);
    expect(uiStops[0]).toMatchObject({ id: 'lab', stop: { reason: 'breakpoint', script, line: 7 } });
    offStops();

    const stack = await dc.stackTraceRequest({ threadId: 1 });
    expect(stack.body.stackFrames).toMatchObject([{ name: 'main chunk', line: 7, source: { path: scriptPath } }]);
    const frameId = stack.body.stackFrames[0].id;
    const scopes = await dc.scopesRequest({ frameId });
    expect(scopes.body.scopes[0]).toMatchObject({ name: 'Locals' });
    const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
    expect(locals.body.variables.find((v) => v.name === 'step')).toMatchObject({ value: '1' });
    const cells = locals.body.variables.find((v) => v.name === 'cells');
    const fields = await dc.variablesRequest({ variablesReference: cells!.variablesReference });
    expect(fields.body.variables).toEqual([expect.objectContaining({ name: 'count', value: '10' })]);
    expect((await dc.evaluateRequest({ expression: 'cells.count * 100', frameId, context: 'watch' })).body.result).toBe('1000');

    // Step over the call to grow: the loop goes round to its next step, grow having doubled the count.
    await Promise.all([dc.nextRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const afterNext = await dc.stackTraceRequest({ threadId: 1 });
    expect(afterNext.body.stackFrames.map((f) => f.name)).toEqual(['main chunk']);
    expect((await dc.evaluateRequest({ expression: 'cells.count', frameId: afterNext.body.stackFrames[0].id, context: 'watch' })).body.result).toBe('20');

    // Continue: the breakpoint stops the next round.
    const again = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    expect((await again).body).toMatchObject({ reason: 'breakpoint' });
    expect((await dc.evaluateRequest({ expression: 'step', frameId: 1, context: 'watch' })).body.result).toBe('2');

    // Detach while stopped: the run goes on to its end, the session stays.
    await dc.disconnectRequest({});
    const first = await firstRun;
    expect(first.success).toBe(true);
    expect(first.stdout).toBe('cells\t80\n');
    const { sessions } = await call('sessions:list', { recentChunks: 0 });
    const lab = sessions.find((s) => s.info.id === 'lab')!.info;
    expect(lab.state).toBe('idle');
    expect(alive(lab.pid!)).toBe(true);
    // The client's breakpoint went with it: the next debugged run does not stop.
    const noStops: unknown[] = [];
    const offAgain = ui.on('debug:stopped', (e) => noStops.push(e));
    const second = await call('debug:run', { id: 'lab', code: GROWTH_SCRIPT, script });
    offAgain();
    expect(second).toMatchObject({ success: true, stdout: 'cells\t80\n' });
    expect(noStops).toEqual([]);
  });

  it('pauses the run going on; a client attaching to a stopped run is shown the stop', { timeout: 180_000 }, async () => {
    await initialize(dc);
    await dc.attachRequest({ session: 'lab' } as DebugProtocol.AttachRequestArguments);
    await dc.configurationDoneRequest();
    const loop = ['local n = 0', 'while true do', '  n = n + 1', 'end'].join('\n');
    const run = call('debug:run', { id: 'lab', code: loop, script: 'loop.lua' });
    await waitFor('the run to start', async () => (await call('debug:runs', {})).runs.some((r) => r.id === 'lab'));
    const paused = dc.waitForEvent('stopped');
    await dc.pauseRequest({ threadId: 1 });
    expect((await paused).body).toMatchObject({ reason: 'pause' });
    expect(Number((await dc.evaluateRequest({ expression: 'n', frameId: 1, context: 'watch' })).body.result)).toBeGreaterThan(0);

    const late = adapter();
    await late.start();
    try {
      await initialize(late);
      await late.attachRequest({ session: 'lab' } as DebugProtocol.AttachRequestArguments);
      const shown = late.waitForEvent('stopped');
      await late.configurationDoneRequest();
      expect((await shown).body).toMatchObject({ reason: 'pause' });
      // Its detach lets the run go on; the first client hears it continue.
      const continued = dc.waitForEvent('continued');
      await late.disconnectRequest({});
      await continued;
    } finally {
      await late.stop();
    }
    await call('sessions:interrupt', { id: 'lab' });
    expect(await run).toMatchObject({ success: false, error: { message: 'interrupted!' } });
  });

  it('a workbench breakpoint on the same line applies; the client\'s is reported unverified', { timeout: 120_000 }, async () => {
    await initialize(dc);
    await dc.attachRequest({ session: 'lab' } as DebugProtocol.AttachRequestArguments);
    await call('debug:setBreakpoints', { script, breakpoints: [{ line: 7 }] });
    try {
      const bps = await dc.setBreakpointsRequest({ source: { path: scriptPath }, breakpoints: [{ line: 7 }, { line: 9 }] });
      expect(bps.body.breakpoints).toMatchObject([
        { verified: false, line: 7, message: expect.stringContaining('the workbench has a breakpoint on this line') },
        { verified: true, line: 9 },
      ]);
    } finally {
      await call('debug:setBreakpoints', { script, breakpoints: [] });
    }
  });

  it('ends the debug session when the workbench closes the attached session', { timeout: 120_000 }, async () => {
    await call('sessions:create', { id: 'brief', luaVersion: 'lua5.4' });
    await initialize(dc);
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    await dc.attachRequest({ session: 'brief' } as DebugProtocol.AttachRequestArguments);
    const terminated = dc.waitForEvent('terminated');
    await call('sessions:terminate', { id: 'brief' });
    await terminated;
    expect(output.join('')).toContain('session "brief" was closed in the workbench');
  });

  it('says which sessions there are when the one named is not', { timeout: 120_000 }, async () => {
    await initialize(dc);
    await expect(dc.attachRequest({ session: 'nope' } as DebugProtocol.AttachRequestArguments)).rejects.toThrow('the workbench has no session "nope" — its sessions: lab');
  });

  it('refuses a wrong token with a clear error', { timeout: 120_000 }, async () => {
    await initialize(dc);
    await expect(dc.attachRequest({ port: endpoint.port, token: 'not-the-token' } as DebugProtocol.AttachRequestArguments)).rejects.toThrow(
      `the workbench at http://127.0.0.1:${endpoint.port} refused the token`,
    );
  });

  it('says so when no workbench runs with the data dir', { timeout: 120_000 }, async () => {
    await initialize(dc);
    const empty = join(scratch.path, 'empty');
    mkdirSync(empty);
    await expect(dc.attachRequest({ dataDir: empty } as DebugProtocol.AttachRequestArguments)).rejects.toThrow(`no workbench is running with the data dir ${empty}`);
  });
});

describe('a debugger client that goes away without detaching', () => {
  it('takes its breakpoints with it when its connection closes', { timeout: 120_000 }, async () => {
    const client = await connectContractClient(`http://127.0.0.1:${endpoint.port}`, endpoint.token);
    const attached = await client.invoke('debug:attach', { id: 'lab' });
    if (!attached.ok) throw new Error(attached.error.message);
    const set = await client.invoke('debug:setBreakpoints', { script, breakpoints: [{ line: 7 }], attachment: attached.value.attachment });
    expect(set).toMatchObject({ ok: true, value: { breakpoints: [{ verified: true }] } });
    client.close();
    const stops: unknown[] = [];
    const off = ui.on('debug:stopped', (e) => stops.push(e));
    // The close reaches the host a moment later; a run started before that would stop.
    await waitFor('the attachment to go', async () => (await ui.invoke('debug:setBreakpoints', { script, breakpoints: [], attachment: attached.value.attachment })).ok === false);
    const run = await call('debug:run', { id: 'lab', code: GROWTH_SCRIPT, script });
    off();
    expect(run.success).toBe(true);
    expect(stops).toEqual([]);
  });
});
