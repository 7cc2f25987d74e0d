/**
 * `funding.implied`: where funding is heading — the funding the window's premium implies against
 * the funding charged now.
 *
 * Every venue computes funding from the average premium of the interval through the same formula
 * (`F = P + clamp(I − P, ±0.05 %)`, src/domain/cards/funding/funding-terms.ts), so the funding
 * published mid-interval lags the premium. Putting the window's premium through the formula gives
 * the funding it would settle at if it persisted; the difference with the rate published now is
 * the move funding still has to make. Read contrarian like `funding.rate`: funding about to rise is
 * the long side about to pay more (bearish), funding about to fall is relief for longs (bullish).
 * While the premium stays inside the clamp band and funding is pinned at the interest rate, the
 * card reads zero. Approximate: the mark − index premium stands in for the venues' impact-price
 * premium index, and the window for the interval.
 *
 * - per venue with a current 8-hour-equivalent rate F_v and a time-weighted premium P̄_v in the
 *   window (bps): g_v = impliedFunding8h(P̄_v / 10⁴, fundingBaselineRate)
 * - G = Σ_v (g_v − F_v) · covered_v / Σ_v covered_v, covered_v = the premium's coverage of the window
 * - x = −G; score = tanh(z(x)), center 0, prior σ 0.02 % per 8 h
 * - confidence = Σ covered_v / (venues with funding · window); value = G (positive: funding to rise)
 * - unavailable until a mark carried a funding rate, until a mark carried an index price (OKX sends
 *   none), and when no venue has both a current rate and a premium in the window
 */
import { directional, unavailable, type CardDefinition } from "../card.js";
import { impliedFunding8h, NO_FUNDING_REASON } from "./funding-terms.js";

export const fundingImplied: CardDefinition = {
  id: "funding.implied",
  category: "funding",
  formula:
    "x = −G, G = (P̄ + clamp(I − P̄, ±0.05 %)) − rate8h now per venue, P̄ = the window's time-weighted premium, venues weighted by premium coverage; score = tanh(z(x)) (funding about to rise: bearish); " +
    "confidence = covered time / (venues · window); value = G",
  units: "fraction per 8 h",
  differs:
    "The funding move the premium has not yet passed on, forward-looking; funding.drift reads the move already made, funding.rate the level, derivatives.premium the premium itself (zero here while it stays inside the clamp band).",
  scale: { center: 0, prior: 0.0002 },
  feeds: ["mark"],
  compute({ funding, premium, windowMs, params }, self) {
    if (funding.length === 0) return unavailable(NO_FUNDING_REASON);
    if (premium.length === 0) return unavailable("no index price in mark feed (no premium to imply funding from)");
    let weighted = 0;
    let covered = 0;
    for (const f of funding) {
      if (f.rate8h === null) continue;
      for (const p of premium) {
        if (p.venue !== f.venue || p.window.mean === null) continue;
        weighted += (impliedFunding8h(p.window.mean / 1e4, params.fundingBaselineRate) - f.rate8h) * p.window.coveredMs;
        covered += p.window.coveredMs;
      }
    }
    if (covered === 0) return unavailable("no venue has both a current funding rate and a premium in the window");
    const gap = weighted / covered;
    return directional(self, -gap, covered / (funding.length * windowMs), gap);
  },
};
