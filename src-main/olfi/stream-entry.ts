// One Ol-Fi stream entry as the workbench shows it, and the compact form the mirror buffers: 100k of them
// are kept, so the buffer holds the frame's text and its classification, and parses the frame again on demand.
import { classifyEntry, computeChecksum, type FrameStatus, type OlFiFrame } from './frame-codec';

export interface OlFiEntry {
  /** Redis stream id, `<ms>-<seq>`; the time part is when Redis accepted the entry. */
  id: string;
  mvoc: string | undefined;
  status: FrameStatus;
  reason: string;
  frame?: OlFiFrame;
  computedChecksum?: number;
  /** The raw frame text (cut to RAW_KEEP_CHARS) when it did not parse into a frame, so it can be shown. */
  raw?: string;
  /** Fields other than mvoc and frame, as the producer wrote them. */
  extra?: Record<string, string>;
}

/** A classified entry without its parsed frame: `text` is the whole frame JSON when `framed`, else the cut raw text. */
export interface BufferedEntry {
  readonly id: string;
  readonly mvoc: string | undefined;
  readonly status: FrameStatus;
  readonly reason: string;
  readonly framed: boolean;
  readonly text: string | undefined;
  readonly extra: Record<string, string> | undefined;
}

const RAW_KEEP_CHARS = 2048;

/** Classifies the flat [field, value, field, value…] list Redis returns for an entry. */
export function toEntry(id: string, fields: readonly string[]): OlFiEntry {
  return readEntry(id, fields).entry;
}

/** The entry as shown, and the compact form to buffer; the frame is parsed once for both. */
export function readEntry(id: string, fields: readonly string[]): { entry: OlFiEntry; buffered: BufferedEntry } {
  let mvoc: string | undefined;
  let rawFrame: string | undefined;
  let extra: Record<string, string> | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    if (name === 'mvoc' && mvoc === undefined) mvoc = value;
    else if (name === 'frame' && rawFrame === undefined) rawFrame = value;
    else (extra ??= {})[name] = value;
  }
  const result = classifyEntry(mvoc, rawFrame);
  const entry: OlFiEntry = { id, mvoc, status: result.status, reason: result.reason };
  let text = rawFrame;
  if (result.frame) {
    entry.frame = result.frame;
    entry.computedChecksum = result.computedChecksum;
  } else if (rawFrame !== undefined) {
    text = rawFrame.length > RAW_KEEP_CHARS ? `${rawFrame.slice(0, RAW_KEEP_CHARS)}…` : rawFrame;
    entry.raw = text;
  }
  if (extra) entry.extra = extra;
  const buffered: BufferedEntry = { id, mvoc, status: result.status, reason: result.reason, framed: result.frame !== undefined, text, extra };
  return { entry, buffered };
}

/** The buffered entry as shown: the same fields readEntry gave it, its frame parsed again from the kept text. */
export function expandEntry(buffered: BufferedEntry): OlFiEntry {
  const entry: OlFiEntry = { id: buffered.id, mvoc: buffered.mvoc, status: buffered.status, reason: buffered.reason };
  if (buffered.framed) {
    const frame = JSON.parse(buffered.text!) as OlFiFrame;
    entry.frame = frame;
    entry.computedChecksum = computeChecksum(frame.payload);
  } else if (buffered.text !== undefined) {
    entry.raw = buffered.text;
  }
  if (buffered.extra) entry.extra = buffered.extra;
  return entry;
}

/** Stream ids compare as (ms, seq) pairs of integers; string order is wrong ("9-0" > "10-0"). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = splitId(a);
  const [bMs, bSeq] = splitId(b);
  return aMs !== bMs ? aMs - bMs : aSeq - bSeq;
}

function splitId(id: string): [number, number] {
  const dash = id.indexOf('-');
  if (dash < 0) return [Number(id), 0];
  return [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

export function entryTimeMs(id: string): number {
  return splitId(id)[0];
}
