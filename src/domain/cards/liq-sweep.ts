/**
 * `liq.sweep`: estimated liquidation levels just taken by price in the window. A swept long
 * level is an (estimated) forced sell, a swept short level a forced buy, read like
 * `liq.imbalance` but on the estimated map instead of the reported liquidations.
 *
 * - longUsd / shortUsd = notional of long / short levels swept by trades in the window
 *   (notional at the level price, decayed to the sweep time)
 * - score = (shortUsd − longUsd) / (shortUsd + longUsd), 0 without sweeps; strength = |score|
 * - value = shortUsd − longUsd (USD)
 * - confidence = min(1, levels swept / liqFullConfidenceCount)
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md.
 */
import { available, imbalance, type CardDefinition } from "./card.js";

export const liqSweep: CardDefinition = {
  id: "liq.sweep",
  category: "liquidation",
  description:
    "Estimated levels swept by trades in the window: score = (shortSweptUsd − longSweptUsd) / (shortSweptUsd + longSweptUsd) " +
    "(swept shorts are forced buys: bullish); strength = |score|; value = shortSweptUsd − longSweptUsd in USD; " +
    "confidence = min(1, levels swept / liqFullConfidenceCount).",
  feeds: ["oi", "trade"],
  compute({ liq, windowMs, params }) {
    const s = liq.sweptIn(windowMs);
    const score = imbalance(s.shortUsd, s.longUsd);
    return available(score, Math.abs(score), (s.longCount + s.shortCount) / params.liqFullConfidenceCount, s.shortUsd - s.longUsd);
  },
};
