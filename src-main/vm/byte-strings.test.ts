// Lua strings are bytes end to end: source files, output, returned values, errors and host data
// keep bytes that are not UTF-8, and a `#!` first line is skipped as plain Lua skips it. Plain Lua
// run on the same file is the oracle.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../testing/test-helpers';
import { bytesToText, luaSourceFromFile, rejoinBytes, textToBytes } from './byte-text';
import { which } from './lua-discovery';
import { VMLogger } from './logger';
import { VMManager } from './vm-manager';

const quietLogger = new VMLogger({ sink: () => undefined });
const versions = ['lua5.4', 'lua5.3', 'lua5.2', 'lua5.1', 'luajit'].filter((name) => which(name));

describe('byte-text codec', () => {
  it('round-trips every byte string and decodes valid UTF-8 as text', () => {
    const samples = [Buffer.from('é ✓ 😀 \u{10FFFF}'), Buffer.of(0xe1), Buffer.of(0xed, 0xa0, 0x80), Buffer.of(0xf0, 0x9f, 0x98), Buffer.of(0xef, 0xbb, 0xbf, 0x41)];
    let seed = 7;
    for (let n = 0; n < 200; n++) {
      const b = Buffer.alloc(n % 40);
      for (let i = 0; i < b.length; i++) b[i] = (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
      samples.push(b);
    }
    for (const b of samples) expect(textToBytes(bytesToText(b))).toEqual(b);
    expect(bytesToText(Buffer.from('é ✓ 😀'))).toBe('é ✓ 😀');
    expect(bytesToText(Buffer.of(0x61, 0xe1, 0x0a))).toBe('a\udce1\n');
    // A character split across two chunks is escaped in each and whole again once rejoined.
    expect(rejoinBytes(bytesToText(Buffer.of(0xe2, 0x82)) + bytesToText(Buffer.of(0xac)))).toBe('€');
  });

  it('reads a Lua file as lua.c does: BOM dropped, `#` first line blanked with its newline kept', () => {
    expect(luaSourceFromFile(Buffer.from('#!/usr/bin/env lua\nprint(1)\n'))).toBe('\nprint(1)\n');
    expect(luaSourceFromFile(Buffer.from('\ufeff# comment\nx'))).toBe('\nx');
    expect(luaSourceFromFile(Buffer.from('#!only'))).toBe('');
    expect(luaSourceFromFile(Buffer.from('print("#")'))).toBe('print("#")');
  });
});

describe.each(versions)('bytes through a session on %s', (lua) => {
  const dir = scratchDir('bioxen-bytes-');
  afterAll(() => dir.remove());

  it('matches plain Lua: raw bytes in source, io.write, print, split characters, errors, a #! line', async () => {
    const file = join(dir.path, 'bytes.lua');
    const source = Buffer.concat([
      Buffer.from('#!/usr/bin/env lua\nlocal s = "'),
      Buffer.of(0xe1),
      Buffer.from('"\nio.write(#s, " ", #"é✓", "\\n")\nio.write("\\225\\n", s, "é✓😀\\n")\nio.write("\\226\\130") io.write("\\172\\n")\nprint("\\255\\254", 1)\n'),
      Buffer.from('error("bad \\225")\n'),
    ]);
    writeFileSync(file, source);
    const plain = spawnSync(which(lua)!, [file]);
    const m = new VMManager({ luaExecutable: lua, logger: quietLogger });
    try {
      await m.createVM('bytes');
      const r = await m.getVM('bytes').executeFile(file);
      expect(textToBytes(r.stdout)).toEqual(plain.stdout);
      expect(r.stdout.startsWith('1 5\n')).toBe(true);
      // The message and its line (7: the #! line still counts) are plain Lua's, byte for byte.
      const message = textToBytes(r.error!.message);
      expect(message).toEqual(Buffer.concat([Buffer.from(`${file}:7: bad `), Buffer.of(0xe1)]));
      expect(plain.stderr.includes(message)).toBe(true);
    } finally {
      await m.dispose();
    }
  });

  it('keeps bytes in returned values, source sent as text, and host call and emit data', async () => {
    const m = new VMManager({ luaExecutable: lua, logger: quietLogger });
    const emitted: unknown[] = [];
    m.handleCall('metrics.sample', () => ({ s: 'x\udce1é' }));
    m.on('emit', (_id, _kind, data) => emitted.push(data));
    try {
      await m.createVM('values', { capabilities: { metrics: true } });
      const code = bytesToText(Buffer.concat([
        Buffer.from('local raw = "'),
        Buffer.of(0xe1, 0xff),
        Buffer.from('" local h = require("bioxen.host") local v = h.call("metrics.sample", {}) h.emit("metrics.back", { s = v.s .. "\\254" }) return raw, #raw, #v.s, "é✓", "\\226\\130"'),
      ]));
      const r = await m.executeVMSync('values', code);
      expect(r.error).toBeUndefined();
      expect(r.values.map((v) => textToBytes(v))).toEqual([Buffer.of(0xe1, 0xff), Buffer.from('2'), Buffer.from('4'), Buffer.from('é✓'), Buffer.of(0xe2, 0x82)]);
      expect(emitted).toEqual([{ s: 'x\udce1é\udcfe' }]);
      // Escapes are read left to right: Lua's "\\u0041" is a backslash and u0041, not \A.
      expect((await m.executeVMSync('values', 'return "\\\\u0041", #"\\\\\\\\"')).values).toEqual(['\\u0041', '2']);
    } finally {
      await m.dispose();
    }
  });
});
