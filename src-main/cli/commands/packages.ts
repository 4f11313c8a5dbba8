// `bioxen packages …` and `bioxen env …`: thin wrappers over the Curator (src-main/packages/).
import { parseArgs, UsageError, type CliCommand } from '../command';
import { resolveDataDir } from '../../config/data-dir';
import { Curator } from '../../packages/curator';
import type { DependencyNode } from '../../packages/package-installer';
import type { RepositoryStatus } from '../../packages/repository-manager';

const COMMON = { string: ['data-dir'], boolean: ['json', 'offline'] } as const;

function curatorFrom(flags: Record<string, string | boolean>): Curator {
  return new Curator({ dataDir: resolveDataDir(typeof flags['data-dir'] === 'string' ? flags['data-dir'] : undefined), includePublic: flags.offline !== true });
}

function parse(args: readonly string[], extra: { string?: string[]; boolean?: string[] } = {}) {
  return parseArgs(args, { string: [...COMMON.string, ...(extra.string ?? [])], boolean: [...COMMON.boolean, ...(extra.boolean ?? [])] });
}

function one(positional: string[], what: string): string {
  if (positional.length !== 1) throw new UsageError(`expected one ${what}, got ${positional.length ? positional.join(' ') : 'none'}`);
  return positional[0]!;
}

function envFlag(flags: Record<string, string | boolean>): string {
  if (typeof flags.env !== 'string') throw new UsageError('--env ENV is required (list environments with: bioxen env list)');
  return flags.env;
}

function print(flags: Record<string, string | boolean>, value: unknown, text: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

function warnUnreachable(statuses: RepositoryStatus[]): void {
  for (const s of statuses) process.stderr.write(`warning: ${s.error ?? `${s.location} unreachable`}\n`);
}

function tree(node: DependencyNode, indent = ''): string {
  const state = node.installedVersion ? (node.installedVersion === node.version ? ' (installed)' : ` (installed ${node.installedVersion})`) : '';
  const line = `${indent}${node.name} ${node.version ?? `— no version matches "${node.constraint}"`}${state}${node.unknown ? ' (dependencies unknown)' : ''}`;
  return [line, ...node.dependencies.map((d) => tree(d, `${indent}  `))].join('\n');
}

const search: CliCommand = {
  path: ['packages', 'search'],
  usage: 'packages search QUERY [--category C] [--limit N] [--json] [--offline] [--data-dir D]',
  summary: 'Search the package catalog (bundled BioXen rocks, your repositories, luarocks.org) by name, tags and description.',
  async run(args) {
    const { flags, positional } = parse(args, { string: ['category', 'limit'] });
    const curator = curatorFrom(flags);
    const limit = typeof flags.limit === 'string' ? Number(flags.limit) : undefined;
    if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) throw new UsageError(`--limit needs a whole number above 0, got "${String(flags.limit)}"`);
    const hits = await curator.search(positional.join(' '), { ...(typeof flags.category === 'string' ? { category: flags.category } : {}), ...(limit !== undefined ? { limit } : {}) });
    warnUnreachable(curator.registry.unreachable);
    for (const warning of curator.registry.warnings) process.stderr.write(`warning: ${warning}\n`);
    print(flags, hits.map((h) => ({ ...h.entry, versions: h.entry.versions.map((v) => v.version), score: h.score })), () =>
      hits.length === 0 ? 'no packages found' : hits.map((h) => `${h.entry.name.padEnd(20)} ${(h.entry.versions[0]?.version ?? '-').padEnd(10)} ${h.entry.category.padEnd(9)} ${h.entry.description}`).join('\n'),
    );
    return 0;
  },
};

const info: CliCommand = {
  path: ['packages', 'info'],
  usage: 'packages info NAME [--json] [--offline] [--data-dir D]',
  summary: 'Show a package: description, versions, where it is installed.',
  async run(args) {
    const { flags, positional } = parse(args);
    const curator = curatorFrom(flags);
    const entry = await curator.info(one(positional, 'package name'));
    const where = await curator.installedWhere(entry.name);
    print(flags, { ...entry, installedIn: where }, () =>
      [`${entry.name} (${entry.category}, priority ${entry.priority}${entry.pureLua === undefined ? '' : entry.pureLua ? ', pure Lua' : ', C'})`, entry.description, `versions: ${entry.versions.map((v) => v.version).join(', ') || 'none reachable'}`, `installed in: ${where.map((w) => `${w.env} (${w.version})`).join(', ') || 'no environment'}`].join('\n'),
    );
    return 0;
  },
};

