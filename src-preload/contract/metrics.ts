// Metrics domain: cellular-VM samples (ATP, growth, gene expression) from a BioXen hypervisor,
// received by the main side's bridge; the UI charts them.
import { z } from 'zod';
import { event, method } from './define';

const series = z.record(z.string(), z.number());

/** One sample as the hypervisor sent it, normalised (docs/hypervisor-messages.md). */
export const metricMessageSchema = z.object({
  vm: z.string(),
  /** Sample time in seconds, as the hypervisor sent it (or when it arrived, see tFromArrival). */
  t: z.number(),
  /** The hypervisor sent no time: `t` is when the bridge received the sample. */
  tFromArrival: z.literal(true).optional(),
  atp: z.number().optional(),
  growth: z.number().optional(),
  geneExpression: series,
  /** Any other numeric fields of the sample. */
  series,
});
export type MetricMessage = z.output<typeof metricMessageSchema>;

export const metricSampleSchema = metricMessageSchema.extend({
  /** Host time (ms since epoch) when the bridge accepted it. */
  receivedAt: z.number(),
});
export type MetricSample = z.output<typeof metricSampleSchema>;

export const bridgeStateSchema = z.enum(['idle', 'connecting', 'connected', 'backoff', 'stopped']);
export type BridgeState = z.output<typeof bridgeStateSchema>;

/** `incomplete`: a document cut short by the connection ending (reset, or closed mid-document). */
export const invalidReasonSchema = z.enum(['line_too_long', 'invalid_json', 'invalid_message', 'incomplete']);
export type InvalidReason = z.output<typeof invalidReasonSchema>;

export const invalidLineSchema = z.object({
  reason: invalidReasonSchema,
  detail: z.string(),
  /** The start of the offending line (empty for oversized lines, which are never buffered). */
  excerpt: z.string(),
  at: z.number(),
});
export type InvalidLine = z.output<typeof invalidLineSchema>;

export const ingestStatsSchema = z.object({
  linesAccepted: z.number(),
  linesRejected: z.number(),
  rejectedByReason: z.record(invalidReasonSchema, z.number()),
  bytesReceived: z.number(),
  recentInvalid: z.array(invalidLineSchema),
});
export type IngestStats = z.output<typeof ingestStatsSchema>;

export const publisherStatsSchema = z.object({
  stream: z.string(),
  connected: z.boolean(),
  published: z.number(),
  dropped: z.number(),
  queued: z.number(),
  lastError: z.string().optional(),
});
export type PublisherStats = z.output<typeof publisherStatsSchema>;

/** How the hypervisor sends: `stream` (many lines per connection) or `per-connection` (one document, then close). */
export const connectionStyleSchema = z.enum(['stream', 'per-connection']);
export type ConnectionStyle = z.output<typeof connectionStyleSchema>;

export const bridgeStatusSchema = z.object({
  state: bridgeStateSchema,
  host: z.string(),
  port: z.number(),
  /** Consecutive failed connection attempts since the last stable connection. */
  failures: z.number(),
  connections: z.number(),
  connectedAt: z.number().optional(),
  nextRetryAt: z.number().optional(),
  lastError: z.string().optional(),
  /** The style the hypervisor was last seen using (unknown until a connection shows it). */
  style: connectionStyleSchema.optional(),
  ingest: ingestStatsSchema,
  vms: z.number(),
  publisher: publisherStatsSchema.optional(),
});
export type BridgeStatus = z.output<typeof bridgeStatusSchema>;

export const metricsStatusSchema = z.object({
  endpoint: z.string(),
  bridge: bridgeStatusSchema.nullable(),
  /** Samples not delivered to UIs because a batch was full (they are still in the store). */
  batchDropped: z.number(),
  /** A problem with the configured endpoint, or with the bridge it could not open. */
  error: z.string().optional(),
});
export type MetricsStatus = z.output<typeof metricsStatusSchema>;

export const metricsMethods = {
  'metrics:status': method('The hypervisor connection and what it has received.', z.object({}).default({}), metricsStatusSchema),
  'metrics:connect': method(
    'Connect to a BioXen hypervisor (host:port or tcp://host:port; default the last one, 127.0.0.1:12345), replacing the current connection.',
    z.object({ endpoint: z.string().min(1).max(300).optional() }),
    metricsStatusSchema,
  ),
  'metrics:disconnect': method('Close the hypervisor connection (samples received so far are kept).', z.object({}).default({}), metricsStatusSchema),
  'metrics:snapshot': method(
    'Status plus the recent samples of every cellular VM (oldest first), to hydrate a view.',
    z.object({ points: z.number().int().min(1).max(600).default(600) }).default({ points: 600 }),
    z.object({ status: metricsStatusSchema, vms: z.array(z.object({ vm: z.string(), samples: z.array(metricSampleSchema) })) }),
  ),
};

export const metricsEvents = {
  'metrics:samples': event('New samples, batched (about every 50 ms while data flows).', z.object({ samples: z.array(metricSampleSchema) })),
  'metrics:status': event('The hypervisor connection changed state.', metricsStatusSchema),
};
