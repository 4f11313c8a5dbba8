// The CLI's flag conventions, shared by every command through parseArgs.
import { describe, expect, it } from 'vitest';
import { isHelpRequest, parseArgs, UsageError } from './command';

const spec = { string: ['lua', 'e', 'data-dir'], boolean: ['json'] };

describe('parseArgs', () => {
  it('takes --flag value, --flag=value and -e=CODE, and keeps positionals and everything after --', () => {
    expect(parseArgs(['--lua', 'lua5.1', 'a.lua', '--data-dir=/tmp/x=y', '-e=--[[c]] return 1', '--', '--json'], spec)).toEqual({
      flags: { lua: 'lua5.1', 'data-dir': '/tmp/x=y', e: '--[[c]] return 1' },
      positional: ['a.lua', '--json'],
    });
  });

  it('reads --json=false as false and --json, --json=true as true; any other value is a usage error', () => {
    expect(parseArgs(['--json=false'], spec).flags.json).toBe(false);
    expect(parseArgs(['--json=no'], spec).flags.json).toBe(false);
    expect(parseArgs(['--json'], spec).flags.json).toBe(true);
    expect(parseArgs(['--json=true'], spec).flags.json).toBe(true);
    expect(() => parseArgs(['--json=maybe'], spec)).toThrow(new UsageError('--json is true or false, got "maybe"'));
  });

  it('a string flag followed by another option or by nothing is missing its value, not swallowing the option', () => {
    expect(() => parseArgs(['--lua', '--json'], spec)).toThrow(/^--lua needs a value \(for a value that starts with "-", write --lua=VALUE\)$/);
    expect(() => parseArgs(['-e', '--data-dir=/tmp'], spec)).toThrow(/^-e needs a value/);
    expect(() => parseArgs(['--lua'], spec)).toThrow(new UsageError('--lua needs a value'));
    // Values that are not options: Lua code that starts with a comment or a minus sign, "-" for stdin.
    expect(parseArgs(['-e', '-- comment\nreturn 1'], spec).flags.e).toBe('-- comment\nreturn 1');
    expect(parseArgs(['-e', '-1'], spec).flags.e).toBe('-1');
    expect(parseArgs(['--lua', '-'], spec).flags.lua).toBe('-');
  });

  it('names an unknown option without the value given to it', () => {
    expect(() => parseArgs(['--password=hunter2'], spec)).toThrow(new UsageError('unknown option --password — see the options with --help'));
  });
});

describe('isHelpRequest', () => {
  it('is --help or -h anywhere before --', () => {
    expect(isHelpRequest(['--help'])).toBe(true);
    expect(isHelpRequest(['--vm', 'x', '-h'])).toBe(true);
    expect(isHelpRequest(['--', '--help'])).toBe(false);
    expect(isHelpRequest(['-e', 'return 1'])).toBe(false);
  });
});