const install: CliCommand = {
  path: ['packages', 'install'],
  usage: 'packages install NAME[@VERSION] --env ENV [--preview] [--offline] [--data-dir D]',
  summary: 'Install a package (with its dependencies) into an environment; --preview only shows the dependency tree.',
  async run(args) {
    const { flags, positional } = parse(args, { string: ['env'], boolean: ['preview'] });
    const curator = curatorFrom(flags);
    const env = envFlag(flags);
    const spec = positional.join(' ');
    if (!spec) throw new UsageError('expected a package name');
    if (flags.preview) {
      const plan = await curator.preview(env, spec);
      warnUnreachable(curator.registry.unreachable);
      print(flags, plan, () => tree(plan));
      return 0;
    }
    const result = await curator.install(env, spec, (p) => {
      if (p.line !== undefined && !flags.json) process.stderr.write(`${p.line}\n`);
    });
    print(flags, result, () => `installed ${result.name} ${result.version} into ${env}${result.installed.length > 1 ? ` (with ${result.installed.filter((r) => r.name !== result.name).map((r) => `${r.name} ${r.version}`).join(', ')})` : ''}`);
    return 0;
  },
};

const update: CliCommand = {
  path: ['packages', 'update'],
  usage: 'packages update NAME --env ENV [--offline] [--data-dir D]',
  summary: 'Install the newest available version of an installed package.',
  async run(args) {
    const { flags, positional } = parse(args, { string: ['env'] });
    const env = envFlag(flags);
    const result = await curatorFrom(flags).update(env, one(positional, 'package name'));
    process.stdout.write(result.installed.length ? `updated ${result.name} to ${result.version} in ${env}\n` : `${result.name} ${result.version} is already the newest in ${env}\n`);
    return 0;
  },
};

const recommend: CliCommand = {
  path: ['packages', 'recommend'],
  usage: 'packages recommend --env ENV [--json] [--offline] [--data-dir D]',
  summary: 'Up to five packages worth adding to an environment, highest priority first.',
  async run(args) {
    const { flags } = parse(args, { string: ['env'] });
    const recs = await curatorFrom(flags).recommendations(envFlag(flags));
    print(flags, recs.map((r) => ({ name: r.name, category: r.category, priority: r.priority, description: r.description })), () =>
      recs.length === 0 ? 'nothing to recommend' : recs.map((r) => `${r.name.padEnd(20)} ${r.category.padEnd(9)} ${r.description}`).join('\n'),
    );
    return 0;
  },
};

const remove: CliCommand = {
  path: ['packages', 'remove'],
  usage: 'packages remove NAME --env ENV [--data-dir D]',
  summary: 'Remove a package from an environment.',
  async run(args) {
    const { flags, positional } = parse(args, { string: ['env'] });
    const name = one(positional, 'package name');
    await curatorFrom(flags).remove(envFlag(flags), name);
    process.stdout.write(`removed ${name}\n`);
    return 0;
  },
};

const list: CliCommand = {
  path: ['packages', 'list'],
  usage: 'packages list --env ENV [--json] [--data-dir D]',
  summary: 'List the packages installed in an environment.',
  async run(args) {
    const { flags } = parse(args, { string: ['env'] });
    const rocks = await curatorFrom(flags).list(envFlag(flags));
    print(flags, rocks, () => (rocks.length === 0 ? 'no packages installed' : rocks.map((r) => `${r.name.padEnd(20)} ${r.version.padEnd(10)} ${r.modules.join(', ')}`).join('\n')));
    return 0;
  },
};

const repos: CliCommand = {
  path: ['packages', 'repos'],
  usage: 'packages repos [--add DIR|URL] [--remove DIR|URL] [--json] [--offline] [--data-dir D]',
  summary: 'List the rock repositories in priority order with their reachability; add or remove your own.',
  async run(args) {
    const { flags } = parse(args, { string: ['add', 'remove'] });
    const curator = curatorFrom(flags);
    if (typeof flags.add === 'string') curator.repositories.add(flags.add);
    if (typeof flags.remove === 'string') curator.repositories.remove(flags.remove);
    const statuses = await curator.repositories.check();
    print(flags, statuses, () => statuses.map((s, i) => `${i + 1}. ${s.kind.padEnd(9)} ${s.location}  ${s.reachable ? 'reachable' : `UNREACHABLE: ${s.error}`}`).join('\n'));
    return 0;
  },
};

