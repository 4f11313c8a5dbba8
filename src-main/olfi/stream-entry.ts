// One Ol-Fi stream entry as the workbench shows it, and the compact form the mirror buffers (100k of them):
// the classification and the frame's fields, the frame object rebuilt on demand.
import {
  DEFAULT_PREAMBLE,
  DEFAULT_TERMINATOR,
  classifyEntry,
  type FrameClassification,
  type FrameStatus,
  type MessageType,
  type OlFiFrame,
  type Priority,
} from './frame-codec';
import type { OlFiEntryView as OlFiEntry } from '../../src-preload/contract/olfi';
import { streamIdTimeMs } from '../../src-preload/contract/outside-values';
import { findCompound } from './mvoc-library';

/** One classified stream entry; `mvoc` is undefined when the entry had no mvoc field. */
export type { OlFiEntryView as OlFiEntry } from '../../src-preload/contract/olfi';

/**
 * A classified entry as the mirror buffers it: a frame with only the v1 fields is kept as those fields
 * (no JSON text, no nested objects); a frame with more keys keeps its JSON text; an entry without a
 * frame keeps its cut raw text. expandEntry() gives back what toEntry() shows.
 */
export class BufferedEntry {
  address: string | undefined;
  source: string | undefined;
  type: string | undefined;
  sequence = 0;
  priority: string | undefined;
  payload: string | undefined;
  checksum = 0;
  /** The checksum the payload really has (meaningful when framed). */
  computedChecksum = 0;
  /** undefined: the default preamble / terminator. */
  preamble: string[] | undefined;
  terminator: string[] | undefined;
  /** The frame JSON (a frame with keys beyond v1) or the cut raw text (no frame). */
  text: string | undefined;
  framed: 'fields' | 'text' | 'none' = 'none';
  /** About how much memory the entry holds (UTF-16 text plus object overhead): the mirror's byte bound counts it. */
  bytes = 0;

  constructor(
    readonly id: string,
    readonly mvoc: string | undefined,
    readonly status: FrameStatus,
    readonly reason: string,
    readonly extra: Record<string, string> | undefined,
  ) {}
}

const V1_KEYS = new Set(['preamble', 'address', 'source', 'control', 'payload', 'checksum', 'terminator']);
const CONTROL_KEYS = 3;

function hasOnlyV1Keys(frame: OlFiFrame): boolean {
  let keys = 0;
  for (const key in frame) {
    if (!V1_KEYS.has(key)) return false;
    keys++;
  }
  let controlKeys = 0;
  for (const key in frame.control) {
    if (key !== 'type' && key !== 'sequence' && key !== 'priority') return false;
    controlKeys++;
  }
  return keys === (frame.source === undefined ? 6 : 7) && controlKeys === CONTROL_KEYS;
}

function isPair(names: string[], expected: readonly string[]): boolean {
  return names[0] === expected[0] && names[1] === expected[1];
}

/**
 * Frames repeat a few names (compounds, addresses, types, priorities) over and over. The buffer keeps one copy
 * of each, so 100k entries do not hold 100k copies of "CELL_0002" and the parsed copies die young.
 */
class StringPool {
  private readonly pool = new Map<string, string>();
  constructor(private readonly limit: number) {}

  intern<T extends string | undefined>(value: T): T {
    if (value === undefined || value.length > 64) return value;
    const held = this.pool.get(value);
    if (held !== undefined) return held as T;
    // A stream of ever-new names must not grow the pool without bound; starting over costs only sharing.
    if (this.pool.size >= this.limit) this.pool.clear();
    this.pool.set(value, value);
    return value;
  }
}

const names = new StringPool(8192);

function bufferFrame(buffered: BufferedEntry, frame: OlFiFrame, rawFrame: string): void {
  if (!hasOnlyV1Keys(frame)) {
    buffered.framed = 'text';
    buffered.text = detach(rawFrame);
    return;
  }
  buffered.framed = 'fields';
  buffered.address = names.intern(frame.address);
  buffered.source = names.intern(frame.source);
  buffered.type = names.intern(frame.control.type);
  buffered.sequence = frame.control.sequence;
  buffered.priority = names.intern(frame.control.priority);
  buffered.payload = frame.payload;
  buffered.checksum = frame.checksum;
  if (!isPair(frame.preamble, DEFAULT_PREAMBLE)) buffered.preamble = frame.preamble;
  if (!isPair(frame.terminator, DEFAULT_TERMINATOR)) buffered.terminator = frame.terminator;
}

