// `npm run bench`: runs every domain's benchmark and prints one JSON object of figures.
// Each module in this folder named `*.bench.ts` exports `bench(): Promise<Record<string, number>>`.
// Every module runs in a process of its own, so one domain's heap and GC never skew another's figures.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [first, ...rest] = process.argv.slice(2);

if (first === '--one') {
  const mod = (await import(pathToFileURL(join(here, `${rest[0]}.bench.ts`)).href)) as { bench: () => Promise<Record<string, number>> };
  process.stdout.write(JSON.stringify(await mod.bench()));
  process.exit(0);
}

const only = first ? [first, ...rest] : [];
const figures: Record<string, number | string> = {};
for (const file of readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort()) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`[bench] ${name}…\n`);
  try {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--one', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
    Object.assign(figures, JSON.parse(out));
  } catch (err) {
    figures[`${name}_error`] = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  }
}
console.log(JSON.stringify(figures, null, 2));
process.exit(0);
