// `bioxen dap` through the real bin/bioxen.mjs, driven by VS Code's own DAP test client
// (@vscode/debugadapter-testsupport): initialize → setBreakpoints → launch → stopped → stackTrace →
// scopes → variables → evaluate → stepIn/next/stepOut → continue → terminated.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROWTH_SCRIPT } from '../../testing/growth-script';

const bin = join(__dirname, '..', '..', '..', 'bin', 'bioxen.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bioxen-dap-test-'));
const program = join(dir, 'growth.lua');
writeFileSync(program, GROWTH_SCRIPT);

describe('bioxen dap', () => {
  let dc: DebugClient;

  beforeEach(async () => {
    dc = new DebugClient(bin, 'dap', 'bioxen', { env: { ...process.env, BIOXEN_DATA_DIR: dir } });
    // Generous: an unbuilt CLI compiles its TypeScript at start (a loaded machine takes many seconds).
    dc.defaultTimeout = 60_000;
    await dc.start();
  });
  afterEach(async () => {
    await dc.stop();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('launches, stops at a breakpoint, inspects, evaluates, steps and runs to the end', { timeout: 180_000 }, async () => {
    // The adapter may send 'initialized' right after its reply: listen before asking.
    const initialized = dc.waitForEvent('initialized');
    const init = await dc.initializeRequest({ adapterID: 'bioxen', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    expect(init.body).toMatchObject({ supportsConditionalBreakpoints: true, supportsLogPoints: true, supportsSetVariable: true });
    await initialized;
    const bps = await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: 7 }] });
    expect(bps.body.breakpoints).toMatchObject([{ verified: true, line: 7 }]);
    await dc.configurationDoneRequest();
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const stopped = dc.waitForEvent('stopped');
    await dc.launch({ program, lua: 'lua5.4', capabilities: [], limits: { instructionQuota: 10_000_000 } } as DebugProtocol.LaunchRequestArguments);
    expect((await stopped).body).toMatchObject({ reason: 'breakpoint', threadId: 1 });

    const threads = await dc.threadsRequest();
    expect(threads.body.threads).toHaveLength(1);
    const stack = await dc.stackTraceRequest({ threadId: 1 });
    expect(stack.body.stackFrames).toMatchObject([{ name: 'main chunk', line: 7, source: { path: program } }]);
    const frameId = stack.body.stackFrames[0].id;
    const scopes = await dc.scopesRequest({ frameId });
    expect(scopes.body.scopes[0]).toMatchObject({ name: 'Locals' });
    const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
    const cells = locals.body.variables.find((v) => v.name === 'cells');
    expect(cells).toMatchObject({ type: 'table' });
    expect(locals.body.variables.find((v) => v.name === 'step')).toMatchObject({ value: '1' });
    const fields = await dc.variablesRequest({ variablesReference: cells!.variablesReference });
    expect(fields.body.variables).toEqual([expect.objectContaining({ name: 'count', value: '10' })]);
    const evaluated = await dc.evaluateRequest({ expression: 'cells.count * 100', frameId, context: 'watch' });
    expect(evaluated.body.result).toBe('1000');

    // stepIn enters grow, next moves a line, stepOut returns to the loop.
    await Promise.all([dc.stepInRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { path: program, line: 2 })]);
    const inGrow = await dc.stackTraceRequest({ threadId: 1 });
    expect(inGrow.body.stackFrames.map((f) => f.name)).toEqual(['grow', 'main chunk']);
    await Promise.all([dc.nextRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { path: program, line: 3 })]);
    const growScopes = await dc.scopesRequest({ frameId: (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id });
    const growLocals = await dc.variablesRequest({ variablesReference: growScopes.body.scopes[0].variablesReference });
    expect(growLocals.body.variables.map((v) => [v.name, v.value])).toEqual([
      ['n', '10'],
      ['rate', '2'],
      ['next_n', '20'],
    ]);
    await dc.setVariableRequest({ variablesReference: growScopes.body.scopes[0].variablesReference, name: 'next_n', value: '25' });
    await Promise.all([dc.stepOutRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    const out = await dc.stackTraceRequest({ threadId: 1 });
    expect(out.body.stackFrames.map((f) => f.name)).toEqual(['main chunk']);

    await dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('terminated')]);
    // 10 → 25 (set while stopped) → 50 → 100
    expect(output.join('')).toContain('cells\t100\n');
  });

  it('says what is wrong with a bad launch configuration', { timeout: 120_000 }, async () => {
    await dc.initializeRequest({ adapterID: 'bioxen', pathFormat: 'path' });
    await expect(dc.launch({ program: join(dir, 'missing.lua') } as DebugProtocol.LaunchRequestArguments)).rejects.toThrow(/cannot read .*missing\.lua/);
  });

  it('offers the exception filters; with "all" it stops where a caught error was raised', { timeout: 180_000 }, async () => {
    const caught = join(dir, 'caught.lua');
    writeFileSync(caught, ['local ok, err = pcall(function()', '  error("bad rate")', 'end)', 'print(ok, err)'].join('\n'));
    // The event follows the reply at once: listen before asking (a warm CLI answers in a moment).
    const initialized = dc.waitForEvent('initialized');
    const init = await dc.initializeRequest({ adapterID: 'bioxen', pathFormat: 'path' });
    expect(init.body?.exceptionBreakpointFilters?.map((f) => f.filter)).toEqual(['uncaught', 'all']);
    await initialized;
    await dc.setExceptionBreakpointsRequest({ filters: ['all'] });
    await dc.configurationDoneRequest();
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const stopped = dc.waitForEvent('stopped');
    await dc.launch({ program: caught, lua: 'lua5.4', capabilities: [] } as DebugProtocol.LaunchRequestArguments);
    expect((await stopped).body).toMatchObject({ reason: 'exception', text: expect.stringContaining('bad rate') });
    const stack = await dc.stackTraceRequest({ threadId: 1 });
    expect(stack.body.stackFrames[0]).toMatchObject({ line: 2, source: { path: caught } });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('terminated')]);
    expect(output.join('')).toContain(`false\t${caught}:2: bad rate\n`);
  });
});
