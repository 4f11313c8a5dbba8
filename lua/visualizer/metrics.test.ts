// The visualizer's metrics state under LuaJIT (LÖVE's Lua): bounds hold whatever the stream sends,
// bad entries are counted with a reason, ATP flow is the smoothed rate of change.
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const visualizerDir = dirname(fileURLToPath(import.meta.url));

function luajit(body: string): string {
  const prelude =
    'package.path = "./?.lua;../packages/bioxen-olfi/src/?.lua;" .. package.path\n' +
    'local json = require("bioxen.olfi.json")\nlocal metrics = require("metrics")\nlocal m = metrics.new(json)\n' +
    'local function entry(vm, t, body) return { "vm", vm, "t", tostring(t), "metrics", body } end\n';
  return execFileSync('luajit', ['-e', prelude + body], { cwd: visualizerDir, encoding: 'utf8', timeout: 30_000 }).trim();
}

describe('visualizer metrics state (LuaJIT)', () => {
  it('keeps at most MAX_VMS VMs, evicting the least recently updated, and HISTORY samples each', () => {
    const out = luajit(`
      for i = 1, 40 do
        for t = 1, 200 do
          m:ingest(entry("vm" .. i, t, string.format('{"vm":"vm%d","t":%d,"atp":%d}', i, t, t % 7)))
        end
      end
      m:ingest(entry("vm40", 201, '{"vm":"vm40","t":201,"atp":1}'))
      local names = {}
      for _, vm in ipairs(m:list()) do names[#names + 1] = vm.name .. "=" .. #vm.history end
      print(m.count, m.evicted, m.samples, m.vms.vm24 == nil, m.vms.vm40 ~= nil, names[1])`);
    expect(out).toBe('16\t24\t8001\ttrue\ttrue\tvm25=120');
  });

  it('keeps MAX_GENES genes by name and compares scales across VMs', () => {
    const out = luajit(`
      local genes = {}
      for i = 1, 20 do genes[#genes + 1] = string.format('"g%02d":%d', i, i * 10) end
      assert(m:ingest(entry("a", 1, '{"vm":"a","t":1,"atp":25,"gene_expression":{' .. table.concat(genes, ",") .. '}}')))
      assert(m:ingest(entry("b", 1, '{"vm":"b","t":1,"atp":2,"gene_expression":{"x":500}}')))
      local atp_scale, gene_scale = m:scales()
      print(#m.vms.a.gene_names, m.vms.a.gene_names[1], m.vms.a.gene_names[8], atp_scale, gene_scale)`);
    expect(out).toBe('8\tg01\tg08\t25\t500');
  });

  it('counts bad entries with a reason and never raises', () => {
    const out = luajit(`
      local cases = {
        { "vm", "x" },
        entry("x", 1, "{"),
        entry("x", 1, "[1]"),
        entry("x", 1, '{"vm":"x","t":1,"atp":-1}'),
        entry("x", 1, '{"vm":"x","t":1,"atp":null}'),
        entry("x", 1, '{"vm":"x","t":1,"gene_expression":{"lacI":"high"}}'),
        entry("x", 1, '{"vm":"x","t":1,"gene_expression":[1]}'),
        entry("", "none", '{"atp":1}'),
        entry("x", "none", '{"vm":"x","atp":1}'),
      }
      for _, fields in ipairs(cases) do
        local ok, reason = m:ingest(fields)
        print(ok, reason)
      end
      print(m.bad, m.count)`);
    const lines = out.split('\n');
    expect(lines.at(-1)).toBe('9\t0');
    expect(lines.slice(0, -1).every((l) => l.startsWith('false\t'))).toBe(true);
    expect(out).toContain('entry has no metrics field');
    expect(out).toContain('metrics is not valid JSON');
    expect(out).toContain('atp must be a number >= 0 (mM)');
    expect(out).toContain('gene_expression.lacI must be a number >= 0');
    expect(out).toContain('t must be the sample time in seconds');
  });

  it('turns ATP changes into a smoothed flow rate (mM/s)', () => {
    const out = luajit(`
      for t = 0, 40 do m:ingest(entry("c", t, string.format('{"vm":"c","t":%d,"atp":%f}', t, 5 + 0.1 * t))) end
      for t = 41, 80 do m:ingest(entry("d", t, string.format('{"vm":"d","t":%d,"atp":%f}', t, 9 - 0.2 * (t - 41)))) end
      print(string.format("%.3f %.3f", m.vms.c.rate, m.vms.d.rate))`);
    expect(out).toBe('0.100 -0.200');
  });
});
