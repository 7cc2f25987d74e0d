/**
 * `liq.sweep`: estimated liquidation levels just taken by price in the window. A swept long level
 * is an (estimated) forced sell, a swept short level a forced buy, read like `liq.imbalance` but
 * on the estimated map instead of the reported liquidations.
 *
 * - longUsd / shortUsd = notional of long / short levels swept by trades in the window (notional
 *   at the level price, decayed to the sweep time)
 * - x = (shortUsd − longUsd) / (shortUsd + longUsd), 0 without sweeps; score = tanh(z(x)), center 0, prior σ 0.5
 * - confidence = min(1, levels swept / liqFullConfidenceCount); value = shortUsd − longUsd (USD)
 *
 * Estimated: the levels come from the open-interest model of docs/liquidation-model.md.
 */
import { directional, imbalance, support, type CardDefinition } from "../card.js";

export const liqSweep: CardDefinition = {
  id: "liq.sweep",
  category: "liquidation",
  formula:
    "x = (shortSweptUsd − longSweptUsd) / (shortSweptUsd + longSweptUsd) of estimated levels traded through in the window (swept shorts are forced buys); " +
    "score = tanh(z(x)); confidence = min(1, levels swept / liqFullConfidenceCount); value = shortSweptUsd − longSweptUsd",
  units: "USD (estimated)",
  differs: "Estimated liquidations implied by price crossing modelled levels, not the venues' reported ones (liq.imbalance); it sees venues that publish no liquidations.",
  scale: { center: 0, prior: 0.5 },
  feeds: ["oi", "trade"],
  compute({ liq, windowMs, params }, self) {
    const s = liq.sweptIn(windowMs);
    const x = imbalance(s.shortUsd, s.longUsd);
    return directional(self, x, support(s.longCount + s.shortCount, params.liqFullConfidenceCount), s.shortUsd - s.longUsd);
  },
};
