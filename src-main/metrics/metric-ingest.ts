// Bytes from a hypervisor connection → validated messages, with every rejected line counted by
// reason and the most recent ones kept (truncated) so a user can see what the peer sent.
// A connection carries newline-terminated lines, or one document the peer ends by closing: end() takes
// that last document; abort() (a reset) takes it only if it is whole JSON, as a JSON object cannot be
// cut short and still parse, and rejects anything else as incomplete.
import { LineSplitter } from './line-splitter';
import type { IngestStats, InvalidLine, MetricMessage } from '../../src-preload/contract/metrics';
import { parseMetricLine } from './metric-message';

export type { IngestStats, InvalidLine } from '../../src-preload/contract/metrics';

export interface IngestOptions {
  maxLineBytes: number;
  /** How many rejected lines to remember for display. */
  recentInvalid: number;
  now: () => number;
}

const EXCERPT_CHARS = 160;

export function emptyStats(): IngestStats {
  return {
    linesAccepted: 0,
    linesRejected: 0,
    rejectedByReason: { line_too_long: 0, invalid_json: 0, invalid_message: 0, incomplete: 0 },
    bytesReceived: 0,
    recentInvalid: [],
  };
}

export class MetricIngest {
  private readonly splitter: LineSplitter;
  private readonly counters = emptyStats();
  /** The line being parsed is the rest of a connection that was closed cleanly, or broke. */
  private last: 'closed' | 'broke' | undefined;
  private readonly arrival = () => this.options.now() / 1000;

  constructor(
    private readonly options: IngestOptions,
    private readonly onMessage: (message: MetricMessage) => void,
    private readonly onInvalid: (invalid: InvalidLine) => void = () => {},
  ) {
    this.splitter = new LineSplitter(options.maxLineBytes, {
      line: (text) => this.line(text),
      oversized: (bytes) =>
        this.reject({ reason: 'line_too_long', detail: `line exceeded ${options.maxLineBytes} bytes (dropped after ${bytes} bytes)`, excerpt: '' }),
    });
  }

  push(chunk: Buffer): void {
    this.counters.bytesReceived += chunk.length;
    this.splitter.push(chunk);
  }

  /**
   * The peer closed the connection cleanly: an unterminated rest is a whole document (or, if its JSON
   * stops early, an incomplete one). Returns how many samples it gave (0 or 1).
   */
  end(): number {
    return this.finish('closed');
  }

  /**
   * The connection broke (reset, timeout): an unterminated rest that is not whole JSON is counted as
   * incomplete and dropped. Returns how many samples the rest gave (0 or 1).
   */
  abort(): number {
    return this.finish('broke');
  }

  private finish(how: 'closed' | 'broke'): number {
    const before = this.counters.linesAccepted;
    this.last = how;
    try {
      this.splitter.end();
    } finally {
      this.last = undefined;
    }
    return this.counters.linesAccepted - before;
  }

  stats(): IngestStats {
    return { ...this.counters, rejectedByReason: { ...this.counters.rejectedByReason }, recentInvalid: [...this.counters.recentInvalid] };
  }

  private line(text: string): void {
    const result = parseMetricLine(text, this.arrival, this.last !== undefined);
    if (result.ok) {
      this.counters.linesAccepted++;
      this.onMessage(result.message);
    } else if (this.last === 'broke' && (result.reason === 'invalid_json' || result.reason === 'incomplete')) {
      this.reject({
        reason: 'incomplete',
        detail: `the connection broke after ${Buffer.byteLength(text)} bytes of an unterminated document; dropped (never joined with the next connection's data)`,
        excerpt: text.slice(0, EXCERPT_CHARS),
      });
    } else {
      this.reject({ reason: result.reason, detail: result.detail, excerpt: text.slice(0, EXCERPT_CHARS) });
    }
  }

  private reject(partial: Omit<InvalidLine, 'at'>): void {
    const invalid: InvalidLine = { ...partial, at: this.options.now() };
    this.counters.linesRejected++;
    this.counters.rejectedByReason[invalid.reason]++;
    this.counters.recentInvalid.push(invalid);
    if (this.counters.recentInvalid.length > this.options.recentInvalid) this.counters.recentInvalid.shift();
    this.onInvalid(invalid);
  }
}
