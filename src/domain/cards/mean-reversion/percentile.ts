/**
 * `mr.percentile`: where the last close ranks among the minute closes of the last hours, faded: a
 * price above where the market spent nearly all of its recent time is stretched from value and
 * leans back toward it.
 *
 * Time at a price is where the market accepted trade (the "value area" of Steidlmayer's Market
 * Profile): the close's percentile in the distribution of recent minute closes says how unusual the
 * current price is for the span, by rank, so one spike does not move it as it moves a range or a
 * standard deviation. Read contrarian (a judgment, not calibrated; its 5-minute rank IC on the
 * shared month was +0.04 on 1m, +0.03 on 5m, in sample).
 *
 * - L = 60, 240, 1 440 complete minutes (1m, 5m, 1h: `PERCENTILE_MINUTES`: the hour, four hours and
 *   the day); C = the last close; p = (closes below C + ½ · closes equal to C) / (L − 1) among the
 *   L − 1 closes before it (quiet minutes count: price sat at their carried close); computed once
 *   per bar series and L
 * - x = 1 − 2p, in [−1, 1] (+1 below every close of the span); score = tanh(z(x)), center 0,
 *   prior σ 0.7: the RMS of x on the shared month of AVAX, DOT, LINK, LTC and NEAR minute bars, 0.69
 *   on each timeframe (a uniform rank would give 0.58: price sits at the span's edges more often)
 * - confidence = traded minutes / L; value = 100 · p (percentile)
 * - unavailable "warming up: k of L minutes of bars" until the bars reach back L minutes
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import type { BarSeries } from "../../inputs/bar-ring.js";
import type { Timeframe } from "../../vocabulary.js";
import { lastClose, traded } from "./span.js";

/** Minute closes the percentile ranks the last close among, per timeframe. */
export const PERCENTILE_MINUTES: Readonly<Record<Timeframe, number>> = { "1m": 60, "5m": 240, "1h": 1_440 };

const rankCache = new WeakMap<BarSeries, Map<number, { p: number; traded: number }>>();

/** Rank p of the last close among the `minutes − 1` closes before it (ties count half), and the traded minutes of the span; cached per series. */
export function closeRank(bars: BarSeries, minutes: number): { p: number; traded: number } {
  let byMinutes = rankCache.get(bars);
  if (byMinutes === undefined) {
    byMinutes = new Map();
    rankCache.set(bars, byMinutes);
  }
  let r = byMinutes.get(minutes);
  if (r === undefined) {
    const c = lastClose(bars);
    const end = bars.length;
    let below = 0;
    let tradedCount = traded(bars, end - 1) ? 1 : 0;
    for (let i = end - minutes; i < end - 1; i++) {
      const x = bars.close[i];
      below += x < c ? 1 : x === c ? 0.5 : 0;
      if (traded(bars, i)) tradedCount++;
    }
    r = { p: below / (minutes - 1), traded: tradedCount };
    byMinutes.set(minutes, r);
  }
  return r;
}

export const mrPercentile: CardDefinition = {
  id: "mr.percentile",
  category: "mean-reversion",
  formula:
    "x = 1 − 2p, p = (closes below C + ½ closes equal) / (L − 1) among the L − 1 minute closes before the last close C, L = 60, 240, 1 440; score = tanh(z(x)) (contrarian); " +
    "confidence = traded minutes / L; value = 100·p",
  units: "percentile of the last close among the span's minute closes",
  differs:
    "The close's rank in where price spent its time over hours, insensitive to how far a spike went: mr.williams-r reads the close against the extremes of a shorter span, " +
    "mr.zscore against the mean in units of the closes' spread, vwap.volume-above weighs where volume (not time) sat.",
  scale: { center: 0, prior: 0.7 },
  feeds: ["trade"],
  compute({ bars, timeframe }, self) {
    const minutes = PERCENTILE_MINUTES[timeframe];
    const cold = warmingUp(bars, minutes);
    if (cold !== null) return unavailable(cold);
    const { p, traded: n } = closeRank(bars, minutes);
    return directional(self, 1 - 2 * p, n / minutes, 100 * p);
  },
};
