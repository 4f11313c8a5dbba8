// Where the bundled resources live: the project root in development, next to the app when packaged.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'resources', 'catalog'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(start, '..', '..');
    dir = parent;
  }
  return dir;
}

export const resourcesDir = join(findRoot(dirname(fileURLToPath(import.meta.url))), 'resources');
export const bundledRocksDir = join(resourcesDir, 'rocks');
export const curatedCatalogPath = join(resourcesDir, 'catalog', 'packages.json');
