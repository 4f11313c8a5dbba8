// A data-dir file the workbench cannot read (truncated by a crash, edited by hand into bad JSON) must not stop
// it from starting: it is moved aside as `<name>.corrupt-<time>`, nothing in it is lost, the workbench starts
// without it and says so.
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A data-dir file whose content is unreadable (bad JSON, unexpected shape); `problem` says what is wrong. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(
    readonly file: string,
    readonly problem: string,
    fix: string,
  ) {
    super(`${file} ${problem} — ${fix}`);
  }
}

/** For a JSON file a service reads later, on first use: a DataFileError now if it is not JSON (a missing file is fine). */
export function checkJsonFile(file: string, fix: string): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw new DataFileError(file, `is not valid JSON (${(err as Error).message})`, fix);
  }
}

/** Removes the files in `dir` (not below it) whose names match one of the writers' own temp-file patterns. */
export function removeStaleTempFiles(dir: string, patterns: readonly RegExp[]): string[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const stale = files.filter((f) => patterns.some((p) => p.test(f)));
  for (const f of stale) rmSync(join(dir, f), { force: true });
  return stale;
}

/** Renames `file` to `<file>.corrupt-<UTC time>` and returns the warning to show the user. */
export function moveAside(file: string, problem: string, now = new Date()): string {
  const aside = `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return `${basename(file)} ${problem}; it was moved aside to ${aside} and the workbench started without it — fix that file and move it back, or delete it`;
}

/**
 * Runs `read`; when it fails with a DataFileError, or a SettingsError-like error `isUnreadable` accepts, the file
 * is moved aside, `warn` hears why, and `fallback` (which reads again, now without the file) answers instead.
 */
export async function readOrMoveAside<T>(
  file: string,
  read: () => Promise<T> | T,
  fallback: () => Promise<T> | T,
  warn: (message: string) => void,
  isUnreadable: (err: unknown) => boolean = (err) => err instanceof DataFileError,
): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!isUnreadable(err)) throw err;
    const problem = err instanceof DataFileError ? err.problem : `could not be read (${(err as Error).message})`;
    warn(moveAside(file, problem));
    return fallback();
  }
}
