// `bioxen` CLI entry: dispatches to the commands each domain registers in commands/index.ts.
import { commands } from './commands/index';
import { UsageError, type CliCommand } from './command';

function help(): string {
  const lines = commands.map((c) => `  bioxen ${c.usage}\n      ${c.summary}`);
  return `BioXen Workbench CLI\n\nUsage:\n${lines.join('\n')}\n`;
}

function select(argv: readonly string[]): { command: CliCommand; rest: readonly string[] } | undefined {
  const ranked = [...commands].sort((a, b) => b.path.length - a.path.length);
  const command = ranked.find((c) => c.path.every((word, i) => argv[i] === word));
  return command && { command, rest: argv.slice(command.path.length) };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    process.stdout.write(help());
    return 0;
  }
  const found = select(argv);
  if (!found) {
    process.stderr.write(`bioxen: unknown command "${argv.join(' ')}"\n\n${help()}`);
    return 2;
  }
  try {
    return await found.command.run(found.rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`bioxen ${found.command.path.join(' ')}: ${err.message}\nusage: bioxen ${found.command.usage}\n`);
      return 2;
    }
    process.stderr.write(`bioxen: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
