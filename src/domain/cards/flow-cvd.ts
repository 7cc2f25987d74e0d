/**
 * `flow.cvd`: taker volume delta in the window (the window's slice of cumulative volume delta).
 *
 * Trade `side` is the aggressor: a taker buy lifted the ask. Net taker buying is bullish.
 *
 * - value = buyQty − sellQty (base units)
 * - score = (buyQty − sellQty) / (buyQty + sellQty), 0 without trades
 * - strength = |score|
 * - confidence = min(1, trades / tradeFullConfidenceCount)
 */
import { available, imbalance, type CardDefinition } from "./card.js";

export const flowCvd: CardDefinition = {
  id: "flow.cvd",
  category: "flow",
  description:
    "Taker volume delta in the window: value = buyQty − sellQty (base units); score = (buyQty − sellQty) / (buyQty + sellQty); " +
    "strength = |score|; confidence = min(1, trades / tradeFullConfidenceCount).",
  feeds: ["trade"],
  compute({ window: w, params }) {
    const score = imbalance(w.buyQty, w.sellQty);
    const trades = w.buyCount + w.sellCount;
    return available(score, Math.abs(score), trades / params.tradeFullConfidenceCount, w.buyQty - w.sellQty);
  },
};
