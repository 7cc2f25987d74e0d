/**
 * `regime.efficiency` (stress): Kaufman's efficiency ratio without its sign, against a random
 * walk. How much of the ground the price covered minute by minute was net progress: a trending
 * market goes somewhere (a ratio near 1), a ranging one covers the same ground again and again
 * (near 0). Kaufman (1995, "Smarter Trading") uses the ratio to speed up or slow down an
 * adaptive average; here it is the state itself, with no direction (the signed ratio belongs to
 * the trend cards).
 *
 * - span: the last n = regimeMinutes[tf] complete minutes (15, 30, 60); r_i = their close-to-close
 *   log returns (regime/span.ts)
 * - ER = |Σ r_i| / Σ |r_i| ∈ [0, 1]
 * - x = ER · √n: for a random walk Σ r = σ√n·Z and Σ|r| ≈ nσ√(2/π), so x ≈ |Z| / √(2/π) whatever
 *   n: mean 1, σ √(π/2 − 1) ≈ 0.76. The center is that random-walk mean, so strength reads "more
 *   efficient than a random walk": trending
 * - strength = tanh(max(z(x), 0)), center 1, prior σ 0.75 (the root mean square of x − 1 on the
 *   shared month of AVAX, LINK and DOT minute bars: 0.74 on every timeframe, as for a random walk); score 0
 * - confidence = min(1, traded minutes / 30); value = ER
 * - unavailable while fewer than n minutes of bars exist; a span without trades or without any
 *   price change is a measured zero (x at the center, confidence 0)
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { regimeSpan } from "./span.js";

/** The random walk's x: E|Z| / √(2/π) = 1. */
export const RANDOM_WALK_EFFICIENCY = 1;

export const regimeEfficiency: CardDefinition = {
  id: "regime.efficiency",
  kind: "stress",
  category: "regime",
  formula:
    "x = √n · |Σ r| / Σ |r| over the last regimeMinutes[tf] minute returns (Kaufman's efficiency ratio; a random walk gives 1 on average); " +
    "strength = tanh(max(z(x), 0)); score 0; confidence = min(1, traded minutes / 30); value = |Σ r| / Σ |r|",
  units: "ratio (net move / path, 0 to 1)",
  differs:
    "Net progress against the path walked, with no direction: the trend cards sign the same ratio, regime.choppiness compares the path with the span's high-low range " +
    "(a round trip to a far extreme is choppy there, inefficient here), regime.variance-ratio and regime.hurst read serial dependence of returns rather than displacement.",
  scale: { center: RANDOM_WALK_EFFICIENCY, prior: 0.75 },
  feeds: ["trade"],
  compute({ bars, params, timeframe }, self) {
    const span = regimeSpan(bars, params, timeframe);
    if (typeof span === "string") return unavailable(span);
    let net = 0;
    let path = 0;
    for (let k = 0; k < span.n; k++) {
      net += span.r[k];
      path += Math.abs(span.r[k]);
    }
    if (path === 0) return stress(self, RANDOM_WALK_EFFICIENCY, 0, 0);
    const er = Math.abs(net) / path;
    return stress(self, er * Math.sqrt(span.n), span.confidence, er);
  },
};
