// `bioxen exec --plots DIR` through the real bin/bioxen.mjs: plots become SVG files, tables CSV.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBioxen } from '../../testing/bioxen-cli';

const scratch = mkdtempSync(join(tmpdir(), 'bioxen-exec-plots-'));

const bioxen = (args: string[]) => runBioxen(args, { dataDir: join(scratch, 'data') });

const script = `local plot = require("bioxen.plot")
plot.line{x = {1, 2, 3}, y = {2, 4, 8}, title = "Doubling <1>", name = "cells"}
require("bioxen").show{{gene = "lacI", n = 2}}
print("done")`;

describe.concurrent('bioxen exec --plots', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes each plot as SVG and each table as CSV, lists them, and --json carries them', async () => {
    const dir = join(scratch, 'plots');
    const r = await bioxen(['exec', '--plots', dir, '-e', script]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('done\n');
    const svgFile = join(dir, '01-doubling-1.svg');
    const csvFile = join(dir, '02-table.csv');
    expect(r.stderr).toContain(`plot: ${svgFile}\nplot: ${csvFile}\n`);
    const svg = readFileSync(svgFile, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('Doubling &lt;1&gt;');
    expect(svg).toMatch(/<path [^>]*d="M[\d.]+,[\d.]+L[\d.]+,[\d.]+L[\d.]+,[\d.]+"/);
    expect(readFileSync(csvFile, 'utf8')).toBe('gene,n\nlacI,2\n');

    const json = await bioxen(['exec', '--json', '-e', script]);
    expect(JSON.parse(json.stdout)).toMatchObject({ success: true, stdout: 'done\n', plots: [{ kind: 'line', title: 'Doubling <1>' }, { kind: 'table' }] });
    const text = await bioxen(['exec', '-e', script]);
    expect(text.stderr).toContain('2 plot(s) not saved — add --plots DIR to write them as SVG files');
  });
});
