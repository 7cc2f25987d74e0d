/**
 * `trend.structure`: higher highs and higher lows against lower highs and lower lows over four
 * successive sub-spans of the trend span: market structure in Dow's sense.
 *
 * Dow theory defines an uptrend as a sequence of higher highs and higher lows and a downtrend as
 * the reverse (Hamilton 1922, "The Stock Market Barometer"); a break of that sequence (a lower
 * low in an uptrend) is the first sign of its end. Each of the three steps between consecutive
 * sub-spans votes twice, by its high and by its low, so a market making higher highs on lower
 * lows (an expanding range) reads 0. A judgment, not calibrated.
 *
 * - S = trendSpanMinutes[tf]; four sub-spans of F = ⌊S/4⌋ complete minute bars (5, 15, 60
 *   minutes), oldest first, with highs H_j and lows L_j
 * - x = Σ_{j=1..3} (sign(H_j − H_{j−1}) + sign(L_j − L_{j−1})) / 6, in [−1, 1]
 * - score = tanh(z(x)), center 0, prior σ 0.5 (0.52, 0.53, 0.53 measured on five alts in 2026-02)
 * - confidence = traded minutes / 4F; value = the sum (higher − lower steps, of 6)
 * - unavailable while fewer than 4F minutes of bars exist
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { spanStats, tradedMinutes } from "./span.js";

/** Sub-spans compared. */
export const STRUCTURE_PARTS = 4;

export const trendStructure: CardDefinition = {
  id: "trend.structure",
  category: "trend",
  formula:
    "x = Σ (sign(H_j − H_{j−1}) + sign(L_j − L_{j−1})) / 6 over four successive sub-spans of ⌊S/4⌋ minute bars, S = trendSpanMinutes[tf]; score = tanh(z(x)); " +
    "confidence = traded minutes / 4⌊S/4⌋; value = higher − lower steps",
  units: "steps (higher highs and lows − lower, of 6)",
  differs:
    "Compares the extremes of successive sub-spans, blind to the closes: trend.aroon times the span's single high and low, trend.regression and trend.ma-cross read closes; regime.trend-strength reads directional movement without a side.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const part = Math.floor(params.trendSpanMinutes[timeframe] / STRUCTURE_PARTS);
    const span = STRUCTURE_PARTS * part;
    const cold = warmingUp(bars, span);
    if (cold !== null) return unavailable(cold);
    const start = bars.length - span;
    let prev = spanStats(bars, start, start + part);
    let steps = 0;
    for (let j = 1; j < STRUCTURE_PARTS; j++) {
      const s = spanStats(bars, start + j * part, start + (j + 1) * part);
      steps += Math.sign(s.high - prev.high) + Math.sign(s.low - prev.low);
      prev = s;
    }
    return directional(self, steps / (2 * (STRUCTURE_PARTS - 1)), support(tradedMinutes(bars, start, bars.length), span), steps);
  },
};
