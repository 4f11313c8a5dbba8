// The Ol-Fi domain as one service: where Redis is (configured URL or the embedded server), the live mirror,
// the publisher, and the bridge from Lua VMs' `olfi` emits to XADD.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { OlFiMirrorStatusView as ServiceMirrorStatus, OlFiStatusView as OlFiStatus } from '../../src-preload/contract/olfi';
import { acquireEmbeddedRedis, describeEmbeddedRedisEvent, EmbeddedRedisError, type EmbeddedRedisEvent, type EmbeddedRedisLease } from '../redis/embedded-redis';
import { RedisServerError } from '../redis/redis-server-process';
import type { OlFiFrame } from './frame-codec';
import { OlFiMirror, type MirrorStats, type MirrorUpdate } from './olfi-mirror';
import { OlFiPublishError, OlFiPublisher, type PublishOptions, type PublishResult } from './olfi-publisher';
import { defaultRedisFactory, reconnectDelay, redactRedisUrl, type RedisFactory } from './redis-connection';
import { chooseRedis } from './redis-endpoint';
import type { OlFiEntry } from './stream-entry';

export type { OlFiStatusView as OlFiStatus } from '../../src-preload/contract/olfi';

/**
 * The mirror's status as the user sees it: 'not-responding' while the connection is up but Redis does not answer
 * (a stopped or overloaded server, which a blocked XREAD cannot notice).
 */
export type { OlFiMirrorStatusView as ServiceMirrorStatus } from '../../src-preload/contract/olfi';

/** How often Redis is asked for PING, and how long an unanswered PING may wait before Redis counts as not responding. */
export interface HealthCheckOptions {
  intervalMs: number;
  timeoutMs: number;
}

const DEFAULT_HEALTH_CHECK: HealthCheckOptions = { intervalMs: 500, timeoutMs: 2000 };

export interface OlFiServiceOptions {
  dataDir: string;
  /** The configured Redis URL (Settings); none → the embedded server in <dataDir>/redis. */
  redisUrl: () => string | null | undefined;
  /** The stream to mirror and publish to, read at each (re)connect; default olfi_stream. */
  streamKey?: () => string;
  /** The stream the visualizer reads cellular metrics from (Settings' metricsStream); default bioxen_metrics. */
  metricsStreamKey?: () => string;
  capacity?: number;
  /** Load this many existing entries when the mirror opens (default 1000). */
  loadLast?: number;
  redisFactory?: RedisFactory;
  redisServerExecutable?: string;
  healthCheck?: HealthCheckOptions;
}

export interface OlFiServiceEvents {
  status: [OlFiStatus];
  update: [MirrorUpdate];
}

/** What the engine offers: VMManager's `emit` event (Lua's bioxen.host.emit). */
export interface EmitSource {
  on(event: 'emit', listener: (vmId: string, kind: string, data: unknown) => void): unknown;
  off(event: 'emit', listener: (vmId: string, kind: string, data: unknown) => void): unknown;
}

/** What the settings store offers: its `changed` event. */
interface ConnectionSettings {
  redisUrl: string | null;
  olfiStream?: string;
}
export interface SettingsSource {
  on(event: 'changed', listener: (settings: ConnectionSettings) => void): unknown;
  off(event: 'changed', listener: (settings: ConnectionSettings) => void): unknown;
}

export class OlFiService extends EventEmitter<OlFiServiceEvents> {
  private streamKey: string;
  private mirror: OlFiMirror | undefined;
  private publisherRedis: Redis | undefined;
  private publisher: OlFiPublisher | undefined;
  private lease: EmbeddedRedisLease | undefined;
  private activeUrl: string | undefined;
  private current: OlFiStatus;
  private starting: Promise<OlFiStatus> | undefined;
  /** The restart running now, and the one that will run after it (shared by every request meanwhile). */
  private restarting: Promise<OlFiStatus> | undefined;
  private queuedRestart: Promise<OlFiStatus> | undefined;
  private disposed = false;
  /** Cancels the start in progress (an embedded redis-server still starting) when the service closes. */
  private startAbort: AbortController | undefined;
  private readonly factory: RedisFactory;
  private readonly detachers: Array<() => void> = [];
  /** Why Redis counts as not responding now (an unanswered PING), or undefined while it answers. */
  private unresponsive: string | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private lastStats: MirrorStats | null = null;

