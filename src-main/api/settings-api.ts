import type { Settings } from '../settings/settings-store';
import { defineApi } from './define-api';

export const settingsApi = defineApi(
  'settings',
  ({ settings, lua }) => ({
    'settings:get': () => settings.view(),
    'settings:update': (patch) => settings.updateFromView(patch),
    'settings:addLuaExecutable': async (_input, ctx) => ({ added: await lua.addChosen(ctx.transport) }),
  }),
  ({ settings }, publish) => {
    const onChanged = (next: Settings) => publish('settings:changed', settings.view(next));
    settings.on('changed', onChanged);
    return () => settings.off('changed', onChanged);
  },
);
