import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFileError } from '../config/data-file';
import type { MainAreaLayout } from '../../src-preload/contract/layout';
import { LayoutFile } from './layout-file';

const split: MainAreaLayout = {
  version: 1,
  groups: [{ tabs: ['session:quorum', 'view:welcome'], active: 'session:quorum' }, { tabs: ['view:olfi'], active: 'view:olfi' }],
  focusedGroup: 1,
  splitRatio: 0.4,
};

describe('layout.json', () => {
  let dir: string;
  let file: string;
  const logged: string[] = [];
  const log = (message: string) => logged.push(message);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bioxen-layout-'));
    file = join(dir, 'layout.json');
    logged.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is null before anything was saved (a first start)', () => {
    expect(LayoutFile.open(file, log).get()).toBeNull();
  });

  it('keeps what was saved for the next start, written atomically', async () => {
    const layout = LayoutFile.open(file, log);
    await Promise.all([layout.save({ ...split, splitRatio: 0.7 }), layout.save(split)]);
    expect(LayoutFile.open(file, log).get()).toEqual(split);
    expect(readdirSync(dir)).toEqual(['layout.json']);
  });

  it('refuses to save a layout outside the contract, keeping the saved one', async () => {
    const layout = LayoutFile.open(file, log);
    await layout.save(split);
    expect(() => layout.save({ ...split, groups: [] })).toThrow();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(split);
  });

  it('from another version starts from the default layout and says so in the log', () => {
    writeFileSync(file, JSON.stringify({ version: 2, panes: [] }));
    expect(LayoutFile.open(file, log).get()).toBeNull();
    expect(logged[0]).toMatch(/layout\.json does not hold a layout this version reads \(version: .*\) — starting from the default layout/);
  });

  it('that is not JSON is a DataFileError, so the start moves it aside', () => {
    writeFileSync(file, '{"version": 1, "groups": [');
    expect(() => LayoutFile.open(file, log)).toThrow(DataFileError);
  });
});
