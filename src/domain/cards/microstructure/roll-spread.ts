/**
 * `micro.roll-spread` (stress): Roll's (1984) implied spread from the serial covariance of the
 * window's minute returns, against the minute volatility. Prices that bounce between bid and ask
 * (and transient impact that reverts) make consecutive price changes negatively correlated:
 * s = 2√(−cov(Δp_t, Δp_t−1)). Measured against the returns' own dispersion it says how much of the
 * price motion is bounce rather than movement: a high share is a market trading back and forth in
 * a wide effective spread, a liquidity stress seen from trades alone.
 *
 * - minutes: the window's last N complete one-minute bars (N = 5, 60); r = close-to-close log
 *   return of each (0 for a minute without trades)
 * - γ₁ = Σ r_t · r_t−1 / (N − 1) over the N − 1 consecutive pairs; γ₀ = Σ r_t² / N (uncentered:
 *   the mean of minute returns is negligible next to their dispersion)
 * - s = 2√(−γ₁) when γ₁ < 0, else 0 (Roll's spread, log units)
 * - x = s / √γ₀ = 2√(max(0, −γ₁) / γ₀), 0 when γ₀ = 0: the spread in units of minute volatility
 * - strength = tanh(max(z(x), 0)), center rolling (starts at 0.5, i.e. a first-order
 *   autocorrelation of about −0.06, a judgment), prior σ 0.4 (5m), 0.25 (1h); score 0
 * - confidence = min(1, traded minutes / 30); value = s in bps
 * - unavailable on the 1m window (one return has no pair) and while fewer than N minutes of bars
 *   exist; a window without trades is a measured zero
 */
import { stress, support, unavailable, type CardDefinition } from "../card.js";
import { minuteReturn, REGRESSION_FULL_MINUTES, tooFewMinutes, warmingUp, windowMinutes } from "../bar-window.js";

export const microRollSpread: CardDefinition = {
  id: "micro.roll-spread",
  kind: "stress",
  category: "microstructure",
  formula:
    "x = 2√(max(0, −γ₁)/γ₀), γ₁ = mean r_t·r_t−1, γ₀ = mean r_t² of the window's minute close-to-close returns; strength = tanh(max(z(x), 0)); " +
    "confidence = min(1, traded minutes / 30); value = Roll's spread 2√(−γ₁) in bps",
  units: "bps (Roll's implied spread)",
  differs:
    "A spread implied by trades bouncing, with no quotes: spread cards measure the quoted spread, micro.kyle-lambda the move per dollar of flow rather than its reversal.",
  scale: { center: "rolling", priorCenter: 0.5, prior: { "1m": 0.4, "5m": 0.4, "1h": 0.25 } },
  feeds: ["trade"],
  compute({ bars, windowMs }, self) {
    const n = windowMinutes(windowMs);
    const few = tooFewMinutes(n) ?? warmingUp(bars, n);
    if (few !== null) return unavailable(few);
    let traded = 0;
    let g0 = 0;
    let g1 = 0;
    let prev = 0;
    for (let i = bars.length - n; i < bars.length; i++) {
      if (bars.trades[i] > 0) traded++;
      const r = minuteReturn(bars, i);
      g0 += r * r;
      if (i > bars.length - n) g1 += r * prev;
      prev = r;
    }
    if (traded === 0) return stress(self, 0, 0, 0);
    g0 /= n;
    g1 /= n - 1;
    const bounce = Math.max(0, -g1);
    const x = g0 > 0 ? 2 * Math.sqrt(bounce / g0) : 0;
    return stress(self, x, support(traded, REGRESSION_FULL_MINUTES), 2 * Math.sqrt(bounce) * 10_000);
  },
};
