// `bioxen exec`, `bioxen repl`, `bioxen lua-versions`: the Lua VM engine from a terminal.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { resolveDataDir } from '../../config/data-dir';
import { textToBytes } from '../../vm/byte-text';
import { keepProbeResultsIn, LuaInterpreters } from '../../vm/lua-discovery';
import { PersistentStore, savedVMOptions, savedVMsFile } from '../../vm/persistent-store';
import { probeSandboxGuard } from '../../vm/sandbox-guard';
import { describePlot, plotOfChunk, writePlots, type SavedPlot } from '../../vm/plot-output';
import type { PlotSpec } from '../../../src-preload/contract/plots';
import { VMManager, type VMManagerOptions } from '../../vm/vm-manager';
import { TEXT_TREE } from '../../vm/value-text';
import { DEFAULT_CAPABILITIES } from '../../vm/limits';
import type { ExecResult, VMCapabilities, VMOptions } from '../../vm/types';
import { parseArgs, stringFlag, UsageError, type CliCommand, type Flags } from '../command';
import { cacheDir } from '../../../bin/code-cache.mjs';

const HISTORY_LINES = 1000;

const CAPABILITIES = Object.keys(DEFAULT_CAPABILITIES) as (keyof VMCapabilities)[];
const DEFAULT_GRANTED = CAPABILITIES.filter((c) => DEFAULT_CAPABILITIES[c]).join(',');
const VM_FLAGS = ['lua', 'env', 'cap', 'data-dir'] as const;
const VM_USAGE = `[--lua LUA] [--env ENV] [--cap ${CAPABILITIES.join('|')},…|none] [--data-dir DIR]`;

/** `--cap a,b`: exactly these capabilities, the others off; `none` for none. */
function capabilitiesFlag(value: string): VMCapabilities {
  const names = value === 'none' ? [] : value.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!(CAPABILITIES as string[]).includes(name)) throw new UsageError(`unknown capability "${name}" in --cap — use any of ${CAPABILITIES.join(', ')} (comma-separated), or none`);
  }
  return Object.fromEntries(CAPABILITIES.map((c) => [c, names.includes(c)])) as unknown as VMCapabilities;
}

/**
 * The VM exec and repl run: everything saved with VM `savedId` in the data dir (its Lua, environment, limits,
 * capabilities), then --lua, --env and --cap over it. An environment's Lua version is the default Lua, and the
 * manager gets the environment's LuaRocks paths (loaded only then: a plain exec stays light).
 */
async function vmSetup(flags: Flags, savedId: string | undefined): Promise<{ dataDir: string; options: VMOptions; manager: VMManagerOptions }> {
  // A one-shot exec would otherwise spend a process start probing the same lua5.4 again each time.
  keepProbeResultsIn(join(cacheDir(), 'lua-probes.json'));
  const dataDir = resolveDataDir(stringFlag(flags, 'data-dir'));
  const options: VMOptions = {};
  const saved = savedId === undefined ? undefined : new PersistentStore(savedVMsFile(dataDir)).load().find((d) => d.id === savedId);
  if (saved) {
    Object.assign(options, savedVMOptions(saved));
    // Saved VMs name their Lua by id, which may be an interpreter added to this data dir.
    options.luaExecutable = (await new LuaInterpreters({ dataDir }).resolve(saved.luaExecutable)).path;
  }
  const lua = stringFlag(flags, 'lua');
  if (lua !== undefined) options.luaExecutable = lua;
  const environment = stringFlag(flags, 'env');
  if (environment !== undefined) options.environment = environment;
  const cap = stringFlag(flags, 'cap');
  if (cap !== undefined) options.capabilities = capabilitiesFlag(cap);
  if (!options.environment) return { dataDir, options, manager: {} };
  const { EnvironmentManager } = await import('../../packages/environment-manager');
  const environments = new EnvironmentManager(dataDir);
  options.luaExecutable ??= environments.get(options.environment).luaVersion;
  return { dataDir, options, manager: { resolveEnvironment: environments.resolveEnvironment } };
}

/**
 * SIGINT/SIGTERM stop the manager's runners, then exit 128 + the signal's number (130, 143), as a shell
 * reports a command killed by it. Returns the function that removes the handlers.
 */
function disposeOnSignal(manager: VMManager): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      void manager.dispose().finally(() => process.exit(128 + constants.signals[signal]));
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

