// <data dir>/layout.json: the main area's tabs, groups and split, as the window last left them. The layout
// is a convenience, not data: one from another version that does not fit the contract is set aside (logged,
// overwritten by the next save) and the window starts from its default; a file that is not JSON at all is a
// DataFileError, moved aside at start like every other unreadable data-dir file.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataFileError } from '../config/data-file';
import { mainAreaLayoutSchema, type MainAreaLayout } from '../../src-preload/contract/layout';

/** The temp file a save writes beside layout.json before the rename; one a kill left behind is removed at start. */
export const LAYOUT_TEMP_FILE = /^\.layout\.[0-9a-f]{12}\.tmp$/;

export class LayoutFile {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private current: MainAreaLayout | null,
  ) {}

  static open(file: string, log: (message: string) => void): LayoutFile {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new LayoutFile(file, null);
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new DataFileError(file, `is not valid JSON (${(err as Error).message})`, 'delete it to start from the default layout');
    }
    const parsed = mainAreaLayoutSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      log(`[layout] ${file} does not hold a layout this version reads (${issue?.path.join('.') || 'file'}: ${issue?.message}) — starting from the default layout`);
      return new LayoutFile(file, null);
    }
    return new LayoutFile(file, parsed.data);
  }

  get(): MainAreaLayout | null {
    return this.current === null ? null : structuredClone(this.current);
  }

  /** Saves apply one after another, each replacing the file atomically. */
  save(layout: MainAreaLayout): Promise<void> {
    const checked = mainAreaLayoutSchema.parse(layout);
    this.current = checked;
    const run = this.queue.then(() => this.write(checked));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(layout: MainAreaLayout): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = join(dirname(this.file), `.layout.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, `${JSON.stringify(layout, null, 2)}\n`, { encoding: 'utf8', flag: 'wx' });
      await rename(tmp, this.file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