  constructor(private readonly options: OlFiServiceOptions) {
    super();
    this.streamKey = this.configuredStreamKey();
    this.factory = options.redisFactory ?? defaultRedisFactory;
    this.current = { source: 'none', url: null, streamKey: this.streamKey, mirror: null, vmPublishFailures: 0 };
  }

  status(): OlFiStatus {
    return { ...this.current, mirror: this.mirrorStatus() };
  }

  /**
   * The URL the main side's own clients use (the metrics publisher), with the password or the embedded server's
   * secret in it: never for the renderer, logs or command lines. Undefined while not connected.
   */
  clientUrl(): string | undefined {
    return this.activeUrl;
  }

  /** Connects (starting the embedded Redis when no URL is configured). Never throws: problems land in status. */
  start(): Promise<OlFiStatus> {
    this.starting ??= this.connect();
    return this.starting;
  }

  /**
   * Applies changed settings: cancels a start in progress, closes everything and connects again. Restarts run
   * one at a time, and requests that arrive meanwhile fold into one more, so quick changes end with one
   * connection, made from the settings as they are last.
   */
  restart(): Promise<OlFiStatus> {
    this.startAbort?.abort();
    this.queuedRestart ??= (this.restarting ?? Promise.resolve()).then(async () => {
      this.queuedRestart = undefined;
      await this.starting;
      if (this.disposed) return this.status();
      await this.close({ keepEmbeddedRedis: chooseRedis(this.options.redisUrl()).source === 'embedded' });
      this.starting = undefined;
      return this.start();
    });
    const restart = this.queuedRestart;
    this.restarting = restart;
    return restart;
  }

  async publish(mvoc: string, frame: OlFiFrame | string, options?: PublishOptions): Promise<PublishResult> {
    await this.start();
    if (!this.publisher) throw new OlFiPublishError('unavailable', `Ol-Fi has no Redis: ${this.current.error ?? 'not connected'}`);
    // A stopped server would hold the call until it answers; say why at once instead.
    if (this.unresponsive) throw new OlFiPublishError('unavailable', `frame not published: ${this.unresponsive}`);
    return this.publisher.publish(mvoc, frame, options);
  }

  get buffered(): number {
    return this.mirror?.buffered ?? 0;
  }

  window(offset: number, count: number): OlFiEntry[] {
    return this.mirror?.window(offset, count) ?? [];
  }

  async history(beforeId: string, count: number): Promise<OlFiEntry[]> {
    if (!this.mirror) throw new OlFiPublishError('unavailable', `Ol-Fi has no Redis: ${this.current.error ?? 'not connected'}`);
    if (this.unresponsive) throw new OlFiPublishError('unavailable', `older frames cannot be read now: ${this.unresponsive}`);
    return this.mirror.history(beforeId, count);
  }

  /** The mirror's counters; while Redis does not respond, the last ones (the stream length cannot be asked). */
  async stats(): Promise<MirrorStats | null> {
    const mirror = this.mirror;
    if (!mirror) return null;
    if (this.unresponsive) return this.lastStats;
    const { timeoutMs } = this.options.healthCheck ?? DEFAULT_HEALTH_CHECK;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const stats = await Promise.race([mirror.stats(), late]).finally(() => clearTimeout(timer));
    if (stats) this.lastStats = stats;
    return stats ?? this.lastStats;
  }

  /**
   * Where the visualizer should read: the full URL (with any password, for the child's environment only,
   * never for the renderer), the Ol-Fi stream key and the metrics stream key.
   */
  visualizerTarget(): { redisUrl: string; streamKey: string; metricsStreamKey?: string } {
    if (!this.activeUrl) throw new OlFiPublishError('unavailable', `the visualizer needs Redis: ${this.current.error ?? 'Ol-Fi is not connected yet'}`);
    return { redisUrl: this.activeUrl, streamKey: this.streamKey, metricsStreamKey: this.options.metricsStreamKey?.() };
  }

