// `bioxen dap`'s "attach": a session of a running workbench (the Electron app or `bioxen serve`),
// debugged through the workbench's contract socket and its debug service. The workbench is found by
// the private endpoint record in its data dir (or named by port and token); the session by id, or it is
// the only one. The attachment's breakpoints are the client's own (see src-preload/contract/debug.ts);
// runs are the workbench's: its Debug command (F5) starts one and the client stops it at its breakpoints.
import { basename, dirname, join, resolve } from 'node:path';
import type { DebugStop } from '../../src-preload/contract/debug';
import type { MethodInput, MethodName, MethodOutput } from '../../src-preload/contract/index';
import type { OutputChunk } from '../../src-preload/contract/sessions';
import { resolveDataDir } from '../config/data-dir';
import { formatHost } from '../host/content-security-policy';
import { connectContractClient, HostRefusedError, type ContractClient } from '../host/contract-client';
import { readEndpoint } from '../host/workbench-endpoint';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugTarget } from './dap-session';

/** What an attach configuration of type "bioxen" may say (README: "Debugging from VS Code"). */
export interface BioxenAttachArguments extends DebugProtocol.AttachRequestArguments {
  /** The session to debug, by id; default the workbench's only session (or the only one with a debugged run). */
  session?: string;
  /** The workbench's data dir, where it records its endpoint; default as the CLI's (BIOXEN_DATA_DIR, else the platform's). */
  dataDir?: string;
  /** A workbench named explicitly instead: its contract socket's port on 127.0.0.1 and its access token. */
  port?: number;
  token?: string;
}

/** What the workbench tells the adapter about the attached session. */
export interface AttachedEvents {
  stopped(stop: DebugStop): void;
  continued(): void;
  ended(success: boolean): void;
  output(chunks: OutputChunk[]): void;
  /** The session or the connection is gone: the debug session is over. */
  gone(message: string): void;
}

export class AttachedSession implements DebugTarget {
  private constructor(
    private readonly client: ContractClient,
    readonly sessionId: string,
    private readonly attachment: string,
    private readonly scriptsDir: string,
    /** Where the session's run was stopped when the client attached. */
    readonly stoppedAtAttach: DebugStop | undefined,
    private readonly unsubscribe: () => void,
  ) {}

