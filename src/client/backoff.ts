/**
 * The stream client's reconnect delays: the shared backoff rule (src/protocol/backoff.ts) with
 * the client's defaults, 500 ms doubling to 30 s with equal jitter. `backoffDelayMs` and
 * `DEFAULT_BACKOFF` are part of the client's public API (src/client/index.ts).
 */
import { checkBackoff, jitteredDelayMs, type BackoffCurve, type BackoffOptions } from "../protocol/backoff.js";

export type { BackoffJitter, BackoffOptions } from "../protocol/backoff.js";

/** The client's curve: ceilings 500 ms · 2ⁿ up to 30 s, delays uniform in [cap/2, cap]. */
export const DEFAULT_BACKOFF: BackoffCurve = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: "equal" };

/** `options` over the client's defaults, checked (RangeError naming the bounds). */
export function clientBackoff(options: BackoffOptions = {}): BackoffCurve {
  return checkBackoff({ ...DEFAULT_BACKOFF, ...options });
}

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry), ms: with
 * `cap = min(maxMs, initialMs · factor^attempt)`, uniform in [cap/2, cap] ("equal" jitter, the
 * default) or in [0, cap) ("full"). Half fixed, so a fleet of clients never retries in a tight
 * loop; half random, so clients that lost the same server do not come back in lockstep.
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  return jitteredDelayMs(attempt, clientBackoff(options), random);
}
