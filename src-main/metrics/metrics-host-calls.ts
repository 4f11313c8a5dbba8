// Answers the synchronous host calls a Lua VM with the `metrics` capability makes through
// `require("bioxen.host").call(kind, data)` (the bioxen.metrics module): the latest sample of a
// cellular VM, and the list of VMs with samples. Replies use the wire casing Lua scripts expect.
import { z } from 'zod';
import { MESSAGE_LIMITS, toWire } from './metric-message';
import type { MetricsStore } from './metrics-store';

export const METRICS_HOST_CALLS = ['metrics.latest', 'metrics.vms'] as const;
export type MetricsHostCall = (typeof METRICS_HOST_CALLS)[number];

export class MetricsHostCallError extends Error {
  override readonly name = 'MetricsHostCallError';
  readonly code = 'invalid_input';
}

// The shape lua/packages/bioxen-metrics sends: the one implementation of bioxen.metrics.
const latestInput = z.object({ vm: z.string().min(1).max(MESSAGE_LIMITS.vmIdChars) });

export function isMetricsHostCall(kind: string): kind is MetricsHostCall {
  return (METRICS_HOST_CALLS as readonly string[]).includes(kind);
}

export function handleMetricsHostCall(store: MetricsStore, kind: string, data: unknown): unknown {
  if (kind === 'metrics.vms') return store.vmIds();
  if (kind !== 'metrics.latest') {
    throw new MetricsHostCallError(`unknown host call "${kind}": the metrics service answers ${METRICS_HOST_CALLS.join(', ')}`);
  }
  const parsed = latestInput.safeParse(data);
  if (!parsed.success) {
    throw new MetricsHostCallError("metrics.latest needs {vm = '<cellular VM id>'}, e.g. require('bioxen.metrics').latest('cell-01')");
  }
  const sample = store.latest(parsed.data.vm);
  // null reaches Lua as nil: "no sample yet" is an answer, not an error.
  return sample ? { ...toWire(sample), received_at: sample.receivedAt } : null;
}
