/**
 * `vol.semivariance`: which side the window's variance came from, read contrarian. Realized
 * semivariances split the variance of returns into its up and down moves (Barndorff-Nielsen,
 * Kinnebrock & Shephard 2010); their relative difference, the relative signed jump variation, is
 * followed by returns of the opposite sign (Bollerslev, Li & Zhao 2020, "Good volatility, bad
 * volatility, and the cross section of stock returns": high upside share, lower returns). Variance
 * concentrated in down moves is read as a sell-off overdone: bullish. That this carries over to
 * crypto perpetuals on minute bars is a judgment, not calibrated (../shared/EVALUATION.md: these
 * alts reverted at 5 minutes on the shared month).
 *
 * - r = close-to-close log return of each of the window's last N complete minute bars (N = 5, 60);
 *   RS⁻ = Σ r² over r < 0, RS⁺ = Σ r² over r > 0
 * - x = (RS⁻ − RS⁺) / (RS⁻ + RS⁺), in [−1, 1]: + when the down moves carried the variance
 * - score = tanh(z(x)), center 0, prior σ 0.65 (5m), 0.28 (1h): the RMS of x on the month of AVAX and
 *   LINK one-minute bars
 * - confidence = min(1, minutes that moved / 30); value = x
 * - unavailable on the 1m window (one return has no split to compare) and while fewer than N
 *   minutes of bars exist; a window whose price never moved is a measured 0 with confidence 0
 *
 * Unlike the return (momentum.return) it weighs each move by its square, so one large down minute
 * in a window that ended higher still reads bullish here.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";
import { logReturns } from "../price-series.js";

export const volSemivariance: CardDefinition = {
  id: "vol.semivariance",
  category: "volatility",
  formula:
    "x = (RS⁻ − RS⁺) / (RS⁻ + RS⁺), RS∓ = Σ r² of the window's falling / rising minutes (close-to-close); score = tanh(z(x)) (contrarian: down-side variance bullish); " +
    "confidence = min(1, minutes that moved / 30); value = x",
  units: "share of realized variance (down − up)",
  differs:
    "Which side the variance came from, each move weighted by its square: momentum.return and the trend cards read the net move, " +
    "vol.realized and vol.jump-share the size and shape of the variance without its side.",
  scale: { center: 0, prior: { "1m": 0.65, "5m": 0.65, "1h": 0.28 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    const r = logReturns(bars);
    let down = 0;
    let up = 0;
    let moved = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      const x = r[i];
      if (x < 0) down += x * x;
      else if (x > 0) up += x * x;
      else continue;
      moved++;
    }
    if (moved === 0) return directional(self, 0, 0, 0);
    const x = (down - up) / (down + up);
    return directional(self, x, support(moved, REGRESSION_FULL_MINUTES), x);
  },
};
