// Packages domain: LuaRocks environments, rock repositories, the catalog and installs
// (services in src-main/packages/). Installs report progress through `packages:progress`.
import { z } from 'zod';
import { event, method } from './define';
import { sessionIdSchema } from './session-id';

export const envNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'an environment name is 1–64 letters, digits, "-" or "_", starting with a letter or digit');

/** "name", "name@1.2", "name >= 1.2, < 2". */
export const packageSpecSchema = z.string().trim().min(1).max(200);
export const packageNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a package name is letters, digits, ".", "-" or "_"');
export const luaVersionSchema = z.enum(['5.1', '5.2', '5.3', '5.4']);

export const repositorySchema = z.object({
  kind: z.enum(['bundled', 'directory', 'url', 'public']),
  /** An absolute directory or an http(s) URL, as LuaRocks takes it in rocks_servers. */
  location: z.string(),
});
export type Repository = z.output<typeof repositorySchema>;
export const repositoryStatusSchema = repositorySchema.extend({ reachable: z.boolean(), error: z.string().optional() });
export type RepositoryStatus = z.output<typeof repositoryStatusSchema>;

export const availableVersionSchema = z.object({
  version: z.string(),
  repository: repositorySchema,
  /** How the repository serves it: all (pure Lua binary), src (built on install), rockspec, or a platform. */
  arches: z.array(z.string()),
});
export type AvailableVersion = z.output<typeof availableVersionSchema>;

export const catalogEntrySchema = z.object({
  name: z.string(),
  category: z.string(),
  description: z.string(),
  priority: z.number(),
  tags: z.array(z.string()),
  /** Undefined when not curated and not known from a rockspec. */
  pureLua: z.boolean().optional(),
  curated: z.boolean(),
  bundled: z.boolean(),
  /** Newest first. */
  versions: z.array(availableVersionSchema),
});
export type CatalogEntry = z.output<typeof catalogEntrySchema>;

export const searchHitSchema = z.object({ entry: catalogEntrySchema, score: z.number() });
export type SearchHit = z.output<typeof searchHitSchema>;

export const environmentSchema = z.object({
  name: z.string(),
  luaVersion: luaVersionSchema,
  path: z.string(),
  createdAt: z.string(),
  /** The profile it was last bootstrapped from. */
  profile: z.string().optional(),
});
export type EnvironmentInfo = z.output<typeof environmentSchema>;

export const installedRockSchema = z.object({
  name: z.string(),
  version: z.string(),
  modules: z.array(z.string()),
  /** Dependency name → the version LuaRocks resolved it to. */
  dependencies: z.record(z.string(), z.string()),
});
export type InstalledRock = z.output<typeof installedRockSchema>;

export const brokenRockSchema = z.object({ name: z.string(), version: z.string(), module: z.string(), error: z.string() });
export type BrokenRock = z.output<typeof brokenRockSchema>;

export const healthSchema = z.object({
  name: z.string(),
  luaVersion: luaVersionSchema,
  luaExecutable: z.string().optional(),
  luarocksAvailable: z.boolean(),
  luarocksVersion: z.string().optional(),
  installedCount: z.number().int(),
  broken: z.array(brokenRockSchema),
  problems: z.array(z.string()),
  healthy: z.boolean(),
});
export type EnvironmentHealth = z.output<typeof healthSchema>;

/** Written out because the schema is recursive (zod cannot infer it); the schema below is checked against it. */
export interface DependencyNodeShape {
  name: string;
  constraint: string;
  /** The version that would be installed; undefined when no repository has a match. */
  version?: string | undefined;
  installedVersion?: string | undefined;
  /** Dependencies unknown (the repository keeps no rockspec for it). */
  unknown?: boolean | undefined;
  dependencies: DependencyNodeShape[];
}
export const dependencyNodeSchema: z.ZodType<DependencyNodeShape> = z.lazy(() =>
  z.object({
    name: z.string(),
    constraint: z.string(),
    version: z.string().optional(),
    installedVersion: z.string().optional(),
    unknown: z.boolean().optional(),
    dependencies: z.array(dependencyNodeSchema),
  }),
);

export const installProgressSchema = z.object({
  env: z.string(),
  name: z.string(),
  phase: z.enum(['resolving', 'installing', 'restoring', 'done', 'failed']),
  /** Packages finished so far and planned in total (a dependency tree's missing nodes). */
  step: z.number().int().min(0),
  total: z.number().int().min(0),
  line: z.string().optional(),
});
export type InstallProgress = z.output<typeof installProgressSchema>;

const rockRef = z.object({ name: z.string(), version: z.string() });

