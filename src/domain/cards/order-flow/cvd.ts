/**
 * `flow.cvd`: taker volume delta in the window (the window's slice of cumulative volume delta).
 *
 * Trade `side` is the aggressor: a taker buy lifted the ask. Net taker buying is bullish.
 *
 * - x = (buyQty − sellQty) / (buyQty + sellQty) over all venues, 0 without trades
 * - score = tanh(z(x)), center 0, prior σ 0.3 (1m), 0.2 (5m), 0.1 (1h): longer windows net out more
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = buyQty − sellQty (base units)
 */
import { directional, imbalance, support, type CardDefinition, prints, sideUnknown, unavailable } from "../card.js";

export const flowCvd: CardDefinition = {
  id: "flow.cvd",
  category: "order-flow",
  formula:
    "x = (buyQty − sellQty) / (buyQty + sellQty) of the window's taker volume across venues; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = buyQty − sellQty",
  units: "base units (net taker buying)",
  differs: "The window's net aggression as a share of volume, all venues and all sizes together: the reference the other order-flow and smart-money cards split or compare.",
  scale: { center: 0, prior: { "1m": 0.3, "5m": 0.2, "1h": 0.1 } },
  feeds: ["trade"],
  compute({ window: w, params }, self) {
    const blind = sideUnknown(w);
    if (blind !== null) return unavailable(blind);
    const trades = prints(w);
    return directional(self, imbalance(w.buyQty, w.sellQty), support(trades, params.tradeFullConfidenceCount), w.buyQty - w.sellQty);
  },
};
