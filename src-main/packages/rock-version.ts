// LuaRocks version numbers ("1.2.3-1") and constraints ("= 1.0", ">= 1.2", "~> 2.1", "< 3"), with
// LuaRocks' own semantics: revisions compare after the version, missing parts count as zero, and
// "~> 2.1" matches every version whose leading parts are 2.1 (2.1, 2.1.7 — not 2.2).
import { PackageError } from './package-error';

export type Operator = '==' | '~=' | '>=' | '>' | '<=' | '<' | '~>';
export interface Constraint {
  op: Operator;
  version: string;
}

const OPERATORS: Record<string, Operator> = { '=': '==', '==': '==', '~=': '~=', '!=': '~=', '>=': '>=', '>': '>', '<=': '<=', '<': '<', '~>': '~>' };

function parts(version: string): { numbers: number[]; revision: number } {
  const [main, revision] = version.split('-', 2) as [string, string | undefined];
  const numbers = main.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return { numbers, revision: revision === undefined ? 0 : Number.parseInt(revision, 10) || 0 };
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Negative, zero or positive like a sort comparator. A constraint without a revision ignores it. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  return compareNumbers(pa.numbers, pb.numbers) || Math.sign(pa.revision - pb.revision);
}

function compareToConstraint(version: string, constraint: string): number {
  return constraint.includes('-') ? compareVersions(version, constraint) : compareNumbers(parts(version).numbers, parts(constraint).numbers);
}

export function satisfies(version: string, constraint: Constraint): boolean {
  const c = compareToConstraint(version, constraint.version);
  switch (constraint.op) {
    case '==':
      return c === 0;
    case '~=':
      return c !== 0;
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '~>': {
      const wanted = parts(constraint.version).numbers;
      return compareNumbers(parts(version).numbers.slice(0, wanted.length), wanted) === 0;
    }
  }
}

const VERSION = /^\d+(\.\d+)*(-\d+)?$|^scm(-\d+)?$|^dev(-\d+)?$/;

/** "1.0", "= 1.0", ">= 1.2, < 2" → constraints; a bare version means "==". */
export function parseConstraints(text: string): Constraint[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'latest') return [];
  return trimmed.split(',').map((piece) => {
    const m = /^\s*(==|=|~=|!=|>=|>|<=|<|~>)?\s*(\S+)\s*$/.exec(piece);
    if (!m || !VERSION.test(m[2]!)) {
      throw new PackageError('invalid_input', `bad version constraint "${piece.trim()}" — write a version like 1.2.0 or a constraint like ">= 1.2", "~> 1.2", "< 2"`);
    }
    return { op: OPERATORS[m[1] ?? '=']!, version: m[2]! };
  });
}

/** The highest of `versions` meeting every constraint, or undefined. */
export function pickVersion(versions: readonly string[], constraints: readonly Constraint[]): string | undefined {
  return [...versions].sort(compareVersions).reverse().find((v) => constraints.every((c) => satisfies(v, c)));
}

// LuaRocks' grammar, checked before a name or version from a repository (or a window) becomes part of
// a path such as <name>-<version>.rockspec: no "/", no "..", no leading dot.
const ROCK_NAME = /^(?!.*\.\.)[a-z0-9][a-z0-9_.-]{0,99}$/;
const ROCK_VERSION = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._]{0,59}-\d{1,6}$/;

/** A LuaRocks package name: lowercase letters, digits, "-", "_" and "." (not leading, never ".."). */
export function isRockName(name: string): boolean {
  return ROCK_NAME.test(name);
}

/** A full LuaRocks version with its revision: "1.2.3-1", "scm-1", "dev-1", "2.1.0beta3-1". */
export function isRockVersion(version: string): boolean {
  return ROCK_VERSION.test(version);
}

/** "name", "name@1.0", "name@>=1.0", "name >= 1.0, < 2" → name and constraint text. */
export function parsePackageSpec(spec: string): { name: string; constraint: string } {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:@\s*)?(.*)$/.exec(spec);
  if (!m || !isRockName(m[1]!.toLowerCase())) throw new PackageError('invalid_input', `bad package ${JSON.stringify(spec.slice(0, 120))} — write NAME, NAME@VERSION or "NAME >= VERSION" (a name is letters, digits, "-", "_" and ".")`);
  parseConstraints(m[2]!);
  return { name: m[1]!.toLowerCase(), constraint: m[2]!.trim() };
}
