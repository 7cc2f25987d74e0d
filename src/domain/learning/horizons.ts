/**
 * Prediction horizons per trading mode, and the volatility that puts an outcome in σ units.
 *
 *   horizon h          scalp 5 min, day 1 h, swing 4 h
 *   σ_h = σ_1m · √(h / 1 min)        square-root-of-time scaling of the σ of 1-minute log returns
 *   outcome y = clip(ln(P_exit / P_0) / σ_h, −5, +5)
 *
 * Why these horizons: each is a few lengths of the window the mode leans on (scalp 1m, day 5m,
 * swing 1h) and they are the horizons `../shared/EVALUATION.md` measures (5 min, 1 h, 4 h), so
 * the live record and `npm run evaluate` speak of the same thing. At the bias cadences (30 s,
 * 60 s, 300 s) a mode has 10, 60 and 48 predictions in flight: consecutive outcomes overlap
 * that many times, which the scorecard's intervals must account for.
 *
 * Why σ units: a 1 % move means little on a volatile alt and much on BTC; dividing by the
 * symbol's own σ over the same horizon makes outcomes of different symbols and modes comparable
 * and summable. √-time scaling assumes independent 1-minute returns (it overstates σ_h a little
 * where 1-minute returns revert, as they did on the shared month). Why clip at ±5: one jump
 * (a 10 σ listing pump) would otherwise dominate a mean or a learner's loss; the clip is counted.
 */
import type { Mode } from "../vocabulary.js";

/** Forward horizon of a prediction per mode, ms of event time. */
export const PREDICTION_HORIZON_MS: Readonly<Record<Mode, number>> = Object.freeze({
  scalp: 300_000,
  day: 3_600_000,
  swing: 14_400_000,
});

/** Outcomes are clipped to ±this many σ_h (and the clip is flagged and counted). */
export const OUTCOME_CLIP_SIGMA = 5;

const MINUTE_MS = 60_000;

/**
 * σ of the log return over `horizonMs`, from the σ of 1-minute log returns:
 * σ_h = σ_1m · √(horizonMs / 60 000). Example: σ_1m = 0.001, h = 5 min → 0.001·√5 = 0.002236.
 */
export function sigmaOverHorizon(sigma1m: number, horizonMs: number): number {
  return sigma1m * Math.sqrt(horizonMs / MINUTE_MS);
}

/**
 * Pending predictions a mode can hold: ⌈h / cadence⌉ + 2. A caller scoring at every 10 s cycle
 * holds at most ⌈h / cadence⌉ + 1: the predictions of the last h, plus the one due exactly at
 * the boundary, scored at the next call (a trade at that very millisecond may still come). The
 * last +1 is slack for a caller that scores a cycle late, so a steady run never overflows.
 * Scalp 12, day 62, swing 50 at the defaults.
 */
export function pendingBound(horizonMs: number, cadenceMs: number): number {
  return Math.ceil(horizonMs / cadenceMs) + 2;
}
