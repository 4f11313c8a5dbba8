// Owner of one short-lived tool process (luarocks, lua). It runs in its own process group so a
// timeout or dispose() also kills what it spawned (gcc, make, unzip). Lines of output stream to a
// callback as they arrive; the captured text is bounded.
import type { ChildProcess } from 'node:child_process';
import { execFailed, spawnChild } from '../process/child-process';
import { PackageError } from './package-error';

export type ToolState = 'starting' | 'running' | 'exited' | 'failed' | 'killed';

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ToolOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Each complete line of stdout or stderr, as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** Captured output keeps the last bytes; progress lines have already been streamed by then. */
const MAX_CAPTURE = 256 * 1024;

export class ToolProcess {
  state: ToolState = 'starting';
  private child: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;

  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly options: ToolOptions,
  ) {}

  run(): Promise<ToolResult> {
    return new Promise((resolve, reject) => {
      const child = spawnChild(this.command, this.args, { cwd: this.options.cwd, env: this.options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      const captured = { stdout: '', stderr: '' };
      for (const stream of ['stdout', 'stderr'] as const) {
        let partial = '';
        child[stream]!.setEncoding('utf8').on('data', (chunk: string) => {
          captured[stream] = (captured[stream] + chunk).slice(-MAX_CAPTURE);
          const lines = (partial + chunk).split('\n');
          partial = lines.pop()!;
          for (const line of lines) this.options.onLine?.(line, stream);
        });
        child[stream]!.on('end', () => partial && this.options.onLine?.(partial, stream));
      }
      child.once('spawn', () => {
        this.state = 'running';
        this.timer = setTimeout(() => {
          this.timedOut = true;
          this.dispose();
        }, this.options.timeoutMs);
      });
      const notFound = () => new PackageError('unavailable', `${this.command} not found — install it (apt install ${this.command === 'luarocks' ? 'luarocks' : 'lua5.4'})`);
      child.once('error', (err: NodeJS.ErrnoException) => {
        this.state = 'failed';
        clearTimeout(this.timer);
        reject(err.code === 'ENOENT' ? notFound() : err);
      });
      child.once('close', (code) => {
        clearTimeout(this.timer);
        if (execFailed(code, captured.stderr)) {
          this.state = 'failed';
          reject(notFound());
          return;
        }
        if (this.state === 'running') this.state = code === 0 ? 'exited' : 'failed';
        resolve({ code, ...captured, timedOut: this.timedOut });
      });
    });
  }

  /** Kill the whole process group; safe to call at any time, any number of times. */
  dispose(): void {
    clearTimeout(this.timer);
    const pid = this.child?.pid;
    if (pid === undefined || this.child!.exitCode !== null || this.child!.signalCode !== null) return;
    this.state = 'killed';
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      this.child!.kill('SIGKILL');
    }
  }
}

/** Run a tool to completion with the given options. */
export function runTool(command: string, args: readonly string[], options: ToolOptions): Promise<ToolResult> {
  return new ToolProcess(command, args, options).run();
}
