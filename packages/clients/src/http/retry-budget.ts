/** Buckets of the sliding window: the window moves in steps of `windowMs / BUCKETS`. */
const BUCKETS = 10;

/**
 * A retry budget as Finagle's `RetryBudget` (and linkerd's) has it: every first try deposits, every retry
 * withdraws, over a sliding window of `windowMs`. A retry is allowed while the retries of the window stay within
 * `ratio` × the first tries of the window plus a reserve of `minRetriesPerSecond` × the window's seconds, so retries
 * add at most `ratio` extra load when a dependency fails, however many calls fail at once (no retry storm), and a
 * client with little traffic can still retry. One budget per client, shared by all its calls.
 */
export class RetryBudget {
  private readonly bucketMs: number;
  private readonly reserve: number;
  private readonly tries = new Float64Array(BUCKETS);
  private readonly retries = new Float64Array(BUCKETS);
  /** The bucket (time / bucketMs) the window ends in. */
  private slot = 0;

  constructor(
    private readonly ratio: number,
    minRetriesPerSecond: number,
    windowMs: number,
  ) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
    this.reserve = (minRetriesPerSecond * windowMs) / 1000;
  }

  /** Moves the window to `now`, emptying the buckets it left behind. */
  private advance(now: number): number {
    const slot = Math.floor(now / this.bucketMs);
    if (slot !== this.slot) {
      const steps = Math.min(BUCKETS, slot - this.slot);
      for (let i = 1; i <= steps; i++) {
        const b = (this.slot + i) % BUCKETS;
        this.tries[b] = 0;
        this.retries[b] = 0;
      }
      this.slot = slot;
    }
    return slot % BUCKETS;
  }

  /** Records a first try (a deposit). */
  deposit(now = Date.now()): void {
    const b = this.advance(now);
    this.tries[b] = (this.tries[b] ?? 0) + 1;
  }

  /** Takes one retry from the budget; `false` (and nothing taken) when it is spent. */
  tryWithdraw(now = Date.now()): boolean {
    const b = this.advance(now);
    let tries = 0;
    let retries = 0;
    for (let i = 0; i < BUCKETS; i++) {
      tries += this.tries[i] ?? 0;
      retries += this.retries[i] ?? 0;
    }
    if (retries + 1 > tries * this.ratio + this.reserve) return false;
    this.retries[b] = (this.retries[b] ?? 0) + 1;
    return true;
  }
}
