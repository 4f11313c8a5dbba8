// `npm run bench`: runs every domain's benchmark and prints one JSON object of figures.
// Each module in this folder named `*.bench.ts` exports `bench(): Promise<Record<string, number>>`.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const figures: Record<string, number | string> = {};
for (const file of readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort()) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (only.length && !only.includes(name)) continue;
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { bench: () => Promise<Record<string, number>> };
  process.stderr.write(`[bench] ${name}…\n`);
  try {
    Object.assign(figures, await mod.bench());
  } catch (err) {
    figures[`${name}_error`] = err instanceof Error ? err.message : String(err);
  }
}
console.log(JSON.stringify(figures, null, 2));
process.exit(0);
