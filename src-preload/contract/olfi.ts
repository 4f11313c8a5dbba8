// Ol-Fi domain: the MVOC frames on the Redis stream (mirrored by the main side), publishing test frames,
// and the LÖVE visualizer window. The Redis password never appears here: URLs are redacted.
import { z } from 'zod';
import { event, method } from './define';

/** Message types of frame JSON v1 (docs/olfi-frame-v1.md). */
export const MESSAGE_TYPES = [
  'PING', 'ACK', 'NAK',
  'STATUS_REQUEST', 'STATUS_RESPONSE', 'PROBLEM_REQUEST', 'PROBLEM_RESPONSE',
  'RESOURCE_OFFER', 'RESOURCE_ACCEPT', 'EMERGENCY', 'BROADCAST',
  'START', 'STOP', 'PAUSE', 'RESUME', 'STATUS',
  'UPREGULATE', 'DOWNREGULATE', 'SWITCH', 'OPTIMIZE',
  'GROW', 'QUIESCE', 'MIGRATE', 'AGGREGATE',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const PRIORITIES = ['emergency', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const frameStatusSchema = z.enum(['valid', 'checksum-mismatch', 'malformed-json', 'missing-field', 'invalid-field', 'unknown-compound', 'oversized']);
export type FrameStatus = z.infer<typeof frameStatusSchema>;

export const olfiFrameSchema = z.object({
  preamble: z.array(z.string()),
  address: z.string(),
  source: z.string().optional(),
  control: z.object({ type: z.enum(MESSAGE_TYPES), sequence: z.number(), priority: z.enum(PRIORITIES) }),
  payload: z.string(),
  checksum: z.number(),
  terminator: z.array(z.string()),
});
export type OlFiFrameView = z.infer<typeof olfiFrameSchema>;

/** A compound name as written, and the MVOC library's name for it by the main side's rule; null: not in the library. */
const compoundNamesSchema = z.array(z.string().nullable());

export const olfiEntrySchema = z.object({
  /** Redis stream id `<ms>-<seq>`. */
  id: z.string(),
  /** When Redis accepted the entry (the id's time part, ms since the epoch); null when that is no time a Date holds. */
  time: z.number().nullable(),
  /** The `mvoc` field as written. */
  mvoc: z.string().optional(),
  /** The library's name for `mvoc` (the main side's normalisation); null when it names no library compound. */
  compound: z.string().nullable(),
  status: frameStatusSchema,
  /** Empty when valid; otherwise names the field and the problem. */
  reason: z.string(),
  /** Present once the frame's shape is valid (valid, checksum-mismatch, unknown-compound, oversized payload). */
  frame: olfiFrameSchema.optional(),
  /** The checksum the payload really has, when the payload could be read. */
  computedChecksum: z.number().optional(),
  /** With a frame: whether its checksum is the payload's (the verdict stands whatever else is wrong with the frame). */
  checksumMatches: z.boolean().optional(),
  /** With a frame: the library's names for its preamble and terminator compounds, as for `compound`. */
  frameCompounds: z.object({ preamble: compoundNamesSchema, terminator: compoundNamesSchema }).optional(),
  /** The raw frame text when it did not parse into a frame (cut to 2 KiB). */
  raw: z.string().optional(),
  /** Fields other than mvoc and frame. */
  extra: z.record(z.string(), z.string()).optional(),
});
export type OlFiEntryView = z.infer<typeof olfiEntrySchema>;

export const olfiMirrorStatusSchema = z.object({
  /** 'not-responding': connected, but Redis has not answered a PING in time (stopped or overloaded). */
  state: z.enum(['idle', 'connecting', 'connected', 'not-responding', 'reconnecting', 'error', 'stopped']),
  /** The Redis URL with the password hidden. */
  url: z.string(),
  streamKey: z.string(),
  /** Why the mirror is not connected (or what last went wrong). */
  reason: z.string().optional(),
  lastId: z.string(),
});
export type OlFiMirrorStatusView = z.output<typeof olfiMirrorStatusSchema>;

export const olfiStatusSchema = z.object({
  /** Where the Redis URL came from; 'none' when no Redis could be had (see error). */
  source: z.enum(['embedded', 'configured', 'none']),
  /** The URL with the password hidden. */
  url: z.string().nullable(),
  streamKey: z.string(),
  mirror: olfiMirrorStatusSchema.nullable(),
  error: z.string().optional(),
  /** Not an error now, but worth knowing (the embedded Redis stopped and was restarted). */
  notice: z.string().optional(),
  /** Frames Lua VMs emitted that could not be published, and the last reason. */
  vmPublishFailures: z.number(),
  lastVmPublishError: z.string().optional(),
});
export type OlFiStatusView = z.infer<typeof olfiStatusSchema>;

export const olfiStatsSchema = z.object({
  framesPerSecond: z.number(),
  streamLength: z.number().nullable(),
  buffered: z.number(),
  received: z.number(),
  dropped: z.number(),
  byStatus: z.record(z.string(), z.number()),
  /** Frames per second over the rate window, per library compound ("OTHER" for the rest). */
  perCompoundRate: z.record(z.string(), z.number()),
  /**
   * Frames the mirror received in each of the last RATE_SERIES_SECONDS seconds, per compound as in perCompoundRate,
   * oldest first; the last second is the one under way. Only compounds with frames in that time.
   */
  rateSeries: z.record(z.string(), z.array(z.number())),
});
export type OlFiStatsView = z.infer<typeof olfiStatsSchema>;

/** How far back the stats' per-second rate series reach. */
export const RATE_SERIES_SECONDS = 60;

export const MVOC_BANDS = ['low', 'medium', 'high'] as const;
export const MVOC_ROLES = ['sync', 'address', 'control', 'data', 'checksum', 'terminator', 'status', 'emergency', 'coordination', 'ack'] as const;

export const mvocCompoundSchema = z.object({
  /** Canonical name as carried in the stream's `mvoc` field and in frames: upper case, `_` separated. */
  name: z.string(),
  displayName: z.string(),
  chemicalClass: z.string(),
  band: z.enum(MVOC_BANDS),
  cas: z.string(),
  roles: z.array(z.enum(MVOC_ROLES)),
  colour: z.string(),
});
export type MvocCompoundView = z.infer<typeof mvocCompoundSchema>;

export const olfiEntriesUpdateSchema = z.object({
  /** New entries since the last update, oldest first. */
  entries: z.array(olfiEntrySchema),
  /** Entries that arrived too fast to be delivered in this update (they are still counted and buffered). */
  skipped: z.number(),
  buffered: z.number(),
  received: z.number(),
  dropped: z.number(),
});
export type OlFiEntriesUpdate = z.output<typeof olfiEntriesUpdateSchema>;

export const visualizerStatusSchema = z.object({
  state: z.enum(['idle', 'running', 'stopping', 'exited', 'crashed']),
  pid: z.number().optional(),
  exitCode: z.number().nullable().optional(),
  signal: z.string().nullable().optional(),
  /** Why it crashed, with the end of its log. */
  reason: z.string().optional(),
});
export type VisualizerStatus = z.output<typeof visualizerStatusSchema>;

const visualizerViewSchema = z.object({ status: visualizerStatusSchema, log: z.string() });

const name = z.string().min(1).max(64);

export const olfiMethods = {
  'olfi:library': method(
    'The MVOC library: compounds with class, RFC band, CAS number, roles and display colour; message types and priorities.',
    z.object({}).default({}),
    z.object({ compounds: z.array(mvocCompoundSchema), messageTypes: z.array(z.string()), priorities: z.array(z.string()) }),
  ),
  'olfi:status': method('Where Redis is, the mirror connection and stream counters.', z.object({}).default({}), z.object({ status: olfiStatusSchema, stats: olfiStatsSchema.nullable() })),
  'olfi:window': method(
    'Buffered entries, newest first, skipping the `offset` newest (the live table).',
    z.object({ offset: z.number().int().min(0).default(0), count: z.number().int().min(1).max(1000).default(200) }),
    z.object({ entries: z.array(olfiEntrySchema), buffered: z.number() }),
  ),
  'olfi:history': method(
    'Entries older than `beforeId`, newest first, read from Redis (paging past the buffer).',
    z.object({ beforeId: z.string().regex(/^\d+-\d+$/, 'a stream id like 1700000000000-0'), count: z.number().int().min(1).max(1000).default(200) }),
    z.object({ entries: z.array(olfiEntrySchema) }),
  ),
  'olfi:publish': method(
    'XADD a frame: either `frame` (JSON text, sent as is) or the fields, with the checksum computed. Invalid frames are refused unless `force`.',
    z.object({
      mvoc: name,
      frame: z.string().max(20_000).optional(),
      address: name.optional(),
      source: name.optional(),
      type: z.string().min(1).max(32).optional(),
      priority: z.enum(PRIORITIES).optional(),
      payload: z.string().max(5000).optional(),
      sequence: z.number().int().min(0).max(65535).optional(),
      force: z.boolean().default(false),
    }),
    z.object({ id: z.string(), mvoc: z.string(), status: frameStatusSchema, reason: z.string() }),
  ),
  'olfi:checksum': method(
    'The checksum a frame carrying this payload must have (its UTF-8 bytes summed mod 65536): a send form shows it as it is typed.',
    z.object({ payload: z.string().max(5000) }),
    z.object({ checksum: z.number() }),
  ),
  'olfi:visualizerStatus': method('The LÖVE visualizer process: state and log.', z.object({}).default({}), visualizerViewSchema),
  'olfi:visualizerLaunch': method('Launch (or relaunch) the LÖVE visualizer window on the current stream.', z.object({}).default({}), visualizerViewSchema),
  'olfi:visualizerStop': method('Stop the LÖVE visualizer window.', z.object({}).default({}), visualizerViewSchema),
};

export const olfiEvents = {
  'olfi:entries': event(
    'New stream entries, oldest first, batched (about every 33 ms while frames flow).',
    olfiEntriesUpdateSchema,
  ),
  'olfi:status': event('The Redis / mirror status changed.', olfiStatusSchema),
  'olfi:visualizer': event('The visualizer process changed state.', visualizerStatusSchema),
};
