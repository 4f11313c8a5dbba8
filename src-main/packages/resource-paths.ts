// Where the bundled resources live: resources/ of the workbench's folder.
import { join } from 'node:path';
import { findAppRoot } from '../app-root';

export const resourcesDir = join(findAppRoot(), 'resources');
export const bundledRocksDir = join(resourcesDir, 'rocks');
export const curatedCatalogPath = join(resourcesDir, 'catalog', 'packages.json');
