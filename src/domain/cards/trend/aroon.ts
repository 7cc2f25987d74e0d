/**
 * `trend.aroon`: how recently the trend span printed its high against how recently it printed its
 * low (Chande's Aroon oscillator, 1995): time, not distance.
 *
 * In an uptrend new highs keep coming and the low lies far back; in a downtrend the reverse.
 * Reading when the extremes happened rather than how far price is from them makes it a different
 * measurement of the same question than any return or average: a slow grind to a new high and a
 * spike to one read alike here.
 *
 * - S = trendSpanMinutes[tf] (20, 60, 240) complete minute bars; t_H, t_L = minutes from the
 *   latest minute that printed the span's highest high (lowest low) to the last minute (0 = now)
 * - x = (t_L − t_H) / S, in (−1, 1)
 * - score = tanh(z(x)), center 0, prior σ 0.6 (0.59, 0.60, 0.58 measured on five alts in 2026-02)
 * - confidence = traded minutes / S; value = t_L − t_H (minutes)
 * - unavailable while fewer than S minutes of bars exist
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { spanStats, tradedMinutes } from "./span.js";

export const trendAroon: CardDefinition = {
  id: "trend.aroon",
  category: "trend",
  formula:
    "x = (t_L − t_H) / S, t_H, t_L = minutes since the highest high and the lowest low of the last S = trendSpanMinutes[tf] minute bars; score = tanh(z(x)); " +
    "confidence = traded minutes / S; value = t_L − t_H",
  units: "minutes (since the low − since the high)",
  differs:
    "When the span's extremes were printed, not where price is: trend.structure compares the extremes of successive sub-spans, trend.breakout the close against the range before the window; trend.inside-range reads the older of the two times without a direction.",
  scale: { center: 0, prior: 0.6 },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const span = params.trendSpanMinutes[timeframe];
    const cold = warmingUp(bars, span);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const s = spanStats(bars, end - span, end);
    const value = s.sinceLow - s.sinceHigh;
    return directional(self, value / span, support(tradedMinutes(bars, end - span, end), span), value);
  },
};