export const installResultSchema = z.object({
  env: z.string(),
  name: z.string(),
  version: z.string(),
  /** Rocks that were added or changed, dependencies included. */
  installed: z.array(rockRef),
});
export type InstallResult = z.output<typeof installResultSchema>;

export const bootstrapResultSchema = z.object({
  env: z.string(),
  profile: z.string(),
  installed: z.array(z.string()),
  alreadyInstalled: z.array(z.string()),
  failed: z.array(z.object({ name: z.string(), error: z.string() })),
  ok: z.boolean(),
});
export type BootstrapResult = z.output<typeof bootstrapResultSchema>;
const empty = z.object({}).default({});

export const packagesMethods = {
  'packages:catalog': method(
    'Categories and bootstrap profiles of the curated catalog.',
    empty,
    z.object({ categories: z.record(z.string(), z.string()), profiles: z.record(z.string(), z.object({ description: z.string(), packages: z.array(z.string()) })) }),
  ),
  'packages:search': method(
    'Search the catalog by name, tags and description (an empty query lists everything by priority).',
    z.object({ query: z.string().max(200).default(''), category: z.string().max(50).optional(), limit: z.number().int().min(1).max(1000).default(100) }),
    z.object({
      hits: z.array(searchHitSchema),
      unreachable: z.array(repositoryStatusSchema),
      /** Manifest and rockspec entries left out (a name or version outside LuaRocks' grammar), each naming its repository. */
      warnings: z.array(z.string()),
    }),
  ),
  'packages:info': method(
    'One catalog entry and the environments it is installed in.',
    z.object({ name: packageNameSchema }),
    z.object({ entry: catalogEntrySchema, installedIn: z.array(z.object({ env: z.string(), version: z.string() })) }),
  ),
  'packages:preview': method('The version and dependency tree an install would bring in.', z.object({ env: envNameSchema, spec: packageSpecSchema }), dependencyNodeSchema),
  'packages:install': method(
    'Install a package and its dependencies (progress on packages:progress); a failure leaves the environment unchanged.',
    z.object({ env: envNameSchema, spec: packageSpecSchema }),
    installResultSchema,
  ),
  'packages:update': method(
    'Install the newest available version of a package the environment has (progress on packages:progress).',
    z.object({ env: envNameSchema, name: packageNameSchema }),
    installResultSchema,
  ),
  'packages:recommendations': method('Up to five catalog packages worth adding to an environment, highest priority first.', z.object({ env: envNameSchema }), z.object({ packages: z.array(catalogEntrySchema) })),
  'packages:remove': method('Remove a package from an environment.', z.object({ env: envNameSchema, name: packageNameSchema }), z.object({})),
  'packages:list': method('Packages installed in an environment.', z.object({ env: envNameSchema }), z.object({ rocks: z.array(installedRockSchema) })),
  'packages:repositories': method('Rock repositories in priority order, each probed for reachability.', empty, z.object({ repositories: z.array(repositoryStatusSchema) })),
  'packages:addRepository': method('Add a directory or http(s) URL rock repository (after the bundled one, before luarocks.org).', z.object({ location: z.string().min(1).max(2000) }), repositorySchema),
  'packages:removeRepository': method('Remove a user-added repository.', z.object({ location: z.string().min(1).max(2000) }), z.object({})),
  'packages:environments': method('All environments.', empty, z.object({ environments: z.array(environmentSchema) })),
  'packages:createEnvironment': method('Create an empty environment for one Lua version.', z.object({ name: envNameSchema, luaVersion: luaVersionSchema.default('5.4') }), environmentSchema),
  'packages:deleteEnvironment': method('Delete an environment and all it holds.', z.object({ name: envNameSchema }), z.object({})),
  'packages:bootstrap': method(
    'Install a profile into an environment (created when missing); lists what failed.',
    z.object({ env: envNameSchema, profile: z.string().min(1).max(50) }),
    bootstrapResultSchema,
  ),
  'packages:bindSession': method(
    "Switch a live session to an environment: its require() sees that environment's rocks from now on.",
    z.object({ sessionId: sessionIdSchema, env: envNameSchema }),
    z.object({ sessionId: z.string(), env: z.string() }),
  ),
  'packages:health': method('Check an environment: luarocks, Lua version, installed count, broken rocks.', z.object({ env: envNameSchema }), healthSchema),
};

export const packagesEvents = {
  'packages:progress': event('A step or a luarocks output line of a running install.', installProgressSchema),
  'packages:changed': event('An environment was created, deleted, or its packages changed.', z.object({ env: z.string() })),
};
