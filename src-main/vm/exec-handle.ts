// ExecHandle: an asynchronous run (executeVMAsync) with a status, streamed output and cancel().
import { EventEmitter } from 'node:events';
import type { ChunkListener } from './lua-process';
import type { ExecResult, OutputStream } from './types';

export type ExecStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface ExecHandleEvents {
  output: (stream: OutputStream, text: string) => void;
}

export class ExecHandle extends EventEmitter {
  readonly promise: Promise<ExecResult>;
  private _status: ExecStatus = 'running';
  private readonly controller = new AbortController();

  constructor(start: (signal: AbortSignal, onChunk: ChunkListener) => Promise<ExecResult>) {
    super();
    this.promise = start(this.controller.signal, (stream, text) => this.emit('output', stream, text)).then(
      (result) => {
        if (this._status === 'running') this._status = result.success ? 'done' : 'failed';
        return result;
      },
      (err: unknown) => {
        if (this._status === 'running') this._status = 'failed';
        throw err;
      },
    );
    // The handle's owner may only watch `status`; an unobserved rejection must not crash the host.
    this.promise.catch(() => undefined);
  }

  get status(): ExecStatus {
    return this._status;
  }

  /** Drops the run if it has not started, interrupts it if it has. False once it finished. */
  cancel(): boolean {
    if (this._status !== 'running') return false;
    this._status = 'cancelled';
    this.controller.abort();
    return true;
  }

  override on<E extends keyof ExecHandleEvents>(event: E, listener: ExecHandleEvents[E]): this {
    return super.on(event, listener);
  }
}
