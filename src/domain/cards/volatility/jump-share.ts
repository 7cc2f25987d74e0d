/**
 * `vol.jump-share` (stress): the share of the window's variance that came from jumps rather than
 * from continuous diffusion. Realized variance RV = Σ r² counts both; bipower variation
 * BV = (π/2)·Σ |r_i|·|r_i−1| is robust to isolated jumps, since a jump enters it only multiplied by
 * an ordinary neighbour (Barndorff-Nielsen & Shephard 2004, 2006). The relative jump
 * (RV − BV) / RV (Huang & Tauchen 2005) is about 0 for a continuous path whatever the window's
 * length and nears 1 when one minute carried the variance: a gap, a sweep, a liquidation run. No
 * side: a stress card.
 *
 * The share of the largest minute in RV would read the same effect but has a floor of 1/N that
 * moves with the window's length; the relative jump needs no such center.
 *
 * - r = close-to-close log return of each of the window's last N complete minute bars (N = 5, 60)
 * - RV = Σ r² over the k returns, BV = (π/2)·k/(k − 1)·Σ |r_i|·|r_i−1| over the k − 1 pairs of
 *   consecutive minutes (the k/(k − 1) makes E[BV] = E[RV] for a continuous path at any length)
 * - x = (RV − BV) / RV (negative when moves were steadier than a random walk's)
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.4 (5m), 0.16 (1h): the RMS of x on the month
 *   of AVAX and LINK one-minute bars; score 0
 * - confidence = min(1, minutes that moved / 30); value = x
 * - unavailable on the 1m window (one return has no neighbour) and while fewer than N minutes of
 *   bars exist; a window whose price never moved is a measured 0 with confidence 0
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { logReturns } from "../price-series.js";

export const volJumpShare: CardDefinition = {
  id: "vol.jump-share",
  kind: "stress",
  category: "volatility",
  formula:
    "x = (RV − BV) / RV, RV = Σ r², BV = (π/2)·k/(k − 1)·Σ |r_i|·|r_i−1| over the window's k minute close-to-close returns (Huang–Tauchen relative jump); " +
    "strength = tanh(max(z(x), 0)); confidence = min(1, minutes that moved / 30); value = x",
  units: "share of realized variance from jumps",
  differs:
    "Variance concentrated in isolated minutes, against the same variance spread over the window: vol.realized reads how much variance there was, " +
    "vol.of-vol how uneven the minute ranges are (runs of violent minutes raise it but leave this near 0).",
  scale: { center: 0, prior: { "1m": 0.4, "5m": 0.4, "1h": 0.16 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const r = logReturns(bars);
    let rv = 0;
    let bv = 0;
    let k = 0;
    let moved = 0;
    let prev = Number.NaN;
    for (let i = bars.length - n; i < bars.length; i++) {
      const x = r[i];
      if (Number.isNaN(x)) continue;
      rv += x * x;
      k++;
      if (x !== 0) moved++;
      if (!Number.isNaN(prev)) bv += Math.abs(x) * Math.abs(prev);
      prev = x;
    }
    if (rv === 0 || k < 2) return stress(self, 0, 0, 0);
    const x = (rv - ((Math.PI / 2) * k * bv) / (k - 1)) / rv;
    return stress(self, x, support(moved, REGRESSION_FULL_MINUTES), x);
  },
};
