/**
 * `vol.of-vol` (stress): volatility of volatility within the window, as the dispersion of its
 * minute ranges. Steady minutes of similar size are a market with one volatility; ranges that swing
 * from calm to violent minute by minute are a market whose volatility is itself unstable, where
 * risk estimates from the recent past fail and stops are hit by bursts (the volatility-of-volatility
 * risk of Corsi, Mittnik, Pigorsch & Pigorsch 2008 on realized volatility; a judgment at the minute
 * scale, not calibrated). It has no side: a stress card.
 *
 * - ranges: 10⁴ · ln(high/low) of each traded minute among the window's last N complete bars
 *   (N = 5, 60), at least 0.1 bp (`minuteRangeBps`)
 * - x = population σ / mean of those ranges (their coefficient of variation)
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 0.45), prior σ 0.2 (5m), 0.15 (1h): on
 *   the month of AVAX and LINK one-minute bars x averaged 0.39 (5m) and 0.56 (1h) with a standard
 *   deviation of 0.16 and 0.13; score 0
 * - confidence = min(1, traded minutes / 30); value = x
 * - unavailable on the 1m window (one minute has no dispersion) and while fewer than N minutes of
 *   bars exist; fewer than two traded minutes is a measured 0 with confidence 0
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { minuteRanges, tradedMinute } from "./minute-path.js";

export const volOfVol: CardDefinition = {
  id: "vol.of-vol",
  kind: "stress",
  category: "volatility",
  formula:
    "x = σ / mean of the window's traded minute ranges (10⁴·ln(high/low), ≥ 0.1 bp), population σ; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, traded minutes / 30); value = x",
  units: "coefficient of variation of minute ranges",
  differs:
    "How uneven the minutes' volatility is, whatever its level (vol.realized) or trend (vol.term-structure): a burst anywhere in the window counts alike, " +
    "and unlike vol.jump-share it also reads volatility that comes in runs of violent minutes.",
  scale: { center: "rolling", priorCenter: 0.45, prior: { "1m": 0.2, "5m": 0.2, "1h": 0.15 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const from = bars.length - n;
    const ranges = minuteRanges(bars, from, bars.length);
    let k = 0;
    let sum = 0;
    for (let i = from; i < bars.length; i++) {
      if (!tradedMinute(bars, i)) continue;
      k++;
      sum += ranges[i];
    }
    if (k < 2) return stress(self, 0, 0, 0);
    const mean = sum / k;
    // Two passes: a sum of squares less the squared mean loses the digits of an even window.
    let squares = 0;
    for (let i = from; i < bars.length; i++) if (tradedMinute(bars, i)) squares += (ranges[i] - mean) ** 2;
    const x = Math.sqrt(squares / k) / mean;
    return stress(self, x, support(k, REGRESSION_FULL_MINUTES), x);
  },
};
