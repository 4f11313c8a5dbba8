// Plots and tables from bioxen.plot / bioxen.show, as the text of an output chunk of stream 'plot'. A file of
// their own so the engine and the CLI read plots without building the whole sessions domain's schemas.
import { z } from 'zod';

const plotText = z.string().max(200).optional();

/** A plot from bioxen.plot, as the main side stores it (decimated for display, gaps as null). */
export const plotXYSpecSchema = z.object({
  kind: z.enum(['line', 'scatter', 'step', 'bar', 'histogram']),
  title: plotText,
  xlabel: plotText,
  ylabel: plotText,
  logx: z.boolean(),
  logy: z.boolean(),
  x: z.array(z.number().nullable()),
  /** Bar names, one per x. */
  labels: z.array(z.string()).optional(),
  series: z.array(z.object({ name: z.string(), y: z.array(z.number().nullable()) })).min(1).max(32),
  /** Points the script gave per series (x.length is less once decimated). */
  points: z.number().int().min(0),
  /** Non-finite values the script gave, shown as gaps. */
  gaps: z.number().int().min(0),
  /** Histogram: width of each bin starting at x. */
  binWidth: z.number().optional(),
});

/** A list of records from bioxen.show, shown as a sortable table. */
export const plotTableSpecSchema = z.object({
  kind: z.literal('table'),
  title: plotText,
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});

/** The JSON text of an output chunk of stream 'plot'. */
export const plotSpecSchema = z.union([plotXYSpecSchema, plotTableSpecSchema]);
export type PlotXYSpec = z.output<typeof plotXYSpecSchema>;
export type PlotTableSpec = z.output<typeof plotTableSpecSchema>;
export type PlotSpec = z.output<typeof plotSpecSchema>;
