/**
 * `liq.imbalance`: which side is being liquidated in the window.
 *
 * A liquidated short is a forced buy and a liquidated long a forced sell, so more short notional
 * liquidated pushes price up (bullish) and more long notional pushes it down.
 *
 * - x = (shortUsd − longUsd) / (shortUsd + longUsd) of the window's liquidations, 0 when none
 * - score = tanh(z(x)), center 0, prior σ 0.5; strength = |score|
 * - confidence = min(1, liquidations / liqFullConfidenceCount)
 * - value = shortUsd − longUsd (USD: net forced buying), labelled `sampled` when a venue in the
 *   window publishes at most one liquidation per second
 */
import { directional, imbalance, liquidationSampling, support, type CardDefinition } from "../card.js";

export const liqImbalance: CardDefinition = {
  id: "liq.imbalance",
  category: "liquidation",
  formula:
    "x = (shortUsd − longUsd) / (shortUsd + longUsd) over the window's liquidations (liquidated shorts are forced buys); score = tanh(z(x)); " +
    "confidence = min(1, liquidations / liqFullConfidenceCount); value = shortUsd − longUsd",
  units: "USD (net forced buying)",
  differs: "Which side is liquidated, as a share of the notional; liq.intensity asks how much compared with usual, liq.sweep reads the estimated map instead of reported liquidations.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["liquidation"],
  compute({ window: w, venues, params }, self) {
    const x = imbalance(w.shortLiqNotionalUsd, w.longLiqNotionalUsd);
    const count = w.longLiqCount + w.shortLiqCount;
    return directional(self, x, support(count, params.liqFullConfidenceCount), w.shortLiqNotionalUsd - w.longLiqNotionalUsd, liquidationSampling(venues));
  },
};
