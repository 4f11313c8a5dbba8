// Finds Lua executables and reports their versions. Debian's plain `lua` is often 5.1, so nothing
// here assumes a version from a name: every candidate is asked, and the answer is cached.
//
// Which interpreters a window may choose is a trust decision (a window must not turn /bin/sh into
// "Lua"): LuaInterpreters holds the set — the candidates on the workbench's own PATH plus the ones
// added by a trusted act (`bioxen lua-versions --add PATH`, or Electron's native file dialog) — and
// the contract names them only by id.
import { execFile } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { withParentDeathSignal } from '../process/child-process';
import { LuaChoiceError, LuaNotFoundError } from './errors';
import type { LuaExecutable } from './types';

/** Preference order when no executable is requested. */
export const LUA_CANDIDATES = ['lua5.4', 'lua5.3', 'luajit', 'lua5.2', 'lua', 'lua5.1'] as const;

/** Where the interpreters added with `bioxen lua-versions --add` are kept, inside the data dir. */
export const ADDED_LUA_FILE = 'lua-interpreters.json';

const probes = new Map<string, Promise<Omit<LuaExecutable, 'id'>>>();

/** Absolute path of `name` on PATH (or `name` itself when it is a path), if executable. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const isExecutable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (name.includes('/') || isAbsolute(name)) return isExecutable(name) ? name : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Parses `lua -v` output: "Lua 5.4.4  Copyright…" or "LuaJIT 2.1.0-beta3 -- …". */
export function parseBanner(text: string): { version: string; banner: string; isLuaJIT: boolean } | undefined {
  const jit = /LuaJIT \S+/.exec(text);
  if (jit) return { version: '5.1', banner: jit[0], isLuaJIT: true };
  const lua = /Lua (5\.[1-4])(\.\d+)?/.exec(text);
  if (lua) return { version: lua[1]!, banner: lua[0], isLuaJIT: false };
  return undefined;
}

/**
 * `PATH -v -e EXPR`: a real Lua prints its banner, then evaluates an expression over two operands
 * drawn fresh for every probe and reports its `_VERSION`. A program that only fakes the banner
 * (a shell script echoing "Lua 5.4.6") cannot print the product, so it is not taken for Lua.
 */
function runProbe(path: string): Promise<{ text: string; evaluated: boolean; versionLine?: string }> {
  const a = randomInt(1000, 1_000_000);
  const b = randomInt(1000, 1_000_000);
  const expected = `bioxen-probe:${a * b + 6}:`;
  const code = `io.write("\\nbioxen-probe:", string.format("%.0f", ${a} * ${b} + #"bioxen"), ":", _VERSION, "\\n")`;
  const [command, args] = withParentDeathSignal(path, ['-v', '-e', code]);
  return new Promise((resolvePromise, reject) => {
    execFile(command, args, { timeout: 5000, env: { PATH: process.env.PATH ?? '' } }, (err, stdout, stderr) => {
      // Lua 5.1 prints its banner on stderr.
      const text = `${stdout}${stderr}`;
      if (err && !text) {
        reject(err);
        return;
      }
      const versionLine = text.split('\n').find((line) => line.startsWith(expected));
      resolvePromise({ text, evaluated: versionLine !== undefined, ...(versionLine ? { versionLine: versionLine.slice(expected.length) } : {}) });
    });
  });
}

/**
 * Where probe results outlive the process (keepProbeResultsIn): each `bioxen` command is a process of its own, and
 * its probe, a process start ahead of the runner's, was a tenth of `bioxen exec`'s start. The workbench keeps its
 * results in memory only.
 */
let probeResultsFile: string | undefined;

/** Keeps probe results in `file` (a JSON object by path), used while the path still names the very file probed. */
export function keepProbeResultsIn(file: string | undefined): void {
  probeResultsFile = file;
}

// z.lazy: built at first use, and only when a results file is kept.
const probeResultsSchema = z.lazy(() => z.record(z.string(), z.object({ file: z.string(), stat: z.string(), banner: z.string() })));

