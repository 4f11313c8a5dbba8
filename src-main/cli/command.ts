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

/** Minimal flag parser: --flag value, --flag=value, boolean flags, -e style short flags, positionals. */
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
    let [name, inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
    name = spec.alias?.[name] ?? name;
    if (booleans.has(name)) flags[name] = inline === undefined ? true : inline !== 'false';
    else if (strings.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    } else throw new UsageError(`unknown option ${arg}`);
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