function unbufferFrame(b: BufferedEntry): OlFiFrame {
  if (b.framed === 'text') return JSON.parse(b.text!) as OlFiFrame;
  const frame = { preamble: [...(b.preamble ?? DEFAULT_PREAMBLE)], address: b.address! } as OlFiFrame;
  if (b.source !== undefined) frame.source = b.source;
  frame.control = { type: b.type as MessageType, sequence: b.sequence, priority: b.priority as Priority };
  frame.payload = b.payload!;
  frame.checksum = b.checksum;
  frame.terminator = [...(b.terminator ?? DEFAULT_TERMINATOR)];
  return frame;
}

/**
 * What one entry may hold, whatever a producer wrote: an unparsed frame, each extra field's value, names.
 * A longer value is kept cut, with a visible marker; the stream itself keeps the whole value.
 */
const RAW_KEEP_CHARS = 2048;
const MAX_NAME_CHARS = 128;
const MAX_EXTRA_FIELDS = 32;
const CUT_FIELDS_KEY = '…';
/** Object and field overhead of one buffered entry, bytes (measured order of magnitude, not exact). */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * A value (cut to `limit` characters with a marker saying how long it was) copied so that it does not keep
 * the whole Redis reply it was sliced from alive (V8 keeps a slice's parent string; a 2 KB cut of one
 * 1 MB reply held the megabyte).
 */
function keep(value: string, limit: number): string {
  if (value.length <= limit) return detach(value);
  return detach(`${value.slice(0, limit)}… [cut: ${value.length} characters]`);
}

/** A flat copy of a string that may be a slice of a larger one (short strings are always copies already). */
function detach(value: string): string {
  return value.length <= 64 ? value : Buffer.from(value, 'utf16le').toString('utf16le');
}

function sizeOf(b: BufferedEntry): number {
  let chars = b.id.length + (b.mvoc?.length ?? 0) + b.reason.length + (b.payload?.length ?? 0) + (b.text?.length ?? 0);
  if (b.extra) for (const key in b.extra) chars += key.length + b.extra[key]!.length;
  return ENTRY_OVERHEAD_BYTES + 2 * chars;
}

interface SplitFields {
  mvoc: string | undefined;
  rawFrame: string | undefined;
  extra: Record<string, string> | undefined;
}

function splitFields(fields: readonly string[], whole = false): SplitFields {
  let mvoc: string | undefined;
  let rawFrame: string | undefined;
  let extra: Record<string, string> | undefined;
  let extraCount = 0;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    if (name === 'mvoc' && mvoc === undefined) mvoc = value;
    else if (name === 'frame' && rawFrame === undefined) rawFrame = value;
    else if (whole) (extra ??= Object.create(null) as Record<string, string>)[name] = value;
    else if (extraCount++ < MAX_EXTRA_FIELDS) (extra ??= {})[keep(name, MAX_NAME_CHARS)] = keep(value, RAW_KEEP_CHARS);
  }
  if (extraCount > MAX_EXTRA_FIELDS) extra![CUT_FIELDS_KEY] = `${extraCount - MAX_EXTRA_FIELDS} more fields not kept`;
  if (whole) return { mvoc, rawFrame, extra: extra && { ...extra } };
  return { mvoc: mvoc === undefined ? undefined : keep(mvoc, MAX_NAME_CHARS), rawFrame, extra };
}

const REQUIRED_V1_KEYS = ['preamble', 'address', 'control', 'payload', 'checksum', 'terminator'] as const;

/**
 * classifyEntry, saying plainly when the frame is a JSON object of some other shape (BioXen's Python
 * `send_mvoc` publishes whatever dict a circuit built): which v1 fields it lacks and which keys it has,
 * instead of only the first missing field. One missing field keeps the codec's own reason.
 */
function classify(mvoc: string | undefined, rawFrame: string | undefined): FrameClassification {
  const result = classifyEntry(mvoc, rawFrame);
  if (result.status !== 'missing-field' || rawFrame === undefined || !rawFrame.trimStart().startsWith('{')) return result;
  const frame = JSON.parse(rawFrame) as Record<string, unknown>;
  const missing = REQUIRED_V1_KEYS.filter((key) => !(key in frame));
  if (missing.length < 2) return result;
  const keys = Object.keys(frame);
  const has = keys.length ? `; it has ${keys.slice(0, 8).map((k) => k.slice(0, 40)).join(', ')}${keys.length > 8 ? ', …' : ''}` : '; it is empty';
  return { status: result.status, reason: `not an Ol-Fi v1 frame: missing ${missing.join(', ')}${has}` };
}