interface FileIdentity {
  file: string;
  /** Changes when the file is replaced or written: device, inode, size, modification and change times. */
  stat: string;
}

function fileIdentity(path: string): FileIdentity | undefined {
  try {
    const file = realpathSync(path);
    const s = statSync(file, { bigint: true });
    return { file, stat: `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` };
  } catch {
    return undefined;
  }
}

function probeResults(file: string): Record<string, FileIdentity & { banner: string }> {
  try {
    const parsed = probeResultsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The kept result for `path` while it names the file probed then; version and kind come from its banner. */
function keptProbe(file: string, path: string, identity: FileIdentity): Omit<LuaExecutable, 'id'> | undefined {
  const kept = probeResults(file)[path];
  const parsed = kept && kept.file === identity.file && kept.stat === identity.stat ? parseBanner(kept.banner) : undefined;
  return parsed && { path, ...parsed };
}

/** Best effort: where the file cannot be written, the next process probes again. */
function keepProbe(file: string, path: string, identity: FileIdentity, banner: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify({ ...probeResults(file), [path]: { ...identity, banner } }), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // The folder itself is unusable: there is no temp file.
    }
  }
}

/** Asks one executable for its version (cached per path); it must really evaluate Lua. */
function probeExecutable(path: string): Promise<Omit<LuaExecutable, 'id'>> {
  let probe = probes.get(path);
  if (!probe) {
    // Taken before the probe runs: a file changed while it runs no longer matches what is kept.
    const resultsFile = probeResultsFile;
    const identity = resultsFile ? fileIdentity(path) : undefined;
    const kept = resultsFile && identity ? keptProbe(resultsFile, path, identity) : undefined;
    probe = kept ? Promise.resolve(kept) : runProbe(path).then(
      ({ text, evaluated, versionLine }) => {
        const parsed = parseBanner(text);
        const shown = text.trim().slice(0, 120);
        if (!parsed) throw new LuaNotFoundError(`"${path}" does not look like Lua: \`${path} -v\` printed "${shown}"`);
        if (!evaluated || versionLine !== `Lua ${parsed.version}`) {
          throw new LuaNotFoundError(`"${path}" printed a Lua banner but did not evaluate Lua (a probe expression gave "${shown}") — it is not a Lua interpreter`);
        }
        if (resultsFile && identity) keepProbe(resultsFile, path, identity, parsed.banner);
        return { path, ...parsed };
      },
      (err: Error) => {
        throw new LuaNotFoundError(`"${path} -v" failed (${err.message}) — check the executable or pick another Lua`);
      },
    );
    probe.catch(() => probes.delete(path));
    probes.set(path, probe);
  }
  return probe;
}

/** The id a window uses for an interpreter: its candidate name on PATH, or a stable name derived from its real path. */
export function luaIdFor(nameOrPath: string, realPath: string): string {
  if ((LUA_CANDIDATES as readonly string[]).includes(nameOrPath)) return nameOrPath;
  const slug = basename(realPath).toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 24) || 'lua';
  return `${slug}-${createHash('sha256').update(realPath).digest('hex').slice(0, 8)}`;
}

/** Asks one executable (a name on PATH or a path) for its version. */
export async function probeLua(nameOrPath: string, env: NodeJS.ProcessEnv = process.env): Promise<LuaExecutable> {
  const path = which(nameOrPath, env);
  if (!path) {
    throw new LuaNotFoundError(`Lua executable "${nameOrPath}" not found or not executable — install it (apt install lua5.4) or pass a full path`);
  }
  const found = await probeExecutable(path);
  return { ...found, id: luaIdFor(nameOrPath, realPathOf(path)) };
}

function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Every Lua found on PATH, in preference order, without duplicates (`lua` is often a link to one of the others). */
export async function discoverLua(env: NodeJS.ProcessEnv = process.env): Promise<LuaExecutable[]> {
  const found: LuaExecutable[] = [];
  const seen = new Set<string>();
  for (const name of LUA_CANDIDATES) {
    const path = which(name, env);
    if (!path) continue;
    const real = realPathOf(path);
    if (seen.has(real)) continue;
    seen.add(real);
    try {
      found.push(await probeLua(name, env));
    } catch {
      // A broken candidate is skipped; the caller sees only working ones.
    }
  }
  return found;
}