  /** Publishes what Lua VMs send with require("bioxen.olfi").send(...). Returns a detach function. */
  attachEngine(engine: EmitSource): () => void {
    const listener = (vmId: string, kind: string, data: unknown) => {
      if (kind === 'olfi') void this.publishFromVm(vmId, data);
    };
    engine.on('emit', listener);
    const detach = () => engine.off('emit', listener);
    this.detachers.push(detach);
    return detach;
  }

  /** Reconnects when the Redis URL or the stream key changes in Settings. Returns a detach function. */
  attachSettings(settings: SettingsSource): () => void {
    let url = this.options.redisUrl() ?? null;
    let stream = this.configuredStreamKey();
    const listener = (next: ConnectionSettings) => {
      const nextStream = next.olfiStream ?? stream;
      if (next.redisUrl === url && nextStream === stream) return;
      url = next.redisUrl;
      stream = nextStream;
      void this.restart();
    };
    settings.on('changed', listener);
    const detach = () => settings.off('changed', listener);
    this.detachers.push(detach);
    return detach;
  }


  async dispose(): Promise<void> {
    this.disposed = true;
    for (const detach of this.detachers.splice(0)) detach();
    this.startAbort?.abort();
    await this.restarting;
    await this.starting;
    await this.close();
    this.removeAllListeners();
  }

  private async publishFromVm(vmId: string, data: unknown): Promise<void> {
    const { mvoc, frame } = (data ?? {}) as { mvoc?: unknown; frame?: unknown };
    try {
      if (typeof mvoc !== 'string' || (typeof frame !== 'string' && (typeof frame !== 'object' || frame === null))) {
        throw new OlFiPublishError('invalid_input', 'an olfi emit needs {mvoc = "NAME", frame = <frame table or JSON>}');
      }
      await this.publish(mvoc, frame as OlFiFrame | string, { extra: { vm: vmId } });
    } catch (err) {
      this.current.vmPublishFailures++;
      this.current.lastVmPublishError = `VM ${vmId}: ${err instanceof Error ? err.message : String(err)}`;
      this.emitStatus();
    }
  }

  private async connect(): Promise<OlFiStatus> {
    const abort = new AbortController();
    this.startAbort = abort;
    try {
      return await this.connectUnless(abort.signal);
    } finally {
      if (this.startAbort === abort) this.startAbort = undefined;
    }
  }

  private configuredStreamKey(): string {
    return this.options.streamKey?.() ?? 'olfi_stream';
  }

