// Node spawns synchronously (fork + exec on the main thread, 2–20 ms each under load): 200 createVM calls
// at once spawned back to back and froze the event loop for seconds, so no other session could answer.
// Spawns wait here instead: one per event-loop turn, and at most `limit` started but not yet ready.

/** A started child counts against the limit until it is ready, or for this long at most (a hung start must not stall the rest). */
const MAX_HOLD_MS = 5000;

export class SpawnQueue {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private turnScheduled = false;

  constructor(private readonly limit: number) {}

  /** Runs `start` (which spawns, then resolves when the child is ready) on a later event-loop turn. */
  run<T>(start: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push(() => {
        this.active++;
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          clearTimeout(timer);
          this.active--;
          this.schedule();
        };
        const timer = setTimeout(release, MAX_HOLD_MS);
        let started: Promise<T>;
        try {
          started = start();
        } catch (err) {
          started = Promise.reject(err);
        }
        started.then(
          (value) => {
            release();
            resolve(value);
          },
          (err: unknown) => {
            release();
            reject(err);
          },
        );
      });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.turnScheduled || this.active >= this.limit || this.waiting.length === 0) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      if (this.active < this.limit) this.waiting.shift()?.();
      this.schedule();
    });
  }
}

/** Lets callers through one per event-loop turn, for the synchronous setup before a spawn (path lookups, folders). */
export class Turnstile {
  private readonly waiting: Array<() => void> = [];
  private turnScheduled = false;

  next(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.turnScheduled || this.waiting.length === 0) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