const VERSION_CHOICE = /^5\.[1-4]$/;

function pickVersion(all: readonly LuaExecutable[], version: string): LuaExecutable | undefined {
  return all.find((l) => l.version === version && !l.isLuaJIT) ?? all.find((l) => l.version === version);
}

/**
 * The executable to run for a trusted caller (the CLI, tests): the requested one (a name, a path,
 * or a version such as "5.1"), otherwise the best discovered.
 */
export async function resolveLua(requested?: string): Promise<LuaExecutable> {
  if (requested && VERSION_CHOICE.test(requested)) {
    const match = pickVersion(await discoverLua(), requested);
    if (!match) throw new LuaNotFoundError(`No Lua ${requested} found on PATH — install it (apt install lua${requested}) or pass an executable path`);
    return match;
  }
  if (requested) return probeLua(requested);
  // The first candidate that works is the best: the others are not probed (each probe is a process start).
  for (const name of LUA_CANDIDATES) {
    if (!which(name)) continue;
    const probed = await probeLua(name).catch(() => undefined);
    if (probed) return probed;
  }
  throw new LuaNotFoundError('No Lua found on PATH (looked for lua5.4, lua5.3, luajit, lua5.2, lua, lua5.1) — install one: apt install lua5.4');
}

// z.lazy: built at first use, so a start that never reads the file (most CLI runs) does not pay for it.
const addedFileSchema = z.lazy(() =>
  z.object({
    version: z.literal(1),
    interpreters: z.array(z.object({ path: z.string().min(1).max(4096), addedAt: z.string() })),
  }),
);

export interface LuaInterpretersOptions {
  /** Holds lua-interpreters.json (interpreters added by a trusted act); without it, only PATH's. */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** The native "choose a file" dialog the Electron main process runs; absent in the browser host and the CLI. */
  chooseExecutable?: () => Promise<string | undefined>;
}

/** How to add an interpreter when a window cannot: the same words everywhere they are needed. */
const ADD_FROM_TERMINAL = 'add another interpreter from a terminal with: bioxen lua-versions --add /path/to/lua';
const ADD_LUA_HINT = `${ADD_FROM_TERMINAL} (or with "Add interpreter…" in the desktop app's Settings)`;

// Every sessions:create resolves an id: the set is looked up on PATH again at most this often (an
// interpreter installed meanwhile shows up within this time; one added here, at once).
const LIST_TTL_MS = 5000;

/** The interpreters a window may choose from, by id; everything else is refused before it runs. */
export class LuaInterpreters {
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (message: string) => void;
  private listed: { at: number; list: Promise<LuaExecutable[]> } | undefined;

  constructor(private readonly options: LuaInterpretersOptions = {}) {
    this.env = options.env ?? process.env;
    this.log = options.log ?? ((m) => console.error(m));
  }

  /** PATH's interpreters in preference order, then the added ones; an added one that stopped working is skipped with a warning. */
  list(): Promise<LuaExecutable[]> {
    if (!this.listed || Date.now() - this.listed.at > LIST_TTL_MS) {
      const list = this.discover();
      list.catch(() => (this.listed = undefined));
      this.listed = { at: Date.now(), list };
    }
    return this.listed.list;
  }

  private async discover(): Promise<LuaExecutable[]> {
    const found = await discoverLua(this.env);
    const seen = new Set(found.map((l) => realPathOf(l.path)));
    for (const { path } of this.addedEntries()) {
      const real = realPathOf(path);
      if (seen.has(real)) continue;
      seen.add(real);
      try {
        found.push({ ...(await probeExecutable(path)), id: luaIdFor(path, real) });
      } catch (err) {
        this.log(`[lua] the added interpreter ${path} no longer works and is left out: ${(err as Error).message}`);
      }
    }
    return found;
  }

