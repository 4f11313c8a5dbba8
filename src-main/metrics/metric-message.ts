// The BioXen hypervisor's wire format (docs/hypervisor-messages.md): one JSON object per cellular VM
// sample, one per line on a long-lived connection or one per connection. Known fields are checked
// strictly; any other top-level number is kept as a named series so a hypervisor can add measurements
// without a workbench release. Non-numeric extras are ignored.
// BioXen's Python side names the VM `vm_id` and may leave out the time: both are accepted.
import { z } from 'zod';
import type { InvalidReason, MetricMessage } from '../../src-preload/contract/metrics';

/** Caps that keep one message (and therefore the store) small whatever a peer sends. */
export const MESSAGE_LIMITS = { vmIdChars: 128, seriesNameChars: 64, genes: 256, series: 64 } as const;

const finite = z.number().finite();
const seriesName = z.string().min(1).max(MESSAGE_LIMITS.seriesNameChars);

const vmId = z.string().min(1).max(MESSAGE_LIMITS.vmIdChars);

const wireSchema = z.looseObject({
  /** The cellular VM; `vm_id` is the same field under the name BioXen's Python code uses. */
  vm: vmId.optional(),
  vm_id: vmId.optional(),
  /** Sample time in seconds (the simulator sends Unix epoch seconds); missing: the time it arrived. */
  t: finite.optional(),
  /** ATP level, mM. */
  atp: finite.min(0).optional(),
  /** Growth (biomass / optical density, arbitrary units). */
  growth: finite.min(0).optional(),
  /** Expression level per gene (protein copies or normalised units). */
  gene_expression: z.record(seriesName, finite.min(0)).optional(),
});

/** A validated sample in the workbench's own casing; `series` holds the extra numeric fields. */
export type { InvalidReason, MetricMessage } from '../../src-preload/contract/metrics';

export type ParseResult = { ok: true; message: MetricMessage } | { ok: false; reason: InvalidReason; detail: string };

const KNOWN_FIELDS = new Set(['vm', 'vm_id', 't', 'atp', 'growth', 'gene_expression']);

/** Seconds since the epoch, for a sample that carried no time of its own. */
export type ArrivalClock = () => number;
const wallClockSeconds: ArrivalClock = () => Date.now() / 1000;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
}

function extraSeries(raw: Record<string, unknown>): Record<string, number> | string {
  const series: Record<string, number> = {};
  let count = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (KNOWN_FIELDS.has(key) || key === '__proto__' || typeof value !== 'number') continue;
    if (!Number.isFinite(value)) return `${key}: expected a finite number`;
    if (key.length > MESSAGE_LIMITS.seriesNameChars) return `${key.slice(0, 20)}…: series name longer than ${MESSAGE_LIMITS.seriesNameChars} characters`;
    if (++count > MESSAGE_LIMITS.series) return `more than ${MESSAGE_LIMITS.series} numeric series`;
    series[key] = value;
  }
  return series;
}

const isLevel = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function quickGenes(raw: unknown): Record<string, number> | undefined {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) return undefined;
  const names = Object.keys(raw);
  if (names.length > MESSAGE_LIMITS.genes) return undefined;
  const genes: Record<string, number> = {};
  for (const name of names) {
    const level = raw[name];
    if (name.length < 1 || name.length > MESSAGE_LIMITS.seriesNameChars || name === '__proto__' || !isLevel(level)) return undefined;
    genes[name] = level;
  }
  return genes;
}

function messageOf(vm: string, t: number | undefined, arrival: ArrivalClock, geneExpression: Record<string, number>, series: Record<string, number>): MetricMessage {
  if (t !== undefined) return { vm, t, geneExpression, series };
  return { vm, t: arrival(), tFromArrival: true, geneExpression, series };
}

