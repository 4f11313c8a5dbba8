// bioxen.plot in a real session (lua5.4 and the other interpreters for one plot): what reaches the
// output buffer, the argument errors a user sees, and the output limit a plot is charged to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plotSpecSchema, type PlotSpec } from '../../src-preload/contract/plots';
import type { InteractiveSession } from './interactive-session';
import { which } from './lua-discovery';
import { VMManager } from './vm-manager';

const limits = { instructionQuota: 0, memoryMb: 256, outputBytes: 64 * 1024 * 1024, timeoutMs: 60_000 };

async function plotsOf(session: InteractiveSession, code: string): Promise<PlotSpec[]> {
  session.readChunks('test');
  const r = await session.run(code);
  expect(r.error?.message).toBeUndefined();
  return session
    .readChunks('test')
    .filter((c) => c.stream === 'plot')
    .map((c) => plotSpecSchema.parse(JSON.parse(c.text)));
}

describe('bioxen.plot on lua5.4', () => {
  let manager: VMManager;
  let session: InteractiveSession;

  beforeAll(async () => {
    manager = new VMManager({ luaExecutable: 'lua5.4', defaultLimits: limits });
    session = await manager.createInteractiveVM('plots', { autoAttach: false });
  });
  afterAll(async () => {
    await manager.dispose();
  });

  it('takes every documented form and keeps series names, labels and options', async () => {
    const plots = await plotsOf(
      session,
      `local plot = require('bioxen.plot')
       plot.line{x = {1, 2, 3}, y = {1, 4, 9}, title = 'squares', xlabel = 'n', ylabel = 'n²', name = 'sq'}
       plot.scatter({1, 2, 3}, {3, 1, 2})
       plot.step({0, 1, 2}, {a = {1, 2, 3}, b = {3, 2, 1}}, {logy = true})
       plot.line{series = {{name = 'only', y = {5, 6}}}}
       plot.bar{labels = {'A', 'C', 'G', 'T'}, y = {10, 20, 30, 40}}
       plot.histogram({1, 1, 2, 3, 3, 3}, {bins = 3})
       local circuits = require('bioxen.circuits')
       circuits.plot(circuits.simulate(circuits.models.toggle_switch(), {t_end = 1, dt = 0.5, emit = false}))
       require('bioxen').show{{gene = 'lacI', n = 2}, {gene = 'tetR', n = 1, note = true}}`,
    );
    expect(plots.map((p) => p.kind)).toEqual(['line', 'scatter', 'step', 'line', 'bar', 'histogram', 'line', 'table']);
    expect(plots[0]).toMatchObject({ title: 'squares', xlabel: 'n', ylabel: 'n²', x: [1, 2, 3], series: [{ name: 'sq', y: [1, 4, 9] }], points: 3 });
    expect(plots[1]).toMatchObject({ x: [1, 2, 3], series: [{ y: [3, 1, 2] }] });
    expect(plots[2]).toMatchObject({ logy: true, series: [{ name: 'a' }, { name: 'b', y: [3, 2, 1] }] });
    expect(plots[3]).toMatchObject({ x: [1, 2], series: [{ name: 'only' }] });
    expect(plots[4]).toMatchObject({ labels: ['A', 'C', 'G', 'T'], series: [{ y: [10, 20, 30, 40] }] });
    expect(plots[5]).toMatchObject({ x: [1, 1 + 2 / 3, 1 + 4 / 3], series: [{ y: [2, 1, 3] }], points: 6 });
    // A simulation's series are drawn in its species order, over t.
    expect(plots[6]).toMatchObject({ title: 'toggle_switch', xlabel: 't', x: [0, 0.5, 1], series: [{ name: 'u' }, { name: 'v' }] });
    expect(plots[7]).toEqual({ kind: 'table', columns: ['gene', 'n', 'note'], rows: [['lacI', 2, null], ['tetR', 1, true]] });
  });

  it('keeps a plot in the session output: a reader attaching later gets it replayed', async () => {
    await session.run(`require('bioxen.plot').line{y = {1, 2}, title = 'kept'}`);
    const { replay } = session.attach('late-window');
    session.detach('late-window');
    const kept = replay.filter((c) => c.stream === 'plot').map((c) => plotSpecSchema.parse(JSON.parse(c.text)));
    expect(kept.some((p) => p.title === 'kept')).toBe(true);
  });

  it('shows non-finite values as gaps and counts them', async () => {
    const [p] = await plotsOf(session, `require('bioxen.plot').line{x = {1, 2, 3, 4}, y = {1, 0/0, 1/0, 2}}`);
    expect(p).toMatchObject({ series: [{ y: [1, null, null, 2] }], gaps: 2 });
  });

  it.each([
    ['plot.line{x = {1, 2, 3}, y = {1, 2}}', 'plot.line: y has 2 values but x has 3 — give every series one value per x'],
    ["plot.line{x = {1, 2}, series = {a = {1, 2}, b = {1}}}", "plot.line: series 'b' has 1 values but x has 2 — give every series one value per x"],
    ["plot.line{y = {1, 'a'}}", 'plot.line: y[2] must be a number, got string'],
    ['plot.line{y = {}}', 'plot.line: y is empty — give at least one number'],
    ['plot.line{}', 'plot.line: nothing to draw — give y = {…} or series = {…}'],
    ["plot.scatter('x')", 'plot.scatter expects {x = …, y = …}, (xs, ys), or a simulation result {t = …, series = …}; got string'],
    ['plot.line{y = {1, 0}, logy = true}', 'plot.line: y[2] is 0, but a log axis needs values > 0 — drop it or use a linear axis'],
    ["plot.line{y = {1}, title = {}}", 'plot.line: option title must be a string, got table'],
    ["plot.line{y = {1}, logx = 'yes'}", 'plot.line: option logx must be true or false, got string'],
    ['plot.histogram{values = {1, 2}, bins = 0}', 'plot.histogram: bins must be a whole number from 1 to 10000, got 0'],
    ["plot.bar{labels = {'a', {}}, y = {1, 2}}", 'plot.bar: labels[2] must be a string, got table'],
    ['plot.show(5)', 'bioxen.show expects an array of records {{name = …, value = …}, …}; got number'],
    ['plot.show{1}', 'bioxen.show: rows[1] must be a table (a record), got number'],
  ])('%s fails at the call with a clear message', async (call, message) => {
    const r = await session.run(`local plot = require('bioxen.plot')\n${call}`, '=script');
    expect(r.error?.message).toBe(`script:2: ${message}`);
  });

  it('decimates a long series on the host and keeps the count', async () => {
    const [p] = await plotsOf(session, 'local y = {} for i = 1, 2e5 do y[i] = math.sin(i / 1e3) end y[100000] = 5 require("bioxen.plot").line(y)');
    if (p!.kind === 'table') throw new Error('expected a line');
    expect(p!.points).toBe(200_000);
    expect(p!.x.length).toBeLessThanOrEqual(4000);
    expect(Math.max(...(p!.series[0]!.y as number[]))).toBe(5);
  });

  it('charges a plot to outputBytes: over the cap it is dropped whole with the limit error and the marker', async () => {
    const r = await session.run('local y = {} for i = 1, 1e4 do y[i] = i end require("bioxen.plot").line(y)', '=script', { outputBytes: 4096 });
    expect(r.error).toMatchObject({ limit: 'outputBytes' });
    expect(r.error?.message).toMatch(/output limit exceeded \(outputBytes = 4096 bytes\) by a plot of \d+ bytes/);
    const chunks = session.readChunks('test');
    expect(chunks.some((c) => c.stream === 'plot')).toBe(false);
    expect(chunks.some((c) => c.stream === 'system' && /bytes dropped/.test(c.text))).toBe(true);
  });
});

const others = ['lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));

describe.each(others)('bioxen.plot on %s', (lua) => {
  it('draws a line and reports a bad argument at the call', async () => {
    const manager = new VMManager({ luaExecutable: lua, defaultLimits: limits });
    try {
      const session = await manager.createInteractiveVM('plots', { autoAttach: false });
      const [p] = await plotsOf(session, "require('bioxen.plot').line{x = {1, 2.5}, y = {0.1, 0/0}}");
      expect(p).toMatchObject({ x: [1, 2.5], series: [{ y: [0.1, null] }], gaps: 1 });
      const r = await session.run("require('bioxen.plot').line{y = {1, 'a'}}", '=script');
      expect(r.error?.message).toBe('script:1: plot.line: y[2] must be a number, got string');
    } finally {
      await manager.dispose();
    }
  });
});
