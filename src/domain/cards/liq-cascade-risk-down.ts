/**
 * `liq.cascade-risk-down`: estimated long-liquidation notional just below the price against
 * the bid depth that would absorb it. Liquidated longs are forced sells, so a large ratio is
 * fuel for a downward cascade: the card leans bearish and is never positive.
 *
 * - band b = cascadeBandPct[timeframe] (defaults 0.5 % for 1m, 1 % for 5m, 2 % for 1h)
 * - levels = estimated long-level notional with price in [P·(1 − b/100), P), P = last trade
 * - depth = bid notional within −b % of mid, summed over the synced venue books
 * - value = levels / depth (0 when both are 0)
 * - score = −min(1, value / cascadeFullRatio); strength = |score|
 * - confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts)
 * - unavailable as `liq.cascade-risk-up`
 */
import type { CardDefinition } from "./card.js";
import { cascadeRiskValue } from "./liq-cascade-risk-up.js";

export const liqCascadeRiskDown: CardDefinition = {
  id: "liq.cascade-risk-down",
  category: "liquidation",
  description:
    "Downward cascade risk (estimated): value = long-liquidation level notional in [P·(1 − b/100), P) / bid notional within −b % of mid, " +
    "b = cascadeBandPct[timeframe]; score = −min(1, value / cascadeFullRatio) (forced sells: bearish); strength = |score|; " +
    "confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts).",
  feeds: ["oi", "book", "trade"],
  compute: (input, timeframe) => cascadeRiskValue(input, timeframe, -1),
};
