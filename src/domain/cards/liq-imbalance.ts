/**
 * `liq.imbalance`: which side is being liquidated in the window.
 *
 * A liquidated short is a forced buy and a liquidated long a forced sell, so more short
 * notional liquidated pushes price up (bullish) and more long notional pushes it down.
 *
 * - score = (shortNotionalUsd − longNotionalUsd) / (shortNotionalUsd + longNotionalUsd), 0 when none
 * - strength = |score|
 * - confidence = min(1, (longCount + shortCount) / liqFullConfidenceCount)
 * - value = shortNotionalUsd − longNotionalUsd (net forced buying in USD)
 *
 * Binance publishes at most one liquidation per symbol per second, so its counts are a sample.
 */
import { available, imbalance, type CardDefinition } from "./card.js";

export const liqImbalance: CardDefinition = {
  id: "liq.imbalance",
  category: "liquidation",
  description:
    "Liquidation side imbalance in the window: score = (shortNotionalUsd − longNotionalUsd) / (shortNotionalUsd + longNotionalUsd) " +
    "(liquidated shorts are forced buys: bullish); strength = |score|; confidence = min(1, liquidations / liqFullConfidenceCount); " +
    "value = shortNotionalUsd − longNotionalUsd in USD.",
  feeds: ["liquidation"],
  compute({ window: w, params }) {
    const score = imbalance(w.shortLiqNotionalUsd, w.longLiqNotionalUsd);
    const count = w.longLiqCount + w.shortLiqCount;
    return available(score, Math.abs(score), count / params.liqFullConfidenceCount, w.shortLiqNotionalUsd - w.longLiqNotionalUsd);
  },
};
