// Ties a child's life to the workbench's: on Linux, setpriv --pdeathsig makes the kernel signal the child
// when its parent dies, then execs the program (so the pid is the program's own). Elsewhere the command
// runs as is and the owners' dispose() is the only guard.
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

/** The exit code setpriv uses when it cannot exec the program (it prints "failed to execute"). */
export const EXEC_FAILED = 127;

export function withParentDeathSignal(executable: string, args: readonly string[], signal: 'KILL' | 'TERM'): [string, string[]] {
  if (process.platform !== 'linux' || !existsSync(SETPRIV)) return [executable, [...args]];
  return [SETPRIV, ['--pdeathsig', signal, '--', executable, ...args]];
}

/** True when a child exited because its program could not be executed (missing binary). */
export function execFailed(code: number | null, log: string): boolean {
  return code === EXEC_FAILED && /failed to execute/.test(log);
}
