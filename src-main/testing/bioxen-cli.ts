// Runs the real `bioxen` entry (bin/bioxen.mjs) as a child process, for the CLI's tests.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const BIOXEN_BIN = join(__dirname, '..', '..', 'bin', 'bioxen.mjs');

export interface BioxenRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes, for output that need not be UTF-8. */
  stdoutBytes: Buffer;
}

/** `bioxen ...args` with `input` on stdin (closed after it) and, given one, its own data dir. */
export function runBioxen(args: string[], opts: { dataDir?: string; input?: string } = {}): Promise<BioxenRun> {
  const env = opts.dataDir === undefined ? process.env : { ...process.env, BIOXEN_DATA_DIR: opts.dataDir };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIOXEN_BIN, ...args], { env });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stderr, stdoutBytes });
    });
    child.stdin.end(opts.input ?? '');
  });
}
