// settings.json in the data dir: read and validated at start, validated again on every update,
// written atomically. One instance per process; windows hear changes through the `changed` event.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_STREAM as DEFAULT_METRICS_STREAM } from '../metrics/metrics-stream-publisher';
import { DEFAULT_LIMITS } from '../vm/limits';
import { settingsPatchSchema, settingsSchema, type Settings, type SettingsPatch } from '../../src-preload/contract/settings';
import { redactRedisUrl } from '../redis/redis-url';

export type { Settings, SettingsPatch };

export const DEFAULT_SETTINGS: Settings = {
  theme: 'dark',
  luaExecutable: null,
  redisUrl: null,
  hypervisorEndpoint: null,
  olfiStream: 'olfi_stream',
  metricsStream: DEFAULT_METRICS_STREAM,
  limits: { ...DEFAULT_LIMITS },
  editor: { fontSize: 14, autosaveMs: 1000 },
};

const MIGRATED_METRICS_STREAM = 'bioxen_hypervisor_metrics';

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    readonly code: 'invalid_input',
    message: string,
  ) {
    super(message);
  }
}

/** The Lua interpreters a setting may name (LuaInterpreters): ids are checked, paths saved by older versions mapped. */
export interface LuaChoices {
  resolve(id: string): Promise<{ id: string }>;
  idForSaved(value: string): Promise<string | undefined>;
}

export interface SettingsStoreOptions {
  lua?: LuaChoices;
  log?: (message: string) => void;
}

export interface SettingsEvents {
  changed: [settings: Settings];
}

export class SettingsStore extends EventEmitter<SettingsEvents> {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private current: Settings,
    private readonly lua: LuaChoices | undefined,
    /** The file as last read or written, so keys this version does not know survive every save. */
    private saved: Record<string, unknown> = {},
  ) {
    super();
  }

  /** Missing file → defaults. Fields the file omits take their defaults; an invalid file is an error naming it. */
  static async open(file: string, options: SettingsStoreOptions = {}): Promise<SettingsStore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new SettingsStore(file, structuredClone(DEFAULT_SETTINGS), options.lua);
      throw err;
    }
    const { settings, raw } = await parseSettingsFile(file, text, options);
    return new SettingsStore(file, settings, options.lua, raw);
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** The settings as a window may see them: the Redis password masked (it never reaches the renderer). */
  view(settings: Settings = this.current): Settings {
    return { ...structuredClone(settings), redisUrl: settings.redisUrl && redactRedisUrl(settings.redisUrl) };
  }

  /** An update from a window: a Redis URL sent back still masked means "keep the stored password". */
  updateFromView(patch: SettingsPatch): Promise<Settings> {
    const current = this.current.redisUrl;
    const unchanged = current !== null && patch.redisUrl === redactRedisUrl(current);
    return this.update(unchanged ? { ...patch, redisUrl: current } : patch).then((next) => this.view(next));
  }

  /** Updates apply one after another, so two windows changing different fields both keep their change. */
  update(patch: SettingsPatch): Promise<Settings> {
    const run = this.queue.then(() => this.apply(patch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(patch: SettingsPatch): Promise<Settings> {
    const checked = settingsPatchSchema.safeParse(patch);
    if (!checked.success) throw new SettingsError('invalid_input', `settings: ${describeIssue(checked.error.issues[0])}`);
    // Before anything is saved: an id the workbench did not discover is refused (LuaChoiceError, invalid_input);
    // a version ("5.3") is saved as the id of the interpreter it picks, which the Settings dialog lists.
    if (checked.data.luaExecutable && this.lua) checked.data.luaExecutable = (await this.lua.resolve(checked.data.luaExecutable)).id;
    const merged = settingsSchema.safeParse(merge(this.current, checked.data));
    if (!merged.success) throw new SettingsError('invalid_input', `settings: ${describeIssue(merged.error.issues[0])}`);
    const next = merged.data;
    const saved = withUnknownKeysKept(next, this.saved);
    await writeAtomically(this.file, `${JSON.stringify(saved, null, 2)}\n`);
    this.current = next;
    this.saved = saved;
    this.emit('changed', this.get());
    return this.get();
  }
}

async function parseSettingsFile(file: string, text: string, options: SettingsStoreOptions): Promise<{ settings: Settings; raw: Record<string, unknown> }> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new SettingsError('invalid_input', `${file} is not valid JSON (${(err as Error).message}) — fix it or delete it to start from the defaults`);
  }
  const patch = settingsPatchSchema.safeParse(await withLuaChoiceMigrated(file, raw, options));
  if (!patch.success) {
    throw new SettingsError('invalid_input', `${file}: ${describeIssue(patch.error.issues[0])} — fix it or delete the file to start from the defaults`);
  }
  const settings = settingsSchema.safeParse(merge(defaultsFor(patch.data), patch.data));
  if (!settings.success) {
    throw new SettingsError('invalid_input', `${file}: ${describeIssue(settings.error.issues[0])} — fix it or delete the file to start from the defaults`);
  }
  return { settings: settings.data, raw: raw as Record<string, unknown> };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What a save writes: the settings, plus every key of the saved file this version does not know (a newer
 * version's, or the user's own), at the top level and inside objects such as `limits` and `editor`.
 */
function withUnknownKeysKept(settings: Settings, saved: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...saved, ...settings };
  for (const [key, value] of Object.entries(settings)) {
    const before = saved[key];
    if (isPlainObject(value) && isPlainObject(before)) out[key] = { ...before, ...value };
  }
  return out;
}

/**
 * Older versions saved a path or name as luaExecutable: one that is a known interpreter becomes its id;
 * anything else (another program, an interpreter since removed) is dropped with a warning, never run.
 */
async function withLuaChoiceMigrated(file: string, raw: unknown, { lua, log = (m) => console.error(m) }: SettingsStoreOptions): Promise<unknown> {
  if (typeof raw !== 'object' || raw === null || !('luaExecutable' in raw)) return raw;
  const saved = (raw as { luaExecutable: unknown }).luaExecutable;
  if (saved === null) return raw;
  const id = typeof saved === 'string' ? await (lua ? lua.idForSaved(saved) : (settingsPatchSchema.shape.luaExecutable.safeParse(saved).data ?? undefined)) : undefined;
  if (id === saved) return raw;
  if (id === undefined) log(`[settings] ${file}: luaExecutable ${JSON.stringify(saved).slice(0, 200)} is not a Lua interpreter the workbench discovered — dropped; the best discovered Lua is used (pick another in Settings)`);
  return { ...raw, luaExecutable: id ?? null };
}

/**
 * Files from before the metrics stream setting may have put Ol-Fi on "bioxen_metrics"; the metrics then
 * get a stream of their own instead of the file being refused.
 */
function defaultsFor(saved: SettingsPatch): Settings {
  if (saved.metricsStream !== undefined || saved.olfiStream !== DEFAULT_METRICS_STREAM) return DEFAULT_SETTINGS;
  return { ...DEFAULT_SETTINGS, metricsStream: MIGRATED_METRICS_STREAM };
}

function merge(base: Settings, patch: SettingsPatch): Settings {
  return {
    ...base,
    ...patch,
    limits: { ...base.limits, ...patch.limits },
    editor: { ...base.editor, ...patch.editor },
  };
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid value';
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** The temp file a save writes beside settings.json before the rename; one a kill left behind is removed at start. */
export const SETTINGS_TEMP_FILE = /^\.settings\.[0-9a-f]{12}\.tmp$/;

/** settings.json may hold a Redis password: it is 0600 from the moment it exists, in a 0700 folder. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(file), `.settings.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
