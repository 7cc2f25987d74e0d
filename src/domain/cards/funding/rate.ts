/**
 * `funding.rate`: contrarian read of the funding rate over the window, as an 8-hour equivalent.
 *
 * Positive funding means longs pay shorts: longs are crowded, which leans mildly bearish (a crowded
 * side is the one that gets squeezed); funding below the baseline leans bullish. The baseline is
 * the neutral rate venues charge when the premium is zero (Binance's interest component, 0.01 %
 * per 8 h).
 *
 * Every venue's rate is its 8-hour equivalent (`rate · 8 h / interval`: Hyperliquid's hourly rate
 * counts eight times, src/domain/inputs/funding.ts), time-weighted over the window; venues are
 * averaged weighted by how much of the window each covered.
 *
 * - r = Σ_v mean_v · covered_v / Σ_v covered_v (8-hour-equivalent fraction)
 * - x = fundingBaselineRate − r; score = tanh(z(x)), center 0, prior σ 0.0005 (0.05 % per 8 h)
 * - confidence = Σ covered_v / (venues · window): how much of the window had a known rate
 * - value = r
 * - unavailable until a mark carried a funding rate, and when no venue's rate is known in the window
 */
import { directional, unavailable, type CardDefinition } from "../card.js";

export const fundingRate: CardDefinition = {
  id: "funding.rate",
  category: "funding",
  formula:
    "x = fundingBaselineRate − r, r = time-weighted 8-hour-equivalent funding over the window, averaged over venues by coverage; score = tanh(z(x)) (contrarian); " +
    "confidence = covered time / (venues · window); value = r",
  units: "fraction per 8 h",
  differs: "The level of the carry longs pay against the neutral baseline; derivatives cards read the live premium that drives it, positioning cards combine it with open interest.",
  scale: { center: 0, prior: 0.0005 },
  feeds: ["mark"],
  compute({ funding, windowMs, params }, self) {
    if (funding.length === 0) return unavailable("no funding rate in mark feed");
    let weighted = 0;
    let covered = 0;
    for (const f of funding) {
      if (f.window8h.mean === null) continue;
      weighted += f.window8h.mean * f.window8h.coveredMs;
      covered += f.window8h.coveredMs;
    }
    if (covered === 0) return unavailable("no funding rate known within the window");
    const r = weighted / covered;
    return directional(self, params.fundingBaselineRate - r, covered / (funding.length * windowMs), r);
  },
};
