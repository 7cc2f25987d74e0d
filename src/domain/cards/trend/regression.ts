/**
 * `trend.regression`: how closely the trend span's log closes follow a straight line in time,
 * signed by its slope: the correlation of ln(close) with the minute index.
 *
 * A least-squares trend line is what a trend follower draws; its correlation with time (the signed
 * √R² of the fit, a monotone transform of the slope's t-statistic, t = ρ·√(n − 2)/√(1 − ρ²)) says
 * how much of the span's path the line explains: near ±1 an orderly trend, near 0 a range or a
 * V. It is bounded where the t-statistic of a random walk's trend is not (spurious regression,
 * Granger & Newbold 1974). A judgment, not calibrated.
 *
 * - S = trendSpanMinutes[tf] (20, 60, 240) complete minute bars
 * - x = ρ(ln close, minute index), in [−1, 1]; 0 when price did not move
 * - score = tanh(z(x)), center 0, prior σ 0.65 (a random walk's path correlates strongly with time
 *   by chance: 0.64 measured on five alts in 2026-02 on each timeframe)
 * - confidence = traded minutes / S; value = the fitted slope, bps per minute
 * - unavailable while fewer than S minutes of bars exist
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp } from "../bar-window.js";
import { spanTrend, tradedMinutes } from "./span.js";

export const trendRegression: CardDefinition = {
  id: "trend.regression",
  category: "trend",
  formula:
    "x = ρ(ln close, minute index) over the last S = trendSpanMinutes[tf] minute bars (signed √R² of the trend line); score = tanh(z(x)); " +
    "confidence = traded minutes / S; value = the line's slope in bps per minute",
  units: "bps per minute (slope of the fitted line)",
  differs:
    "How orderly the span's path is around a straight line, signed: momentum.t-stat reads the net return against minute-to-minute noise, trend.ma-cross two averages; regime cards read trendiness without its direction.",
  scale: { center: 0, prior: 0.65 },
  feeds: ["trade"],
  compute({ bars, timeframe, params }, self) {
    const span = params.trendSpanMinutes[timeframe];
    const cold = warmingUp(bars, span);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const s = spanTrend(bars, end - span, end);
    return directional(self, s.rho, support(tradedMinutes(bars, end - span, end), span), s.slope * 1e4);
  },
};
