/**
 * `liq.cascade-risk-up`: estimated short-liquidation notional just above the price against
 * the ask depth that would absorb it. Liquidated shorts are forced buys, so a large ratio is
 * fuel for an upward cascade: the card leans bullish and is never negative.
 *
 * - band b = cascadeBandPct[timeframe] (defaults 0.5 % for 1m, 1 % for 5m, 2 % for 1h)
 * - levels = estimated short-level notional with price in (P, P·(1 + b/100)], P = last trade
 * - depth = ask notional within +b % of mid, summed over the synced venue books
 * - value = levels / depth (0 when both are 0)
 * - score = min(1, value / cascadeFullRatio); strength = score
 * - confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts)
 * - unavailable without an open-interest or book feed, before the first trade, while no book
 *   is synced, or when the band holds levels but no depth (the ratio would be infinite)
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md.
 */
import { available, clamp, unavailable, type CardDefinition, type CardInput } from "./card.js";
import type { CardValue, Timeframe } from "../../protocol/snapshot.js";
import { nextDown, nextUp } from "../liquidation/cascade.js";

/** The shared computation of `liq.cascade-risk-up` (+1) and `liq.cascade-risk-down` (−1). */
export function cascadeRiskValue(input: CardInput, timeframe: Timeframe, direction: 1 | -1): CardValue {
  const { liq, book, params } = input;
  const view = liq.levels();
  if (view === null || liq.price === null) return unavailable(liq.price === null ? "no trade price yet" : "no open-interest feed");
  if (!book.synced) return unavailable("book not synced");
  const band = params.cascadeBandPct[timeframe];
  const depth = book.depthWithin(band);
  if (depth === null) return unavailable("book side empty");
  const p = liq.price;
  const levels =
    direction > 0
      ? view.sumUsd("short", nextUp(p), p * (1 + band / 100))
      : view.sumUsd("long", p * (1 - band / 100), nextDown(p));
  const depthUsd = direction > 0 ? depth.askNotionalUsd : depth.bidNotionalUsd;
  if (depthUsd <= 0 && levels > 0) return unavailable("no resting depth in the band");
  const ratio = depthUsd > 0 ? levels / depthUsd : 0;
  const magnitude = clamp(ratio / params.cascadeFullRatio, 0, 1);
  return available(direction * magnitude, magnitude, liq.cohorts / params.levelFullConfidenceCohorts, ratio);
}

export const liqCascadeRiskUp: CardDefinition = {
  id: "liq.cascade-risk-up",
  category: "liquidation",
  description:
    "Upward cascade risk (estimated): value = short-liquidation level notional in (P, P·(1 + b/100)] / ask notional within +b % of mid, " +
    "b = cascadeBandPct[timeframe]; score = min(1, value / cascadeFullRatio) (forced buys: bullish); strength = score; " +
    "confidence = min(1, open-interest cohorts / levelFullConfidenceCohorts).",
  feeds: ["oi", "book", "trade"],
  compute: (input, timeframe) => cascadeRiskValue(input, timeframe, 1),
};
