/**
 * `volume.climax` (stress): the window's heaviest minute against the day's typical minute. A
 * single minute trading many times the usual notional is a climax (capitulation, a squeeze, a
 * liquidation run, news), which marks turning points and volatility ahead whichever side it
 * took (Wyckoff's selling and buying climaxes; exhaustion cards sign it by the move before it).
 * No side here: a stress card.
 *
 * - V* = traded notional of the heaviest of the window's last N complete minute bars (N = 5, 60),
 *   USD, all venues
 * - M = the day's median notional per minute (every complete minute since the first traded one,
 *   ≤ 24 h, quiet minutes as 0): the median, so a few climaxes do not raise their own bar
 * - x = ln(V* / M)
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 1.3), prior σ 1: on the month of AVAX
 *   and LINK one-minute bars x averaged 0.77 (5m) and 1.96 (1h) with a standard deviation of 0.8;
 *   the rolling center finds each timeframe's own level within hours; score 0
 * - confidence = min(1, minutes of bars / 240); value = V* / M
 * - unavailable on the 1m window (its heaviest minute is the window: volume.relative), while fewer
 *   than max(N, 60) minutes of bars exist, and when the day's median minute traded nothing; a
 *   window without volume is a measured 0 with confidence 0
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { coveredMinutes, MIN_BASELINE_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { minuteUsd } from "../price-series.js";
import { BASELINE_FULL_MINUTES, dayMedianUsd } from "./day-volume.js";

export const volumeClimax: CardDefinition = {
  id: "volume.climax",
  kind: "stress",
  category: "volume",
  formula:
    "x = ln(V* / M), V* = notional of the window's heaviest minute bar, M = the day's median notional per minute; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, minutes of bars / 240); value = V* / M",
  units: "multiple of the day's median minute",
  differs:
    "One minute's extreme, not the window's total (volume.relative): a lone burst inside a quiet hour reads here and barely moves the hour's total; " +
    "exhaustion cards sign such a burst by the move that preceded it, micro.trade-size reads print sizes, not minutes.",
  scale: { center: "rolling", priorCenter: 1.3, prior: { "1m": 1, "5m": 1, "1h": 1 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, Math.max(n, MIN_BASELINE_MINUTES));
    if (few !== null) return unavailable(few);
    const median = dayMedianUsd(bars);
    if (!(median > 0)) return unavailable("the day's median minute traded nothing");
    let heaviest = 0;
    for (let i = bars.length - n; i < bars.length; i++) heaviest = Math.max(heaviest, minuteUsd(bars, i));
    if (heaviest === 0) return stress(self, 0, 0, 0);
    const multiple = heaviest / median;
    return stress(self, Math.log(multiple), support(coveredMinutes(bars), BASELINE_FULL_MINUTES), multiple);
  },
};