function cutRaw(rawFrame: string): string {
  return keep(rawFrame, RAW_KEEP_CHARS);
}

/** The library's name for a compound name as written (canonicalMvocName's rule), or null. */
function libraryName(name: string | undefined): string | null {
  return name === undefined ? null : (findCompound(name)?.name ?? null);
}

/** What the main side decides about an entry, so that no view decides it again: time, compound names, checksum verdict. */
function entryOf(id: string, mvoc: string | undefined, status: FrameStatus, reason: string, frame: OlFiFrame | undefined, computedChecksum: number | undefined): OlFiEntry {
  const entry: OlFiEntry = { id, time: streamIdTimeMs(id) ?? null, mvoc, compound: libraryName(mvoc), status, reason };
  if (frame) {
    entry.frame = frame;
    entry.computedChecksum = computedChecksum;
    entry.checksumMatches = frame.checksum === computedChecksum;
    entry.frameCompounds = {
      preamble: frame.preamble.map(libraryName),
      terminator: frame.terminator.map(libraryName),
    };
  }
  return entry;
}

/**
 * Classifies the flat [field, value, field, value…] list Redis returns for an entry. A bounded view (the panel,
 * history pages) keeps long values cut; `whole` keeps every value as written, for a consumer that promises the
 * stream itself (`bioxen olfi tail`), which holds one batch at a time.
 */
export function toEntry(id: string, fields: readonly string[], options: { whole?: boolean } = {}): OlFiEntry {
  const whole = options.whole === true;
  const { mvoc, rawFrame, extra } = splitFields(fields, whole);
  const result = classify(mvoc, rawFrame);
  const entry = entryOf(id, mvoc, result.status, result.reason, result.frame, result.computedChecksum);
  if (!result.frame && rawFrame !== undefined) entry.raw = whole ? rawFrame : cutRaw(rawFrame);
  if (extra) entry.extra = extra;
  return entry;
}

/**
 * The same classification as toEntry, kept in the compact form only. The parsed frame is dropped at
 * once, so on a backlog it dies young instead of being promoted while the update that shows it waits.
 */
export function bufferEntry(id: string, fields: readonly string[]): BufferedEntry {
  const { mvoc, rawFrame, extra } = splitFields(fields);
  const result = classify(mvoc, rawFrame);
  const buffered = new BufferedEntry(id, names.intern(mvoc), result.status, result.reason, extra);
  if (result.frame) {
    buffered.computedChecksum = result.computedChecksum!;
    bufferFrame(buffered, result.frame, rawFrame!);
  } else if (rawFrame !== undefined) {
    buffered.text = cutRaw(rawFrame);
  }
  buffered.bytes = sizeOf(buffered);
  return buffered;
}

/** The buffered entry as shown: the same fields toEntry gives, its frame parsed again from the kept text. */
export function expandEntry(buffered: BufferedEntry): OlFiEntry {
  const framed = buffered.framed !== 'none';
  const frame = framed ? unbufferFrame(buffered) : undefined;
  const entry = entryOf(buffered.id, buffered.mvoc, buffered.status, buffered.reason, frame, framed ? buffered.computedChecksum : undefined);
  if (!framed && buffered.text !== undefined) entry.raw = buffered.text;
  if (buffered.extra) entry.extra = buffered.extra;
  return entry;
}

/**
 * Stream ids compare as (ms, seq) pairs of integers; string order is wrong ("9-0" > "10-0"), and so is Number
 * order past 2^53 (Redis ids go to 2^64-1). Both parts are digit strings without leading zeros: compared by
 * length, then by text.
 */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = splitId(a);
  const [bMs, bSeq] = splitId(b);
  return compareDigits(aMs, bMs) || compareDigits(aSeq, bSeq);
}

function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitId(id: string): [string, string] {
  const dash = id.indexOf('-');
  if (dash < 0) return [id, '0'];
  return [id.slice(0, dash), id.slice(dash + 1)];
}
