// Lua's official 5.4.4 test suite (lua/tests/lua-5.4.4, MIT) through the real engine: each file
// runs as a user's script in a sandboxed lua5.4 session with the 'fs' capability, after
// `_port=true _soft=true _nomsg=true` as all.lua sets them. A file that passes under plain lua5.4
// must pass in the session; a file that needs a deliberate restriction (README, sandbox section)
// must pass or stop at that restriction's own error, and nowhere else. Where a restriction would
// surface as a failed assertion instead (the test recovers from the error and checks the result),
// those lines are blanked, keeping the line numbers, and the reason is given here.
import { execFile } from 'node:child_process';
import { cpSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { luaSourceFromFile } from './byte-text';
import { which } from './lua-discovery';
import { VMManager } from './vm-manager';

const SUITE = join(__dirname, '..', '..', 'lua', 'tests', 'lua-5.4.4');
const SETUP = '_port=true _soft=true _nomsg=true';
// all.lua skips heavy.lua; all.lua itself runs the others.
const FILES = readdirSync(SUITE)
  .filter((f) => f.endsWith('.lua') && f !== 'heavy.lua' && f !== 'all.lua')
  .sort();

/** The error a restriction raises: the sandbox names what it blocked, or the work dir a path left. */
const RESTRICTION = /is blocked in the sandbox|are blocked in the sandbox|is outside the VM work dir|leaves the VM work dir/;

interface Restricted {
  /** Which documented restriction the file meets. */
  reason: string;
  /** Line ranges (inclusive) blanked before the run, each for the reason beside it. */
  cut?: [number, number, string][];
}

const RESTRICTED: Record<string, Restricted> = {
  'calls.lua': { reason: 'debug library (debug.getinfo)' },
  'closure.lua': { reason: 'debug library (debug.upvalueid)' },
  'constructs.lua': { reason: 'debug library (debug.getinfo)' },
  'coroutine.lua': {
    reason: 'debug library (debug.getinfo, debug.sethook)',
    cut: [[222, 234, 'a __close handler calls debug.getinfo; the test recovers from its error and asserts on the result']],
  },
  'cstack.lua': { reason: '__gc metamethods (tracegc.lua)' },
  'db.lua': { reason: 'debug library' },
  'errors.lua': {
    reason: 'binary chunks (string.dump)',
    cut: [
      [212, 218, 'makes light userdata with debug.upvalueid; checkmessage recovers from the error'],
      [224, 224, 'io.input with a file; checkmessage recovers from the error'],
    ],
  },
  'events.lua': { reason: 'debug library (debug.setmetatable)' },
  'files.lua': {
    reason: 'files outside the VM work dir',
    cut: [
      [8, 8, 'os.getenv: the script sees an empty environment'],
      [35, 36, "the standard streams are tables standing in for C's FILE* userdata: type() says 'table'"],
    ],
  },
  'gc.lua': { reason: '__gc metamethods' },
  'gengc.lua': { reason: '__gc metamethods' },
  'goto.lua': { reason: 'debug library (debug.upvalueid)' },
  'literals.lua': { reason: 'debug library (debug.getinfo)' },
  'locals.lua': { reason: 'debug library (debug.getupvalue)' },
};

function blank(source: string, cuts: [number, number, string][] = []): string {
  const lines = source.split('\n');
  for (const [from, to] of cuts) for (let i = from; i <= to; i++) lines[i - 1] = '';
  return lines.join('\n');
}

function passesPlain(lua: string, dir: string, file: string): Promise<boolean> {
  return new Promise((resolve) => {
    // A file that runs away under plain Lua (closure.lua on LuaJIT) counts as failing there.
    execFile(lua, ['-e', SETUP, file], { cwd: dir, timeout: 10_000 }, (err) => resolve(!err));
  });
}

// The suite is 5.4's; on the other versions the files that pass plainly (those that end early on
// a version check, and a few more) must pass in a session of that version too.
const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));

describe.each(versions)("Lua's official 5.4.4 suite in a sandboxed %s session", (lua) => {
  const data = scratchDir('bioxen-lua-suite-');
  const plainDir = scratchDir('bioxen-lua-suite-plain-');
  let manager: VMManager;

  beforeAll(() => {
    cpSync(SUITE, plainDir.path, { recursive: true });
    manager = new VMManager({ luaExecutable: lua, dataDir: data.path, defaultLimits: { instructionQuota: 0, timeoutMs: 120_000 } });
  });
  afterAll(async () => {
    await manager.dispose();
    data.remove();
    plainDir.remove();
  });

  it('lists only files of the suite as restricted', () => {
    for (const file of Object.keys(RESTRICTED)) expect(FILES).toContain(file);
  });

  it.each(FILES)('%s passes as under plain Lua, or stops only at a restriction', async (file) => {
    const plainPasses = await passesPlain(lua, plainDir.path, file);
    // Every file passes under plain lua5.4 here; on older versions a file failing plainly has nothing to compare.
    if (lua === 'lua5.4') expect(plainPasses, `${file} fails under plain lua5.4 here`).toBe(true);
    if (!plainPasses) return;
    const vmId = `suite-${file.replace(/\W/g, '-')}`;
    const session = await manager.createInteractiveVM(vmId, { capabilities: { fs: true }, autoAttach: false });
    try {
      // The files read and write their neighbours (tracegc.lua, temporary files) from the work dir.
      cpSync(SUITE, join(data.path, 'vms', vmId), { recursive: true });
      await session.run(SETUP, '=setup');
      const restricted = RESTRICTED[file];
      const source = blank(luaSourceFromFile(readFileSync(join(SUITE, file))), restricted?.cut);
      const r = await session.run(source, `@${file}`);
      if (!restricted) {
        expect(r.error?.message, `${file} must pass as under plain ${lua}`).toBeUndefined();
      } else if (r.error) {
        expect(r.error.message, `${file} may stop only at its restriction (${restricted.reason})`).toMatch(RESTRICTION);
      }
    } finally {
      await manager.terminateVMSession(vmId);
    }
  });
});
