// A plot's data as files, for the console's export buttons and `bioxen exec --plots`: CSV of what
// is plotted, and an SVG drawn from the data (uPlot draws on a canvas, so the vector image is built
// here from the same columns and the visible ranges).
import type { PlotXYSpec } from './plots';

export const PALETTE = ['#4ec9b0', '#e9a23b', '#9cdcfe', '#f48771', '#c586c0', '#b5cea8', '#dcdcaa', '#569cd6'];

function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

/** One row per x: the x (or the bar's label), then each series; gaps are empty fields. */
export function plotCsv(spec: PlotXYSpec): string {
  const head = [spec.labels ? 'label' : (spec.xlabel ?? 'x'), ...spec.series.map((s) => s.name)];
  const rows = spec.x.map((x, i) => [spec.labels ? spec.labels[i]! : x, ...spec.series.map((s) => s.y[i] ?? null)]);
  return csvOf([head, ...rows]);
}

/** Text for an SVG: markup escaped, and characters XML does not allow (controls, lone surrogates) left out. */
const escapeXml = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export interface SvgRange {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The range every point of the plot spans (finite values only). */
export function fullRange(spec: PlotXYSpec): SvgRange {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  spec.x.forEach((x, i) => {
    if (x === null) return;
    for (const s of spec.series) {
      const y = s.y[i];
      if (y === null || y === undefined) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  });
  if (spec.kind === 'bar' || spec.kind === 'histogram') yMin = Math.min(0, yMin);
  if (spec.kind === 'histogram') xMax += spec.binWidth ?? 0;
  return { xMin, xMax, yMin, yMax };
}

/** A standalone SVG of the plot within `range` (the zoom shown), with title, axis labels and legend. */
export function plotSvg(spec: PlotXYSpec, range: SvgRange = fullRange(spec), width = 640, height = 360): string {
  const pad = { left: 60, right: 20, top: spec.title ? 34 : 14, bottom: 46 };
  const w = width - pad.left - pad.right;
  const h = height - pad.top - pad.bottom;
  const scale = (v: number, lo: number, hi: number, log: boolean) => {
    const [a, b, c] = log ? [Math.log10(v), Math.log10(lo), Math.log10(hi)] : [v, lo, hi];
    return c > b ? (a - b) / (c - b) : 0.5;
  };
  const px = (x: number) => pad.left + scale(x, range.xMin, range.xMax, spec.logx) * w;
  const py = (y: number) => pad.top + h - scale(y, range.yMin, range.yMax, spec.logy) * h;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<clipPath id="area"><rect x="${pad.left}" y="${pad.top}" width="${w}" height="${h}"/></clipPath>`,
    `<rect x="${pad.left}" y="${pad.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`,
  ];
  if (spec.title) parts.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(spec.title)}</text>`);
  for (let t = 0; t <= 4; t++) {
    const xv = range.xMin + ((range.xMax - range.xMin) * t) / 4;
    const yv = range.yMin + ((range.yMax - range.yMin) * t) / 4;
    parts.push(`<text x="${pad.left + (w * t) / 4}" y="${pad.top + h + 14}" text-anchor="middle">${spec.labels ? '' : formatTick(xv)}</text>`);
    parts.push(`<text x="${pad.left - 6}" y="${pad.top + h - (h * t) / 4 + 4}" text-anchor="end">${formatTick(yv)}</text>`);
  }
  if (spec.xlabel) parts.push(`<text x="${pad.left + w / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(spec.xlabel)}</text>`);
  if (spec.ylabel) parts.push(`<text transform="translate(14 ${pad.top + h / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.ylabel)}</text>`);
  spec.series.forEach((series, s) => {
    const color = PALETTE[s % PALETTE.length]!;
    const marks: string[] = [];
    let path = '';
    spec.x.forEach((x, i) => {
      const y = series.y[i];
      if (x === null || y === null || y === undefined) {
        path += ' ';
        return;
      }
      if (spec.kind === 'scatter') marks.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2"/>`);
      else if (spec.kind === 'bar' || spec.kind === 'histogram') {
        const step = spec.kind === 'histogram' ? (spec.binWidth ?? 1) : 0.8;
        const left = spec.kind === 'histogram' ? px(x) : px(x - step / 2);
        const right = spec.kind === 'histogram' ? px(x + step) : px(x + step / 2);
        const top = py(Math.max(y, range.yMin));
        marks.push(`<rect x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${Math.max(0, right - left).toFixed(1)}" height="${Math.max(0, py(range.yMin) - top).toFixed(1)}"/>`);
      } else {
        const point = `${px(x).toFixed(1)},${py(y).toFixed(1)}`;
        path += path.endsWith(' ') || path === '' ? `M${point}` : spec.kind === 'step' ? `H${px(x).toFixed(1)}V${py(y).toFixed(1)}` : `L${point}`;
      }
    });
    const d = path.trim().replace(/\s+/g, ' ');
    if (d) parts.push(`<path clip-path="url(#area)" d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    if (marks.length) parts.push(`<g clip-path="url(#area)" fill="${color}">${marks.join('')}</g>`);
    parts.push(`<rect x="${pad.left + 8}" y="${pad.top + 6 + s * 14}" width="10" height="3" fill="${color}"/><text x="${pad.left + 22}" y="${pad.top + 10 + s * 14}">${escapeXml(series.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function formatTick(v: number): string {
  if (!Number.isFinite(v)) return '';
  return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}
