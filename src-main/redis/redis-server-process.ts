// Owner of one embedded `redis-server` child: the workbench's default Ol-Fi broker and the tests' private servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { execFailed, withParentDeathSignal } from '../process/child-process';

export type RedisServerState = 'idle' | 'starting' | 'ready' | 'stopping' | 'exited' | 'crashed';

export interface RedisServerStartOptions {
  /** Working directory of the server: its AOF/RDB files live here. Created when missing. */
  dataDir: string;
  /** Loopback port; a free one is picked when omitted. */
  port?: number;
  /**
   * 'aof' keeps data across restarts (append-only file, fsync every second);
   * 'aof-always' fsyncs every write (tests that kill -9 and expect the data back);
   * 'none' keeps nothing on disk.
   */
  persistence?: 'aof' | 'aof-always' | 'none';
  /** More redis-server arguments, appended last (e.g. tests' ACL users and TLS listener). */
  extraArgs?: string[];
  /**
   * The password every client must AUTH with (requirepass). It reaches the server on its stdin, never on its
   * command line, which every local user can read in /proc/<pid>/cmdline.
   */
  password?: string;
}

export interface RedisServerInfo {
  url: string;
  port: number;
  pid: number;
}

export class RedisServerError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'start-failed' | 'bad-state' | 'cancelled',
  ) {
    super(message);
    this.name = 'RedisServerError';
  }
}

export const REDIS_NOT_FOUND_MESSAGE =
  'redis-server not found — install it (apt install redis-server) or set a Redis URL in Settings';

const LOG_LIMIT = 64 * 1024;
const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