const envCreate: CliCommand = {
  path: ['env', 'create'],
  usage: 'env create NAME [--lua 5.1|5.2|5.3|5.4] [--data-dir D]',
  summary: 'Create an empty LuaRocks environment for one Lua version (default 5.4).',
  async run(args) {
    const { flags, positional } = parse(args, { string: ['lua'] });
    const env = curatorFrom(flags).createEnvironment(one(positional, 'environment name'), typeof flags.lua === 'string' ? flags.lua : undefined);
    print(flags, env, () => `created ${env.name} (Lua ${env.luaVersion}) at ${env.path}`);
    return 0;
  },
};

const envList: CliCommand = {
  path: ['env', 'list'],
  usage: 'env list [--json] [--data-dir D]',
  summary: 'List environments.',
  async run(args) {
    const { flags } = parse(args);
    const envs = curatorFrom(flags).environments.list();
    print(flags, envs, () => (envs.length === 0 ? 'no environments — create one with: bioxen env create NAME' : envs.map((e) => `${e.name.padEnd(20)} Lua ${e.luaVersion}${e.profile ? `  profile ${e.profile}` : ''}`).join('\n')));
    return 0;
  },
};

const envDelete: CliCommand = {
  path: ['env', 'delete'],
  usage: 'env delete NAME [--data-dir D]',
  summary: 'Delete an environment and everything installed in it.',
  async run(args) {
    const { flags, positional } = parse(args);
    const name = one(positional, 'environment name');
    curatorFrom(flags).deleteEnvironment(name);
    process.stdout.write(`deleted ${name}\n`);
    return 0;
  },
};

const envBootstrap: CliCommand = {
  path: ['env', 'bootstrap'],
  usage: 'env bootstrap NAME --profile minimal|standard|full|development|networking|bioxen-minimal|bioxen-standard|bioxen-full [--offline] [--data-dir D]',
  summary: 'Create the environment if needed and install a profile into it; reports each package that failed.',
  async run(args) {
    const { flags, positional } = parse(args, { string: ['profile', 'lua'] });
    const curator = curatorFrom(flags);
    const name = one(positional, 'environment name');
    if (typeof flags.profile !== 'string') throw new UsageError(`--profile is required: ${Object.keys(curator.profiles()).join(', ')}`);
    if (!curator.environments.exists(name)) curator.createEnvironment(name, typeof flags.lua === 'string' ? flags.lua : undefined);
    const result = await curator.bootstrap(name, flags.profile, (p) => {
      if (p.phase === 'resolving' && !flags.json) process.stderr.write(`installing ${p.name}…\n`);
    });
    print(flags, result, () => [`installed: ${result.installed.join(', ') || 'nothing new'}`, ...(result.alreadyInstalled.length ? [`already there: ${result.alreadyInstalled.join(', ')}`] : []), ...result.failed.map((f) => `FAILED ${f.name}: ${f.error}`)].join('\n'));
    return result.ok ? 0 : 1;
  },
};

const envHealth: CliCommand = {
  path: ['env', 'health'],
  usage: 'env health NAME [--json] [--data-dir D]',
  summary: 'Check an environment: luarocks present, Lua version, installed count, rocks whose modules no longer load.',
  async run(args) {
    const { flags, positional } = parse(args);
    const h = await curatorFrom(flags).health(one(positional, 'environment name'));
    print(flags, h, () => [`${h.name}: ${h.healthy ? 'healthy' : 'PROBLEMS'}`, `Lua ${h.luaVersion} (${h.luaExecutable ?? 'missing'}), luarocks ${h.luarocksVersion ?? 'missing'}, ${h.installedCount} packages`, ...h.problems.map((p) => `- ${p}`)].join('\n'));
    return h.healthy ? 0 : 1;
  },
};

export const packagesCommands: CliCommand[] = [search, info, install, update, remove, recommend, list, repos, envCreate, envList, envDelete, envBootstrap, envHealth];
