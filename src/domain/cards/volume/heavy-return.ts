/**
 * `volume.heavy-return`: which way the heavy minutes moved compared with the light ones. The
 * volume-weighted mean minute return minus the plain mean: positive when price rose on the heavy
 * minutes and fell (or rose less) on the light ones. Volume carries information (Blume, Easley &
 * O'Hara 1994), and returns that come with high volume from informed trading continue (Llorente,
 * Michaely, Saar & Wang 2002): rises on heavy volume and dips on thin volume read bullish, the
 * mirror bearish. That the informed share dominates on one-minute bars of crypto perpetuals is a
 * judgment, not calibrated.
 *
 * - per minute of the window's last N complete bars (N = 5, 60): r = close-to-close log return,
 *   V = traded notional (USD, all venues, sides known or not)
 * - x = 10⁴ · (Σ r·V / Σ V − Σ r / k), k = minutes with a return: = 10⁴ · Σ r·(V − V̄) / Σ V, the
 *   covariance of return and volume per unit of volume, bps per minute
 * - score = tanh(z(x)), center 0, prior σ 4.5 (5m), 4 (1h) bps: the RMS of x on the month of AVAX and
 *   LINK one-minute bars (it barely shrinks with the window: the heaviest minutes dominate it)
 * - confidence = min(1, traded minutes / 30); value = x
 * - unavailable on the 1m window (one minute is its own mean) and while fewer than N minutes of
 *   bars exist; a window without volume is a measured 0 with confidence 0
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { logReturns, minuteUsd } from "../price-series.js";

export const volumeHeavyReturn: CardDefinition = {
  id: "volume.heavy-return",
  category: "volume",
  formula:
    "x = 10⁴ · (Σ r·V / Σ V − Σ r / k) over the window's minute bars, r = close-to-close return, V = notional, k = minutes; score = tanh(z(x)) (up on heavy volume: bullish); " +
    "confidence = min(1, traded minutes / 30); value = x",
  units: "bps per minute (volume-weighted − plain mean return)",
  differs:
    "The return on heavy minutes against the light ones, net of the window's plain drift (momentum.return, the trend cards), with no taker side: " +
    "micro.kyle-lambda and absorption cards read net taker flow against price, volume.money-flow where closes sit in their minutes' ranges.",
  scale: { center: 0, prior: { "1m": 4.5, "5m": 4.5, "1h": 4 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const r = logReturns(bars);
    let rv = 0;
    let v = 0;
    let sum = 0;
    let k = 0;
    let traded = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (Number.isNaN(r[i])) continue;
      const usd = minuteUsd(bars, i);
      rv += r[i] * usd;
      v += usd;
      sum += r[i];
      k++;
      if (usd > 0) traded++;
    }
    if (v === 0) return directional(self, 0, 0, 0);
    const x = 10_000 * (rv / v - sum / k);
    return directional(self, x, support(traded, REGRESSION_FULL_MINUTES), x);
  },
};
