// `bioxen dap`: a Debug Adapter Protocol server on stdin/stdout (VS Code and other DAP clients start it).
import { parseArgs, UsageError, type CliCommand } from '../command';

const dapCommand: CliCommand = {
  path: ['dap'],
  usage: 'dap',
  summary:
    'Speak the Debug Adapter Protocol on stdin/stdout: a "launch" runs a Lua file in a new sandboxed session (program, lua, capabilities, limits, stopOnEntry) under the debugger; an "attach" debugs a session of the running workbench (session, dataDir, or port and token) — breakpoints (conditions, hit counts, logpoints), steps, stack, variables, evaluation. For VS Code see the README ("Debugging from VS Code").',
  async run(args) {
    const { positional } = parseArgs(args, { string: [], boolean: [] });
    if (positional.length) throw new UsageError(`unexpected arguments: ${positional.join(' ')}`);
    const { BioxenDebugSession } = await import('../dap-session');
    const session = new BioxenDebugSession();
    // The client ends the session with "disconnect" (the adapter then exits) or by closing stdin.
    await new Promise<void>((resolve) => {
      process.stdin.on('end', resolve);
      session.start(process.stdin, process.stdout);
    });
    await session.stopRunners();
    return 0;
  },
};

export const dapCommands: readonly CliCommand[] = [dapCommand];
