// Settings domain: settings.json in the data dir, validated on read and on every update.
import { z } from 'zod';
import { event, method } from './define';
import { luaChoiceSchema, luaExecutableSchema } from './app';
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

// Pure checks (this file also runs in the renderer): src-main/metrics/endpoint.ts parses
// every value they accept.
const HOSTNAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const HOST_PORT = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/;

function isIPv6(text: string): boolean {
  try {
    return new URL(`tcp://[${text}]`).hostname !== '';
  } catch {
    return false;
  }
}

const isPort = (text: string) => /^\d{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535;

/** `host:port` with a host name, an IPv4 address or a bracketed IPv6 address, and a port 1–65535. */
function isHostPort(value: string): boolean {
  const match = HOST_PORT.exec(value);
  if (!match) return false;
  const [, ipv6, host, port] = match;
  return (ipv6 !== undefined ? isIPv6(ipv6) : HOSTNAME.test(host!)) && isPort(port!);
}

/** The hypervisor speaks plain TCP: `tcp://host:port` or `host:port`. http/https/ws/wss URLs saved by earlier versions stay valid. */
function isHypervisorEndpoint(value: string): boolean {
  if (!value.includes('://')) return isHostPort(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return true;
  const bare = url.username === '' && url.password === '' && url.search === '' && url.hash === '' && ['', '/'].includes(url.pathname);
  return url.protocol === 'tcp:' && bare && isHostPort(`${url.hostname}:${url.port}`);
}

const hypervisorEndpoint = z
  .string()
  .max(2000)
  .refine(isHypervisorEndpoint, 'the hypervisor endpoint must be tcp://host:port or host:port with a port from 1 to 65535 (example: tcp://127.0.0.1:12345)');

/** Also what the hypervisor bridge's stream publisher accepts, so a saved key is always usable. */
const STREAM_KEY = /^[\w.:-]+$/;

const settingsFields = z.object({
  theme: z.enum(['dark', 'light']),
  /** Id of the Lua interpreter for new sessions (one app:info lists); null = the best discovered one. */
  luaExecutable: luaChoiceSchema.nullable(),
  /** null = start an embedded redis-server in the data dir. */
  redisUrl: url(['redis:', 'rediss:'], 'the Redis URL').nullable(),
  hypervisorEndpoint: hypervisorEndpoint.nullable(),
  /** The Redis stream the Ol-Fi panel mirrors and publishes to (BioXen's producer writes olfi_stream). */
  olfiStream: z.string().min(1).max(200).regex(/^[^\s]+$/, 'the Ol-Fi stream key must not contain spaces'),
  /** The Redis stream the hypervisor bridge republishes metrics on and the visualizer reads (default bioxen_metrics). */
  metricsStream: z.string().min(1).max(200).regex(STREAM_KEY, 'the metrics stream key may only use letters, digits and _ - . : (no spaces)'),
  /** Limits new sessions start with. */
  limits: limitsSchema,
  editor: z.object({
    fontSize: z.number().int().min(8).max(40),
    autosaveMs: z.number().int().min(200).max(60_000),
  }),
});

// One stream for both would mix metric samples into the Ol-Fi panel and break the visualizer.
export const settingsSchema = settingsFields.refine((settings) => settings.metricsStream !== settings.olfiStream, {
  path: ['metricsStream'],
  message: 'the metrics stream key must differ from the Ol-Fi stream key: Ol-Fi frames and hypervisor metrics each need their own stream',
});
export type Settings = z.infer<typeof settingsSchema>;

// Fields one by one: whether two streams differ is checked once a patch is merged into the settings.
export const settingsPatchSchema = settingsFields.extend({
  limits: limitsSchema.partial(),
  editor: settingsFields.shape.editor.partial(),
}).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsMethods = {
  'settings:get': method('Current settings.', z.object({}).default({}), settingsSchema),
  'settings:update': method('Change some settings; returns all of them.', settingsPatchSchema, settingsSchema),
  'settings:addLuaExecutable': method(
    'Add a Lua interpreter chosen in a native file dialog the desktop app opens (no path is taken from the window); null when the dialog is cancelled. Unavailable in a browser: use bioxen lua-versions --add PATH.',
    z.object({}).strict().default({}),
    z.object({ added: luaExecutableSchema.nullable() }),
  ),
};

export const settingsEvents = {
  'settings:changed': event('Settings were updated (from any window).', settingsSchema),
};
