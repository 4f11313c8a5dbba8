// A stand-in BioXen hypervisor for demos and tests: a TCP server that sends one JSON sample per
// cellular VM per tick, in either connection style of docs/hypervisor-messages.md:
// - stream: every sample, newline-terminated, to every connected client. Slow clients are skipped
//   (and counted) instead of buffered without bound.
// - per-connection: each sample to one connection, with no newline, then closed (BioXen's Python
//   `send_to_lua`); samples wait for the next connection in a queue of about a second's worth.
// States: idle → listening → stopped.
import { createServer, type Server, type Socket } from 'node:net';
import { CellModel, defaultParameters, seededRandom } from './cell-model';
import { DEFAULT_HYPERVISOR_HOST, DEFAULT_HYPERVISOR_PORT, isLoopback, validateHost, validatePort, EndpointError } from './endpoint';
import type { ConnectionStyle } from './hypervisor-bridge';

export const CONNECTION_STYLES: readonly ConnectionStyle[] = ['stream', 'per-connection'];

export interface SimulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  vms: number;
  /** Samples per VM per second. */
  rateHz: number;
  /** Model time units per wall-clock second (the repressilator period is ~15 units). */
  speed: number;
  seed: number;
  /** Per-client bytes queued in the kernel/Node before the client's samples are skipped. */
  maxBufferedBytes: number;
  /** Listening on a non-loopback address must be asked for. */
  allowRemote: boolean;
  style: ConnectionStyle;
}

export const DEFAULT_SIMULATOR_OPTIONS: SimulatorOptions = {
  host: DEFAULT_HYPERVISOR_HOST,
  port: DEFAULT_HYPERVISOR_PORT,
  vms: 3,
  rateHz: 10,
  speed: 1,
  seed: 1,
  maxBufferedBytes: 1024 * 1024,
  allowRemote: false,
  style: 'stream',
};

export const SIMULATOR_LIMITS = { maxVms: 1000, maxRateHz: 1000 } as const;

export type SimulatorState = 'idle' | 'listening' | 'stopped';

export interface SimulatorStats {
  state: SimulatorState;
  port: number;
  /** Connected clients (per-connection style: connections waiting for a sample). */
  clients: number;
  ticks: number;
  linesSent: number;
  /** Lines not sent to a client whose buffer was full (per-connection style: samples no connection came for in time). */
  linesSkipped: number;
}

/** At most this many overdue ticks are replayed after a stall (event loop blocked, machine busy). */
const MAX_CATCH_UP_TICKS = 10;

export class HypervisorSimulator {
  private readonly options: SimulatorOptions;
  private readonly cells: { id: string; model: CellModel }[];
  private readonly random: () => number;
  private readonly clients = new Set<Socket>();
  /** Per-connection style: samples waiting for a connection, oldest first. */
  private documents: string[] = [];
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: SimulatorState = 'idle';
  private boundPort = 0;
  private startedAt = 0;
  private ticks = 0;
  private linesSent = 0;
  private linesSkipped = 0;

  constructor(options: Partial<SimulatorOptions> = {}) {
    this.options = { ...DEFAULT_SIMULATOR_OPTIONS, ...options };
    this.validate();
    this.random = seededRandom(this.options.seed);
    const width = String(this.options.vms).length < 2 ? 2 : String(this.options.vms).length;
    this.cells = Array.from({ length: this.options.vms }, (_, i) => ({
      id: `cell-${String(i + 1).padStart(width, '0')}`,
      model: new CellModel(defaultParameters(this.random), this.random),
    }));
  }

  get state(): SimulatorState {
    return this.current;
  }

  get vmIds(): string[] {
    return this.cells.map((c) => c.id);
  }

