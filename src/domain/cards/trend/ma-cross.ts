/**
 * `trend.ma-cross`: the fast moving average of minute closes against the slow one, in bps: above
 * is an uptrend, below a downtrend, and the gap is how far the recent prices have left the
 * longer average.
 *
 * The moving-average rules of Brock, Lakonishok & LeBaron (1992, "Simple Technical Trading Rules
 * and the Stochastic Properties of Stock Returns") buy when a short average is above a long one;
 * Detzel, Liu, Strauss, Zhou & Zhu (2021) find such rules predictive for Bitcoin, an asset without
 * cash flows to anchor its price. Reading the gap instead of the crossing keeps it continuous.
 *
 * - S = trendSpanMinutes[tf] (20, 60, 240); F = ⌊S / 4⌋ (5, 15, 60)
 * - x = 10⁴ · ln(SMA_F / SMA_S), SMA = mean close of the last F, S complete minute bars (bps)
 * - score = tanh(z(x)), center 0, prior σ 25 bps (1m), 45 (5m), 80 (1h) (26, 44, 82 measured on
 *   five alts in 2026-02)
 * - confidence = traded minutes / S; value = x
 * - unavailable while fewer than S minutes of bars exist
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { spanStats, tradedMinutes } from "./span.js";

export const trendMaCross: CardDefinition = {
  id: "trend.ma-cross",
  category: "trend",
  formula:
    "x = 10⁴ · ln(SMA_F / SMA_S) of minute closes, S = trendSpanMinutes[tf], F = ⌊S/4⌋; score = tanh(z(x)); " +
    "confidence = traded minutes / S; value = x",
  units: "bps (fast average above the slow one)",
  differs:
    "Two averages against each other, so the last print does not drive it: mr.zscore reads the last price against an average (the stretch to fade), vwap.slope the volume-weighted prices of two halves, momentum cards a return between two single prices.",
  scale: { center: 0, prior: { "1m": 25, "5m": 45, "1h": 80 } },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const span = params.trendSpanMinutes[timeframe];
    const cold = warmingUp(bars, span);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const x = 1e4 * Math.log(spanStats(bars, end - Math.floor(span / 4), end).meanClose / spanStats(bars, end - span, end).meanClose);
    return directional(self, x, support(tradedMinutes(bars, end - span, end), span), x);
  },
};
