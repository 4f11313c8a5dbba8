// `bioxen net ring`: a P2P ring of networked Lua VMs exchanging heartbeats, through the engine.
import { numberFlag, parseArgs, UsageError, type CliCommand } from '../command';
import { DEFAULT_RING_OPTIONS, runP2PRing, validateRingOptions, defaultRingTemplatePath, type RingOptions } from '../../net/p2p-ring';
import { VMManager } from '../../vm/vm-manager';

function ringOptions(args: readonly string[]): { options: RingOptions; lua?: string } {
  const { flags } = parseArgs(args, { string: ['size', 'base-port', 'duration', 'interval', 'host', 'lua'], boolean: ['allow-remote'] });
  const options: RingOptions = {
    ...DEFAULT_RING_OPTIONS,
    templatePath: defaultRingTemplatePath(),
    size: numberFlag(flags, 'size', DEFAULT_RING_OPTIONS.size),
    basePort: numberFlag(flags, 'base-port', DEFAULT_RING_OPTIONS.basePort),
    durationS: numberFlag(flags, 'duration', DEFAULT_RING_OPTIONS.durationS),
    intervalS: numberFlag(flags, 'interval', DEFAULT_RING_OPTIONS.intervalS),
    host: typeof flags.host === 'string' ? flags.host : DEFAULT_RING_OPTIONS.host,
    allowRemote: flags['allow-remote'] === true,
  };
  try {
    validateRingOptions(options);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  return typeof flags.lua === 'string' ? { options, lua: flags.lua } : { options };
}

const ring: CliCommand = {
  path: ['net', 'ring'],
  usage: 'net ring [--size N] [--base-port P] [--duration S] [--interval S] [--host 127.0.0.1] [--allow-remote] [--lua EXE]',
  summary: 'Run a P2P ring of N networked Lua VMs (node i listens on P+i, sends heartbeats to node i+1) for S seconds of wall-clock time.',
  async run(args) {
    const { options, lua } = ringOptions(args);
    const vm = new VMManager(lua ? { luaExecutable: lua } : {});
    const stop = () => void vm.dispose();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      process.stdout.write(`ring of ${options.size} networked VMs on ${options.host}:${options.basePort}–${options.basePort + options.size - 1} for ${options.durationS} s\n`);
      const results = await runP2PRing(vm, options, (vmId, stream, text) => {
        const target = stream === 'stderr' || stream === 'error' ? process.stderr : process.stdout;
        for (const line of text.split('\n').filter(Boolean)) target.write(`[${vmId}] ${line}\n`);
      });
      const failed = results.filter((r) => r.error || r.received === 0);
      for (const r of results) {
        process.stdout.write(`${r.vmId} (port ${r.listenPort}): sent ${r.sent}, received ${r.received}${r.error ? ` — failed: ${r.error}` : ''}\n`);
      }
      return failed.length ? 1 : 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await vm.dispose();
    }
  },
};

export const netCommands: CliCommand[] = [ring];
