// The curated catalog file (resources/catalog/packages.json): categories, per-package metadata the
// repositories do not carry (category, priority, tags, pure Lua or C), and the bootstrap profiles.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PackageError } from './package-error';

export const curatedPackageSchema = z.object({
  name: z.string().min(1),
  category: z.string().min(1),
  priority: z.number().int().min(1).max(10),
  description: z.string(),
  tags: z.array(z.string()),
  pureLua: z.boolean(),
  modules: z.array(z.string()),
});
export type CuratedPackage = z.infer<typeof curatedPackageSchema>;

export const curatedCatalogSchema = z.object({
  version: z.literal(1),
  categories: z.record(z.string(), z.string()),
  packages: z.array(curatedPackageSchema),
  profiles: z.record(z.string(), z.object({ description: z.string(), packages: z.array(z.string()) })),
});
export type CuratedCatalog = z.infer<typeof curatedCatalogSchema>;

export function loadCuratedCatalog(path: string): CuratedCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new PackageError('internal', `cannot read the package catalog ${path} (${err instanceof Error ? err.message : String(err)}) — reinstall the workbench`);
  }
  const parsed = curatedCatalogSchema.safeParse(raw);
  if (!parsed.success) throw new PackageError('internal', `package catalog ${path} is invalid: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
