// Lint warnings for the editor from luacheck, when it is installed. Compile errors come from the
// engine's syntax check, so luacheck's own syntax errors (E…) are dropped here.
import { execa } from 'execa';
import { withParentDeathSignal } from '../process/child-process';
import { which } from '../vm/lua-discovery';

export interface LintWarning {
  line: number;
  column: number;
  endColumn: number;
  code: string;
  message: string;
}

const STD_BY_VERSION: Readonly<Record<string, string>> = { '5.1': 'lua51', '5.2': 'lua52', '5.3': 'lua53', '5.4': 'lua54' };
const TIMEOUT_MS = 5000;
const MAX_CONCURRENT = 2;
const MAX_GLOBALS = 500;
/** Unused globals (131) are the point of a REPL script; formatting (6xx) is noise in a scratch buffer. */
const IGNORED = ['131', '6'];

/** `growth.lua:2:7-9: (W113) accessing undefined variable 'y'` */
const LINE = /^[^:]*:(\d+):(\d+)-(\d+): \((W\d+)\) (.*)$/;

export function parseLuacheckOutput(output: string): LintWarning[] {
  const warnings: LintWarning[] = [];
  for (const line of output.split('\n')) {
    const m = LINE.exec(line.trim());
    if (m) warnings.push({ line: Number(m[1]), column: Number(m[2]), endColumn: Number(m[3]) + 1, code: m[4]!, message: m[5]! });
  }
  return warnings;
}

export class Luacheck {
  private running = 0;

  /** `executable`: the luacheck to run; null when it is not installed. */
  constructor(private readonly executable: string | null = which('luacheck') ?? null) {}

  get available(): boolean {
    return this.executable !== null;
  }

  /**
   * Lints `code` for a Lua version ("5.4", or "LuaJIT"); `knownGlobals` are names the session
   * already defines. Returns no warnings when luacheck is missing or already busy with others.
   */
  async lint(code: string, options: { luaVersion?: string; isLuaJIT?: boolean; knownGlobals?: readonly string[] } = {}): Promise<LintWarning[]> {
    if (!this.executable || this.running >= MAX_CONCURRENT) return [];
    const std = options.isLuaJIT ? 'luajit' : (STD_BY_VERSION[options.luaVersion ?? '5.4'] ?? 'max');
    const args = ['--formatter', 'plain', '--codes', '--ranges', '--no-color', '--no-config', '--std', std, '--allow-defined-top', '--ignore', ...IGNORED];
    const globals = (options.knownGlobals ?? []).filter((g) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(g)).slice(0, MAX_GLOBALS);
    if (globals.length) args.push('--globals', ...globals);
    args.push('--filename', 'editor.lua', '-');
    this.running++;
    try {
      const [command, commandArgs] = withParentDeathSignal(this.executable, args);
      const result = await execa(command, commandArgs, { input: code, timeout: TIMEOUT_MS, reject: false, maxBuffer: 1024 * 1024, stripFinalNewline: false });
      return parseLuacheckOutput(String(result.stdout));
    } finally {
      this.running--;
    }
  }
}
