/**
 * `funding.spread` (stress): how far apart the venues' funding rates are, as 8-hour equivalents.
 *
 * The same position costs different carry on different venues when one venue's crowd is more
 * one-sided than the others'; a wide spread is an open funding arbitrage (long the cheap venue,
 * short the dear one) and a crowd that is venue-local. It has no direction by itself. Comparing
 * raw rates would read an hourly venue as eight times calmer than an 8-hourly one, so every rate
 * is its 8-hour equivalent (src/domain/inputs/funding.ts). Some symbols carry a lasting spread
 * (different interest or caps per venue): the center is the symbol's own rolling mean.
 *
 * - S = max_v r̄_v − min_v r̄_v, r̄_v = time-weighted 8-hour-equivalent rate of venue v over the window
 * - x = S; strength = tanh(max(z(x), 0)), center rolling (prior center 0.01 %), prior σ 0.01 % per 8 h
 * - confidence = Σ covered_v / (venues · window); value = S (fraction per 8 h)
 * - unavailable until a mark carried a funding rate, and below two venues with a rate in the window
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { NO_FUNDING_REASON } from "./funding-terms.js";

export const fundingSpread: CardDefinition = {
  id: "funding.spread",
  category: "funding",
  kind: "stress",
  formula:
    "x = max − min over venues of the time-weighted 8-hour-equivalent funding in the window; strength = tanh(max(z(x), 0)) against the symbol's usual spread; " +
    "confidence = covered time / (venues · window); value = x",
  units: "fraction per 8 h",
  differs:
    "Disagreement between the venues' funding, with no direction; funding.fast-slow signs the gap between hourly and 8-hourly venues, derivatives.premium-dispersion reads the live premiums behind it.",
  scale: { center: "rolling", priorCenter: 0.0001, prior: 0.0001 },
  feeds: ["mark"],
  compute({ funding, windowMs }, self) {
    if (funding.length === 0) return unavailable(NO_FUNDING_REASON);
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    let covered = 0;
    let venues = 0;
    for (const f of funding) {
      const m = f.window8h.mean;
      if (m === null) continue;
      if (m > hi) hi = m;
      if (m < lo) lo = m;
      covered += f.window8h.coveredMs;
      venues++;
    }
    if (venues < 2) return unavailable("fewer than two venues deliver funding in the window");
    return stress(self, hi - lo, covered / (funding.length * windowMs));
  },
};
