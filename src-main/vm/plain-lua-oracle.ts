// Plain Lua as the oracle for the sandbox: the same script run by the bare interpreter (as
// `lua snippet.lua` from a scratch dir) and in a session (as a file the user runs), with the two
// outputs in the same shape so a test compares them whole.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { VMManager } from './vm-manager';

export interface LuaOutcome {
  stdout: string;
  /** stderr: warnings, then the error report as lua.c prints it without its program-name prefix. */
  error: string;
  /** The exit status: the interpreter's, and the run's returnCode in a session (os.exit sets both). */
  status: number;
}

const SCRIPT = 'snippet.lua';

/** Runs code as the script `snippet.lua` in dir under the plain interpreter `lua`. */
export function runPlain(lua: string, dir: string, code: string): Promise<LuaOutcome> {
  writeFileSync(join(dir, SCRIPT), code);
  return new Promise((resolve, reject) => {
    execFile(lua, [SCRIPT], { cwd: dir, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      // lua.c prefixes its report with the program name (`lua5.4: `).
      const prefix = `${basename(lua)}: `;
      const error = stderr.startsWith(prefix) ? stderr.slice(prefix.length) : stderr;
      resolve({ stdout, error, status: err ? Number(err.code) : 0 });
    });
  });
}

/** Runs code as the script `snippet.lua` in a fresh environment of the session vmId. */
export async function runInSession(manager: VMManager, vmId: string, code: string): Promise<LuaOutcome> {
  const r = await manager.getVM(vmId).executeString(code, { chunkName: `@${SCRIPT}` });
  return { stdout: r.stdout, error: r.stderr, status: r.returnCode };
}
