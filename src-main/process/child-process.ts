// Every child process the workbench starts goes through spawnChild, so none outlives it: on Linux,
// setpriv --pdeathsig makes the kernel signal the child when the workbench dies (kill -9 included), then
// execs the program (so the pid is the program's own). The kernel sends the signal when the *thread* that
// spawned the child exits; Node spawns from its main thread, whose life is the process's. Where setpriv is
// missing (macOS, a Linux without util-linux) the command runs as is, after one warning, and the owners'
// dispose() is the only guard.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type SpawnOptions, type SpawnOptionsWithoutStdio } from 'node:child_process';
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

/** The exit code setpriv uses when it cannot exec the program (it prints "failed to execute"). */
export const EXEC_FAILED = 127;

export type ParentDeathSignal = 'KILL' | 'TERM';

let setprivAvailable: boolean | undefined;

function hasSetpriv(): boolean {
  if (setprivAvailable === undefined) {
    setprivAvailable = process.platform === 'linux' && existsSync(SETPRIV);
    if (!setprivAvailable) {
      process.emitWarning(
        `${SETPRIV} not found: child processes (Lua runners, luarocks, LÖVE, redis-server) are not stopped by the kernel if the workbench is killed — on Linux install util-linux`,
        { code: 'BIOXEN_NO_PDEATHSIG' },
      );
    }
  }
  return setprivAvailable;
}

/** The command line that runs `executable args` with a parent-death signal (as is where there is none). */
export function withParentDeathSignal(executable: string, args: readonly string[], signal: ParentDeathSignal = 'KILL'): [string, string[]] {
  if (!hasSetpriv()) return [executable, [...args]];
  return [SETPRIV, ['--pdeathsig', signal, '--', executable, ...args]];
}

export interface ChildOptions extends SpawnOptions {
  /** What the child gets when the workbench dies: KILL (default) or TERM for a child that cleans up. */
  deathSignal?: ParentDeathSignal;
}

/** child_process.spawn with a parent-death signal. */
export function spawnChild(executable: string, args: readonly string[], options: ChildOptions & SpawnOptionsWithoutStdio): ChildProcessWithoutNullStreams;
export function spawnChild(executable: string, args: readonly string[], options?: ChildOptions): ChildProcess;
export function spawnChild(executable: string, args: readonly string[], options: ChildOptions = {}): ChildProcess {
  const { deathSignal, ...spawnOptions } = options;
  const [command, commandArgs] = withParentDeathSignal(executable, args, deathSignal);
  return spawn(command, commandArgs, spawnOptions);
}

/** True when a child exited because its program could not be executed (missing binary). */
export function execFailed(code: number | null, log: string): boolean {
  return code === EXEC_FAILED && /failed to execute/.test(log);
}
