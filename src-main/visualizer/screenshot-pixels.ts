// Reads the visualizer's offscreen screenshots for tests: pixels decoded by ImageMagick, counted by colour
// and region, so a test checks what was drawn where, not merely that a PNG exists.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const WHOLE: Box = { x0: 0, y0: 0, x1: Infinity, y1: Infinity };

/** The PNG's pixels as RGB bytes and its width (from the IHDR chunk). Throws when the file is not a PNG. */
export function pixels(png: string): { rgb: Buffer; width: number } {
  const bytes = readFileSync(png);
  if (bytes.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error(`${png} is not a PNG file`);
  return { rgb: execFileSync('convert', [png, '-depth', '8', 'rgb:-'], { maxBuffer: 64 * 1024 * 1024 }), width: bytes.readUInt32BE(16) };
}

/** How many pixels within the box satisfy `test` (the whole image by default). */
export function countWhere(png: string, test: (r: number, g: number, b: number) => boolean, box: Box = WHOLE): number {
  const { rgb, width } = pixels(png);
  let count = 0;
  for (let i = 0, p = 0; i + 2 < rgb.length; i += 3, p++) {
    const x = p % width;
    const y = Math.floor(p / width);
    if (x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1 && test(rgb[i]!, rgb[i + 1]!, rgb[i + 2]!)) count++;
  }
  return count;
}

/** Pixels within `tolerance` of the colour `hex` (#rrggbb) in every channel. */
export function countNear(png: string, hex: string, tolerance = 6, box: Box = WHOLE): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return countWhere(png, (pr, pg, pb) => Math.abs(pr - r!) <= tolerance && Math.abs(pg - g!) <= tolerance && Math.abs(pb - b!) <= tolerance, box);
}