function printResult(result: ExecResult, plots: SavedPlot[], json: boolean, plotsDir: string | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(plots.length ? { ...result, plots } : result)}\n`);
    return;
  }
  // Lua strings are bytes: the terminal gets exactly the bytes the script wrote (see byte-text.ts).
  process.stdout.write(textToBytes(result.stdout));
  process.stderr.write(textToBytes(result.stderr));
  for (const plot of plots) if (plot.file) process.stderr.write(`plot: ${plot.file}\n`);
  if (plots.length && !plotsDir) process.stderr.write(`${plots.length} plot(s) not saved — add --plots DIR to write them as SVG files\n`);
}

/** The folder --plots names, created if missing; a usage error when it cannot be. */
function plotsFolder(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`--plots ${dir}: cannot create the folder (${(err as Error).message})`);
  }
  return dir;
}

const exec: CliCommand = {
  path: ['exec'],
  usage: `exec [--vm ID] ${VM_USAGE} [--json] [--plots DIR] (-e CODE | FILE)`,
  summary: `Run Lua code or a file in a sandboxed VM; \`return\` values print like the Lua REPL, tables as trees (3 levels, 20 entries each; --json: in "previews"). Exit code 1 when the Lua code fails. --vm ID runs with everything saved with that VM (Lua, environment, limits, capabilities); --lua takes a name, path or version (5.1…5.4); --env binds a LuaRocks environment of the data dir (its Lua is then the default); --cap grants exactly the listed capabilities (default: ${DEFAULT_GRANTED}); --plots DIR writes the run's plots there as SVG files (tables as CSV) and lists them (--json: in "plots").`,
  async run(args) {
    const { flags, positional } = parseArgs(args, { string: ['vm', 'e', 'plots', ...VM_FLAGS], boolean: ['json'] });
    const code = typeof flags.e === 'string' ? flags.e : undefined;
    const file = positional[0];
    if ((code === undefined) === (file === undefined)) throw new UsageError('give exactly one of -e CODE or FILE');
    if (positional.length > 1) throw new UsageError(`unexpected arguments: ${positional.slice(1).join(' ')}`);
    const { options, manager: managerOptions } = await vmSetup(flags, stringFlag(flags, 'vm'));
    await using manager = new VMManager(managerOptions);
    const removeHandlers = disposeOnSignal(manager);
    try {
      const vm = await manager.createVM(stringFlag(flags, 'vm') ?? 'cli', options);
      const plotsDir = plotsFolder(stringFlag(flags, 'plots'));
      const specs: PlotSpec[] = [];
      const onChunk = (stream: string, text: string) => stream === 'plot' && specs.push(plotOfChunk(text));
      // Returned tables print as trees (TEXT_TREE deep and wide); --json carries the same trees in "previews".
      const opts = { onChunk, tree: TEXT_TREE };
      const result = code !== undefined ? await vm.executeString(code, opts) : await vm.executeFile(file!, opts);
      const plots = plotsDir ? writePlots(plotsDir, specs) : specs.map((spec) => describePlot(spec));
      printResult(result, plots, flags.json === true, plotsDir);
      return result.exitStatus ?? (result.success ? 0 : 1);
    } finally {
      removeHandlers();
    }
  },
};

