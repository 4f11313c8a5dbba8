import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { electronAvailable, electronBinary } from './electron-runtime';

describe('electron runtime detection', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'bioxen-electron-'));
    await mkdir(join(root, 'node_modules', 'electron', 'dist'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('finds the downloaded binary named by path.txt', async () => {
    await writeFile(join(root, 'node_modules', 'electron', 'path.txt'), 'electron\n');
    await writeFile(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
    expect(electronBinary(root)).toBe(join(root, 'node_modules', 'electron', 'dist', 'electron'));
    expect(electronAvailable(root)).toBe(true);
  });

  it('reports the runtime missing when the download failed (no path.txt, or no binary)', async () => {
    expect(electronBinary(root)).toBeNull();
    await writeFile(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(electronBinary(root)).toBeNull();
    expect(electronAvailable(root)).toBe(false);
  });
});
