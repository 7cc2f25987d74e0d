/**
 * The measure of absorption that `absorption.flow`, `absorption.liquidations`,
 * `absorption.large-prints` and `absorption.stopping-volume` apply to different flows: how much
 * of a signed pressure the price failed to follow.
 *
 * - d ∈ [−1, 1]: the pressure, (buy − sell) / (buy + sell) of some flow (> 0: pushing up)
 * - e ∈ [−1, 1]: the price's progress, (close − open) / (high − low) of the same span, 0 when
 *   high = low: +1 a move from the low to the high, 0 back where it opened
 * - absorbed = −d · (1 − e · sgn d) / 2: the pressure the price did not follow, signed against it.
 *   Price that ran the whole range with the pressure absorbed nothing (0); price that stayed
 *   where it opened absorbed half of it (−d / 2); price that ran the whole range against it
 *   absorbed all of it (−d). Selling absorbed is bullish (resting bids took it), buying absorbed
 *   is bearish.
 */

/** (close − open) / (high − low), 0 when high = low. */
export function rangeProgress(open: number, high: number, low: number, close: number): number {
  const range = high - low;
  return range > 0 ? (close - open) / range : 0;
}

/** −d · (1 − e · sgn d) / 2 (see the module comment). */
export function absorbedShare(d: number, e: number): number {
  return (-d * (1 - e * Math.sign(d))) / 2;
}
