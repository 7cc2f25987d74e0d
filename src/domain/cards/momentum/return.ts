/**
 * `momentum.return`: log return over the window, from its first to its last trade, scaled by the
 * symbol's own dispersion of that return (the scaling convention).
 *
 * Time-series momentum: a positive return over the horizon leans to continuation (Moskowitz, Ooi
 * & Pedersen 2012).
 *
 * - x = ln(close / open), open/close = first/last trade price in the window (all venues)
 * - score = tanh(z(x)), center 0, prior σ 0.1 % (1m), 0.25 % (5m), 1 % (1h)
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = x
 * - unavailable (`no trades in the window`) when the window has no trade
 */
import { directional, support, unavailable, type CardDefinition, prints } from "../card.js";

export const momentumReturn: CardDefinition = {
  id: "momentum.return",
  category: "momentum",
  formula: "x = ln(close / open) of the window's first and last trade; score = tanh(z(x)); confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "log return",
  differs: "The window's raw price change scaled by what is usual for the symbol; other momentum cards read bars, acceleration or persistence.",
  scale: { center: 0, prior: { "1m": 0.001, "5m": 0.0025, "1h": 0.01 } },
  feeds: ["trade"],
  compute({ window: w, params }, self) {
    if (w.open === null || w.close === null) return unavailable("no trades in the window");
    return directional(self, Math.log(w.close / w.open), support(prints(w), params.tradeFullConfidenceCount));
  },
};