  private async connectUnless(cancelled: AbortSignal): Promise<OlFiStatus> {
    this.streamKey = this.configuredStreamKey();
    this.current = { ...this.current, streamKey: this.streamKey };
    const choice = chooseRedis(this.options.redisUrl());
    let url: string;
    if (choice.source !== 'embedded') {
      url = choice.url;
      this.current = { ...this.current, source: 'configured', url: redactRedisUrl(url), error: undefined };
    } else {
      try {
        if (!this.lease) {
          this.lease = await acquireEmbeddedRedis(this.options.dataDir, this.options.redisServerExecutable, cancelled);
          this.lease.supervise((event) => this.embeddedRedisChanged(event));
        }
        url = this.lease.url;
        this.current = { ...this.current, source: 'embedded', url: redactRedisUrl(url), error: undefined };
      } catch (err) {
        if (cancelled.aborted) return this.status();
        const known = err instanceof RedisServerError || err instanceof EmbeddedRedisError;
        const message = known ? err.message : `could not start the embedded redis-server: ${(err as Error).message}`;
        this.current = { ...this.current, source: 'none', url: null, error: message };
        this.emitStatus();
        return this.status();
      }
    }
    // Closed while the lease was being granted: dispose() releases it; nothing else gets connected.
    if (cancelled.aborted) return this.status();
    this.activeUrl = url;
    this.publisherRedis = this.factory(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => reconnectDelay(n) });
    this.publisherRedis.on('error', () => undefined);
    this.publisher = new OlFiPublisher(this.publisherRedis, { streamKey: this.streamKey, url });
    this.startHealthCheck(this.publisherRedis, redactRedisUrl(url));
    const mirror = new OlFiMirror({
      url,
      streamKey: this.streamKey,
      capacity: this.options.capacity,
      start: { last: this.options.loadLast ?? 1000 },
      redisFactory: this.factory,
    });
    mirror.on('update', (update) => this.emit('update', update));
    mirror.on('status', () => this.emitStatus());
    this.mirror = mirror;
    mirror.start();
    return this.status();
  }

  /**
   * Closes the mirror and the publisher. With keepEmbeddedRedis, a server this service started and that is still
   * running stays up for the next connection: a new stream key must not move Redis to another port under the
   * CLI commands and metrics publisher that found it there.
   */
  private async close(options: { keepEmbeddedRedis?: boolean } = {}): Promise<void> {
    clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    this.unresponsive = undefined;
    this.lastStats = null;
    const mirror = this.mirror;
    this.mirror = undefined;
    this.publisher = undefined;
    this.activeUrl = undefined;
    await mirror?.dispose();
    this.publisherRedis?.disconnect();
    this.publisherRedis = undefined;
    if (options.keepEmbeddedRedis && this.lease?.owned && this.lease.server?.state === 'ready') return;
    await this.lease?.release();
    this.lease = undefined;
  }

  private mirrorStatus(): ServiceMirrorStatus | null {
    const status = this.mirror?.status;
    if (!status) return null;
    if (this.unresponsive && status.state === 'connected') return { ...status, state: 'not-responding', reason: this.unresponsive };
    return status;
  }

  /**
   * A blocked XREAD cannot tell a quiet stream from a stopped server (SIGSTOP, a debugger, a server stuck in a
   * script): one PING at a time on the command connection, and Redis counts as not responding while one waits
   * longer than the timeout. The mirror's own state says why while the connection itself is down.
   */
  private startHealthCheck(redis: Redis, redactedUrl: string): void {
    const { intervalMs, timeoutMs } = this.options.healthCheck ?? DEFAULT_HEALTH_CHECK;
    let sentAt: number | undefined;
    let answeredAt = 0;
    const tick = () => {
      const now = Date.now();
      if (sentAt !== undefined) {
        if (now - sentAt >= timeoutMs) {
          this.setUnresponsive(`Redis at ${redactedUrl} is not responding (no answer to PING within ${timeoutMs / 1000} s) — is redis-server stopped (SIGSTOP, a debugger) or overloaded? The stream is read on as soon as it answers.`);
        }
        return;
      }
      if (redis.status !== 'ready' || now - answeredAt < intervalMs) return;
      const sent = now;
      sentAt = sent;
      redis.ping().then(
        () => {
          if (sentAt !== sent) return;
          sentAt = undefined;
          answeredAt = Date.now();
          this.setUnresponsive(undefined);
        },
        () => {
          if (sentAt === sent) sentAt = undefined;
        },
      );
    };
    this.healthTimer = setInterval(tick, Math.max(50, Math.min(intervalMs, timeoutMs) / 4));
  }

  private setUnresponsive(reason: string | undefined): void {
    if (this.unresponsive === reason) return;
    this.unresponsive = reason;
    this.emitStatus();
  }

  private embeddedRedisChanged(event: EmbeddedRedisEvent): void {
    const text = describeEmbeddedRedisEvent(event);
    if (event.kind === 'restart-failed') {
      this.current.notice = undefined;
      this.current.error = text;
    } else this.current.notice = text;
    // Back elsewhere: connect again to wherever the data dir's server is now.
    if (event.kind === 'moved') void this.restart();
    this.emitStatus();
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }
}
