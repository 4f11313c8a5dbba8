// Metrics domain: cellular-VM samples (ATP, growth, gene expression) from a BioXen hypervisor,
// received by the main side's bridge; the UI charts them.
import { z } from 'zod';
import { event, method } from './define';

const series = z.record(z.string(), z.number());

export const metricSampleSchema = z.object({
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
  /** Host time (ms) when the bridge accepted it. */
  receivedAt: z.number(),
});
export type MetricSample = z.infer<typeof metricSampleSchema>;

export const bridgeStateSchema = z.enum(['idle', 'connecting', 'connected', 'backoff', 'stopped']);

const invalidLineSchema = z.object({
  reason: z.enum(['line_too_long', 'invalid_json', 'invalid_message', 'incomplete']),
  detail: z.string(),
  excerpt: z.string(),
  at: z.number(),
});

export const metricsStatusSchema = z.object({
  endpoint: z.string(),
  bridge: z
    .object({
      state: bridgeStateSchema,
      host: z.string(),
      port: z.number(),
      failures: z.number(),
      connections: z.number(),
      connectedAt: z.number().optional(),
      nextRetryAt: z.number().optional(),
      lastError: z.string().optional(),
      /** stream: many newline-terminated samples per connection; per-connection: one document, then the peer closes. */
      style: z.enum(['stream', 'per-connection']).optional(),
      ingest: z.object({
        linesAccepted: z.number(),
        linesRejected: z.number(),
        rejectedByReason: z.record(z.string(), z.number()),
        bytesReceived: z.number(),
        recentInvalid: z.array(invalidLineSchema),
      }),
      vms: z.number(),
      publisher: z
        .object({ stream: z.string(), connected: z.boolean(), published: z.number(), dropped: z.number(), queued: z.number(), lastError: z.string().optional() })
        .optional(),
    })
    .nullable(),
  batchDropped: z.number(),
  error: z.string().optional(),
});
export type MetricsStatus = z.infer<typeof metricsStatusSchema>;

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
