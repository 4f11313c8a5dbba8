// `bioxen serve --open`: the desktop's browser opens a small private launch file that forwards to the
// token URL, so the token never appears on a command line (/proc/<pid>/cmdline is readable by every
// local user). The file is 0600 in a fresh 0700 directory and is removed shortly after.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Long enough for a browser that has to start first; the file is useless once the page has loaded. */
const LAUNCH_FILE_LIFETIME_MS = 60_000;

export interface LaunchFile {
  readonly path: string;
  /** Deletes the file and its directory; safe to call more than once. */
  remove(): Promise<void>;
}

export async function writeLaunchFile(url: string): Promise<LaunchFile> {
  const dir = await mkdtemp(join(tmpdir(), 'bioxen-open-'));
  const path = join(dir, 'open-workbench.html');
  // JSON.stringify quotes the URL; escaping "<" keeps it from ever closing the script element.
  const target = JSON.stringify(url).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>Opening BioXen Workbench…</title>
<script>location.replace(${target});</script>
`;
  await writeFile(path, html, { mode: 0o600, flag: 'wx' });
  let removed: Promise<void> | undefined;
  return { path, remove: () => (removed ??= rm(dir, { recursive: true, force: true })) };
}

/** The program that opens a file with the desktop's default handler; BIOXEN_OPENER overrides it. */
export function desktopOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (env.BIOXEN_OPENER) return { command: env.BIOXEN_OPENER, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/**
 * Opens the workbench URL in a browser through a launch file. Resolves with the file, which removes
 * itself after a minute; remove it sooner when the host stops. Failing to start the opener is reported
 * on stderr and is not fatal: the URL is printed anyway.
 */
export async function openInBrowser(url: string, opener = desktopOpener()): Promise<LaunchFile> {
  const file = await writeLaunchFile(url);
  const child = spawn(opener.command, [...opener.args, file.path], { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`could not start ${opener.command} to open a browser — open the URL above yourself\n`));
  child.unref();
  setTimeout(() => void file.remove(), LAUNCH_FILE_LIFETIME_MS).unref();
  return file;
}
