// Plots and tables from bioxen.plot (lua/runtime/plot.lua), as they enter the host: the runner's
// payload is validated, its packed number columns parsed, non-finite values turned into gaps,
// histograms binned, and long series decimated to min/max per display column, so the console
// stores and draws a few thousand points whatever the script produced. The result is the JSON
// text of a 'plot' output chunk (shape: plotSpecSchema in src-preload/contract/sessions.ts).
import type { PlotSpec, PlotTableSpec, PlotXYSpec } from '../../src-preload/contract/plots';

/** Display columns a decimated series keeps (each holds its min and max): wider than any plot on screen. */
export const DISPLAY_COLUMNS = 2000;
const MAX_SERIES = 32;
const MAX_TEXT = 200;
const MAX_BARS = 10_000;
const DEFAULT_MAX_BINS = 100;

export class PlotPayloadError extends Error {}

const XY_KINDS = new Set(['line', 'scatter', 'step', 'bar', 'histogram']);

function text(v: unknown, what: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new PlotPayloadError(`${what} is not a string`);
  return v.slice(0, MAX_TEXT);
}

const NON_FINITE = /-?(?:inf|nan)/g;

/**
 * A packed column ("1,2.5,-nan,inf") as numbers; anything that is not a finite number is NaN.
 * Read by the native JSON parser once the non-finite words are null: a split into a million
 * strings costs ten times as much.
 */
export function parseColumn(packed: unknown, what: string): Float64Array {
  if (typeof packed !== 'string' || packed === '') throw new PlotPayloadError(`${what} is not a packed number column`);
  let values: unknown;
  try {
    values = JSON.parse(`[${packed.replace(NON_FINITE, 'null')}]`);
  } catch {
    throw new PlotPayloadError(`${what} is not a packed number column`);
  }
  const list = values as unknown[];
  const out = new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (v !== null && typeof v !== 'number') throw new PlotPayloadError(`${what} is not a packed number column`);
    out[i] = v === null ? Number.NaN : v;
  }
  return out;
}

function indexColumn(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = i + 1;
  return x;
}

interface Columns {
  x: Float64Array;
  ys: Float64Array[];
}

/** Min and max of each series per display column of x, in the order they occur: the drawn shape is kept. */
export function decimate({ x, ys }: Columns, columns = DISPLAY_COLUMNS, logx = false): Columns {
  const n = x.length;
  if (n <= columns * 2) return { x, ys };
  const pos = (v: number) => (logx ? Math.log10(v) : v);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = pos(x[i]!);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  const sorted = isSorted(x);
  const bucketOf = (i: number) => {
    if (!sorted || !(span > 0)) return Math.floor((i * columns) / n);
    return Math.min(columns - 1, Math.floor(((pos(x[i]!) - lo) / span) * columns));
  };
  const outX: number[] = [];
  const outYs: number[][] = ys.map(() => []);
  let start = 0;
  while (start < n) {
    const bucket = bucketOf(start);
    let end = start + 1;
    while (end < n && bucketOf(end) === bucket) end++;
    if (end - start === 1) {
      outX.push(x[start]!);
      ys.forEach((y, s) => outYs[s]!.push(y[start]!));
    } else {
      outX.push(x[start]!, x[end - 1]!);
      ys.forEach((y, s) => {
        let min = NaN;
        let max = NaN;
        let minAt = -1;
        let maxAt = -1;
        for (let i = start; i < end; i++) {
          const v = y[i]!;
          if (Number.isNaN(v)) continue;
          if (!(v >= min)) {
            min = v;
            minAt = i;
          }
          if (!(v <= max)) {
            max = v;
            maxAt = i;
          }
        }
        if (minAt <= maxAt) outYs[s]!.push(min, max);
        else outYs[s]!.push(max, min);
      });
    }
    start = end;
  }
  return { x: Float64Array.from(outX), ys: outYs.map((y) => Float64Array.from(y)) };
}

function isSorted(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i]! < x[i - 1]!) return false;
  return true;
}

/** Scatter points drawn by index need ascending x: reorder every column by x. */
function sortByX({ x, ys }: Columns): Columns {
  if (isSorted(x)) return { x, ys };
  const order = Uint32Array.from(x.keys()).sort((a, b) => x[a]! - x[b]! || a - b);
  return { x: order.map((i) => x[i]!) as unknown as Float64Array, ys: ys.map((y) => Float64Array.from(order, (i) => y[i]!)) };
}

function histogram(values: Float64Array, bins: number | undefined): { x: Float64Array; counts: Float64Array; width: number } {
  let lo = Infinity;
  let hi = -Infinity;
  let finite = 0;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    finite++;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const count = bins ?? Math.min(DEFAULT_MAX_BINS, Math.ceil(Math.log2(Math.max(finite, 1))) + 1);
  if (finite === 0) return { x: new Float64Array(0), counts: new Float64Array(0), width: 1 };
  const width = hi > lo ? (hi - lo) / count : 1;
  const counts = new Float64Array(count);
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    counts[Math.min(count - 1, Math.floor((v - lo) / width))]!++;
  }
  return { x: Float64Array.from({ length: count }, (_, i) => lo + i * width), counts, width };
}

