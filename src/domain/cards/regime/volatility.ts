/**
 * `regime.volatility` (stress): the volatility regime, calm or stressed: the σ of the span's
 * minute returns against the σ of the day's. Volatility clusters (Mandelbrot 1963; Engle 1982):
 * a span far more volatile than the day tends to stay so for a while, and the same signal reads
 * differently in it (breakouts carry, stops are hit), which is what a regime is for.
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60)
 * - σ_span = sample σ of the span's close-to-close minute returns; σ_day = the same over every
 *   held minute (≤ 24 h, the span included; `daySigma`)
 * - x = ln(σ_span / σ_day): 0 when the span is as volatile as the day
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.49 (1m), 0.43 (5m), 0.4 (1h): the root mean
 *   square of x on the shared month of AVAX, LINK and DOT minute bars (mean −0.19 to −0.12: a few
 *   violent hours lift the day's σ above most spans'); score 0. Strength reads stressed; a calm span is in `value` with no strength
 * - confidence = min(1, traded minutes / 30); value = σ_span in bps per minute
 * - unavailable until n + 60 minutes of bars exist (the day must reach an hour beyond the span,
 *   or it is the span); a span without trades or price change is a measured zero (x = 0,
 *   confidence 0, value 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { MIN_BASELINE_MINUTES } from "../bar-window.js";
import { daySigma, returnStdev } from "../price-series.js";
import { regimeSpan } from "./span.js";

export const regimeVolatility: CardDefinition = {
  id: "regime.volatility",
  kind: "stress",
  category: "regime",
  formula:
    "x = ln(σ_span / σ_day), σ = sample σ of minute close-to-close returns over the last regimeMinutes[tf] minutes and over the held day; " +
    "strength = tanh(max(z(x), 0)) (stressed); score 0; confidence = min(1, traded minutes / 30); value = σ_span (bps)",
  units: "bps per minute (σ of the span's minute returns)",
  differs:
    "The span's volatility against the same symbol's day, a state with a meaning of its own (0 = as usual today): volatility cards measure the level, its change and " +
    "its term structure on the window; regime.choppiness and regime.efficiency read the path's shape, not its size.",
  scale: { center: 0, prior: { "1m": 0.49, "5m": 0.43, "1h": 0.4 } },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe, MIN_BASELINE_MINUTES);
    if (typeof span === "string") return unavailable(span);
    const sigma = returnStdev(bars, span.from, bars.length).sigma;
    const day = daySigma(bars).sigma;
    if (!(sigma > 0 && day > 0)) return stress(self, 0, 0, 0);
    return stress(self, Math.log(sigma / day), span.confidence, sigma * 10_000);
  },
};
