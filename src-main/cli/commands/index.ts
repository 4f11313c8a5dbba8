// Every CLI command, by domain. A domain's module is imported only when one of its commands runs (or for the
// full help), so `bioxen exec` never loads Redis, the contract or the browser host. Add a domain's paths here;
// bioxen.test.ts checks that each list matches the commands its module exports.
import type { CliCommand } from '../command';

export interface CommandDomain {
  /** The words selecting each of the domain's commands, e.g. 'packages search'. */
  readonly paths: readonly string[];
  load(): Promise<readonly CliCommand[]>;
}

export const domains: readonly CommandDomain[] = [
  { paths: ['hypervisor simulate', 'hypervisor watch'], load: async () => (await import('./hypervisor')).hypervisorCommands },
  {
    paths: [
      'packages search',
      'packages info',
      'packages install',
      'packages update',
      'packages remove',
      'packages recommend',
      'packages list',
      'packages repos',
      'env create',
      'env list',
      'env delete',
      'env bootstrap',
      'env health',
    ],
    load: async () => (await import('./packages')).packagesCommands,
  },
  { paths: ['net ring'], load: async () => (await import('./net')).netCommands },
  { paths: ['exec', 'repl', 'lua-versions'], load: async () => (await import('./vm')).vmCommands },
  { paths: ['serve'], load: async () => (await import('./serve')).serveCommands },
  { paths: ['olfi publish', 'olfi tail', 'olfi simulate'], load: async () => (await import('./olfi')).olfiCommands },
  { paths: ['dap'], load: async () => (await import('./dap')).dapCommands },
];

/** The command `argv` starts with (the longest matching path) and the arguments after its words. */
export async function findCommand(argv: readonly string[]): Promise<{ command: CliCommand; rest: readonly string[] } | undefined> {
  let best: { domain: CommandDomain; words: string[] } | undefined;
  for (const domain of domains) {
    for (const path of domain.paths) {
      const words = path.split(' ');
      if (words.every((word, i) => argv[i] === word) && words.length > (best?.words.length ?? 0)) best = { domain, words };
    }
  }
  if (!best) return undefined;
  const command = (await best.domain.load()).find((c) => c.path.join(' ') === best.words.join(' '));
  if (!command) throw new Error(`command "${best.words.join(' ')}" is listed in commands/index.ts but its module does not export it`);
  return { command, rest: argv.slice(best.words.length) };
}

/** Every command, in the order of `domains` (loads every domain: for the full help and tests only). */
export async function allCommands(): Promise<CliCommand[]> {
  return (await Promise.all(domains.map((d) => d.load()))).flat();
}
