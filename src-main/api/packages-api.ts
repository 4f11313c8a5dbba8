import { bootstrapLuaEnvironment } from '../packages/curator';
import type { InstallProgress } from '../packages/package-installer';
import { defineApi } from './define-api';

export const packagesApi = defineApi(
  'packages',
  ({ packages, vm }) => ({
    'packages:catalog': () => ({ categories: packages.registry.curated.categories, profiles: packages.profiles() }),
    'packages:search': async ({ query, category, limit }) => ({
      hits: await packages.search(query, { ...(category ? { category } : {}), limit }),
      unreachable: packages.registry.unreachable,
      warnings: packages.registry.warnings,
    }),
    'packages:info': async ({ name }) => ({ entry: await packages.info(name), installedIn: await packages.installedWhere(name) }),
    'packages:preview': ({ env, spec }) => packages.preview(env, spec),
    'packages:install': ({ env, spec }) => packages.install(env, spec),
    'packages:update': ({ env, name }) => packages.update(env, name),
    'packages:recommendations': async ({ env }) => ({ packages: await packages.recommendations(env) }),
    'packages:remove': async ({ env, name }) => {
      await packages.remove(env, name);
      return {};
    },
    'packages:list': async ({ env }) => ({ rocks: await packages.list(env) }),
    'packages:repositories': async () => ({ repositories: await packages.repositories.check() }),
    'packages:addRepository': ({ location }) => packages.repositories.add(location),
    'packages:removeRepository': ({ location }) => {
      packages.repositories.remove(location);
      return {};
    },
    'packages:environments': () => ({ environments: packages.environments.list() }),
    'packages:createEnvironment': ({ name, luaVersion }) => packages.createEnvironment(name, luaVersion),
    'packages:deleteEnvironment': ({ name }) => {
      packages.deleteEnvironment(name);
      return {};
    },
    'packages:bootstrap': ({ env, profile }) => bootstrapLuaEnvironment(packages, env, profile),
    'packages:health': ({ env }) => packages.health(env),
    'packages:bindSession': async ({ sessionId, env }) => {
      packages.environments.get(env);
      await vm.getSession(sessionId).setEnvironment(env);
      return { sessionId, env };
    },
  }),
  ({ packages }, publish) => {
    const onProgress = (p: InstallProgress) => publish('packages:progress', p);
    const onChanged = (env: string) => publish('packages:changed', { env });
    packages.on('progress', onProgress);
    packages.on('changed', onChanged);
    return () => {
      packages.off('progress', onProgress);
      packages.off('changed', onChanged);
    };
  },
);
