import { defineApi } from './define-api';

export const appApi = defineApi('app', ({ app }) => ({
  'app:info': (_input, ctx) => app.info(ctx.transport),
}));
