// Workbench shell figures: a contract call over the browser host's WebSocket that runs Lua and
// returns its result, and the size of the renderer's JavaScript after a production build.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApi } from '../../src-main/api/index';
import { BrowserHost } from '../../src-main/host/browser-host';
import { connectContractClient } from '../../src-main/host/contract-client';
import { createServices } from '../../src-main/services';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WARMUP = 200;
const SAMPLES = 2000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function execRoundTripP50(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-ui-bench-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
  const services = await createServices({ dataDir: join(dir, 'data'), appRoot: root, restoreSessions: false });
  const api = createApi(services);
  const host = await BrowserHost.start({ api, rendererDir: join(dir, 'renderer') });
  const client = await connectContractClient(`http://127.0.0.1:${host.port}`, host.token);
  try {
    const created = await client.invoke('sessions:create', { id: 'bench', luaVersion: 'lua5.4' });
    if (!created.ok) throw new Error(`sessions:create: ${created.error.message}`);
    const times: number[] = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const started = performance.now();
      const reply = await client.invoke('sessions:run', { id: 'bench', code: `return ${i} + 1` });
      const elapsed = performance.now() - started;
      if (!reply.ok || reply.value.values[0] !== String(i + 1)) throw new Error(`sessions:run gave ${JSON.stringify(reply)}`);
      if (i >= WARMUP) times.push(elapsed);
    }
    return median(times);
  } finally {
    client.close();
    await host.close();
    api.dispose();
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rendererBundleMb(): number {
  const build = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`electron-vite build failed (exit ${build.status}): ${build.stderr.slice(-2000)}`);
  const assets = join(root, 'out', 'renderer', 'assets');
  const bytes = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + statSync(join(assets, f)).size, 0);
  return bytes / (1024 * 1024);
}

export async function bench(): Promise<Record<string, number>> {
  const ui_exec_roundtrip_p50_ms = await execRoundTripP50();
  const renderer_bundle_mb = rendererBundleMb();
  return {
    ui_exec_roundtrip_p50_ms: Number(ui_exec_roundtrip_p50_ms.toFixed(3)),
    renderer_bundle_mb: Number(renderer_bundle_mb.toFixed(2)),
  };
}