  static async connect(args: BioxenAttachArguments, events: AttachedEvents): Promise<AttachedSession> {
    const client = await connect(args);
    try {
      const call = caller(client);
      const id = await chooseSession(call, args.session);
      const subscriptions = [
        client.on('debug:stopped', (e) => e.id === id && events.stopped(e.stop)),
        client.on('debug:continued', (e) => e.id === id && events.continued()),
        client.on('debug:ended', (e) => e.id === id && events.ended(e.success)),
        client.on('sessions:output', (e) => e.id === id && events.output(e.chunks)),
        client.on('sessions:changed', (e) => {
          if (e.id !== id) return;
          if (!e.info) events.gone(`session "${id}" was closed in the workbench`);
          else if (e.info.state === 'crashed' || e.info.state === 'exited') events.gone(`session "${id}" ${e.info.state}${e.info.reason ? `: ${e.info.reason}` : ''}`);
        }),
        client.onClose((message) => events.gone(message)),
      ];
      const { attachment } = await call('debug:attach', { id });
      const { dir } = await call('workspace:list', {});
      const { runs } = await call('debug:runs', {});
      const unsubscribe = () => subscriptions.forEach((off) => off());
      return new AttachedSession(client, id, attachment, resolve(dir), runs.find((r) => r.id === id)?.stop, unsubscribe);
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /** A file in the workbench's scripts folder is the script of that name; any other file, its `@path` chunk. */
  scriptOf(path: string): string {
    const full = resolve(path);
    return dirname(full) === this.scriptsDir ? basename(full) : `@${full}`;
  }

  pathOf(script: string): string {
    return script.startsWith('@') ? script.slice(1) : join(this.scriptsDir, script);
  }

  private get call() {
    return caller(this.client);
  }

  async setBreakpoints(script: string, breakpoints: MethodInput<'debug:setBreakpoints'>['breakpoints']) {
    return (await this.call('debug:setBreakpoints', { script, breakpoints, attachment: this.attachment })).breakpoints;
  }

  async stack() {
    return (await this.call('debug:stack', { id: this.sessionId })).frames;
  }

  async scopes(frameId: number) {
    return (await this.call('debug:scopes', { id: this.sessionId, frameId })).scopes;
  }

  variables(ref: number, start: number, count: number) {
    return this.call('debug:variables', { id: this.sessionId, ref, start, count });
  }

  async evaluate(frameId: number, expression: string, context: 'watch' | 'repl' | 'hover') {
    return (await this.call('debug:evaluate', { id: this.sessionId, frameId, expression, context })).value;
  }

  async setVariable(ref: number, name: string, value: string) {
    return (await this.call('debug:setVariable', { id: this.sessionId, ref, name, value })).value;
  }

  async resume(how: 'continue' | 'next' | 'stepIn' | 'stepOut') {
    await this.call(`debug:${how}`, { id: this.sessionId });
  }

  async pause() {
    await this.call('debug:pause', { id: this.sessionId });
  }

  /** Ends the session's current run (the session itself stays). */
  async interrupt() {
    await this.call('sessions:interrupt', { id: this.sessionId });
  }

  /** Removes the client's breakpoints, lets a stopped run go on, and closes the connection; the session stays. */
  async detach(): Promise<void> {
    this.unsubscribe();
    try {
      await this.call('debug:detach', { attachment: this.attachment });
    } finally {
      this.client.close();
    }
  }
}

type Call = <N extends MethodName>(name: N, input: MethodInput<N>) => Promise<MethodOutput<N>>;

/** Contract calls that throw the workbench's error message. */
function caller(client: ContractClient): Call {
  return async (name, input) => {
    const reply = await client.invoke(name, input);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  };
}

async function connect(args: BioxenAttachArguments): Promise<ContractClient> {
  const explicit = args.port !== undefined || args.token !== undefined;
  if (explicit && (!Number.isInteger(args.port) || args.port! < 1 || args.port! > 65_535 || typeof args.token !== 'string' || !args.token)) {
    throw new Error('an attach configuration that names the workbench needs both "port" (1–65535) and "token"; leave both out to find the workbench by its data dir');
  }
  if (args.dataDir !== undefined && typeof args.dataDir !== 'string') throw new Error('"dataDir" must be a path');
  const dataDir = resolveDataDir(args.dataDir);
  const endpoint = explicit ? { host: '127.0.0.1', port: args.port!, token: args.token! } : readEndpoint(dataDir);
  const origin = `http://${formatHost(endpoint.host)}:${endpoint.port}`;
  try {
    return await connectContractClient(origin, endpoint.token);
  } catch (err) {
    if (err instanceof HostRefusedError && err.status === 401) {
      throw new Error(
        explicit
          ? `the workbench at ${origin} refused the token — "token" must be the one in its data dir's workbench-endpoint.json (or leave "port" and "token" out to find it by its data dir)`
          : `the workbench at ${origin} refused the token of ${dataDir}/workbench-endpoint.json — the record is out of date; restart the workbench`,
        { cause: err },
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') throw new Error(`no workbench answers at ${origin} — is it running? Start it (npm start, or bioxen serve)`, { cause: err });
    throw new Error(`cannot reach the workbench at ${origin}: ${(err as Error).message}`, { cause: err });
  }
}

async function chooseSession(call: Call, wanted: unknown): Promise<string> {
  if (wanted !== undefined && typeof wanted !== 'string') throw new Error('"session" must be a session id');
  const ids = (await call('sessions:list', { recentChunks: 0 })).sessions.map((s) => s.info.id);
  const named = ids.length ? `its sessions: ${ids.join(', ')}` : 'it has none';
  if (wanted !== undefined) {
    if (!ids.includes(wanted)) throw new Error(`the workbench has no session "${wanted}" — ${named}`);
    return wanted;
  }
  if (ids.length === 1) return ids[0]!;
  if (!ids.length) throw new Error('the workbench has no session to attach to — create one there first, or name one with "session"');
  const debugged = (await call('debug:runs', {})).runs.map((r) => r.id);
  if (debugged.length === 1) return debugged[0]!;
  throw new Error(`the workbench has ${ids.length} sessions — say which with "session" (${named})`);
}
