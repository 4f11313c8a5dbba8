// Latest sample and a short history per cellular VM. Both dimensions are capped: the least recently
// updated VM is evicted past `maxVms`, and each VM keeps a ring of its last `historyPoints` samples.
import type { MetricSample as StoredMetric } from '../../src-preload/contract/metrics';

/** A sample as the bridge accepted it: the message and when it arrived. */
export type { MetricSample as StoredMetric } from '../../src-preload/contract/metrics';

export interface MetricsStoreOptions {
  maxVms: number;
  historyPoints: number;
}

export const DEFAULT_STORE_OPTIONS: MetricsStoreOptions = { maxVms: 256, historyPoints: 600 };

class Ring<T> {
  private readonly items: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  toArray(): T[] {
    if (this.items.length < this.capacity) return [...this.items];
    return [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

export class MetricsStore {
  private readonly vms = new Map<string, Ring<StoredMetric>>();
  private readonly latestByVm = new Map<string, StoredMetric>();
  private evictedCount = 0;
  private readonly options: MetricsStoreOptions;

  constructor(options: Partial<MetricsStoreOptions> = {}) {
    this.options = { ...DEFAULT_STORE_OPTIONS, ...options };
    if (this.options.maxVms < 1 || this.options.historyPoints < 1) {
      throw new RangeError('MetricsStore needs maxVms ≥ 1 and historyPoints ≥ 1');
    }
  }

  add(sample: StoredMetric): void {
    let ring = this.vms.get(sample.vm);
    if (ring) {
      // Re-insert so Map order is least-recently-updated first.
      this.vms.delete(sample.vm);
      this.latestByVm.delete(sample.vm);
    } else {
      ring = new Ring(this.options.historyPoints);
      this.evictIfFull();
    }
    ring.push(sample);
    this.vms.set(sample.vm, ring);
    this.latestByVm.set(sample.vm, sample);
  }

  latest(vm: string): StoredMetric | undefined {
    return this.latestByVm.get(vm);
  }

  history(vm: string): StoredMetric[] {
    return this.vms.get(vm)?.toArray() ?? [];
  }

  /** VM ids, most recently updated last. */
  vmIds(): string[] {
    return [...this.vms.keys()];
  }

  get evicted(): number {
    return this.evictedCount;
  }

  clear(): void {
    this.vms.clear();
    this.latestByVm.clear();
  }

  private evictIfFull(): void {
    if (this.vms.size < this.options.maxVms) return;
    const oldest = this.vms.keys().next().value as string;
    this.vms.delete(oldest);
    this.latestByVm.delete(oldest);
    this.evictedCount++;
  }
}
