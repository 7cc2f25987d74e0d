/**
 * What the regime cards share: the span of complete one-minute bars each reads, and that span's
 * minute returns, computed once per bar series and span length.
 *
 * A regime (trending, ranging, calm, stressed) is a property of a stretch of minutes, not of one:
 * the 1m window holds a single bar, so every regime card reads the last `regimeMinutes[tf]`
 * complete minutes (15, 30, 60 by default), at most the hour the 1h window covers.
 *
 * - r_i = `minuteReturn(bars, i)`: close-to-close log return of minute i (from its own open when
 *   the minute before has no price); a quiet minute after the first trade carries the last close
 *   and returns 0 (no trade, no move)
 * - a span whose minutes did not trade, or whose price did not move, is a measured zero:
 *   available with confidence 0 (no evidence of any regime), not unavailable
 * - confidence of a regime card = min(1, traded minutes of the span / `REGRESSION_FULL_MINUTES`
 *   (30)): a statistic across minutes needs about thirty of them before it says much, so the 15-minute
 *   span of the 1m timeframe reaches 0.5 at most
 *
 * Cost: O(span) once per series and span length (the three timeframes and all regime cards share
 * the arrays); the cache is keyed by the series, which the bar ring rebuilds once per minute.
 */
import type { BarSeries } from "../../inputs/bar-ring.js";
import type { CardParams } from "../../config.js";
import type { Timeframe } from "../../vocabulary.js";
import { minuteReturn, REGRESSION_FULL_MINUTES, warmingUp } from "../bar-window.js";
import { support } from "../card.js";

/** The span a regime card reads: its length, first minute index and minute returns. */
export interface RegimeSpan {
  /** Minutes in the span. */
  readonly n: number;
  /** Index in the series of the span's first minute (the span is `[from, bars.length)`). */
  readonly from: number;
  /** `r[k]` = return of minute `from + k`. */
  readonly r: Float64Array;
  /** Minutes of the span with at least one trade. */
  readonly traded: number;
  /** min(1, traded / REGRESSION_FULL_MINUTES). */
  readonly confidence: number;
}

const spans = new WeakMap<BarSeries, Map<number, RegimeSpan>>();

/** The last `n` complete minutes of `bars` and their returns, computed once per series and `n`. */
export function spanOf(bars: BarSeries, n: number): RegimeSpan {
  let byLength = spans.get(bars);
  if (byLength === undefined) {
    byLength = new Map();
    spans.set(bars, byLength);
  }
  let span = byLength.get(n);
  if (span === undefined) {
    const from = bars.length - n;
    const r = new Float64Array(n);
    let traded = 0;
    for (let k = 0; k < n; k++) {
      r[k] = minuteReturn(bars, from + k);
      if (bars.trades[from + k] > 0) traded++;
    }
    span = { n, from, r, traded, confidence: support(traded, REGRESSION_FULL_MINUTES) };
    byLength.set(n, span);
  }
  return span;
}

/**
 * The span of a regime card on `timeframe`, or the reason it cannot be read yet:
 * `warming up: k of n minutes of bars` until `needed` (default: the span) minutes of bars exist.
 */
export function regimeSpan(bars: BarSeries, params: Readonly<CardParams>, timeframe: Timeframe, extra = 0): RegimeSpan | string {
  const n = params.regimeMinutes[timeframe];
  const cold = warmingUp(bars, n + extra);
  return cold ?? spanOf(bars, n);
}

/** Mean of `r`. */
export function meanOf(r: Float64Array): number {
  let s = 0;
  for (let k = 0; k < r.length; k++) s += r[k];
  return s / r.length;
}
