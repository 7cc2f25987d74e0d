/**
 * The momentum oscillator `divergence.momentum` and `divergence.hidden` read at swing extremes:
 * the net share of the last 14 minute moves, close to close,
 *
 *   M(i) = Σ r_j / Σ |r_j| over j = i − 13 … i, r_j = ln(close_j / close_{j−1}) (0 when Σ |r_j| = 0),
 *
 * in [−1, 1]. It is Wilder's RSI with simple sums instead of his smoothing (Cutler's RSI) rescaled:
 * M = RSI / 50 − 1, so M = +1 when every move of the 14 minutes was up, 0 when ups and downs
 * balanced. Fourteen periods is Wilder's choice ("New Concepts in Technical Trading Systems", 1978).
 *
 * Cost: O(14) per call (the minute returns are cached per bar series, price-series.ts).
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import { logReturns } from "../price-series.js";

/** Minute returns the oscillator reads. */
export const MOMENTUM_MINUTES = 14;

/** M(i): see the module comment. Minutes whose return is unknown (no price yet) count as no move. */
export function minuteMomentum(bars: BarSeries, i: number): number {
  const r = logReturns(bars);
  let net = 0;
  let gross = 0;
  for (let j = Math.max(1, i - MOMENTUM_MINUTES + 1); j <= i; j++) {
    const x = r[j];
    if (Number.isNaN(x)) continue;
    net += x;
    gross += Math.abs(x);
  }
  return gross > 0 ? net / gross : 0;
}
