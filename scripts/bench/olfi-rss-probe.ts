// Child process of olfi.bench.ts: mirrors a stream's first N entries and prints its own RSS in MB, so the
// figure is the mirror's footprint and not whatever the benchmark process allocated before.
import { OlFiMirror } from '../../src-main/olfi/olfi-mirror';

const [url, key, countText] = process.argv.slice(2);
const count = Number(countText);
const mirror = new OlFiMirror({ url: url!, streamKey: key, capacity: count, start: { from: '0-0' } });
await new Promise<void>((resolve) => {
  mirror.on('update', (u) => {
    if (u.received >= count) resolve();
  });
  mirror.start();
});
global.gc?.();
const memory = process.memoryUsage();
// RSS keeps the heap's high-water mark; live is what the mirror still holds after a full GC.
const liveMb = (memory.heapUsed + memory.external) / 1024 / 1024;
process.stdout.write(`${JSON.stringify({ rssMb: memory.rss / 1024 / 1024, liveMb })}\n`);
await mirror.stop();
