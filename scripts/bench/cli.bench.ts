// CLI start-up: the wall time of one-shot `bioxen exec -e 'return 1'` as a user runs it (a fresh Node process,
// the real bin/bioxen.mjs, a sandboxed lua5.4 started and stopped), with bare Node's start on the same machine
// for scale and the same command compiled from the TypeScript sources through tsx (the path without a build).
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = 5;

function medianWallMs(args: string[], expected: string): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, BIOXEN_DATA_DIR: join(root, 'out', 'bench-cli-data') } });
    times.push(performance.now() - started);
    if (r.status !== 0 || r.stdout !== expected) throw new Error(`${args.join(' ')} gave ${r.status}: ${r.stdout}${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(RUNS / 2)]!);
}

export async function bench(): Promise<Record<string, number>> {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale', '--quiet'], { stdio: 'inherit' });
  const exec = ['exec', '-e', 'return 1'];
  return {
    cli_exec_cold_ms: medianWallMs([join(root, 'bin', 'bioxen.mjs'), ...exec], '1\n'),
    node_bare_cold_ms: medianWallMs(['-e', 'process.stdout.write("1\\n")'], '1\n'),
    cli_exec_from_source_ms: medianWallMs(['--import', 'tsx', join(root, 'src-main', 'cli', 'bioxen.ts'), ...exec], '1\n'),
  };
}
