// App domain: what the UI needs to know about the running workbench.
import { z } from 'zod';
import { event, method } from './define';

export const luaExecutableSchema = z.object({
  path: z.string(),
  version: z.string(),
  banner: z.string(),
  isLuaJIT: z.boolean(),
});

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Lua executables found on this machine, best first. */
  luaVersions: z.array(luaExecutableSchema),
  /** How this window talks to the services. */
  transport: z.enum(['electron', 'websocket']),
  dataDir: z.string(),
  electronAvailable: z.boolean(),
  platform: z.string(),
});

export const appMethods = {
  'app:info': method('Version, discovered Lua versions, transport and data dir.', z.object({}).default({}), appInfoSchema),
};

/** Commands from the Electron application menu, sent to the focused window. */
export const appCommandSchema = z.enum(['newSession', 'newScript', 'save', 'saveAs', 'run']);

export const appEvents = {
  'app:command': event('A menu command the focused window should carry out.', z.object({ command: appCommandSchema })),
};
