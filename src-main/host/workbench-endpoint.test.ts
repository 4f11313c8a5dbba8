// The running workbench's endpoint record: private at creation, refused when others could have read its
// token or when its workbench is gone, and removed only by the workbench that wrote it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { endpointFile, publishEndpoint, readEndpoint, type WorkbenchEndpoint } from './workbench-endpoint';

const record: WorkbenchEndpoint = { pid: process.pid, host: '127.0.0.1', port: 4242, token: 'a-token-of-the-workbench', kind: 'browser' };

describe('workbench endpoint record', () => {
  let dir: ReturnType<typeof scratchDir>;
  beforeEach(() => void (dir = scratchDir('bioxen-endpoint-')));
  afterEach(() => dir.remove());

  it('is written 0600 and read back; its remover leaves a newer workbench\'s record alone', () => {
    const remove = publishEndpoint(dir.path, record);
    expect(statSync(endpointFile(dir.path)).mode & 0o777).toBe(0o600);
    expect(readEndpoint(dir.path)).toEqual(record);
    const removeNewer = publishEndpoint(dir.path, { ...record, token: 'the-newer-workbench' });
    remove();
    expect(readEndpoint(dir.path).token).toBe('the-newer-workbench');
    removeNewer();
    expect(existsSync(endpointFile(dir.path))).toBe(false);
  });

  it('is refused when other users could read it, when it is a link, or when it is not a record', () => {
    publishEndpoint(dir.path, record);
    chmodSync(endpointFile(dir.path), 0o644);
    expect(() => readEndpoint(dir.path)).toThrow(/readable by other users \(mode 644\) — delete it and restart the workbench/);
    const elsewhere = join(dir.path, 'elsewhere.json');
    writeFileSync(elsewhere, JSON.stringify(record), { mode: 0o600 });
    const linked = join(dir.path, 'linked');
    mkdirSync(linked);
    symlinkSync(elsewhere, endpointFile(linked));
    expect(() => readEndpoint(linked)).toThrow(/is a symbolic link/);
    const garbage = join(dir.path, 'garbage');
    mkdirSync(garbage);
    writeFileSync(endpointFile(garbage), '{"port":', { mode: 0o600 });
    expect(() => readEndpoint(garbage)).toThrow(/is not a workbench endpoint record/);
  });

  it('says the workbench is gone when its process is', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    publishEndpoint(dir.path, { ...record, pid: Number(gone.stdout) });
    expect(() => readEndpoint(dir.path)).toThrow(`(pid ${String(gone.stdout)}) is no longer running — start it again`);
  });
});
