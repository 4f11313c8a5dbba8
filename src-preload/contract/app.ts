// App domain: what the UI needs to know about the running workbench.
import { z } from 'zod';
import { event, method } from './define';

/**
 * How a window names a Lua interpreter: an id from app:info's luaVersions ("lua5.4", "luajit") or a
 * version ("5.4"). Never a path: the main side resolves the id against the interpreters it discovered,
 * so a window cannot make another program run as "Lua".
 */
export const luaChoiceSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'choose a Lua interpreter by its id from the list (e.g. "lua5.4" or "luajit"), not a path — another interpreter is added with: bioxen lua-versions --add /path/to/lua');

export const luaExecutableSchema = z.object({
  /** How a window names it ("lua5.4", "luajit", or a name derived from an added interpreter's path); never a path. */
  id: z.string(),
  path: z.string(),
  /** "5.1" | "5.2" | "5.3" | "5.4" — the language version the runner speaks. */
  version: z.string(),
  /** Full banner, e.g. "Lua 5.4.4" or "LuaJIT 2.1.0-beta3". */
  banner: z.string(),
  isLuaJIT: z.boolean(),
});
export type LuaExecutable = z.output<typeof luaExecutableSchema>;

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
  /** Problems met at start the user should see, e.g. "settings.json is not valid JSON …; it was moved aside to …". */
  warnings: z.array(z.string()),
});
export type AppInfo = z.output<typeof appInfoSchema>;

export const appMethods = {
  'app:info': method('Version, discovered Lua versions, transport and data dir.', z.object({}).default({}), appInfoSchema),
};

/** Commands from the Electron application menu, sent to the focused window. */
export const appCommandSchema = z.enum(['newSession', 'newScript', 'save', 'saveAs', 'run', 'welcome']);

export const appEvents = {
  'app:command': event('A menu command the focused window should carry out.', z.object({ command: appCommandSchema })),
};
