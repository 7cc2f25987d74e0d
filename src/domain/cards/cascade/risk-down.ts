/**
 * `cascade.risk-down` (was `liq.cascade-risk-down`): estimated long-liquidation notional just
 * below the price against the bid depth that would absorb it. Liquidated longs are forced sells:
 * the card leans bearish and is never positive.
 *
 * - ratio = estimated long-level notional in [P·(1 − b/100), P) / bid notional within −b % of mid
 * - x = −ratio; score = tanh(z(x)), center 0, prior σ 1; value = ratio
 * - confidence and unavailable branches as `cascade.risk-up`
 */
import type { CardDefinition } from "../card.js";
import { cascadeRiskValue } from "./risk-ratio.js";

export const cascadeRiskDown: CardDefinition = {
  id: "cascade.risk-down",
  category: "cascade",
  formula:
    "x = −(estimated long-liquidation notional in [P·(1 − b/100), P) / bid notional within −b % of mid), b = cascadeBandPct[tf]; score = tanh(z(x)) ≤ 0; " +
    "confidence = min(1, OI cohorts / levelFullConfidenceCohorts); value = the ratio",
  units: "ratio (estimated levels / resting depth)",
  differs: "The mirror of cascade.risk-up below price: forced sells against the bids that would absorb them.",
  scale: { center: 0, prior: 1 },
  feeds: ["oi", "book", "trade"],
  compute: (input, self) => cascadeRiskValue(input, self, -1),
};
