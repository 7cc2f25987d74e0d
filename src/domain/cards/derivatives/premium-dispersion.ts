/**
 * `derivatives.premium-dispersion` (stress): how far apart the venues' premiums sit over the window.
 *
 * Each venue's premium is its own perpetual against its own index. When one venue's perp trades
 * much richer or cheaper than the others', its crowd is positioned apart from the rest (a venue-local
 * squeeze, a venue whose traders cannot reach the others): a dislocation that arbitrage has not
 * closed, with no direction by itself. Indexes differ by construction (each venue weighs its own
 * spot basket), so the usual spread differs by symbol: the center is the symbol's own rolling mean.
 *
 * - D = max_v P̄_v − min_v P̄_v over venues with a time-weighted premium P̄_v in the window (bps)
 * - x = D; strength = tanh(max(z(x), 0)), center rolling (prior center 3 bps), prior σ 2 bps
 * - confidence = Σ covered_v / (venues with an index · window); value = D (bps)
 * - unavailable until a mark carried an index price, and below two venues with a premium in the
 *   window
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { NO_INDEX_REASON } from "./premium-path.js";

export const derivativesPremiumDispersion: CardDefinition = {
  id: "derivatives.premium-dispersion",
  category: "derivatives",
  kind: "stress",
  formula:
    "x = max − min over venues of the time-weighted premium (mark − index, bps) in the window; strength = tanh(max(z(x), 0)) against the symbol's usual spread; " +
    "confidence = covered time / (venues · window); value = x",
  units: "bps of index",
  differs:
    "Disagreement between the venues' premiums, each against its own index; derivatives.index-dispersion isolates the spot side, funding.spread the funding charged, cross-venue the perps' traded prices.",
  scale: { center: "rolling", priorCenter: 3, prior: 2 },
  feeds: ["mark"],
  compute({ premium, windowMs }, self) {
    if (premium.length === 0) return unavailable(NO_INDEX_REASON);
    let hi = Number.NEGATIVE_INFINITY;
    let lo = Number.POSITIVE_INFINITY;
    let covered = 0;
    let venues = 0;
    for (const p of premium) {
      const m = p.window.mean;
      if (m === null) continue;
      if (m > hi) hi = m;
      if (m < lo) lo = m;
      covered += p.window.coveredMs;
      venues++;
    }
    if (venues < 2) return unavailable("fewer than two venues have a premium in the window");
    return stress(self, hi - lo, covered / (premium.length * windowMs));
  },
};
