import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleMetricsHostCall } from './metrics-host-calls';
import { MetricsStore } from './metrics-store';

function storeWithSample() {
  const store = new MetricsStore();
  store.add({ vm: 'cell-01', t: 10, atp: 3.5, growth: 0.4, geneExpression: { lacI: 12 }, series: { nutrient_mM: 4 }, receivedAt: 1234 });
  return store;
}

describe('metrics host calls', () => {
  it('answers metrics.latest in the wire casing', () => {
    const store = storeWithSample();
    const expected = { vm: 'cell-01', t: 10, atp: 3.5, growth: 0.4, gene_expression: { lacI: 12 }, nutrient_mM: 4, received_at: 1234 };
    expect(handleMetricsHostCall(store, 'metrics.latest', { vm: 'cell-01' })).toEqual(expected);
    expect(handleMetricsHostCall(store, 'metrics.latest', { vm: 'cell-99' })).toBeNull();
    expect(handleMetricsHostCall(store, 'metrics.vms', {})).toEqual(['cell-01']);
  });

  it('rejects bad input and unknown calls with a message that says what to send', () => {
    const store = storeWithSample();
    expect(() => handleMetricsHostCall(store, 'metrics.latest', { vm: 7 })).toThrow(/metrics.latest needs \{vm = '<cellular VM id>'\}/);
    expect(() => handleMetricsHostCall(store, 'metrics.latest', [])).toThrow(/needs/);
    // Only the bioxen-metrics rock's shape: {vmId} came from a built-in module that no longer exists.
    expect(() => handleMetricsHostCall(store, 'metrics.latest', { vmId: 'cell-01' })).toThrow(/metrics.latest needs \{vm = /);
    expect(() => handleMetricsHostCall(store, 'metrics.drop', {})).toThrow(/unknown host call "metrics.drop"/);
  });
});

describe('the bioxen.metrics Lua package', () => {
  const packageDir = join(import.meta.dirname, '../../lua/packages/bioxen-metrics');
  // A stand-in bioxen.host that answers like the host would, so the package is checked on its own.
  const harness = `
    package.path = "src/?.lua;" .. package.path
    local calls = {}
    package.preload["bioxen.host"] = function()
      return { call = function(kind, data) calls[#calls + 1] = kind .. ":" .. tostring(data.vm)
        if kind == "metrics.latest" and data.vm == "cell-01" then return { vm = "cell-01", atp = 3.5 } end
        if kind == "metrics.vms" then return { "cell-01" } end end }
    end
    local metrics = require("bioxen.metrics")
    print(metrics.latest("cell-01").atp, metrics.latest("cell-02"), metrics.vms()[1])
    print(select(2, pcall(metrics.latest, 42)))
    print(table.concat(calls, ","))`;

  it.each(['lua5.4', 'lua5.1', 'luajit'])('calls the host with {vm} and checks its argument on %s', (lua) => {
    const out = execFileSync(lua, ['-e', harness], { cwd: packageDir, encoding: 'utf8', timeout: 30_000 }).split('\n');
    expect(out[0]).toBe('3.5\tnil\tcell-01');
    expect(out[1]).toMatch(/vm_id must be a cellular VM id such as 'cell-01', got number/);
    expect(out[2]).toBe('metrics.latest:cell-01,metrics.latest:cell-02,metrics.vms:nil');
  });
});
