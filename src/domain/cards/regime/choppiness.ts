/**
 * `regime.choppiness` (stress): Dreiss's choppiness index over the span's minute bars. The true
 * ranges of the minutes add up to the path walked; the span's high-low range is the ground
 * covered. A choppy, range-bound market walks the same ground again and again (the sum far larger
 * than the range), a trending one walks it once. On the index's 0–100 scale a random walk gives
 * about 50 (the expected range of n minutes is √n times that of one), which is the center.
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60)
 * - TR_i = max(high_i, c_{i−1}) − min(low_i, c_{i−1}), c_{i−1} = the close before minute i
 *   (`minuteStart`); quiet minutes (no trade) have TR 0
 * - x = CI = 100 · log10(Σ TR_i / (HH − LL)) / log10(n), HH, LL = highest high and lowest low of the
 *   span's minutes (TR intervals chain through the closes, so Σ TR ≥ HH − LL and CI ≥ 0)
 * - strength = tanh(max(z(x), 0)), center 50, prior σ 11 (1m), 9 (5m), 7.5 (1h): the root mean
 *   square of x − 50 on the shared month of AVAX, LINK and DOT minute bars (mean 49); score 0. Strength reads choppy (ranging); the trending side is in `value` with no strength
 * - confidence = min(1, traded minutes / 30); value = CI
 * - unavailable while fewer than n minutes of bars exist; a span without trades or without range is
 *   a measured zero (x = 50, confidence 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { minuteStart } from "../bar-window.js";
import { regimeSpan } from "./span.js";

/** The random walk's index: the center. */
export const CHOPPINESS_CENTER = 50;

export const regimeChoppiness: CardDefinition = {
  id: "regime.choppiness",
  kind: "stress",
  category: "regime",
  formula:
    "x = 100 · log10(Σ TR / (HH − LL)) / log10(n) over the last n = regimeMinutes[tf] minute bars (choppiness index; TR from the previous close); " +
    "strength = tanh(max(z(x), 0)) with center 50 (random walk); score 0; confidence = min(1, traded minutes / 30); value = x",
  units: "index (0–100; above 50 choppy, below trending)",
  differs:
    "The path of the minutes' ranges against the span's whole high-low range, naming the ranging state: regime.efficiency compares closes' net move with their path " +
    "(a round trip to a far extreme is choppy there, not here), regime.trend-strength reads whether highs or lows lead, volatility cards the size of the ranges.",
  scale: { center: CHOPPINESS_CENTER, prior: { "1m": 11, "5m": 9, "1h": 7.5 } },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe);
    if (typeof span === "string") return unavailable(span);
    let sumTr = 0;
    let hh = Number.NEGATIVE_INFINITY;
    let ll = Number.POSITIVE_INFINITY;
    for (let i = span.from; i < bars.length; i++) {
      if (bars.high[i] > hh) hh = bars.high[i];
      if (bars.low[i] < ll) ll = bars.low[i];
      if (bars.trades[i] === 0) continue;
      const c = minuteStart(bars, i);
      sumTr += Math.max(bars.high[i], c) - Math.min(bars.low[i], c);
    }
    if (!(hh > ll) || sumTr === 0) return stress(self, CHOPPINESS_CENTER, 0, CHOPPINESS_CENTER);
    const ci = (100 * Math.log10(sumTr / (hh - ll))) / Math.log10(span.n);
    return stress(self, ci, span.confidence, ci);
  },
};
