// Keeps only the latest value per key and delivers them together after a short delay: a session
// that flips busy → idle twenty times in 16 ms produces one state event, not forty.
export class LatestPerKey<V> {
  private pending = new Map<string, V>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (key: string, value: V) => void,
    private readonly delayMs = 16,
  ) {}

  push(key: string, value: V): void {
    this.pending.delete(key);
    this.pending.set(key, value);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Delivers what is pending now (in first-changed order) and stops the timer. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    for (const [key, value] of batch) this.deliver(key, value);
  }
}
