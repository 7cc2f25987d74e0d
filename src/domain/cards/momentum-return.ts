/**
 * `momentum.return`: price return over the window, from its first to its last trade.
 *
 * Time-series momentum: a positive return over the horizon leans to continuation
 * (Moskowitz, Ooi & Pedersen 2012). The scale makes a typical move of each horizon
 * count fully (defaults 0.2 % for 1m, 0.5 % for 5m, 2 % for 1h).
 *
 * - value = (close − open) / open (fraction), open/close = first/last trade price in the window
 * - score = clamp(value / momentumScale[timeframe], −1, 1)
 * - strength = |score|
 * - confidence = min(1, trades / tradeFullConfidenceCount)
 */
import { available, clamp, type CardDefinition } from "./card.js";

export const momentumReturn: CardDefinition = {
  id: "momentum.return",
  category: "momentum",
  description:
    "Return over the window: value = (close − open) / open from the first and last trade; " +
    "score = clamp(value / momentumScale[timeframe], −1, 1); strength = |score|; " +
    "confidence = min(1, trades / tradeFullConfidenceCount).",
  feeds: ["trade"],
  compute({ window: w, params }, timeframe) {
    if (w.open === null || w.close === null) return available(0, 0, 0, 0);
    const ret = (w.close - w.open) / w.open;
    const score = clamp(ret / params.momentumScale[timeframe], -1, 1);
    const trades = w.buyCount + w.sellCount;
    return available(score, Math.abs(score), trades / params.tradeFullConfidenceCount, ret);
  },
};
