// A plot or table from bioxen.plot, inline in the console: uPlot on a canvas (drag to zoom,
// double-click to reset), with PNG, SVG and CSV export; a table of records sorts by any column.
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { plotSpecSchema, type PlotSpec, type PlotTableSpec, type PlotXYSpec } from '../../../src-preload/contract/plots';
import { visibleText } from '../../../src-preload/contract/outside-values';
import { PALETTE, csvOf, plotCsv, plotSvg } from '../../../src-preload/contract/plot-files';
import { download, fileStem } from './plot-export';

const MAX_TABLE_ROWS = 1000;

/** The chunk's JSON as a plot, or why it cannot be drawn. */
export function readPlot(text: string): { spec: PlotSpec } | { error: string } {
  try {
    const parsed = plotSpecSchema.safeParse(JSON.parse(text));
    return parsed.success ? { spec: parsed.data } : { error: 'this plot does not have the expected shape' };
  } catch {
    return { error: 'this plot is not valid JSON' };
  }
}

export function PlotBlock({ text, height }: { text: string; height: number }) {
  const read = useMemo(() => readPlot(text), [text]);
  if ('error' in read) return <div className="plot-block stream-system">{read.error}</div>;
  if (read.spec.kind === 'table') return <RecordTable spec={read.spec} height={height} />;
  return <XYPlot spec={read.spec} height={height} />;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function seriesOptions(spec: PlotXYSpec, index: number): uPlot.Series {
  const stroke = PALETTE[index % PALETTE.length]!;
  const base: uPlot.Series = { label: spec.series[index]!.name, stroke, width: 1.5 };
  switch (spec.kind) {
    case 'scatter':
      return { ...base, paths: () => null, points: { show: true, size: 4, fill: stroke } };
    case 'step':
      return { ...base, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } };
    case 'bar':
    case 'histogram':
      return { ...base, fill: `${stroke}99`, paths: uPlot.paths.bars!({ size: [spec.kind === 'histogram' ? 1 : 0.8, Infinity], align: spec.kind === 'histogram' ? 1 : 0 }), points: { show: false } };
    default:
      return { ...base, points: { show: false } };
  }
}

/** Bars need room: half a slot either side of labelled bars, and the last histogram bin's width. */
function xRange(spec: PlotXYSpec): { range?: uPlot.Scale.Range } {
  if (spec.labels) return { range: [0.5, spec.labels.length + 0.5] };
  if (spec.kind !== 'histogram' || spec.x.length === 0) return {};
  const first = spec.x[0]!;
  const last = spec.x[spec.x.length - 1]! + (spec.binWidth ?? 0);
  return { range: (_u, min, max) => (min === first && max === spec.x[spec.x.length - 1] ? [first, last] : [min, max]) };
}

function plotOptions(spec: PlotXYSpec, width: number, height: number, onXRange: (range: string) => void): uPlot.Options {
  const fg = cssVar('--fg-dim', '#9d9d9d');
  const grid = cssVar('--border', '#3c3c3c');
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const labels = spec.labels;
  return {
    width,
    height,
    title: spec.title === undefined ? undefined : visibleText(spec.title),
    scales: {
      x: { time: false, distr: spec.logx ? 3 : 1, ...xRange(spec) },
      y: { distr: spec.logy ? 3 : 1, ...(spec.kind === 'bar' || spec.kind === 'histogram' ? { range: (_u, _min, max) => [0, max * 1.05] as uPlot.Range.MinMax } : {}) },
    },
    axes: [
      { ...axis, label: spec.xlabel, ...(labels ? { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (labels[t - 1] ?? '') : '')) } : {}) },
      { ...axis, label: spec.ylabel, size: 56 },
    ],
    cursor: { drag: { x: true, y: false } },
    legend: { live: false },
    hooks: { setScale: [(u, key) => key === 'x' && onXRange(`${u.scales.x.min}..${u.scales.x.max}`)] },
    series: [{}, ...spec.series.map((_, i) => seriesOptions(spec, i))],
  };
}