const toJsonColumn = (column: Float64Array): (number | null)[] => Array.from(column, (v) => (Number.isNaN(v) ? null : v));

function countGaps(columns: Float64Array[]): number {
  let gaps = 0;
  for (const c of columns) for (const v of c) if (Number.isNaN(v)) gaps++;
  return gaps;
}

function xyPlot(p: Record<string, unknown>): PlotXYSpec {
  const kind = p.kind as PlotXYSpec['kind'];
  if (!Array.isArray(p.series) || p.series.length === 0 || p.series.length > MAX_SERIES) {
    throw new PlotPayloadError(`needs 1–${MAX_SERIES} series`);
  }
  const names = p.series.map((s: { name?: unknown }, i) => text(s?.name, `series ${i + 1}'s name`) ?? `series ${i + 1}`);
  const ys = p.series.map((s: { y?: unknown }, i) => parseColumn(s?.y, `series ${i + 1}`));
  const common = {
    title: text(p.title, 'title'),
    xlabel: text(p.xlabel, 'xlabel'),
    ylabel: text(p.ylabel, 'ylabel'),
    logx: p.logx === true,
    logy: p.logy === true,
  };
  if (kind === 'histogram') {
    const bins = typeof p.bins === 'number' && Number.isInteger(p.bins) && p.bins >= 1 && p.bins <= 10_000 ? p.bins : undefined;
    const h = histogram(ys[0]!, bins);
    return { kind, ...common, logx: false, x: Array.from(h.x), series: [{ name: names[0]!, y: Array.from(h.counts) }], points: ys[0]!.length, gaps: countGaps(ys), binWidth: h.width };
  }
  const n = ys[0]!.length;
  const x = p.x === undefined || p.x === null ? indexColumn(n) : parseColumn(p.x, 'x');
  for (const [i, y] of ys.entries()) {
    if (y.length !== x.length) throw new PlotPayloadError(`series "${names[i]}" has ${y.length} values for ${x.length} x values`);
  }
  let labels: string[] | undefined;
  if (p.labels !== undefined) {
    if (!Array.isArray(p.labels) || p.labels.length !== n || n > MAX_BARS) throw new PlotPayloadError(`labels must be one string per bar (at most ${MAX_BARS})`);
    labels = p.labels.map((l, i) => text(l, `label ${i + 1}`) ?? '');
  }
  const gaps = countGaps([x, ...ys]);
  let columns: Columns = { x, ys };
  if (kind === 'scatter') columns = sortByX(columns);
  if (!labels) columns = decimate(columns, DISPLAY_COLUMNS, common.logx);
  const spec: PlotXYSpec = { kind, ...common, x: toJsonColumn(columns.x), series: names.map((name, i) => ({ name, y: toJsonColumn(columns.ys[i]!) })), points: n, gaps };
  if (labels) spec.labels = labels;
  return spec;
}

type Cell = string | number | boolean | null;

function tableSpec(p: Record<string, unknown>): PlotTableSpec {
  if (!Array.isArray(p.columns) || !Array.isArray(p.rows)) throw new PlotPayloadError('a table needs columns and rows');
  const columns = p.columns.map((c, i) => text(c, `column ${i + 1}`) ?? '');
  const rows = p.rows.map((row: unknown, r) => {
    if (!Array.isArray(row) || row.length !== columns.length) throw new PlotPayloadError(`row ${r + 1} does not have ${columns.length} cells`);
    return row.map((v): Cell => (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : String(v)));
  });
  return { kind: 'table', title: text(p.title, 'title'), columns, rows };
}

/** The plot a runner sent, ready for the output buffer; throws PlotPayloadError on a malformed payload. */
export function plotFromRunner(payload: unknown): PlotSpec {
  if (typeof payload !== 'object' || payload === null) throw new PlotPayloadError('the payload is not an object');
  const p = payload as Record<string, unknown>;
  if (p.kind === 'table') return tableSpec(p);
  if (typeof p.kind !== 'string' || !XY_KINDS.has(p.kind)) throw new PlotPayloadError(`unknown plot kind ${JSON.stringify(p.kind)}`);
  return xyPlot(p);
}

/** The output chunk for a runner's plot payload: a 'plot' chunk, or a 'system' note when it is malformed. */
export function plotChunk(payload: unknown): { stream: 'plot' | 'system'; text: string } {
  try {
    return { stream: 'plot', text: JSON.stringify(plotFromRunner(payload)) };
  } catch (err) {
    if (!(err instanceof PlotPayloadError)) throw err;
    return { stream: 'system', text: `a plot from the runner was malformed (${err.message}) and is not shown\n` };
  }
}
