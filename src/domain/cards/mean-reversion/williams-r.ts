/**
 * `mr.williams-r`: where the last close sits in the span's high–low range, faded: a close at the
 * top of its recent range leans back down, one at the bottom leans up.
 *
 * Williams' %R (Larry Williams, 1973), the stochastic %K read upside down: the close against the
 * range's extremes rather than against its mean, so a span that spiked and came back reads
 * differently from one that drifted. Read contrarian over short spans as the other mean-reversion
 * cards (a judgment, not calibrated; its 5-minute rank IC on the shared month was +0.04, in sample).
 *
 * - n = meanMinutes[tf] (5, 15, 60) complete minutes; H, L = highest high and lowest low of those
 *   minutes; C = the last close
 * - x = (H + L − 2C) / (H − L) = 1 − 2 (C − L) / (H − L), in [−1, 1] (+1 at the low)
 * - score = tanh(z(x)), center 0, prior σ 0.6 (the RMS of x on the shared month of AVAX, DOT,
 *   LINK, LTC and NEAR minute bars: 0.58–0.62 by timeframe; a uniform place gives 0.58)
 * - confidence = traded minutes / n; value = %R = −100 (H − C) / (H − L), in [−100, 0]
 * - unavailable "warming up: k of n minutes of bars" until the bars reach back n minutes; a span
 *   whose price never moved (H = L) is a measured 0 with confidence 0 (value −50, mid-range)
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { lastClose, tradedMinutes } from "./span.js";

export const mrWilliamsR: CardDefinition = {
  id: "mr.williams-r",
  category: "mean-reversion",
  formula:
    "x = (H + L − 2C) / (H − L), H, L = high and low of the last meanMinutes[tf] minute bars, C = last close (Williams %R, contrarian); score = tanh(z(x)); " +
    "confidence = traded minutes / n; value = %R = −100 (H − C) / (H − L)",
  units: "%R (0 at the span's high, −100 at its low)",
  differs:
    "The close against the span's extremes: mr.zscore measures from the mean in units of the closes' spread, vwap.anchored follows the VWAP since the last extreme, " +
    "mr.percentile ranks the close among the closes of a longer span, vol.rejection reads the wicks inside each minute rather than the span's range.",
  scale: { center: 0, prior: 0.6 },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const n = params.meanMinutes[timeframe];
    const cold = warmingUp(bars, n);
    if (cold !== null) return unavailable(cold);
    const from = bars.length - n;
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    for (let i = from; i < bars.length; i++) {
      if (bars.high[i] > hi) hi = bars.high[i];
      if (bars.low[i] < lo) lo = bars.low[i];
    }
    if (!(hi > lo)) return directional(self, 0, 0, -50);
    const c = lastClose(bars);
    return directional(self, (hi + lo - 2 * c) / (hi - lo), tradedMinutes(bars, from, bars.length) / n, (-100 * (hi - c)) / (hi - lo));
  },
};