  /**
   * The interpreter for a choice: an id from list(), a version ("5.4"), or — from the workbench's
   * own saved state only — the path of a known interpreter. Nothing outside the set is ever run.
   */
  async resolve(choice?: string): Promise<LuaExecutable> {
    const all = await this.list();
    if (choice === undefined) {
      const best = all[0];
      if (!best) throw new LuaNotFoundError(`No Lua found (looked for ${LUA_CANDIDATES.join(', ')} on PATH) — install one (apt install lua5.4) or ${ADD_LUA_HINT}`);
      return best;
    }
    const match = VERSION_CHOICE.test(choice) ? pickVersion(all, choice) : (all.find((l) => l.id === choice) ?? this.byPath(all, choice));
    if (match) return match;
    const shown = choice.length > 80 ? `${choice.slice(0, 80)}…` : choice;
    throw new LuaChoiceError(`Lua "${shown}" is not an interpreter the workbench discovered — choose one of ${all.map((l) => l.id).join(', ') || '(none found)'}, or ${ADD_LUA_HINT}`);
  }

  /** The id of a known interpreter for a saved name or path (settings from older versions), if any. */
  async idForSaved(value: string): Promise<string | undefined> {
    const all = await this.list();
    return (all.find((l) => l.id === value) ?? this.byPath(all, value) ?? this.byPath(all, which(value, this.env) ?? ''))?.id;
  }

  /** The trusted act: checks that `path` really is Lua (banner and an evaluated expression), then keeps it in the data dir. */
  async add(path: string): Promise<LuaExecutable> {
    const file = this.addedFile();
    if (!file) throw new LuaChoiceError('adding a Lua interpreter needs a data dir to keep it in', 'unavailable');
    const absolute = resolve(path);
    if (!which(absolute, this.env)) throw new LuaChoiceError(`"${absolute}" does not exist or is not an executable file — give the path of a Lua interpreter`);
    const real = realPathOf(absolute);
    let probed: Omit<LuaExecutable, 'id'>;
    try {
      probed = await probeExecutable(real);
    } catch (err) {
      throw new LuaChoiceError(`${(err as Error).message}; nothing was added`);
    }
    const known = (await this.list()).find((l) => realPathOf(l.path) === real);
    if (known) return known;
    const entries = [...this.addedEntries(), { path: real, addedAt: new Date().toISOString() }];
    mkdirSync(this.options.dataDir!, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ version: 1, interpreters: entries }, null, 2)}\n`);
    renameSync(tmp, file);
    this.listed = undefined;
    return { ...probed, id: luaIdFor(real, real) };
  }

  /** "Add interpreter…" from a window: only the desktop app can, through the dialog its main process runs. */
  async addChosen(transport: 'electron' | 'websocket'): Promise<LuaExecutable | null> {
    const choose = this.options.chooseExecutable;
    if (transport !== 'electron' || !choose) {
      throw new LuaChoiceError(`a browser window cannot add a Lua interpreter — ${ADD_FROM_TERMINAL}, then reload this page`, 'unavailable');
    }
    const path = await choose();
    return path === undefined ? null : this.add(path);
  }

  private byPath(all: readonly LuaExecutable[], value: string): LuaExecutable | undefined {
    if (!value.includes('/')) return undefined;
    const real = realPathOf(value);
    return all.find((l) => l.path === value || realPathOf(l.path) === real);
  }

  private addedFile(): string | undefined {
    return this.options.dataDir ? join(this.options.dataDir, ADDED_LUA_FILE) : undefined;
  }

  private addedEntries(): { path: string; addedAt: string }[] {
    const file = this.addedFile();
    if (!file) return [];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = addedFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.interpreters.filter((i) => isAbsolute(i.path));
      this.log(`[lua] ${file} has an unexpected shape (${parsed.error.issues[0]?.message}) — the interpreters it lists are ignored; fix or delete it`);
    } catch {
      this.log(`[lua] ${file} is not valid JSON — the interpreters it lists are ignored; fix or delete it`);
    }
    return [];
  }
}
