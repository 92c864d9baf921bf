// Request-weight limiter for Binance's REST API: a token bucket of `max_weight_per_minute` refilled continuously,
// corrected by the server's own count (`x-mbx-used-weight-1m` header) so several clients on one IP stay under the limit.

/** Time source and sleeper; tests pass a fake one so no test waits for real. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Token bucket over request weight: `acquire(w)` waits until w tokens are available and takes them. */
export class WeightLimiter {
  private tokens: number;
  private last: number;
  private readonly perMs: number;

  constructor(readonly maxWeightPerMinute: number, private readonly clock: Clock = realClock) {
    this.tokens = maxWeightPerMinute;
    this.last = clock.now();
    this.perMs = maxWeightPerMinute / 60_000;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.last) this.tokens = Math.min(this.maxWeightPerMinute, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
  }

  /** Tokens available now (may be negative after the server reported more use than we counted). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Waits (through the clock) until `weight` tokens are free, then takes them; returns the ms waited. */
  async acquire(weight: number): Promise<number> {
    let waited = 0;
    for (;;) {
      this.refill();
      if (this.tokens >= weight) {
        this.tokens -= weight;
        return waited;
      }
      const ms = Math.max(1, Math.ceil((weight - this.tokens) / this.perMs));
      waited += ms;
      await this.clock.sleep(ms);
    }
  }

  /** The server's count of weight used this minute (after our request): never believe we have more left than it says. */
  observeUsedWeight(used: number): void {
    if (!Number.isFinite(used) || used < 0) return;
    this.refill();
    this.tokens = Math.min(this.tokens, this.maxWeightPerMinute - used);
  }
}