// The schema costs ~10 µs a line; this accepts exactly the common, valid shape in a fraction of
// that. Anything it does not accept goes through the schema, which decides and explains.
function quickValidate(value: unknown, arrival: ArrivalClock): MetricMessage | undefined {
  if (!isPlainObject(value)) return undefined;
  const { vm, vm_id, t, atp, growth } = value;
  const id = vm ?? vm_id;
  if (typeof id !== 'string' || id.length < 1 || id.length > MESSAGE_LIMITS.vmIdChars) return undefined;
  if (vm !== undefined && vm_id !== undefined) return undefined;
  if (t !== undefined && (typeof t !== 'number' || !Number.isFinite(t))) return undefined;
  if ((atp !== undefined && !isLevel(atp)) || (growth !== undefined && !isLevel(growth))) return undefined;
  const geneExpression = quickGenes(value.gene_expression);
  const series = geneExpression && extraSeries(value);
  if (!geneExpression || typeof series !== 'object') return undefined;
  const message = messageOf(id, t, arrival, geneExpression, series);
  if (atp !== undefined) message.atp = atp;
  if (growth !== undefined) message.growth = growth;
  return message;
}

/** The VM a sample names, under either spelling, or why it names none. */
function vmOf(vm: string | undefined, vmIdField: string | undefined): string | { error: string } {
  if (vm !== undefined && vmIdField !== undefined && vm !== vmIdField) {
    return { error: `vm "${vm.slice(0, 40)}" and vm_id "${vmIdField.slice(0, 40)}" differ: send one of them` };
  }
  const id = vm ?? vmIdField;
  return id ?? { error: 'vm: missing — name the cellular VM with "vm" (or "vm_id")' };
}

/**
 * Validates an already-decoded value. Never throws. A sample without `t` gets `arrival()` (seconds)
 * and is marked `tFromArrival`.
 */
export function validateMetric(value: unknown, arrival: ArrivalClock = wallClockSeconds): ParseResult {
  const quick = quickValidate(value, arrival);
  if (quick) return { ok: true, message: quick };
  const parsed = wireSchema.safeParse(value);
  if (!parsed.success) return { ok: false, reason: 'invalid_message', detail: describeIssues(parsed.error) };
  const { vm, vm_id, t, atp, growth, gene_expression: genes = {} } = parsed.data;
  const id = vmOf(vm, vm_id);
  if (typeof id !== 'string') return { ok: false, reason: 'invalid_message', detail: id.error };
  if (Object.keys(genes).length > MESSAGE_LIMITS.genes) {
    return { ok: false, reason: 'invalid_message', detail: `gene_expression: more than ${MESSAGE_LIMITS.genes} genes` };
  }
  const series = extraSeries(parsed.data);
  if (typeof series === 'string') return { ok: false, reason: 'invalid_message', detail: series };
  const message = messageOf(id, t, arrival, { ...genes }, series);
  if (atp !== undefined) message.atp = atp;
  if (growth !== undefined) message.growth = growth;
  return { ok: true, message };
}

/**
 * Did JSON.parse fail only because the text stopped early? (V8 says "Unexpected end of JSON input",
 * or reports the error at the position just past the text.)
 */
function endedEarly(err: unknown, text: string): boolean {
  if (!(err instanceof Error)) return false;
  if (err.message.includes('end of JSON input')) return true;
  const at = /at position (\d+)/.exec(err.message);
  return at !== null && Number(at[1]) >= text.trimEnd().length;
}

/**
 * Parses one message: a line of the stream (without its newline) or, with `last`, the document a peer
 * ended by closing the connection, where JSON that stops early is reported as `incomplete`. Never throws.
 */
export function parseMetricLine(line: string, arrival: ArrivalClock = wallClockSeconds, last = false): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    if (last && endedEarly(err, line)) {
      return { ok: false, reason: 'incomplete', detail: `the connection closed in the middle of a document (${line.length} characters received): ${detail}` };
    }
    return { ok: false, reason: 'invalid_json', detail };
  }
  return validateMetric(value, arrival);
}

/** The wire form of a message (what the simulator sends and what goes to Redis). */
export function toWire(message: MetricMessage): Record<string, unknown> {
  const wire: Record<string, unknown> = { vm: message.vm, t: message.t };
  if (message.tFromArrival) wire.t_from_arrival = true;
  if (message.atp !== undefined) wire.atp = message.atp;
  if (message.growth !== undefined) wire.growth = message.growth;
  wire.gene_expression = message.geneExpression;
  return Object.assign(wire, message.series);
}
