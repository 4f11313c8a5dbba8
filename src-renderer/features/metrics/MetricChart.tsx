// A live line chart drawn by uPlot. The plot is created once per set of series names and fed new
// columns with setData on every redraw, so React never re-renders the canvas itself.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartColumns } from './metrics-buffer';

const PALETTE = ['#4ec9b0', '#e9a23b', '#9cdcfe', '#f48771', '#c586c0', '#b5cea8', '#dcdcaa', '#569cd6'];
const HEIGHT = 170;

export interface MetricChartProps {
  /** Accessible name, e.g. "ATP of cell-01". */
  label: string;
  columns: ChartColumns;
  /** Series drawn on a second y axis at the right (e.g. growth next to ATP). */
  rightAxisSeries?: readonly string[];
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function options(columns: ChartColumns, width: number, right: readonly string[]): uPlot.Options {
  const fg = cssVar('--fg-dim', '#9d9d9d');
  const grid = cssVar('--border', '#3c3c3c');
  const axis = (scale: string, side?: 1 | 3): uPlot.Axis => ({ scale, side, stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 44 });
  const scales: uPlot.Scales = { x: { time: true }, y: {} };
  const axes = [axis('x'), axis('y', 3)];
  if (right.length) {
    scales.right = {};
    axes.push({ ...axis('right', 1), grid: { show: false } });
  }
  return {
    width,
    height: HEIGHT,
    scales,
    axes,
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    series: [
      {},
      ...columns.names.map((name, i) => ({
        label: name,
        scale: right.includes(name) ? 'right' : 'y',
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        spanGaps: true,
        points: { show: false },
      })),
    ],
  };
}

export function MetricChart({ label, columns, rightAxisSeries = [] }: MetricChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = columns.names.join('\u0000');

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const created = new uPlot(options(columns, element.clientWidth || 260, rightAxisSeries), columns.data as uPlot.AlignedData, element);
    plot.current = created;
    const resize = new ResizeObserver(() => created.setSize({ width: element.clientWidth || 260, height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      created.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the plot is rebuilt only when its series change; data flows through setData below
  }, [seriesKey]);

  useEffect(() => {
    plot.current?.setData(columns.data as uPlot.AlignedData);
  }, [columns]);

  return <div className="metric-chart" role="img" aria-label={label} data-points={columns.data[0].length} ref={container} />;
}
