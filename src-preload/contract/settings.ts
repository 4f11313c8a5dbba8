// Settings domain: settings.json in the data dir, validated on read and on every update.
import { z } from 'zod';
import { event, method } from './define';
import { limitsSchema } from './sessions';

const url = (schemes: readonly string[], what: string) =>
  z
    .string()
    .max(2000)
    .refine((value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `${what} must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`);

export const settingsSchema = z.object({
  theme: z.enum(['dark', 'light']),
  /** Path or name of the Lua executable for new sessions; null = the best discovered one. */
  luaExecutable: z.string().min(1).max(1000).nullable(),
  /** null = start an embedded redis-server in the data dir. */
  redisUrl: url(['redis:', 'rediss:'], 'the Redis URL').nullable(),
  hypervisorEndpoint: url(['http:', 'https:', 'ws:', 'wss:'], 'the hypervisor endpoint').nullable(),
  /** Limits new sessions start with. */
  limits: limitsSchema,
  editor: z.object({
    fontSize: z.number().int().min(8).max(40),
    autosaveMs: z.number().int().min(200).max(60_000),
  }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.extend({
  limits: limitsSchema.partial(),
  editor: settingsSchema.shape.editor.partial(),
}).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsMethods = {
  'settings:get': method('Current settings.', z.object({}).default({}), settingsSchema),
  'settings:update': method('Change some settings; returns all of them.', settingsPatchSchema, settingsSchema),
};

export const settingsEvents = {
  'settings:changed': event('Settings were updated (from any window).', settingsSchema),
};
