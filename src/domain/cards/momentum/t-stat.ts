/**
 * `momentum.t-stat`: the window's return in units of its own realized volatility, a t-statistic of
 * the drift across its minutes.
 *
 * Two moves of the same size are not the same evidence: one made of steady same-signed minutes is
 * a drift the noise cannot explain, one made of a jump among choppy minutes is not. Dividing the
 * summed return by the realized volatility of the same minutes (self-normalized sum) asks how many
 * of its own standard deviations the window travelled; for driftless independent returns it is
 * about standard normal whatever the symbol's volatility, hence a prior of 1. It is the
 * volatility-scaled trailing return of time-series momentum (Moskowitz, Ooi & Pedersen 2012) with
 * the window's own realized volatility as the scale.
 *
 * - minutes: the window's last N complete one-minute bars (N = 5, 60); r = close-to-close log
 *   return of each (from its own open after a minute without price), quiet minutes r = 0
 * - x = Σ r / √(Σ r²) (= √N · mean / RMS), in [−√N, √N]; 0 when no minute moved
 * - score = tanh(z(x)), center 0, prior σ 1 (the driftless random walk; 0.92 and 0.86 measured on
 *   five alts in 2026-02 at 5m and 1h)
 * - confidence = min(1, traded minutes / 30) (REGRESSION_FULL_MINUTES); value = x
 * - unavailable on the 1m window (one minute gives ±1: no dispersion to measure) and while fewer
 *   than N minutes of bars exist; a window without trades is a measured zero (confidence 0)
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { minuteReturn, REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { logReturns } from "../price-series.js";
import { tradedMinutes } from "../trend/span.js";

export const momentumTStat: CardDefinition = {
  id: "momentum.t-stat",
  category: "momentum",
  formula:
    "x = Σ r / √(Σ r²) over the window's minute bars, r = close-to-close log return (its return in units of its realized volatility); score = tanh(z(x)); " +
    "confidence = min(1, traded minutes / 30); value = x",
  units: "realized standard deviations (t-statistic of the window's drift)",
  differs:
    "Scales the move by the noise of the same minutes: momentum.return scales it by the symbol's history of window returns, so a jump and a steady drift of one size read alike there; regime.efficiency reads the path without its direction, mr.rsi the gains' share of k-minute moves as a fade.",
  scale: { center: 0, prior: 1 },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const rs = logReturns(bars);
    let sum = 0;
    let sumSq = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      // the cached close-to-close return; the first traded minute (no close before it) from its own open
      const r = Number.isNaN(rs[i]) ? minuteReturn(bars, i) : rs[i];
      sum += r;
      sumSq += r * r;
    }
    const x = sumSq > 0 ? sum / Math.sqrt(sumSq) : 0;
    return directional(self, x, support(tradedMinutes(bars, bars.length - n, bars.length), REGRESSION_FULL_MINUTES), x);
  },
};
