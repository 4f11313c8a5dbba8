// Rich-value figures: from a values:children request (through the contract, over the browser
// host's WebSocket) to the first page of a 100k-entry table in hand. The first page of a ref pays
// for its key snapshot (inspect.lua); each run re-returns the table, so each measurement does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createApi } from '../../src-main/api/index';
import { BrowserHost } from '../../src-main/host/browser-host';
import { connectContractClient } from '../../src-main/host/contract-client';
import { createServices } from '../../src-main/services';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function bench(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'bioxen-values-bench-'));
  const services = await createServices({ dataDir: join(dir, 'data'), appRoot: root, restoreSessions: false });
  const api = createApi(services);
  // The host serves no page here (the figure is the service's), only a placeholder for its check.
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>bench</title>');
  const host = await BrowserHost.start({ api, rendererDir: dir });
  const client = await connectContractClient(`http://127.0.0.1:${host.port}`, host.token);
  const call = async <T>(promise: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const reply = await promise;
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  };
  try {
    await call(client.invoke('sessions:create', { id: 'valuesbench', luaVersion: 'lua5.4', limits: { memoryMb: 1024, timeoutMs: 120_000, instructionQuota: 0 } }));
    /** Median ms from request to first page, over RUNS fresh refs of the table `build` makes. */
    const firstPage = async (build: string) => {
      await call(client.invoke('sessions:run', { id: 'valuesbench', code: `t = {} ${build}` }));
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const result = await call(client.invoke('sessions:run', { id: 'valuesbench', code: 'return t' }));
        const ref = result.previews?.[0]?.ref;
        if (ref === undefined) throw new Error(`no ref in ${JSON.stringify(result).slice(0, 300)}`);
        const started = performance.now();
        const page = await call(client.invoke('values:children', { id: 'valuesbench', ref, start: 1, count: 100 }));
        times.push(performance.now() - started);
        if (page.total !== 100_000 || page.items.length !== 100) throw new Error(`unexpected page: total ${page.total}, ${page.items.length} items`);
      }
      return Number(median(times).toFixed(1));
    };
    return {
      inspect_100k_table_first_page_ms: await firstPage('for i = 1, 100000 do t[i] = i * 0.5 end'),
      inspect_100k_map_first_page_ms: await firstPage("for i = 1, 100000 do t['gene' .. i] = i end"),
    };
  } finally {
    client.close();
    await host.close();
    api.dispose();
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