/** Asks the kernel for a free loopback port (released immediately; the server binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export class RedisServerProcess {
  private child: ChildProcess | undefined;
  private stateValue: RedisServerState = 'idle';
  private logText = '';
  private lastOptions: LaunchOptions | undefined;
  private exitWaiters: Array<() => void> = [];
  private lastExitValue: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly listeners = new Set<(state: RedisServerState) => void>();

  constructor(private readonly executable = 'redis-server') {}

  get state(): RedisServerState {
    return this.stateValue;
  }

  /** The server's recent log (bounded), for error reports. */
  get log(): string {
    return this.logText;
  }

  /** How the last process ended (exit code 0 after a SHUTDOWN, a signal after a kill); undefined while one runs. */
  get lastExit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.lastExitValue;
  }

  get info(): RedisServerInfo | undefined {
    if (this.stateValue !== 'ready' || !this.child?.pid || !this.lastOptions) return undefined;
    return serverInfo(this.lastOptions, this.child.pid);
  }

  onStateChange(listener: (state: RedisServerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts the server and resolves once it accepts connections. Aborting `signal` stops a server that is
   * still starting (start() then rejects with code 'cancelled' once the process is gone).
   */
  async start(options: RedisServerStartOptions, signal?: AbortSignal): Promise<RedisServerInfo> {
    if (this.stateValue === 'starting' || this.stateValue === 'ready' || this.stateValue === 'stopping') {
      throw new RedisServerError(`redis-server is already ${this.stateValue}; stop it before starting again`, 'bad-state');
    }
    const onAbort = () => void this.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const info = await this.startOnFreePort(options, signal);
      if (signal?.aborted) {
        await this.stop();
        throw cancelled();
      }
      return info;
    } catch (err) {
      throw signal?.aborted ? cancelled() : err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async startOnFreePort(options: RedisServerStartOptions, signal: AbortSignal | undefined): Promise<RedisServerInfo> {
    // A picked port can be taken by someone else between probe and bind; pick again a few times.
    const attempts = options.port === undefined ? 3 : 1;
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      if (signal?.aborted) throw cancelled();
      this.lastOptions = { dataDir: options.dataDir, port, persistence: options.persistence ?? 'aof', extraArgs: options.extraArgs ?? [], password: options.password };
      try {
        return await this.launch(this.lastOptions);
      } catch (err) {
        const portTaken = err instanceof RedisServerError && err.code === 'start-failed' && /address already in use/i.test(err.message);
        if (!portTaken || attempt >= attempts) throw err;
      }
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after a grace period). Safe to call in any state. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.stateValue === 'exited' || this.stateValue === 'crashed' || this.stateValue === 'idle') return;
    this.setState('stopping');
    const exited = this.waitForExit();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  /** Simulates a crash: SIGKILL, no chance to save. For tests of reconnect and resume. */
  async killHard(): Promise<void> {
    const child = this.child;
    if (!child || this.stateValue !== 'ready') return;
    const exited = this.waitForExit();
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts again on the same port and data dir as the last start. */
  async restart(): Promise<RedisServerInfo> {
    if (!this.lastOptions) throw new RedisServerError('redis-server was never started; call start() first', 'bad-state');
    await this.stop();
    return this.launch(this.lastOptions);
  }

  private launch(options: LaunchOptions): Promise<RedisServerInfo> {
    mkdirSync(options.dataDir, { recursive: true });
    this.logText = '';
    this.lastExitValue = undefined;
    // A crashed or killed workbench must not leave a redis-server behind.
    const [command, args] = withParentDeathSignal(this.executable, serverArgs(options), 'KILL');
    const child = spawn(command, args, { cwd: options.dataDir, stdio: [options.password === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    this.child = child;
    if (options.password !== undefined) {
      // `redis-server -` reads configuration from stdin until it closes, then applies the arguments after it.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(`requirepass ${configString(options.password)}\n`);
    }
    // Only now: whoever reacts to 'starting' with stop() finds the child to stop.
    this.setState('starting');
    return new Promise<RedisServerInfo>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(serverInfo(options, child.pid!));
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle(new RedisServerError(`redis-server did not become ready within ${READY_TIMEOUT_MS / 1000} s:\n${this.logText}`, 'start-failed'));
      }, READY_TIMEOUT_MS);
      const onOutput = (chunk: Buffer) => {
        this.appendLog(chunk.toString('utf8'));
        if (this.stateValue === 'starting' && this.logText.includes('Ready to accept connections')) {
          this.setState('ready');
          settle();
        }
      };
      child.stdout!.on('data', onOutput);
      child.stderr!.on('data', onOutput);
      child.once('error', (err: NodeJS.ErrnoException) => {
        this.child = undefined;
        this.setState('crashed');
        this.releaseExitWaiters();
        settle(err.code === 'ENOENT' ? new RedisServerError(REDIS_NOT_FOUND_MESSAGE, 'not-found') : err);
      });
      child.once('exit', (code, signal) => {
        this.lastExitValue = { code, signal };
        const wasStopping = this.stateValue === 'stopping';
        if (execFailed(code, this.logText)) {
          this.setState('crashed');
          this.releaseExitWaiters();
          settle(new RedisServerError(REDIS_NOT_FOUND_MESSAGE, 'not-found'));
          return;
        }
        this.setState(wasStopping || code === 0 ? 'exited' : 'crashed');
        this.releaseExitWaiters();
        settle(
          new RedisServerError(
            `redis-server exited before it was ready (${signal ?? `code ${code}`}) on port ${options.port}:\n${this.logText.trim()}`,
            'start-failed',
          ),
        );
      });
    });
  }

  private waitForExit(): Promise<void> {
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  private releaseExitWaiters(): void {
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private appendLog(text: string): void {
    this.logText = (this.logText + text).slice(-LOG_LIMIT);
  }

  private setState(state: RedisServerState): void {
    if (this.stateValue === state) return;
    this.stateValue = state;
    for (const listener of this.listeners) listener(state);
  }
}

function cancelled(): RedisServerError {
  return new RedisServerError('the redis-server start was cancelled (its owner was closed while it started)', 'cancelled');
}

type LaunchOptions = Required<Omit<RedisServerStartOptions, 'password'>> & { password: string | undefined };

/** Where clients connect; the URL carries the password, so show it only through redactRedisUrl. */
function serverInfo(options: LaunchOptions, pid: number): RedisServerInfo {
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return { url: `redis://${auth}127.0.0.1:${options.port}`, port: options.port, pid };
}

/** A value for redis.conf: double-quoted, with the characters its parser treats specially escaped. */
function configString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

function serverArgs(options: LaunchOptions): string[] {
  const persistence =
    options.persistence === 'none'
      ? ['--appendonly', 'no']
      : ['--appendonly', 'yes', '--appendfsync', options.persistence === 'aof-always' ? 'always' : 'everysec'];
  return [
    ...(options.password === undefined ? [] : ['-']),
    '--port', String(options.port),
    '--bind', '127.0.0.1',
    '--dir', options.dataDir,
    '--save', '',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
    ...persistence,
    ...options.extraArgs,
  ];
}
