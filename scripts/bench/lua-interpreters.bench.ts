// Choosing a Lua by id: the first discovery (one `-v -e` probe per interpreter on PATH) and the
// cost each sessions:create pays afterwards to resolve an id against the discovered set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LuaInterpreters } from '../../src-main/vm/lua-discovery';

export async function bench(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bioxen-bench-lua-'));
  try {
    const interpreters = new LuaInterpreters({ dataDir });
    const t0 = performance.now();
    const found = await interpreters.list();
    const discovery = performance.now() - t0;
    const samples: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await interpreters.resolve(found[i % found.length]!.id);
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    return {
      lua_discovery_first_ms: Number(discovery.toFixed(1)),
      lua_interpreters_found: found.length,
      lua_resolve_id_p50_ms: Number(samples[Math.floor(samples.length / 2)]!.toFixed(4)),
      lua_resolve_id_p99_ms: Number(samples[Math.floor(samples.length * 0.99)]!.toFixed(4)),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
