// A cellular-VM traffic scenario after the Ol-Fi RFC's examples (§9 anaerobic digester): cells report status
// with acetoin, reach quorum and upregulate methane with 2-methylbutanol, acknowledge with ethyl acetate,
// and a pH crash triggers a dimethyl-sulfide emergency broadcast. Deterministic for a given seed.
import { buildFrame, type MessageType, type OlFiFrame, type Priority } from './frame-codec';

export interface ScenarioFrame {
  mvoc: string;
  frame: OlFiFrame;
}

export interface ScenarioOptions {
  cells?: number;
  seed?: number;
  /** Fraction of frames whose checksum is corrupted in the "channel" (default 0.02). */
  noise?: number;
}

const EMERGENCY_EVERY = 400;

export class OlFiScenario {
  private readonly cells: string[];
  private readonly noise: number;
  private state: number;
  private step = 0;
  private density = 0.05;
  private readonly sequences = new Map<string, number>();
  private queue: ScenarioFrame[] = [];

  constructor(options: ScenarioOptions = {}) {
    const count = Math.max(2, Math.min(options.cells ?? 4, 999));
    this.cells = Array.from({ length: count }, (_, i) => `CELL_${String(i + 1).padStart(4, '0')}`);
    this.noise = Math.max(0, Math.min(options.noise ?? 0.02, 1));
    this.state = (options.seed ?? 1) >>> 0 || 1;
  }

  next(): ScenarioFrame {
    if (this.queue.length === 0) this.queue = this.plan();
    const item = this.queue.shift()!;
    if (this.random() < this.noise) item.frame = { ...item.frame, checksum: (item.frame.checksum + 1 + Math.floor(this.random() * 100)) % 65536 };
    return item;
  }

  /** The frames of one scenario beat. */
  private plan(): ScenarioFrame[] {
    this.step++;
    if (this.step % EMERGENCY_EVERY === 0) return this.emergency();
    if (this.density >= 0.8) return this.quorum();
    if (this.step % 5 === 0) return this.statusExchange();
    const cell = this.pick();
    this.density = Math.min(1, this.density + 0.002 + this.random() * 0.004);
    return [this.frame('ACETOIN', cell, '*', 'STATUS', 'low', `density=${this.density.toFixed(3)}`)];
  }

  private statusExchange(): ScenarioFrame[] {
    const [asker, target] = [this.pick(), this.pick()];
    const atp = (2 + this.random() * 3).toFixed(2);
    const ph = (6.8 + this.random() * 0.6).toFixed(2);
    return [
      this.frame('ACETOIN', asker, target, 'STATUS_REQUEST', 'normal', 'atp?;ph?'),
      this.frame('2_METHYLBUTANOL', target, asker, 'STATUS_RESPONSE', 'normal', `atp=${atp}mM;ph=${ph}`),
    ];
  }

  private quorum(): ScenarioFrame[] {
    const sender = this.pick();
    this.density = 0.05;
    return [
      this.frame('2_METHYLBUTANOL', sender, 'group:methanogens', 'UPREGULATE', 'high', 'quorum reached: increase methane production'),
      ...this.acks(sender),
    ];
  }

  private emergency(): ScenarioFrame[] {
    const sender = this.pick();
    const ph = (3.9 + this.random() * 0.5).toFixed(1);
    return [this.frame('DIMETHYL_SULFIDE', sender, '*', 'EMERGENCY', 'emergency', `SHUTDOWN pH=${ph}`), ...this.acks(sender)];
  }

  private acks(to: string): ScenarioFrame[] {
    return this.cells.filter((c) => c !== to).map((c) => this.frame('ETHYL_ACETATE', c, to, 'ACK', 'high', 'ack'));
  }

  private frame(mvoc: string, source: string, address: string, type: MessageType, priority: Priority, payload: string): ScenarioFrame {
    const sequence = ((this.sequences.get(source) ?? 0) + 1) % 65536;
    this.sequences.set(source, sequence);
    return { mvoc, frame: buildFrame({ address, source, type, priority, payload, sequence }) };
  }

  private pick(): string {
    return this.cells[Math.floor(this.random() * this.cells.length)]!;
  }

  /** xorshift32: small, fast and reproducible across runs. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 2 ** 32;
  }
}
