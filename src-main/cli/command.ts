// A CLI command: each domain contributes its own in src-main/cli/commands/<domain>.ts.
export interface CliCommand {
  /** Words that select the command, e.g. ['exec'] or ['packages', 'search']. */
  readonly path: readonly string[];
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}

/** Thrown for bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {}

const HELP = new Set(['--help', '-h']);

/** Whether a command's arguments ask for its help (`--help` or `-h` before any `--`). */
export function isHelpRequest(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg) => HELP.has(arg));
}

/** An argument that is an option rather than a value: `-e`, `--json`, `--lua=x` (not `-`, `-1` or a Lua `-- comment`). */
function looksLikeOption(arg: string): boolean {
  return /^--?[A-Za-z][\w-]*(=|$)/.test(arg);
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

/**
 * Flag parser: `--flag value`, `--flag=value` (also `-e=CODE`), boolean flags (`--json`, `--json=false`),
 * `-e` style short flags, positionals, `--` ending the options. A string flag followed by another option
 * has no value: that is a usage error, not a value that swallows the next flag.
 */
export function parseArgs(args: readonly string[], spec: { boolean?: readonly string[]; string?: readonly string[]; alias?: Record<string, string> }) {
  const flags: Record<string, string | boolean> = {};
  const positional: string[] = [];
  const booleans = new Set(spec.boolean ?? []);
  const strings = new Set(spec.string ?? []);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const [given, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    const name = spec.alias?.[given] ?? given;
    const shown = arg.startsWith('--') ? `--${given}` : `-${given}`;
    if (booleans.has(name)) {
      if (inline === undefined || TRUE.has(inline.toLowerCase())) flags[name] = true;
      else if (FALSE.has(inline.toLowerCase())) flags[name] = false;
      else throw new UsageError(`${shown} is true or false, got "${inline}"`);
    } else if (strings.has(name)) {
      if (inline !== undefined) flags[name] = inline;
      else {
        const value = args[i + 1];
        if (value === undefined || looksLikeOption(value)) throw new UsageError(`${shown} needs a value${value === undefined ? '' : ` (for a value that starts with "-", write ${shown}=VALUE)`}`);
        flags[name] = value;
        i++;
      }
    } else throw new UsageError(`unknown option ${arg.split('=')[0]} — see the options with --help`);
  }
  return { flags, positional };
}

export type Flags = Record<string, string | boolean>;

/** The value of a string flag, or undefined when it was not given. */
export function stringFlag(flags: Flags, name: string): string | undefined {
  const value = flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** A numeric flag; `above` rejects values that are not greater than it (e.g. 0 for "positive"). */
export function numberFlag(flags: Flags, name: string, fallback: number, options?: { above?: number }): number;
export function numberFlag(flags: Flags, name: string, fallback: undefined, options?: { above?: number }): number | undefined;
export function numberFlag(flags: Flags, name: string, fallback: number | undefined, options: { above?: number } = {}): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got "${String(raw)}"`);
  if (options.above !== undefined && value <= options.above) throw new UsageError(`--${name} needs a number above ${options.above}, got "${raw}"`);
  return value;
}

/** Resolves on Ctrl-C / SIGTERM, or after `seconds` when given. */
export function untilStopped(seconds?: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      clearTimeout(timer);
      resolve();
    };
    const timer = seconds === undefined ? undefined : setTimeout(done, seconds * 1000);
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
