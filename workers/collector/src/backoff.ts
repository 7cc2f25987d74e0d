/**
 * Reconnect delays: exponential backoff with full jitter (delay drawn uniformly from
 * [0, min(capMs, baseMs · 2^attempt))), after AWS's "Exponential Backoff And Jitter". The
 * attempt count resets once a connection has stayed up for `healthyAfterMs`, so one drop
 * after hours of health reconnects quickly while a flapping venue backs off to `capMs`.
 * Pure: time and randomness come in as parameters.
 */

export interface BackoffOptions {
  /** First ceiling, ms. */
  baseMs: number;
  /** Largest ceiling, ms. */
  capMs: number;
  /** A connection up at least this long counts as healthy: the next failure starts over. */
  healthyAfterMs: number;
  /** Uniform in [0, 1). */
  random?: () => number;
}

export const RECONNECT_BACKOFF: Readonly<BackoffOptions> = { baseMs: 500, capMs: 30_000, healthyAfterMs: 60_000 };

export class Backoff {
  private attempt = 0;
  private upSinceMs: number | null = null;
  private readonly random: () => number;

  constructor(readonly options: BackoffOptions = RECONNECT_BACKOFF) {
    if (!(options.baseMs > 0)) throw new Error(`Backoff: baseMs must be > 0 (got ${options.baseMs})`);
    if (!(options.capMs >= options.baseMs)) throw new Error(`Backoff: capMs must be >= baseMs (got ${options.capMs})`);
    if (!(options.healthyAfterMs >= 0)) throw new Error(`Backoff: healthyAfterMs must be >= 0 (got ${options.healthyAfterMs})`);
    this.random = options.random ?? Math.random;
  }

  /** Failures since the last healthy period. */
  get attempts(): number {
    return this.attempt;
  }

  /** The ceiling of the next delay: min(cap, base · 2^attempt). */
  ceilingMs(): number {
    // 2^attempt overflows nothing that matters: the cap wins long before.
    return Math.min(this.options.capMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
  }

  /** A connection came up at `nowMs`. */
  connected(nowMs: number): void {
    this.upSinceMs = nowMs;
  }

  /**
   * A connection attempt failed or a connection went down at `nowMs`: the delay before the
   * next attempt. A connection that had been up for `healthyAfterMs` resets the count first.
   */
  nextDelayMs(nowMs: number): number {
    if (this.upSinceMs !== null && nowMs - this.upSinceMs >= this.options.healthyAfterMs) this.attempt = 0;
    this.upSinceMs = null;
    const delay = Math.floor(this.random() * this.ceilingMs());
    this.attempt++;
    return delay;
  }
}
