// `bioxen` CLI entry: dispatches to the commands each domain registers in commands/index.ts, loading only the
// domain of the command that runs. Exit codes: 0 ok, 1 the script or operation failed, 2 usage error,
// 128 + signal number (130, 143) when a signal stopped running Lua code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allCommands, findCommand } from './commands/index';
import { isHelpRequest, UsageError, type CliCommand } from './command';

const EXIT_CODES = 'Exit codes: 0 ok, 1 the script or operation failed, 2 usage error, 130/143 stopped by SIGINT/SIGTERM while running Lua.';

async function help(): Promise<string> {
  const lines = (await allCommands()).map((c) => `  bioxen ${c.usage}\n      ${c.summary}`);
  return `BioXen Workbench CLI\n\nUsage:\n${lines.join('\n')}\n\n  bioxen --version\n  bioxen COMMAND --help\n\n${EXIT_CODES}\n`;
}

function commandHelp(command: CliCommand): string {
  return `usage: bioxen ${command.usage}\n\n${command.summary}\n\n${EXIT_CODES}\n`;
}

async function version(): Promise<string> {
  const { findAppRoot } = await import('../app-root');
  return (JSON.parse(readFileSync(join(findAppRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    process.stdout.write(await help());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`bioxen ${await version()}\n`);
    return 0;
  }
  const found = await findCommand(argv);
  if (!found) {
    process.stderr.write(`bioxen: unknown command "${argv.join(' ')}" — see the commands with: bioxen --help\n`);
    return 2;
  }
  const { command, rest } = found;
  if (isHelpRequest(rest)) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`bioxen ${command.path.join(' ')}: ${err.message}\nusage: bioxen ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`bioxen: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

// A reader that goes away (`bioxen lua-versions | head -1`) is not the command's failure: what it still prints is
// simply not wanted. Without a listener Node ends the process with an EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

// Not a top-level await: the built CLI is CommonJS (scripts/build-cli.mjs says why).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