  /** Starts listening; resolves with the bound port. */
  async start(): Promise<number> {
    if (this.current !== 'idle') throw new Error(`simulator already ${this.current}`);
    const server = createServer((socket) => this.addClient(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new EndpointError(`port ${this.options.port} is in use: pick another with --port`) : err),
      );
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.boundPort = (server.address() as { port: number }).port;
    this.current = 'listening';
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tickDue(), Math.max(1, Math.floor(1000 / this.options.rateHz)));
    return this.boundPort;
  }

  stats(): SimulatorStats {
    return { state: this.current, port: this.boundPort, clients: this.clients.size, ticks: this.ticks, linesSent: this.linesSent, linesSkipped: this.linesSkipped };
  }

  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.current = 'stopped';
    clearInterval(this.timer);
    for (const socket of this.clients) socket.destroy();
    this.clients.clear();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  /** One tick's lines (every VM advanced by one sample period); exposed for benchmarks. */
  nextLines(now = Date.now()): string {
    return this.nextDocuments(now).join('\n') + '\n';
  }

  /** One tick's samples as JSON documents, one per VM. */
  nextDocuments(now = Date.now()): string[] {
    const dt = this.options.speed / this.options.rateHz;
    return this.cells.map(({ id, model }) => {
      model.advance(dt);
      return JSON.stringify(this.sample(id, model, now));
    });
  }

  private sample(id: string, model: CellModel, now: number): Record<string, unknown> {
    const reading = model.reading();
    // Multiplicative measurement noise (±2 %) so charts look measured, not drawn.
    const noisy = (x: number) => Math.round(x * (0.98 + 0.04 * this.random()) * 1000) / 1000;
    const genes: Record<string, number> = {};
    for (const [gene, level] of Object.entries(reading.geneExpression)) genes[gene] = noisy(level);
    return {
      vm: id,
      t: now / 1000,
      atp: noisy(reading.atp),
      growth: noisy(reading.growth),
      gene_expression: genes,
      nutrient_mM: noisy(reading.nutrient),
      growth_rate: Math.round(reading.growthRate * 1e4) / 1e4,
      model_time: Math.round(model.modelTime * 1000) / 1000,
    };
  }

  private tickDue(): void {
    const due = Math.floor(((Date.now() - this.startedAt) * this.options.rateHz) / 1000) - this.ticks;
    if (due > MAX_CATCH_UP_TICKS) this.ticks += due - MAX_CATCH_UP_TICKS;
    for (let i = 0; i < Math.min(due, MAX_CATCH_UP_TICKS); i++) {
      if (this.options.style === 'stream') this.broadcast(this.nextLines());
      else this.queueDocuments(this.nextDocuments());
    }
  }

  private queueDocuments(documents: string[]): void {
    this.ticks++;
    this.documents.push(...documents);
    // About a second of samples: a reader that stays away gets fresh ones when it returns, not a backlog.
    const limit = Math.min(10_000, Math.max(this.cells.length, Math.ceil(this.cells.length * this.options.rateHz)));
    if (this.documents.length > limit) {
      this.linesSkipped += this.documents.length - limit;
      this.documents = this.documents.slice(-limit);
    }
    this.serveWaiting();
  }

  /** Per-connection style: the oldest sample to each waiting connection, which is then closed. */
  private serveWaiting(): void {
    for (const socket of this.clients) {
      const document = this.documents.shift();
      if (document === undefined) return;
      this.clients.delete(socket);
      socket.end(document);
      this.linesSent++;
    }
  }

  private broadcast(lines: string): void {
    this.ticks++;
    for (const socket of this.clients) {
      if (socket.writableLength > this.options.maxBufferedBytes) {
        this.linesSkipped += this.cells.length;
        continue;
      }
      socket.write(lines);
      this.linesSent += this.cells.length;
    }
  }

  private addClient(socket: Socket): void {
    if (this.current !== 'listening') {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.clients.add(socket);
    // Clients only read; a reset from one of them must not take the server down.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.clients.delete(socket));
    socket.on('data', () => {});
    if (this.options.style === 'per-connection') this.serveWaiting();
  }

  private validate(): void {
    const { host, port, vms, rateHz, speed, allowRemote, style } = this.options;
    if (!CONNECTION_STYLES.includes(style)) throw new RangeError(`--style ${style}: use stream or per-connection`);
    validateHost(host, 'simulator host');
    if (port !== 0) validatePort(port, 'simulator port', 1024);
    if (!allowRemote && !isLoopback(host)) {
      throw new EndpointError(`simulator host ${host} is not loopback: use 127.0.0.1, or pass --allow-remote to serve other machines`);
    }
    if (!Number.isInteger(vms) || vms < 1 || vms > SIMULATOR_LIMITS.maxVms) {
      throw new RangeError(`--vms ${vms}: use a whole number from 1 to ${SIMULATOR_LIMITS.maxVms}`);
    }
    if (!(rateHz > 0 && rateHz <= SIMULATOR_LIMITS.maxRateHz)) {
      throw new RangeError(`--rate ${rateHz}: use a number of samples per second above 0 and at most ${SIMULATOR_LIMITS.maxRateHz}`);
    }
    if (!(speed > 0 && speed <= 1000)) throw new RangeError(`speed ${speed}: use a number above 0 and at most 1000`);
  }
}
