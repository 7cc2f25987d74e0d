/**
 * `regime.hurst` (stress): a Hurst exponent from the rescaled range of the span's minute returns
 * (Hurst 1951; Mandelbrot and Wallis 1969), corrected for its small-sample bias. The range of the
 * cumulative deviations grows like n^H: H = 0.5 for independent returns, above for persistent
 * ones (trends that carry on), below for anti-persistent ones (a range that keeps pulling price
 * back).
 *
 * The raw estimate ln(R/S) / ln n is biased upward on short spans (about 0.58 at n = 15 for a random
 * walk), so the card measures R/S against its expected value under independence, from Anis and
 * Lloyd (1976) with Peters' (1994) factor:
 * E[R/S]_n = ((n − ½)/n) · Γ((n − 1)/2) / (√π · Γ(n/2)) · Σ_{i=1}^{n−1} √((n − i)/i).
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60), r_i their log returns
 * - Y_k = Σ_{i ≤ k} (r_i − μ); R = max_k Y_k − min_k Y_k (Y_n = 0, so both extremes include 0);
 *   S = population standard deviation of r
 * - x = H = 0.5 + ln((R/S) / E[R/S]_n) / ln n: 0.5 on average for independent returns, whatever n
 * - strength = tanh(max(z(x), 0)), center 0.5, prior σ 0.08 (1m), 0.07 (5m), 0.06 (1h): the root
 *   mean square of x − 0.5 on the shared month of AVAX, LINK and DOT minute bars (mean 0.48 to
 *   0.49; a simulated random walk gives 0.50 with σ 0.08, 0.065, 0.055); score 0. Strength reads persistent (trending); H < 0.5 is in `value` with no strength
 * - confidence = min(1, traded minutes / 30); value = H
 * - unavailable while fewer than n minutes of bars exist; a span without trades or price change is
 *   a measured zero (x = 0.5, confidence 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { meanOf, regimeSpan } from "./span.js";

const expected = new Map<number, number>();

/** Anis–Lloyd–Peters expected R/S of n independent returns, cached per n. */
export function expectedRescaledRange(n: number): number {
  let e = expected.get(n);
  if (e === undefined) {
    // Γ((n − 1)/2) / Γ(n/2) by the recurrence g(k + 2) = g(k) · (k − 1)/k from g(2) = √π, g(3) = 2/√π.
    let g = n % 2 === 0 ? Math.sqrt(Math.PI) : 2 / Math.sqrt(Math.PI);
    for (let k = n % 2 === 0 ? 2 : 3; k < n; k += 2) g *= (k - 1) / k;
    let sum = 0;
    for (let i = 1; i < n; i++) sum += Math.sqrt((n - i) / i);
    e = ((n - 0.5) / n) * (g / Math.sqrt(Math.PI)) * sum;
    expected.set(n, e);
  }
  return e;
}

/** R/S of returns `r`; NaN when they have no variance. */
export function rescaledRange(r: Float64Array): number {
  const mu = meanOf(r);
  let y = 0;
  let hi = 0;
  let lo = 0;
  let ss = 0;
  for (let i = 0; i < r.length; i++) {
    const d = r[i] - mu;
    y += d;
    ss += d * d;
    if (y > hi) hi = y;
    if (y < lo) lo = y;
  }
  const s = Math.sqrt(ss / r.length);
  return s > 0 ? (hi - lo) / s : Number.NaN;
}

export const regimeHurst: CardDefinition = {
  id: "regime.hurst",
  kind: "stress",
  category: "regime",
  formula:
    "x = H = 0.5 + ln((R/S) / E[R/S]_n) / ln n, R/S = rescaled range of the last n = regimeMinutes[tf] minute returns, E[R/S]_n = Anis–Lloyd–Peters expectation for independent returns; " +
    "strength = tanh(max(z(x), 0)) with center 0.5; score 0; confidence = min(1, traded minutes / 30); value = H",
  units: "Hurst exponent (0.5 = independent, > 0.5 persistent)",
  differs:
    "Persistence read from how far the cumulative path strays over the whole span (every lag at once): regime.variance-ratio weighs lags 1 to 4 only, regime.autocorrelation lag 1, " +
    "regime.efficiency where the path ended rather than how far it wandered.",
  scale: { center: 0.5, prior: { "1m": 0.08, "5m": 0.07, "1h": 0.06 } },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe);
    if (typeof span === "string") return unavailable(span);
    const rs = rescaledRange(span.r);
    if (Number.isNaN(rs)) return stress(self, 0.5, 0, 0.5);
    const h = 0.5 + Math.log(rs / expectedRescaledRange(span.n)) / Math.log(span.n);
    return stress(self, h, span.confidence, h);
  },
};
