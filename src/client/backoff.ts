/** Reconnect delays: exponential backoff with jitter. */

export interface BackoffOptions {
  /** Delay ceiling of the first retry, ms (default 500). */
  initialMs?: number;
  /** Largest delay, ms (default 30 000). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 500, maxMs: 30_000, factor: 2 };

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry), ms: "equal jitter" —
 * with `cap = min(maxMs, initialMs · factor^attempt)`, a delay uniform in [cap/2, cap]. Half is
 * fixed, so a fleet of clients never retries in a tight loop; half is random, so clients that
 * lost the same server do not come back in lockstep.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialMs, maxMs, factor } = { ...DEFAULT_BACKOFF, ...options };
  if (!(initialMs > 0) || !(maxMs >= initialMs) || !(factor >= 1)) {
    throw new RangeError(`backoff: need initialMs > 0, maxMs >= initialMs and factor >= 1, got ${initialMs}, ${maxMs}, ${factor}`);
  }
  const cap = Math.min(maxMs, initialMs * factor ** Math.max(0, attempt));
  return Math.round(cap / 2 + random() * (cap / 2));
}