function XYPlot({ spec, height }: { spec: PlotXYSpec; height: number }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [drawn, setDrawn] = useState(false);
  const [xRange, setXRange] = useState('');
  // Room for the toolbar, uPlot's title and its legend inside the figure.
  const canvasHeight = height - 110;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const data = [spec.x, ...spec.series.map((s) => s.y)] as uPlot.AlignedData;
    const created = new uPlot(plotOptions(spec, element.clientWidth || 480, canvasHeight, setXRange), data, element);
    plot.current = created;
    setDrawn(true);
    const resize = new ResizeObserver(() => created.setSize({ width: element.clientWidth || 480, height: canvasHeight }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
  }, [spec, canvasHeight]);

  const stem = fileStem(spec.title);
  const exportPng = () => {
    const canvas = plot.current?.ctx.canvas;
    if (!canvas) return;
    // The canvas is transparent: paint the theme's background under it so the file reads anywhere.
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = cssVar('--bg', '#1e1e1e');
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    out.toBlob((blob) => blob && download(`${stem}.png`, blob), 'image/png');
  };
  const exportSvg = () => {
    const u = plot.current;
    const range = u && u.scales.x.min !== undefined && u.scales.y.min !== undefined
      ? { xMin: u.scales.x.min, xMax: u.scales.x.max!, yMin: u.scales.y.min, yMax: u.scales.y.max! }
      : undefined;
    download(`${stem}.svg`, new Blob([plotSvg(spec, range)], { type: 'image/svg+xml' }));
  };
  const exportCsv = () => download(`${stem}.csv`, new Blob([plotCsv(spec)], { type: 'text/csv' }));

  const note = [
    spec.x.length < spec.points ? `${spec.points.toLocaleString('en')} points, ${spec.x.length.toLocaleString('en')} shown (min/max per column)` : '',
    spec.gaps ? `${spec.gaps} non-finite value${spec.gaps === 1 ? '' : 's'} shown as gaps` : '',
  ].filter(Boolean).join(' · ');

  return (
    <figure className="plot-block" aria-label={`Plot ${spec.title ? visibleText(spec.title) : spec.kind}`} data-drawn={drawn} data-points={spec.points} data-x-range={xRange}>
      <div className="plot-toolbar">
        <span className="plot-note">{note || 'drag to zoom, double-click to reset'}</span>
        <button onClick={exportPng}>PNG</button>
        <button onClick={exportSvg}>SVG</button>
        <button onClick={exportCsv}>CSV</button>
      </div>
      <div className="plot-canvas" ref={container} />
    </figure>
  );
}

type Cell = string | number | boolean | null;

function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function RecordTable({ spec, height }: { spec: PlotTableSpec; height: number }) {
  const [sort, setSort] = useState<{ column: number; descending: boolean } | null>(null);
  const rows = useMemo(() => {
    if (!sort) return spec.rows;
    const sorted = spec.rows.slice().sort((a, b) => compareCells(a[sort.column]!, b[sort.column]!));
    return sort.descending ? sorted.reverse() : sorted;
  }, [spec.rows, sort]);
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  const exportCsv = () => download(`${fileStem(spec.title ?? 'table')}.csv`, new Blob([csvOf([spec.columns, ...rows])], { type: 'text/csv' }));
  return (
    <figure className="plot-block" aria-label={`Table ${spec.title ? visibleText(spec.title) : ''}`.trim()}>
      <div className="plot-toolbar">
        <span className="plot-note">{rows.length > MAX_TABLE_ROWS ? `${rows.length} rows, first ${MAX_TABLE_ROWS} shown` : `${rows.length} rows`}</span>
        <button onClick={exportCsv}>CSV</button>
      </div>
      <div className="plot-table" style={{ maxHeight: height - 40 }}>
        <table>
          <thead>
            <tr>
              {spec.columns.map((name, i) => (
                <th key={i} aria-sort={sort?.column === i ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button onClick={() => setSort({ column: i, descending: sort?.column === i ? !sort.descending : false })}>{visibleText(name)}</button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row, r) => (
              <tr key={r}>
                {row.map((value, c) => (
                  <td key={c} className={typeof value === 'number' ? 'number' : undefined}>{value === null ? '' : visibleText(String(value))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
