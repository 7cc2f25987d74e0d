/**
 * `flow.count-imbalance`: taker buy prints against taker sell prints in the window, each print
 * one vote whatever its size.
 *
 * Trade `side` is the aggressor. Counting prints instead of volume separates breadth from size:
 * many small aggressors buying while `flow.cvd` is flat means the crowd buys and a few large
 * prints sell. The sign of trades, not their size, carries most of the information in trade-sign
 * models (Hasbrouck 1991, "Measuring the information content of stock trades"); how the crowd's
 * lean relates to price here is a judgment, not calibrated.
 *
 * - x = (buyCount − sellCount) / (buyCount + sellCount) over all venues, 0 without trades
 * - score = tanh(z(x)), center 0, prior σ 0.2 (1m), 0.15 (5m), 0.08 (1h): print counts net out
 *   more than volume
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = buyCount − sellCount (prints)
 * - a window without trades is a measured 0 (confidence 0)
 */
import { directional, imbalance, prints, support, type CardDefinition, unavailable } from "../card.js";

export const flowCountImbalance: CardDefinition = {
  id: "flow.count-imbalance",
  category: "order-flow",
  formula:
    "x = (buyCount − sellCount) / (buyCount + sellCount) of the window's taker prints across venues; score = tanh(z(x)); " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = buyCount − sellCount",
  units: "prints (taker buys minus taker sells)",
  differs:
    "Each print one vote, so it reads how many aggressors lean each way; flow.cvd weighs by volume and follows the largest prints (the gap between the two is the sides' mean print size, so no separate size-skew card).",
  scale: { center: 0, prior: { "1m": 0.2, "5m": 0.15, "1h": 0.08 } },
  feeds: ["trade"],
  compute({ window: w, params }, self) {
    if (w.unsidedCount > 0) return unavailable("print sides unknown for part of the window (it holds bars, which count trades, not their sides)");
    const trades = prints(w);
    return directional(self, imbalance(w.buyCount, w.sellCount), support(trades, params.tradeFullConfidenceCount), w.buyCount - w.sellCount);
  },
};
