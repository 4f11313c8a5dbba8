import type { Settings } from '../settings/settings-store';
import { defineApi } from './define-api';

export const settingsApi = defineApi(
  'settings',
  ({ settings }) => ({
    'settings:get': () => settings.get(),
    'settings:update': (patch) => settings.update(patch),
  }),
  ({ settings }, publish) => {
    const onChanged = (next: Settings) => publish('settings:changed', next);
    settings.on('changed', onChanged);
    return () => settings.off('changed', onChanged);
  },
);
