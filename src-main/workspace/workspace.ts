// The user's scripts: flat .lua files in <data dir>/scripts, plus read-only examples bundled in
// resources/examples. Writes are atomic (temp file + rename) so a crash mid-save never truncates a script.
import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { scriptNameSchema, type Example, type ScriptMeta } from '../../src-preload/contract/workspace';
import { bytesToText, textToBytes } from '../vm/byte-text';

export type { Example, ScriptMeta } from '../../src-preload/contract/workspace';

export type WorkspaceErrorCode = 'invalid_input' | 'not_found' | 'already_exists' | 'limit_exceeded';

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  constructor(
    readonly code: WorkspaceErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Largest script the workspace stores; matches the contract's limit. */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

export interface WorkspaceEvents {
  changed: [meta: ScriptMeta];
}

export class Workspace extends EventEmitter<WorkspaceEvents> {
  constructor(
    readonly scriptsDir: string,
    private readonly examplesDir: string,
  ) {
    super();
  }

  async list(): Promise<ScriptMeta[]> {
    await mkdir(this.scriptsDir, { recursive: true });
    const names = (await readdir(this.scriptsDir)).filter((n) => scriptNameSchema.safeParse(n).success).sort();
    const metas = await Promise.all(names.map((n) => this.metaOrNull(n)));
    return metas.filter((m): m is ScriptMeta => m !== null);
  }

  async read(name: string): Promise<{ meta: ScriptMeta; content: string }> {
    const path = this.pathOf(name);
    try {
      // Lua source is bytes: a byte that is not UTF-8 travels escaped (see byte-text.ts) and is written back as it was.
      const [bytes, info] = await Promise.all([readFile(path), stat(path)]);
      return { meta: { name, size: info.size, modifiedAt: info.mtimeMs }, content: bytesToText(bytes) };
    } catch (err) {
      throw notFoundOr(err, `script "${name}" does not exist in ${this.scriptsDir} — pick one from the list or save it first`);
    }
  }

  /** Save or autosave: replaces the file atomically, creating it when missing. */
  async write(name: string, content: string): Promise<ScriptMeta> {
    const path = this.pathOf(name);
    const bytes = textToBytes(content);
    checkSize(name, bytes.length);
    await mkdir(this.scriptsDir, { recursive: true });
    const tmp = join(this.scriptsDir, tempFileName(name));
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const meta = await this.metaOf(name);
    this.emit('changed', meta);
    return meta;
  }

  /**
   * Removes the hidden temp files of saves a kill interrupted (`.NAME.<12 hex>.tmp` of a valid script name);
   * run at start, before any save. Nothing else in the folder is touched. Returns the names removed.
   */
  async removeStaleTempFiles(): Promise<string[]> {
    let files: string[];
    try {
      files = await readdir(this.scriptsDir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    const stale = files.filter(isTempFileName);
    await Promise.all(stale.map((f) => rm(join(this.scriptsDir, f), { force: true })));
    return stale;
  }

  async saveAs(name: string, content: string, overwrite = false): Promise<ScriptMeta> {
    if (!overwrite && (await this.metaOrNull(name))) {
      throw new WorkspaceError('already_exists', `a script named "${name}" already exists — choose another name or allow overwriting`);
    }
    return this.write(name, content);
  }

  /** The editor file bound to a session: `<sessionId>.lua`, created empty the first time. */
  async sessionScript(sessionId: string): Promise<{ meta: ScriptMeta; content: string }> {
    const name = `${sessionId}.lua`;
    if (!(await this.metaOrNull(name))) await this.write(name, '');
    return this.read(name);
  }

  async examples(): Promise<Example[]> {
    let files: string[];
    try {
      files = (await readdir(this.examplesDir)).filter((f) => f.endsWith('.lua')).sort();
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    return Promise.all(files.map(async (f) => describeExample(f, await readFile(join(this.examplesDir, f), 'utf8'))));
  }

  /** Copies an example into the workspace, under `name` or the first free `<example>-N.lua`. */
  async fromExample(example: string, name?: string): Promise<{ meta: ScriptMeta; content: string }> {
    if (!scriptNameSchema.safeParse(example).success) {
      throw new WorkspaceError('invalid_input', `${JSON.stringify(example.slice(0, 120))} is not an example name — use one listed by workspace:examples`);
    }
    const file = example;
    let content: string;
    try {
      content = await readFile(join(this.examplesDir, file), 'utf8');
    } catch (err) {
      throw notFoundOr(err, `example "${example}" is not bundled — use one listed by workspace:examples`);
    }
    const target = name ?? (await this.freeName(file));
    const meta = await this.saveAs(target, content);
    return { meta, content };
  }

  private async freeName(file: string): Promise<string> {
    const stem = file.replace(/\.lua$/, '');
    const taken = new Set((await this.list()).map((m) => m.name));
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? file : `${stem}-${i}.lua`;
      if (!taken.has(candidate)) return candidate;
    }
  }

  private pathOf(name: string): string {
    const parsed = scriptNameSchema.safeParse(name);
    if (!parsed.success) throw new WorkspaceError('invalid_input', `${JSON.stringify(name.slice(0, 120))}: ${parsed.error.issues[0]?.message}`);
    return join(this.scriptsDir, name);
  }

  private async metaOf(name: string): Promise<ScriptMeta> {
    const info = await stat(this.pathOf(name));
    return { name, size: info.size, modifiedAt: info.mtimeMs };
  }

  private async metaOrNull(name: string): Promise<ScriptMeta | null> {
    try {
      return await this.metaOf(name);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

/** The hidden file a save writes before renaming it over the script. */
function tempFileName(script: string): string {
  return `.${script}.${randomBytes(6).toString('hex')}.tmp`;
}

function isTempFileName(file: string): boolean {
  const m = /^\.(.+)\.[0-9a-f]{12}\.tmp$/.exec(file);
  return m !== null && scriptNameSchema.safeParse(m[1]).success;
}

/** Title from the first `--` comment line, description from the comment lines after it. */
export function describeExample(name: string, source: string): Example {
  const comments: string[] = [];
  for (const line of source.split('\n')) {
    const m = /^--+\s?(.*)$/.exec(line.trim());
    if (!m) break;
    comments.push(m[1]!.trim());
  }
  const [title, ...rest] = comments.filter((c) => c.length > 0);
  return { name, title: title ?? name.replace(/\.lua$/, ''), description: rest.join(' ') };
}

function checkSize(name: string, bytes: number): void {
  if (bytes > MAX_SCRIPT_BYTES) {
    throw new WorkspaceError('limit_exceeded', `script "${name}" is larger than 4 MiB — split it into modules`);
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function notFoundOr(err: unknown, message: string): unknown {
  return isNotFound(err) ? new WorkspaceError('not_found', message) : err;
}
