// The renderer's window of metric samples, kept outside React and zustand: per VM a ring of at most
// `capacity` samples (oldest dropped), at most `maxVms` VMs (least recently updated dropped).
// Charts read time windows from it; the store only holds a version number that says "redraw".
import type { MetricSample } from '../../../src-preload/contract/metrics';
import { isAxisValue } from '../../../src-preload/contract/outside-values';

export interface BufferLimits {
  capacity: number;
  maxVms: number;
}

export const DEFAULT_BUFFER_LIMITS: BufferLimits = { capacity: 6_000, maxVms: 64 };

/** Columns for uPlot: x (seconds) then one array per series, `null` where a sample lacks it. */
export interface ChartColumns {
  names: string[];
  data: [number[], ...(number | null)[][]];
}

export class MetricsBuffer {
  private readonly vms = new Map<string, MetricSample[]>();
  private invalidCount = 0;

  constructor(private readonly limits: BufferLimits = DEFAULT_BUFFER_LIMITS) {}

  /** Samples left out because their time cannot be drawn (not finite, or beyond a date's range, e.g. t = 1e300). */
  get invalidSamples(): number {
    return this.invalidCount;
  }

  append(samples: readonly MetricSample[]): void {
    for (const sample of samples) {
      // A time axis is built from the samples' range: one impossible time would make every chart of the view fail.
      if (!isAxisValue(sample.t)) {
        this.invalidCount++;
        continue;
      }
      let ring = this.vms.get(sample.vm);
      if (ring) this.vms.delete(sample.vm);
      else {
        ring = [];
        if (this.vms.size >= this.limits.maxVms) this.vms.delete(this.vms.keys().next().value as string);
      }
      this.vms.set(sample.vm, ring);
      ring.push(sample);
      // Trim in chunks so a full ring does not shift on every sample.
      if (ring.length > this.limits.capacity * 1.1) ring.splice(0, ring.length - this.limits.capacity);
    }
  }

  vmIds(): string[] {
    return [...this.vms.keys()].sort();
  }

  clear(): void {
    this.vms.clear();
    this.invalidCount = 0;
  }

  /** Samples of `vm` whose time is within `seconds` of its newest sample. */
  window(vm: string, seconds: number): MetricSample[] {
    const ring = this.vms.get(vm) ?? [];
    const newest = ring.at(-1)?.t;
    if (newest === undefined) return [];
    const from = newest - seconds;
    let start = ring.length;
    while (start > 0 && ring[start - 1]!.t >= from) start--;
    return ring.slice(start);
  }
}

export function atpColumns(samples: readonly MetricSample[]): ChartColumns {
  return {
    names: ['ATP (mM)', 'growth'],
    data: [samples.map((s) => s.t), samples.map((s) => plotted(s.atp)), samples.map((s) => plotted(s.growth))],
  };
}

export function geneNames(samples: readonly MetricSample[]): string[] {
  const names = new Set<string>();
  for (const sample of samples) for (const gene of Object.keys(sample.geneExpression)) names.add(gene);
  return [...names].sort();
}

export function expressionColumns(samples: readonly MetricSample[]): ChartColumns {
  const names = geneNames(samples);
  return {
    names,
    data: [samples.map((s) => s.t), ...names.map((gene) => samples.map((s) => plotted(s.geneExpression[gene])))],
  };
}

/** A value as a chart point: one outside an axis's range is a gap, not an axis spanning 1e300. */
function plotted(value: number | undefined): number | null {
  return isAxisValue(value) ? value : null;
}

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per sample: vm, t, atp, growth, one column per gene, one per extra series. */
export function samplesToCsv(samples: readonly MetricSample[]): string {
  const genes = geneNames(samples);
  const series = [...new Set(samples.flatMap((s) => Object.keys(s.series)))].sort();
  const header = ['vm', 't', 'atp', 'growth', ...genes.map((g) => `gene:${g}`), ...series];
  const rows = samples.map((s) =>
    [s.vm, s.t, s.atp, s.growth, ...genes.map((g) => s.geneExpression[g]), ...series.map((name) => s.series[name])].map(csvField).join(','),
  );
  return [header.map(csvField).join(','), ...rows].join('\n') + '\n';
}
