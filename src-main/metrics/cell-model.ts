// A small, deterministic model of one cellular VM, good enough to make charts look like biology:
// - growth and nutrient: a chemostat (dilution D, slowly oscillating feed) with Monod growth limited by ATP;
// - ATP: made from nutrient uptake, spent on growth, maintenance and transcription;
// - gene expression: the Elowitz–Leibler repressilator (lacI ⊣ tetR ⊣ cI ⊣ lacI, mRNA + protein),
//   whose transcription slows when ATP is low, a GFP reporter repressed by cI, and atpA following
//   the growth rate. Integrated with fixed-step RK4 in model time units.

export interface CellParameters {
  muMax: number;
  ks: number;
  dilution: number;
  feed: number;
  /** Period of the feed's slow oscillation (a fed-batch rhythm that keeps ATP and growth moving). */
  feedPeriod: number;
  yieldBiomass: number;
  atpFromNutrient: number;
  atpPerGrowth: number;
  atpMaintenance: number;
  atpKm: number;
  alpha: number;
  alpha0: number;
  beta: number;
  hill: number;
}

/** State vector indices. */
const N = 0, S = 1, ATP = 2, M1 = 3, M2 = 4, M3 = 5, P1 = 6, P2 = 7, P3 = 8, GFP = 9, ATPA = 10;
const SIZE = 11;

export interface CellReading {
  atp: number;
  growth: number;
  nutrient: number;
  growthRate: number;
  geneExpression: { lacI: number; tetR: number; cI: number; gfp: number; atpA: number };
}

/** Seeded PRNG (mulberry32) so a simulator run is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function defaultParameters(random: () => number = Math.random): CellParameters {
  const vary = (x: number, spread = 0.15) => x * (1 - spread + 2 * spread * random());
  return {
    muMax: vary(0.6),
    ks: vary(0.5),
    dilution: vary(0.25),
    feed: vary(10),
    feedPeriod: vary(60),
    yieldBiomass: vary(0.5),
    atpFromNutrient: vary(3.0),
    atpPerGrowth: vary(2.0),
    atpMaintenance: vary(0.3),
    atpKm: 0.8,
    alpha: vary(216, 0.1),
    alpha0: 0.216,
    beta: vary(5, 0.1),
    hill: 2,
  };
}

export class CellModel {
  private state = new Float64Array(SIZE);
  private time = 0;

  constructor(
    readonly parameters: CellParameters,
    random: () => number = Math.random,
  ) {
    this.state[N] = 0.1 + 0.2 * random();
    this.state[S] = 5;
    this.state[ATP] = 3;
    // Asymmetric start so the repressilator oscillates rather than sitting at its fixed point.
    for (const i of [M1, M2, M3, P1, P2, P3]) this.state[i] = 1 + 15 * random();
    this.state[GFP] = 1;
    this.state[ATPA] = 1;
  }

  get modelTime(): number {
    return this.time;
  }

  /** Advances the model by `duration` time units in RK4 steps of at most `maxStep`. */
  advance(duration: number, maxStep = 0.02): void {
    const steps = Math.max(1, Math.ceil(duration / maxStep));
    const h = duration / steps;
    for (let i = 0; i < steps; i++) {
      this.rk4(h);
      this.time += h;
    }
  }

  reading(): CellReading {
    const s = this.state;
    const protein = (x: number) => Math.max(0, x) * 10;
    return {
      atp: Math.max(0, s[ATP]!),
      growth: Math.max(0, s[N]!),
      nutrient: Math.max(0, s[S]!),
      growthRate: this.growthRate(s),
      geneExpression: { lacI: protein(s[P1]!), tetR: protein(s[P2]!), cI: protein(s[P3]!), gfp: protein(s[GFP]!), atpA: protein(s[ATPA]!) },
    };
  }

  private growthRate(s: Float64Array): number {
    const p = this.parameters;
    const nutrient = Math.max(0, s[S]!);
    const atp = Math.max(0, s[ATP]!);
    return (p.muMax * nutrient) / (p.ks + nutrient) * (atp / (p.atpKm + atp));
  }

  private derivative(s: Float64Array, out: Float64Array): void {
    const p = this.parameters;
    const mu = this.growthRate(s);
    const atp = Math.max(0, s[ATP]!);
    const energy = atp / (p.atpKm + atp);
    const repress = (x: number) => p.alpha / (1 + Math.max(0, x) ** p.hill) + p.alpha0;
    const uptake = (mu / p.yieldBiomass) * s[N]!;
    const transcription = s[M1]! + s[M2]! + s[M3]!;

    out[N] = (mu - p.dilution) * s[N]!;
    const feed = p.feed * (1 + 0.8 * Math.sin((2 * Math.PI * this.time) / p.feedPeriod));
    out[S] = p.dilution * (feed - s[S]!) - uptake;
    const catabolism = (p.atpFromNutrient * Math.max(0, s[S]!)) / (p.ks + Math.max(0, s[S]!));
    out[ATP] = catabolism - p.atpPerGrowth * mu - p.atpMaintenance * atp - 0.002 * transcription;
    out[M1] = energy * repress(s[P3]!) - s[M1]!;
    out[M2] = energy * repress(s[P1]!) - s[M2]!;
    out[M3] = energy * repress(s[P2]!) - s[M3]!;
    out[P1] = p.beta * (s[M1]! - s[P1]!);
    out[P2] = p.beta * (s[M2]! - s[P2]!);
    out[P3] = p.beta * (s[M3]! - s[P3]!);
    out[GFP] = 0.5 * (energy * repress(s[P3]!) / 10 - s[GFP]!);
    out[ATPA] = 0.5 * (20 * mu - s[ATPA]!);
  }

  private rk4(h: number): void {
    const s = this.state;
    const k1 = new Float64Array(SIZE), k2 = new Float64Array(SIZE), k3 = new Float64Array(SIZE), k4 = new Float64Array(SIZE);
    const tmp = new Float64Array(SIZE);
    this.derivative(s, k1);
    for (let i = 0; i < SIZE; i++) tmp[i] = s[i]! + (h / 2) * k1[i]!;
    this.derivative(tmp, k2);
    for (let i = 0; i < SIZE; i++) tmp[i] = s[i]! + (h / 2) * k2[i]!;
    this.derivative(tmp, k3);
    for (let i = 0; i < SIZE; i++) tmp[i] = s[i]! + h * k3[i]!;
    this.derivative(tmp, k4);
    for (let i = 0; i < SIZE; i++) s[i] = Math.max(0, s[i]! + (h / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
  }
}
