// The interrupt request lives in a private folder under an unguessable name, and a link planted at its path is
// never followed (it once let an interrupt overwrite the link's target in shared /tmp).
import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { scratchDir, waitFor } from '../testing/test-helpers';
import { VMLogger } from './logger';
import { VMManager } from './vm-manager';

const scratch = scratchDir('bioxen-interrupt-');
/** One C call that never returns to Lua: the runner's hook cannot consume the request while it runs. */
const STUCK_IN_C = 'return ("a"):rep(26):find(("a*"):rep(26).."b")';

describe('interrupt file', () => {
  let manager: VMManager | undefined;
  afterEach(async () => manager?.dispose());
  afterAll(() => scratch.remove());

  it('is created 0600 in a 0700 folder of this user, with a name nobody can guess', async () => {
    manager = new VMManager({ luaExecutable: 'lua5.4', logger: new VMLogger({ sink: () => undefined }) });
    const [a, b] = await Promise.all([manager.createVM('one'), manager.createVM('two')]);
    expect(a.interruptFile).not.toBe(b.interruptFile);
    expect(a.interruptFile).toMatch(/interrupt-[0-9a-f]{24}$/);
    const folder = lstatSync(dirname(a.interruptFile));
    expect(folder.isDirectory()).toBe(true);
    expect(folder.mode & 0o777).toBe(0o700);
    expect(folder.uid).toBe(process.getuid!());

    const run = a.executeString(STUCK_IN_C);
    await waitFor('the run to start', () => a.state === 'busy');
    expect(a.interrupt()).toBe(true);
    expect(statSync(a.interruptFile).mode & 0o777).toBe(0o600);
    // Stuck in C, the run cannot see the request: the runner is restarted after the grace period.
    expect((await run).success).toBe(false);
  });

  it('never follows a link planted at its path', async () => {
    manager = new VMManager({ luaExecutable: 'lua5.4', logger: new VMLogger({ sink: () => undefined }) });
    const vm = await manager.createVM('planted');
    const target = join(scratch.path, 'precious.txt');
    writeFileSync(target, 'precious');
    symlinkSync(target, vm.interruptFile);
    const run = vm.executeString('while true do end');
    await waitFor('the run to start', () => vm.state === 'busy');
    vm.interrupt();
    const result = await run;
    expect(result.error?.message).toMatch(/interrupted/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
    // The VM keeps working after the interrupt.
    expect((await vm.executeString('return 1')).stdout).toBe('1\n');
  });
});
