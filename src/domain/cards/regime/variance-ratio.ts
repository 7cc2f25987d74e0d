/**
 * `regime.variance-ratio` (stress): Lo and MacKinlay's (1988, "Stock market prices do not follow
 * random walks: evidence from a simple specification test") variance ratio of the span's minute
 * returns. Under a random walk the variance of q-minute returns is q times that of one-minute
 * returns (VR = 1); positively autocorrelated returns (moves that continue: trending) make it
 * larger, negatively autocorrelated ones (moves that revert: ranging, mean reverting) smaller.
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60), r_i their log returns,
 *   p_k = Σ_{i ≤ k} r_i; q = 5 minutes (`VARIANCE_RATIO_Q`)
 * - μ = p_n / n; σ²_a = Σ (r_i − μ)² / (n − 1)
 * - σ²_c = Σ_{k=q..n} (p_k − p_{k−q} − qμ)² / m, m = q(n − q + 1)(1 − q/n): overlapping q-minute
 *   returns with Lo–MacKinlay's unbiased divisor (p_0 = 0, so the first q-minute return is p_q)
 * - x = VR(q) = σ²_c / σ²_a
 * - strength = tanh(max(z(x), 0)), center 1, prior σ 0.57 (1m, n = 15), 0.45 (5m, 30), 0.34 (1h,
 *   60): the root mean square of x − 1 on the shared month of AVAX, LINK and DOT minute bars (mean
 *   0.9: these alts revert at the minute scale), a little above Lo–MacKinlay's asymptotic standard
 *   error under a random walk, √(2(2q − 1)(q − 1) / (3qn)) = 0.57, 0.40, 0.28; score 0. Strength reads trending; a ratio below 1 (mean
 *   reverting) is in `value` with no strength
 * - confidence = min(1, traded minutes / 30); value = VR
 * - unavailable while fewer than n minutes of bars exist; a span without trades or price change is
 *   a measured zero (x = 1, confidence 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { meanOf, regimeSpan } from "./span.js";

/** Horizon of the aggregated returns, minutes. */
export const VARIANCE_RATIO_Q = 5;

/** Lo–MacKinlay VR(q) of returns `r` (see the module comment); NaN when they have no variance. */
export function varianceRatio(r: Float64Array, q: number): number {
  const n = r.length;
  const mu = meanOf(r);
  let a = 0;
  for (let i = 0; i < n; i++) a += (r[i] - mu) * (r[i] - mu);
  a /= n - 1;
  // Sliding q-minute sums: the return of minutes k − q + 1 … k.
  let window = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    window += r[i];
    if (i >= q) window -= r[i - q];
    if (i >= q - 1) c += (window - q * mu) * (window - q * mu);
  }
  c /= q * (n - q + 1) * (1 - q / n);
  return a > 0 ? c / a : Number.NaN;
}

export const regimeVarianceRatio: CardDefinition = {
  id: "regime.variance-ratio",
  kind: "stress",
  category: "regime",
  formula:
    "x = VR(5) = σ² of overlapping 5-minute returns / (5 · σ² of minute returns) over the last regimeMinutes[tf] minutes (Lo–MacKinlay, bias-corrected); " +
    "strength = tanh(max(z(x), 0)) with center 1; score 0; confidence = min(1, traded minutes / 30); value = VR",
  units: "ratio (1 = random walk, > 1 trending, < 1 mean reverting)",
  differs:
    "Serial dependence over five-minute horizons (lags 1 to 4 weighted 0.8 to 0.2): regime.autocorrelation reads lag 1 alone, regime.hurst the range of the whole span's " +
    "cumulative path, regime.efficiency net displacement, micro.roll-spread the negative lag-1 bounce as a spread.",
  scale: { center: 1, prior: { "1m": 0.57, "5m": 0.45, "1h": 0.34 } },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe);
    if (typeof span === "string") return unavailable(span);
    const vr = varianceRatio(span.r, VARIANCE_RATIO_Q);
    if (Number.isNaN(vr)) return stress(self, 1, 0, 1);
    return stress(self, vr, span.confidence, vr);
  },
};
