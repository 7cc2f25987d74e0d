/**
 * `momentum.agreement`: whether the returns over three nested horizons point the same way: the
 * window, the trend span and three trend spans (1, 20, 60 minutes for 1m; 5, 60, 180 for 5m; 60,
 * 240, 720 for 1h).
 *
 * A move that agrees with the longer horizons is a continuation; one against them is a pullback
 * or a counter-trend bounce. Multi-horizon trend signals average the signs of several lookbacks
 * (the trend-following "ensemble" of Hurst, Ooi & Pedersen 2017, "A Century of Evidence on
 * Trend-Following Investing"); only signs are read, so one large horizon cannot outvote the
 * others.
 *
 * - horizons h = N (window minutes), S = trendSpanMinutes[tf], 3S; R_h = ln(last close / the
 *   price h minute bars back)
 * - x = (sign R_N + sign R_S + sign R_3S) / 3, in {−1, −⅓, 0, ⅓, 1} (a horizon with no move votes 0)
 * - score = tanh(z(x)), center 0, prior σ 0.7 (nested random-walk horizons' signs are correlated:
 *   0.66, 0.67, 0.72 measured on five alts in 2026-02)
 * - confidence = traded minutes / 3S; value = Σ sign R_h (horizons up − down)
 * - unavailable while fewer than 3S minutes of bars exist
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { warmingUp, windowMinutes } from "../bar-window.js";
import { returnSince, tradedMinutes } from "../trend/span.js";

/** The longest horizon, in trend spans. */
export const AGREEMENT_SPANS = 3;

export const momentumAgreement: CardDefinition = {
  id: "momentum.agreement",
  category: "momentum",
  formula:
    "x = (sign R_N + sign R_S + sign R_3S) / 3, R_h = log return over the last h minute bars, N = window minutes, S = trendSpanMinutes[tf]; score = tanh(z(x)); " +
    "confidence = traded minutes / 3S; value = horizons up − down",
  units: "horizons (rising − falling, of 3)",
  differs:
    "Only the direction of three nested horizons, not the size of any: momentum.return and momentum.long-return read the size of one horizon, so a sharp bounce inside a downtrend scores up there and mixed here; divergence.timeframes reads the size of a window move against the trend before it, not nested horizons.",
  scale: { center: 0, prior: 0.7 },
  feeds: ["trade"],
  compute({ bars, windowMs, timeframe, params }, self) {
    const span = params.trendSpanMinutes[timeframe];
    const longest = AGREEMENT_SPANS * span;
    const cold = warmingUp(bars, longest);
    if (cold !== null) return unavailable(cold);
    const end = bars.length;
    const votes = Math.sign(returnSince(bars, end - windowMinutes(windowMs))) + Math.sign(returnSince(bars, end - span)) + Math.sign(returnSince(bars, end - longest));
    return directional(self, votes / 3, support(tradedMinutes(bars, end - longest, end), longest), votes);
  },
};
