// Plots of a run outside the workbench (`bioxen exec --plots DIR`): each plot chunk's spec, and
// the files they become — an SVG per plot, a CSV per table of records.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvOf, plotSvg } from '../../src-preload/contract/plot-files';
import { plotSpecSchema, type PlotSpec } from '../../src-preload/contract/plots';

export interface SavedPlot {
  kind: PlotSpec['kind'];
  title?: string;
  /** Where it was written; absent when no folder was given. */
  file?: string;
}

/** The spec a 'plot' output chunk holds. */
export function plotOfChunk(text: string): PlotSpec {
  return plotSpecSchema.parse(JSON.parse(text));
}

function fileName(index: number, spec: PlotSpec): string {
  const stem = (spec.title ?? spec.kind).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || spec.kind;
  return `${String(index + 1).padStart(2, '0')}-${stem}.${spec.kind === 'table' ? 'csv' : 'svg'}`;
}

/** Writes each plot into `dir` (which must exist) as NN-title.svg, each table as NN-title.csv. */
export function writePlots(dir: string, plots: readonly PlotSpec[]): SavedPlot[] {
  return plots.map((spec, index) => {
    const file = join(dir, fileName(index, spec));
    writeFileSync(file, spec.kind === 'table' ? csvOf([spec.columns, ...spec.rows]) : plotSvg(spec));
    return describePlot(spec, file);
  });
}

export function describePlot(spec: PlotSpec, file?: string): SavedPlot {
  const saved: SavedPlot = { kind: spec.kind };
  if (spec.title !== undefined) saved.title = spec.title;
  if (file !== undefined) saved.file = file;
  return saved;
}
