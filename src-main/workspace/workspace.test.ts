import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace, describeExample, type ScriptMeta } from './workspace';

const examplesDir = join(import.meta.dirname, '../../resources/examples');

describe('Workspace', () => {
  let dir: string;
  let ws: Workspace;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bioxen-ws-'));
    ws = new Workspace(join(dir, 'scripts'), examplesDir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes, lists and reads scripts, leaving no temp files behind', async () => {
    const changed: ScriptMeta[] = [];
    ws.on('changed', (m) => changed.push(m));
    await ws.write('b.lua', 'print(2)');
    await ws.write('a.lua', 'print(1)');
    await ws.write('a.lua', 'print(11)');
    expect((await ws.list()).map((m) => m.name)).toEqual(['a.lua', 'b.lua']);
    expect((await ws.read('a.lua')).content).toBe('print(11)');
    expect(await readdir(join(dir, 'scripts'))).toEqual(['a.lua', 'b.lua']);
    expect(changed.map((m) => m.name)).toEqual(['b.lua', 'a.lua', 'a.lua']);
  });

  it('at start removes the temp files of interrupted saves, and only those', async () => {
    const scripts = join(dir, 'scripts');
    await mkdir(scripts);
    const stale = ['.growth.lua.0123456789ab.tmp', '.model v2.lua.deadbeef0000.tmp'];
    const userFiles = ['growth.lua', '.hidden-notes.tmp', '.growth.lua.tmp', '.growth.lua.0123456789ab.tmp.bak', 'x.0123456789ab.tmp', '.notes.txt.0123456789ab.tmp'];
    for (const f of [...stale, ...userFiles]) await writeFile(join(scripts, f), 'kept?');
    expect((await ws.removeStaleTempFiles()).sort()).toEqual(stale.sort());
    expect((await readdir(scripts)).sort()).toEqual(userFiles.sort());
  });

  it('keeps the bytes of a script: one that is not UTF-8 is read escaped and written back unchanged', async () => {
    const bytes = Buffer.concat([Buffer.from('local s = "'), Buffer.of(0xe1, 0xff), Buffer.from('" -- é\n')]);
    await mkdir(join(dir, 'scripts'));
    await writeFile(join(dir, 'scripts', 'latin1.lua'), bytes);
    const { content, meta } = await ws.read('latin1.lua');
    expect(content).toBe('local s = "\udce1\udcff" -- é\n');
    expect(meta.size).toBe(bytes.length);
    await ws.write('copy.lua', content);
    expect(await readFile(join(dir, 'scripts', 'copy.lua'))).toEqual(bytes);
  });

  it('refuses names that could leave the scripts folder', async () => {
    await expect(ws.write('../x.lua', '')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(ws.read('sub/x.lua')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(ws.write('x.txt', '')).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('reports a missing script as not_found with the folder in the message', async () => {
    await expect(ws.read('nope.lua')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining(join(dir, 'scripts')) });
  });

  it('save-as refuses an existing name unless overwrite is set', async () => {
    await ws.write('a.lua', 'old');
    await expect(ws.saveAs('a.lua', 'new')).rejects.toMatchObject({ code: 'already_exists' });
    await ws.saveAs('a.lua', 'new', true);
    expect((await ws.read('a.lua')).content).toBe('new');
  });

  it('refuses scripts over 4 MiB', async () => {
    await expect(ws.write('big.lua', 'x'.repeat(4 * 1024 * 1024 + 1))).rejects.toMatchObject({ code: 'limit_exceeded' });
  });

  it('creates the session script once and keeps its content afterwards', async () => {
    expect((await ws.sessionScript('s1')).content).toBe('');
    await ws.write('s1.lua', 'x = 1');
    expect((await ws.sessionScript('s1')).content).toBe('x = 1');
  });

  it('lists the bundled examples with titles and copies one under a free name', async () => {
    const examples = await ws.examples();
    const hello = examples.find((e) => e.name === 'hello.lua');
    expect(hello?.title).toBe('Hello, BioXen');
    const first = await ws.fromExample('hello.lua');
    const second = await ws.fromExample('hello.lua');
    expect([first.meta.name, second.meta.name]).toEqual(['hello.lua', 'hello-2.lua']);
    expect(second.content).toContain('return 2 + 2');
    await expect(ws.fromExample('../package.json')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(ws.fromExample('missing.lua')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('has no examples when the folder is missing, and titles fall back to the file name', async () => {
    const bare = new Workspace(join(dir, 'scripts'), join(dir, 'none'));
    expect(await bare.examples()).toEqual([]);
    expect(describeExample('x.lua', 'print(1)')).toEqual({ name: 'x.lua', title: 'x', description: '' });
  });
});
