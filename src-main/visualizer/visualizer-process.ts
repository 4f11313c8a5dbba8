// Owner of the LÖVE Ol-Fi visualizer process (lua/visualizer): launch, stop, relaunch, its log, and a crash
// reported as state rather than thrown. The visualizer reads Redis itself; credentials go by environment.
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { DEFAULT_STREAM as DEFAULT_METRICS_STREAM } from '../metrics/metrics-stream-publisher';
import { execFailed, spawnChild } from '../process/child-process';
import type { VisualizerStatus } from '../../src-preload/contract/olfi';

export type VisualizerState = VisualizerStatus['state'];

export interface VisualizerLaunch {
  /** redis:// URL (TLS is not available to LuaSocket, so rediss:// is refused). */
  redisUrl: string;
  streamKey?: string;
  /** The hypervisor bridge's metrics stream (ATP, gene expression per cellular VM); default bioxen_metrics. */
  metricsStreamKey?: string;
  /** Read from this stream id instead of only new frames ('0-0' = whole stream). */
  from?: string;
  /** Render without a display and save a PNG after `after` frames, then exit. */
  offscreen?: boolean;
  screenshot?: string;
  after?: number;
  /** With `screenshot`: also wait for this many metric samples. */
  afterMetrics?: number;
  timeoutSeconds?: number;
}

export type { VisualizerStatus } from '../../src-preload/contract/olfi';

export interface VisualizerEvents {
  status: [VisualizerStatus];
  log: [string];
}

export class VisualizerError extends Error {
  override readonly name = 'VisualizerError';
  constructor(
    readonly code: 'invalid_input' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export const LOVE_NOT_FOUND_MESSAGE = 'love not found — install LÖVE 11 (apt install love) to use the Ol-Fi visualizer';
const LOG_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 3000;

export class VisualizerProcess extends EventEmitter<VisualizerEvents> {
  private child: ChildProcess | undefined;
  private current: VisualizerStatus = { state: 'idle' };
  private logText = '';
  private lastLaunch: VisualizerLaunch | undefined;
  private exitWaiters: Array<(status: VisualizerStatus) => void> = [];

  constructor(private readonly options: { appRoot: string; loveExecutable?: string }) {
    super();
  }

  get status(): VisualizerStatus {
    return { ...this.current };
  }

  /** The visualizer's stdout and stderr, last 64 KiB. */
  get log(): string {
    return this.logText;
  }

  launch(launch: VisualizerLaunch): VisualizerStatus {
    if (this.current.state === 'running' || this.current.state === 'stopping') {
      throw new VisualizerError('conflict', `the visualizer is already ${this.current.state}; stop it or use relaunch`);
    }
    const { args, env } = commandLine(launch);
    this.lastLaunch = launch;
    this.logText = '';
    const child = spawnChild(this.options.loveExecutable ?? 'love', [join(this.options.appRoot, 'lua', 'visualizer'), ...args], {
      deathSignal: 'TERM',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that stop() also ends anything LÖVE started.
      detached: true,
    });
    this.child = child;
    this.setStatus({ state: 'running', pid: child.pid });
    child.stdout!.on('data', (chunk: Buffer) => this.appendLog(chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => this.appendLog(chunk.toString('utf8')));
    child.once('error', (err: NodeJS.ErrnoException) => {
      this.child = undefined;
      this.finish({ state: 'crashed', reason: err.code === 'ENOENT' ? LOVE_NOT_FOUND_MESSAGE : `could not start the visualizer: ${err.message}` });
    });
    child.once('exit', (code, signal) => {
      this.child = undefined;
      const stopping = this.current.state === 'stopping';
      if (execFailed(code, this.logText)) this.finish({ state: 'crashed', exitCode: code, reason: LOVE_NOT_FOUND_MESSAGE });
      else if (stopping || code === 0) this.finish({ state: 'exited', exitCode: code, signal });
      else this.finish({ state: 'crashed', exitCode: code, signal, reason: `the visualizer ${signal ? `was killed by ${signal}` : `exited with code ${code}`}:\n${this.logText.trim().split('\n').slice(-8).join('\n')}` });
    });
    return this.status;
  }

  /** Stops it (SIGTERM to its group, SIGKILL after a grace period). Safe in any state. */
  async stop(): Promise<VisualizerStatus> {
    const child = this.child;
    if (!child || this.current.state !== 'running') return this.status;
    const exited = this.waitForExit();
    this.setStatus({ ...this.current, state: 'stopping' });
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    return this.status;
  }

  async relaunch(launch?: VisualizerLaunch): Promise<VisualizerStatus> {
    const next = launch ?? this.lastLaunch;
    if (!next) throw new VisualizerError('conflict', 'the visualizer was never launched; launch it first');
    await this.stop();
    return this.launch(next);
  }

  /** Resolves when the current process ends (immediately when none runs). */
  waitForExit(): Promise<VisualizerStatus> {
    if (this.current.state !== 'running' && this.current.state !== 'stopping') return Promise.resolve(this.status);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  async dispose(): Promise<void> {
    await this.stop();
  }

  private finish(status: VisualizerStatus): void {
    this.setStatus(status);
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const resolve of waiters) resolve(this.status);
  }

  private appendLog(text: string): void {
    this.logText = (this.logText + text).slice(-LOG_LIMIT);
    this.emit('log', text);
  }

  private setStatus(status: VisualizerStatus): void {
    this.current = status;
    this.emit('status', this.status);
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/** Command-line flags and environment for a launch; credentials never go on the command line. */
export function commandLine(launch: VisualizerLaunch): { args: string[]; env: Record<string, string> } {
  let url: URL;
  try {
    url = new URL(launch.redisUrl);
  } catch {
    throw new VisualizerError('invalid_input', `"${launch.redisUrl}" is not a Redis URL (redis://host:port)`);
  }
  if (url.protocol === 'rediss:') throw new VisualizerError('invalid_input', 'the visualizer cannot use TLS (rediss://) — LuaSocket has no TLS; point it at a plain redis:// server');
  if (url.protocol !== 'redis:') throw new VisualizerError('invalid_input', `"${url.protocol}" is not a Redis URL scheme (use redis://host:port)`);
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const streamKey = launch.streamKey ?? 'olfi_stream';
  const metricsStreamKey = launch.metricsStreamKey ?? DEFAULT_METRICS_STREAM;
  if (metricsStreamKey === streamKey) throw new VisualizerError('invalid_input', `the Ol-Fi and metrics streams are both "${streamKey}"; give the metrics their own stream (default ${DEFAULT_METRICS_STREAM})`);
  const args = ['--redis', `${host}:${url.port || '6379'}`, '--stream', streamKey, '--metrics-stream', metricsStreamKey];
  if (launch.from !== undefined) args.push('--from', launch.from);
  if (launch.offscreen) args.push('--offscreen');
  if (launch.screenshot !== undefined) args.push('--screenshot', launch.screenshot, '--after', String(launch.after ?? 1), '--after-metrics', String(launch.afterMetrics ?? 0));
  if (launch.timeoutSeconds !== undefined) args.push('--timeout', String(launch.timeoutSeconds));
  const env: Record<string, string> = {};
  if (url.password) env.BIOXEN_REDIS_PASSWORD = decodeURIComponent(url.password);
  if (url.username) env.BIOXEN_REDIS_USER = decodeURIComponent(url.username);
  const db = url.pathname.replace(/^\//, '');
  if (db) env.BIOXEN_REDIS_DB = db;
  if (launch.offscreen) env.SDL_VIDEODRIVER = 'offscreen';
  return { args, env };
}
