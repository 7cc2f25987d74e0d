/**
 * The collector's reconnect policies over the shared backoff rule
 * (@liqflow/engine/protocol/backoff.js, the stream client's too): exponential with full jitter,
 * a delay uniform in [0, min(maxMs, initialMs · 2ⁿ)), after AWS's "Exponential Backoff And
 * Jitter". Full jitter spreads the few sockets per venue widest, so a venue that dropped them all
 * is not hit again in lockstep. The attempt count starts over once a connection has stayed up
 * `healthyAfterMs`, so one drop after hours of health reconnects quickly while a flapping venue
 * backs off to the cap. Pure: time and randomness come in as parameters.
 */
import type { BackoffPolicy } from "@liqflow/engine/protocol/backoff.js";

export type { BackoffOptions, BackoffPolicy } from "@liqflow/engine/protocol/backoff.js";

/** Venue sockets (VenueSocket): ceilings 500 ms · 2ⁿ up to 30 s; healthy after 60 s up. */
export const RECONNECT_BACKOFF: Readonly<BackoffPolicy> = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: "full", healthyAfterMs: 60_000 };

/**
 * REST book snapshots (LiveBooks), per symbol: ceilings 1 s · 2ⁿ up to 30 s; one success
 * starts over (`connected` after each good fetch).
 */
export const BOOK_SNAPSHOT_BACKOFF: Readonly<BackoffPolicy> = { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: "full", healthyAfterMs: 0 };

export { Backoff } from "@liqflow/engine/protocol/backoff.js";
