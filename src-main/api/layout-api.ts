import { defineApi } from './define-api';

export const layoutApi = defineApi('layout', ({ layout }) => ({
  'layout:get': () => ({ layout: layout.get() }),
  'layout:save': async ({ layout: next }) => {
    await layout.save(next);
    return {};
  },
}));
