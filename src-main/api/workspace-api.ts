import type { ScriptMeta } from '../workspace/workspace';
import { defineApi } from './define-api';

export const workspaceApi = defineApi(
  'workspace',
  ({ workspace }) => ({
    'workspace:list': async () => ({ dir: workspace.scriptsDir, scripts: await workspace.list() }),
    'workspace:read': ({ name }) => workspace.read(name),
    'workspace:write': ({ name, content }) => workspace.write(name, content),
    'workspace:saveAs': ({ name, content, overwrite }) => workspace.saveAs(name, content, overwrite),
    'workspace:sessionScript': ({ sessionId }) => workspace.sessionScript(sessionId),
    'workspace:examples': async () => ({ examples: await workspace.examples() }),
    'workspace:fromExample': ({ example, name }) => workspace.fromExample(example, name),
  }),
  ({ workspace }, publish) => {
    const onChanged = (meta: ScriptMeta) => publish('workspace:changed', { meta });
    workspace.on('changed', onChanged);
    return () => workspace.off('changed', onChanged);
  },
);
