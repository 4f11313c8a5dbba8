// One Ol-Fi stream entry as the workbench keeps it: classified once when read, small enough to buffer 100k.
import { classifyEntry, type FrameStatus, type OlFiFrame } from './frame-codec';

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

const RAW_KEEP_CHARS = 2048;

/** Classifies the flat [field, value, field, value…] list Redis returns for an entry. */
export function toEntry(id: string, fields: readonly string[]): OlFiEntry {
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
  if (result.frame) {
    entry.frame = result.frame;
    entry.computedChecksum = result.computedChecksum;
  } else if (rawFrame !== undefined) {
    entry.raw = rawFrame.length > RAW_KEEP_CHARS ? `${rawFrame.slice(0, RAW_KEEP_CHARS)}…` : rawFrame;
  }
  if (extra) entry.extra = extra;
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
