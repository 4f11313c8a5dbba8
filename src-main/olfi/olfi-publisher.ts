// Writes Ol-Fi frames to the stream the way BioXen's producer does: XADD <key> * mvoc <name> frame <json>.
import type { Redis } from 'ioredis';
import { canonicalMvocName, findCompound } from './mvoc-library';
import { classifyEntry, type FrameClassification, type OlFiFrame } from './frame-codec';
import { describeRedisError, redactRedisUrl } from './redis-connection';

export class OlFiPublishError extends Error {
  override readonly name = 'OlFiPublishError';
  constructor(
    // Contract error codes, so the UI gets them as they are.
    readonly code: 'invalid_input' | 'unavailable',
    message: string,
    readonly classification?: FrameClassification,
  ) {
    super(message);
  }
}

export interface PublishOptions {
  /** Publish even when the frame does not classify as valid (to test how readers cope). */
  force?: boolean;
  /** More stream fields, written after mvoc and frame. */
  extra?: Record<string, string>;
}

export interface PublishResult {
  id: string;
  mvoc: string;
  classification: FrameClassification;
}

export interface PublisherOptions {
  streamKey?: string;
  /** Approximate cap on the stream length (XADD MAXLEN ~), so a long-running producer cannot fill Redis. */
  maxStreamLength?: number;
  /** Shown in errors instead of the URL, which may hold a password. */
  url?: string;
}

/** How long a publish waits for a reconnecting connection before it reports the connection's error. */
const RECONNECT_WAIT_MS = 4000;

export class OlFiPublisher {
  readonly streamKey: string;
  private readonly maxLength: number;
  private readonly label: string;
  /**
   * Why the connection last failed (untrusted certificate, refused, …), until it is ready again: a command that
   * fails meanwhile only says "max retries" or "closed", which would hide the reason from the user.
   */
  private connectionError: unknown;

  constructor(
    private readonly redis: Redis,
    options: PublisherOptions = {},
  ) {
    this.streamKey = options.streamKey ?? 'olfi_stream';
    this.maxLength = options.maxStreamLength ?? 1_000_000;
    this.label = options.url ? redactRedisUrl(options.url) : 'Redis';
    redis.on('error', (err: unknown) => (this.connectionError = err));
    redis.on('ready', () => (this.connectionError = undefined));
  }

  /** Publishes one frame (an object or its JSON text). Library compounds are written under their canonical name. */
  async publish(mvoc: string, frame: OlFiFrame | string, options: PublishOptions = {}): Promise<PublishResult> {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    const name = findCompound(mvoc) ? canonicalMvocName(mvoc) : mvoc;
    const classification = classifyEntry(name, text);
    if (classification.status !== 'valid' && !options.force) {
      throw new OlFiPublishError('invalid_input', `frame not published: ${classification.reason}`, classification);
    }
    const extra = Object.entries(options.extra ?? {}).flat();
    let id: unknown;
    try {
      await this.whenConnected();
      id = await this.redis.call('XADD', this.streamKey, 'MAXLEN', '~', String(this.maxLength), '*', 'mvoc', name, 'frame', text, ...extra);
    } catch (err) {
      const cause = this.redis.status === 'ready' ? err : (this.connectionError ?? err);
      throw new OlFiPublishError('unavailable', `could not publish to ${this.streamKey}: ${describeRedisError(cause, this.label)}`);
    }
    return { id: String(id), mvoc: name, classification };
  }

  /**
   * A connection that is coming back (the embedded Redis was just restarted, a network blip) gets a moment to be
   * ready: without an offline queue a command sent meanwhile fails at once with "connection refused".
   */
  private async whenConnected(): Promise<void> {
    if (this.redis.status !== 'connecting' && this.redis.status !== 'reconnecting' && this.redis.status !== 'connect') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        this.redis.off('end', done);
        resolve();
      };
      const timer = setTimeout(done, RECONNECT_WAIT_MS);
      this.redis.once('ready', done);
      this.redis.once('end', done);
    });
  }
}
