import type { Settings } from '../settings/settings-store';
import { defineApi } from './define-api';

export const settingsApi = defineApi(
  'settings',
  ({ settings }) => ({
    'settings:get': () => settings.view(),
    'settings:update': (patch) => settings.updateFromView(patch),
  }),
  ({ settings }, publish) => {
    const onChanged = (next: Settings) => publish('settings:changed', settings.view(next));
    settings.on('changed', onChanged);
    return () => settings.off('changed', onChanged);
  },
);
