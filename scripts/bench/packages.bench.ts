// Package curator figures: catalog search latency (bundled rocks + a generated 1,000-package
// repository) and the wall time of one install from the bundled repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Curator } from '../../src-main/packages/curator';
import { resourcesDir } from '../../src-main/packages/resource-paths';

const WORDS = ['json', 'http', 'sequence', 'parser', 'graph', 'matrix', 'socket', 'yaml', 'crypto', 'image', 'genome', 'stats', 'test', 'log', 'cli'];
const QUERIES = ['seq', 'dna', 'json', 'http client', 'pkg-0500', 'genome stats', 'circuit', 'zzz-nothing', 'parser', 'lua'];

function generatedManifest(count: number): string {
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `pkg-${String(i).padStart(4, '0')}-${WORDS[i % WORDS.length]}-${WORDS[(i * 7) % WORDS.length]}`;
    entries.push(`["${name}"] = { ["1.${i % 10}-1"] = { { arch = "rockspec" } }, ["2.0-1"] = { { arch = "all" } } }`);
  }
  return `commands = {}\nmodules = {}\nrepository = {\n${entries.join(',\n')}\n}\n`;
}

/** A repository whose manifest allocates 1.2 GB: how long until it is refused, and the reader's peak resident size. */
async function hostileManifest(root: string): Promise<Record<string, number>> {
  const repo = join(root, 'hostile-repo');
  mkdirSync(repo);
  writeFileSync(join(repo, 'manifest'), 'local t, s = {}, ("x"):rep(1024 * 1024)\nfor i = 1, 1200 do t[i] = s .. i end\nrepository = {}\n');
  const curator = new Curator({ dataDir: join(root, 'hostile-data'), bundledDir: join(root, 'no-bundled'), includePublic: false });
  curator.repositories.add(repo);
  const t0 = performance.now();
  const unreachable = await curator.refreshCatalog('5.4', true);
  const seconds = (performance.now() - t0) / 1000;
  const error = unreachable.find((s) => s.location === repo)?.error ?? '';
  const peak = /peaked at (\d+) MiB/.exec(error);
  if (!/exceeded the memory limit/.test(error) || !peak) throw new Error(`the hostile manifest was not refused as expected: ${error}`);
  return { hostile_manifest_refused_s: Number(seconds.toFixed(2)), hostile_manifest_reader_peak_mib: Number(peak[1]) };
}

function p50(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function bench(): Promise<Record<string, number>> {
  const root = mkdtempSync(join(tmpdir(), 'bioxen-bench-packages-'));
  try {
    execFileSync(process.execPath, [join(resourcesDir, '..', 'scripts', 'build-rocks.mjs')], { stdio: 'pipe' });
    const big = join(root, 'big-repo');
    mkdirSync(big);
    writeFileSync(join(big, 'manifest'), generatedManifest(1000));
    const curator = new Curator({ dataDir: join(root, 'data'), includePublic: false });
    curator.repositories.add(big);
    const refreshStarted = performance.now();
    await curator.refreshCatalog('5.4', true);
    const refreshMs = performance.now() - refreshStarted;
    const entries = curator.registry.entries().length;
    const samples: number[] = [];
    for (let round = 0; round < 50; round++) {
      for (const q of QUERIES) {
        const t0 = performance.now();
        curator.registry.search(q);
        samples.push(performance.now() - t0);
      }
    }
    const installs: number[] = [];
    for (let i = 0; i < 3; i++) {
      curator.createEnvironment(`bench${i}`);
      const t0 = performance.now();
      await curator.install(`bench${i}`, 'bioxen-seq');
      installs.push((performance.now() - t0) / 1000);
    }
    return {
      search_p50_ms: Number(p50(samples).toFixed(4)),
      search_catalog_entries: entries,
      catalog_refresh_1000_ms: Number(refreshMs.toFixed(1)),
      install_bundled_rock_s: Number(p50(installs).toFixed(3)),
      ...(await hostileManifest(root)),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
