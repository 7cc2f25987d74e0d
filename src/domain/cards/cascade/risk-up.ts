/**
 * `cascade.risk-up` (was `liq.cascade-risk-up`): estimated short-liquidation notional just above
 * the price against the ask depth that would absorb it. Liquidated shorts are forced buys, so a
 * large ratio is fuel for an upward cascade: the card leans bullish and is never negative.
 *
 * - band b = cascadeBandPct[timeframe] (0.5 %, 1 %, 2 %); P = last trade
 * - ratio = estimated short-level notional in (P, P·(1 + b/100)] / ask notional within +b % of mid,
 *   summed over the synced venue books
 * - x = ratio; score = tanh(z(x)), center 0, prior σ 1 (a ratio of 1 is fuel equal to the cushion; a
 *   judgment, not calibrated)
 * - confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts); value = ratio
 * - unavailable without open interest, before the first trade, while no book is synced, or when the
 *   band holds levels but no depth (the ratio would be infinite)
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md. The depth is
 * what the venue books hold: a book capped at `maxBookLevels` levels that ends inside the band
 * understates it (and overstates the ratio); cascade.trigger-distance, cascade.convexity and cascade.cushion-pull check
 * the band against the book's reach (book-reach.ts), this card keeps its formula.
 */
import type { CardDefinition } from "../card.js";
import { cascadeRiskValue } from "./risk-ratio.js";

export const cascadeRiskUp: CardDefinition = {
  id: "cascade.risk-up",
  category: "cascade",
  formula:
    "x = estimated short-liquidation notional in (P, P·(1 + b/100)] / ask notional within +b % of mid, b = cascadeBandPct[tf]; score = tanh(z(x)) ≥ 0; " +
    "confidence = min(1, OI cohorts / levelFullConfidenceCohorts); value = x",
  units: "ratio (estimated levels / resting depth)",
  differs: "Fuel above price measured against the liquidity that must absorb it; levels.magnet reads where the levels are, not whether the book can take them.",
  scale: { center: 0, prior: 1 },
  feeds: ["oi", "book", "trade"],
  compute: (input, self) => cascadeRiskValue(input, self, 1),
};
