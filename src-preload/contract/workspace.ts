// Workspace domain: the user's Lua scripts, kept as files in <data dir>/scripts, and the bundled examples.
import { z } from 'zod';
import { event, method } from './define';
import { sessionIdSchema } from './session-id';

/**
 * Windows opens a device, not a file, for CON, PRN, AUX, NUL, COM0–9 and LPT0–9 whatever the case, the
 * extension or spaces before the first dot: "con.lua" and "Lpt1 .txt.lua" are refused on every
 * platform, so a workspace copied to Windows never holds one.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]) *(\.|$)/i;

/** Flat names only: no folders, no "..", no Windows device names, always ending in .lua. */
export const scriptNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}\.lua$/, 'a script name is up to 100 letters, digits, spaces, "_", "." or "-", ending in .lua (no folders)')
  .refine((name) => !WINDOWS_DEVICE.test(name), 'CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 are device names on Windows, whatever the extension — choose another script name');

export const scriptMetaSchema = z.object({
  name: z.string(),
  size: z.number().int().min(0),
  modifiedAt: z.number(),
});
export type ScriptMeta = z.output<typeof scriptMetaSchema>;

export const exampleSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
});
export type Example = z.output<typeof exampleSchema>;

const content = z.string().max(4 * 1024 * 1024, 'a script is limited to 4 MiB');

export const workspaceMethods = {
  'workspace:list': method('Scripts in the workspace, by name.', z.object({}).default({}), z.object({ dir: z.string(), scripts: z.array(scriptMetaSchema) })),
  'workspace:read': method('Read one script.', z.object({ name: scriptNameSchema }), z.object({ meta: scriptMetaSchema, content: z.string() })),
  'workspace:write': method(
    'Save (or autosave) a script: atomic replace, created when missing.',
    z.object({ name: scriptNameSchema, content }),
    scriptMetaSchema,
  ),
  'workspace:saveAs': method(
    'Save under a new name; refuses an existing name unless overwrite is set.',
    z.object({ name: scriptNameSchema, content, overwrite: z.boolean().default(false) }),
    scriptMetaSchema,
  ),
  'workspace:sessionScript': method(
    'The script bound to a session (<id>.lua), created empty when missing: the editor and autosave target.',
    z.object({ sessionId: sessionIdSchema }),
    z.object({ meta: scriptMetaSchema, content: z.string() }),
  ),
  'workspace:examples': method('The bundled example scripts.', z.object({}).default({}), z.object({ examples: z.array(exampleSchema) })),
  'workspace:fromExample': method(
    'Copy a bundled example into the workspace (under a free name when name is omitted).',
    z.object({ example: scriptNameSchema, name: scriptNameSchema.optional() }),
    z.object({ meta: scriptMetaSchema, content: z.string() }),
  ),
};

export const workspaceEvents = {
  'workspace:changed': event('A script was written or created.', z.object({ meta: scriptMetaSchema })),
};
