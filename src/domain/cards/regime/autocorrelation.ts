/**
 * `regime.autocorrelation` (stress): the first-order autocorrelation of the span's minute returns.
 * A positive ρ₁ says a minute's move tends to carry on into the next (momentum at the shortest
 * horizon: a trending tape, order splitting and herding); a negative one that it tends to be
 * taken back (bid-ask bounce, liquidity providers leaning against moves). Under a random walk
 * ρ₁ is about 0 with standard error 1/√n (Bartlett 1946).
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60), r_i their log returns, μ their mean
 * - x = ρ₁ = Σ_{i=2..n} (r_i − μ)(r_{i−1} − μ) / Σ_{i=1..n} (r_i − μ)²
 * - strength = tanh(max(z(x), 0)), center 0, prior σ 0.27 (1m, n = 15), 0.22 (5m, 30), 0.17 (1h,
 *   60): the root mean square of x on the shared month of AVAX, LINK and DOT minute bars (mean
 *   −0.12 to −0.08: bid-ask bounce), a little above 1/√n; score 0. Strength reads persistent (trending); the negative side is
 *   in `value` only, since micro.roll-spread already turns it into a bounce spread
 * - confidence = min(1, traded minutes / 30); value = ρ₁
 * - unavailable while fewer than n minutes of bars exist; a span without trades or price change is
 *   a measured zero (x = 0, confidence 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { meanOf, regimeSpan } from "./span.js";

/** Lag-1 autocorrelation of `r` about its mean; NaN when it has no variance. */
export function lagOneAutocorrelation(r: Float64Array): number {
  const mu = meanOf(r);
  let num = 0;
  let den = 0;
  let prev = Number.NaN;
  for (let i = 0; i < r.length; i++) {
    const d = r[i] - mu;
    den += d * d;
    if (i > 0) num += d * prev;
    prev = d;
  }
  return den > 0 ? num / den : Number.NaN;
}

export const regimeAutocorrelation: CardDefinition = {
  id: "regime.autocorrelation",
  kind: "stress",
  category: "regime",
  formula:
    "x = ρ₁ = Σ (r_i − μ)(r_{i−1} − μ) / Σ (r_i − μ)² over the last regimeMinutes[tf] minute returns; strength = tanh(max(z(x), 0)) (persistence); score 0; " +
    "confidence = min(1, traded minutes / 30); value = ρ₁",
  units: "correlation (lag 1, −1 to 1)",
  differs:
    "Minute-to-minute continuation only, over the regime span: regime.variance-ratio adds lags 2 to 4, regime.hurst every lag; micro.roll-spread reads the opposite " +
    "side (negative lag-1 covariance, uncentered, over the window) as a bid-ask bounce in bps.",
  scale: { center: 0, prior: { "1m": 0.27, "5m": 0.22, "1h": 0.17 } },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe);
    if (typeof span === "string") return unavailable(span);
    const rho = lagOneAutocorrelation(span.r);
    if (Number.isNaN(rho)) return stress(self, 0, 0, 0);
    return stress(self, rho, span.confidence, rho);
  },
};