/** The last HISTORY_LINES lines, newest first; the file is cut back when it has grown to twice that. */
function loadHistory(file: string): string[] {
  let lines: string[];
  try {
    lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
  const kept = lines.slice(-HISTORY_LINES);
  if (lines.length > 2 * HISTORY_LINES) {
    try {
      writeFileSync(file, `${kept.join('\n')}\n`);
    } catch {
      // A read-only data dir keeps its history as it is.
    }
  }
  return kept.reverse();
}

const repl: CliCommand = {
  path: ['repl'],
  usage: `repl [ID] ${VM_USAGE}`,
  summary:
    'Interactive Lua session (prompt lua[ID]>, >> for continued chunks). Ctrl-C interrupts running code; Ctrl-D or `exit` leaves. The ID of a saved VM runs with everything saved with it; --lua, --env and --cap as for exec.',
  async run(args) {
    const { flags, positional } = parseArgs(args, { string: [...VM_FLAGS] });
    if (positional.length > 1) throw new UsageError(`unexpected arguments: ${positional.slice(1).join(' ')}`);
    const vmId = positional[0] ?? 'repl';
    const { dataDir, options, manager: managerOptions } = await vmSetup(flags, positional[0]);
    await using manager = new VMManager(managerOptions);
    // Ctrl-C at a terminal reaches readline as a key (it interrupts the run); a signal sent to the process ends it.
    const removeHandlers = disposeOnSignal(manager);
    const session = await manager.createInteractiveVM(vmId, { ...options, autoAttach: false });
    session.textTree = TEXT_TREE;
    const reader = 'cli';
    session.attach(reader);
    const historyFile = join(dataDir, 'repl_history');
    // Imported here: exec, the one-shot command, does not load readline's modules.
    const { createInterface } = await import('node:readline');
    const rl = createInterface({ input: process.stdin, output: process.stdout, history: loadHistory(historyFile), historySize: HISTORY_LINES });
    const prompt = () => rl.setPrompt(session.awaitingMore ? '>> ' : `lua[${vmId}]> `);
    const drain = () => {
      for (const chunk of session.readChunks(reader)) {
        if (chunk.stream === 'input') continue;
        if (chunk.stream === 'plot') {
          const { kind, title } = describePlot(plotOfChunk(chunk.text));
          process.stderr.write(`[${kind}${title ? `: ${title}` : ''}] — plots are drawn in the workbench; bioxen exec --plots DIR saves them\n`);
          continue;
        }
        (chunk.stream === 'stdout' || chunk.stream === 'value' ? process.stdout : process.stderr).write(textToBytes(chunk.text));
      }
    };
    process.stdout.write(`${session.process.lua.banner} in a BioXen sandbox — Ctrl-C interrupts, Ctrl-D or "exit" leaves\n`);
    let busy = false;
    let exitStatus: number | undefined;
    rl.on('SIGINT', () => {
      if (busy || session.awaitingMore) session.interrupt();
      else process.stdout.write('\n(Ctrl-D or "exit" leaves)\n');
      prompt();
      if (!busy) rl.prompt();
    });
    prompt();
    rl.prompt();
    for await (const line of rl) {
      if (!session.awaitingMore && line.trim() === 'exit') break;
      if (line.trim()) {
        try {
          mkdirSync(dataDir, { recursive: true, mode: 0o700 });
          appendFileSync(historyFile, `${line}\n`);
        } catch {
          // History is a convenience; a read-only data dir must not stop the REPL.
        }
      }
      busy = true;
      const streaming = setInterval(drain, 50);
      try {
        // os.exit(status) leaves the REPL with that status, as it leaves plain lua's.
        exitStatus = (await session.sendInput(line)).exit;
      } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        if (!session.process.alive) break;
      } finally {
        clearInterval(streaming);
        busy = false;
      }
      drain();
      if (exitStatus !== undefined) break;
      prompt();
      rl.prompt();
    }
    rl.close();
    removeHandlers();
    return exitStatus ?? 0;
  },
};

const luaVersions: CliCommand = {
  path: ['lua-versions'],
  usage: 'lua-versions [--add PATH] [--json] [--data-dir DIR]',
  summary:
    "List the Lua interpreters the workbench offers (found on PATH, then added ones; the first is the default) with their ids and the guard that enforces a session's limits on each (the native timer, or the count hook, about 2x slower on CPU-bound code, and why). --add PATH adds another after checking it is Lua: it must print a Lua banner and evaluate an expression.",
  async run(args) {
    const { flags, positional } = parseArgs(args, { boolean: ['json'], string: ['add', 'data-dir'] });
    if (positional.length > 0) throw new UsageError(`unexpected arguments: ${positional.join(' ')}`);
    const interpreters = new LuaInterpreters({ dataDir: resolveDataDir(typeof flags['data-dir'] === 'string' ? flags['data-dir'] : undefined) });
    if (typeof flags.add === 'string') {
      const added = await interpreters.add(flags.add).catch((err: Error) => err);
      if (added instanceof Error) {
        process.stderr.write(`${added.message}\n`);
        return 1;
      }
      if (flags.json === true) process.stdout.write(`${JSON.stringify(added)}\n`);
      else process.stdout.write(`added ${added.banner} as "${added.id}" (${added.path}) — choose it in Settings or the New session dialog\n`);
      return 0;
    }
    const listed = await interpreters.list();
    const guards = await Promise.all(listed.map((lua) => probeSandboxGuard(lua.path)));
    const found = listed.map((lua, i) => ({ ...lua, guard: guards[i]! }));
    if (flags.json === true) {
      process.stdout.write(`${JSON.stringify(found)}\n`);
      return 0;
    }
    if (found.length === 0) {
      process.stderr.write('No Lua found on PATH — install one (apt install lua5.4)\n');
      return 1;
    }
    for (const lua of found) {
      const guard = lua.guard.kind === 'timer' ? 'guard: timer' : `guard: count hook (${lua.guard.reason ?? 'no reason given'})`;
      process.stdout.write(`${lua.id.padEnd(16)} ${lua.version.padEnd(4)} ${lua.banner.padEnd(22)} ${lua.path}  ${guard}\n`);
    }
    return 0;
  },
};

export const vmCommands: CliCommand[] = [exec, repl, luaVersions];
