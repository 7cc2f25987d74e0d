/**
 * `orderbook.imbalance`: resting depth imbalance near the price, at the cycle boundary.
 *
 * More resting bids than asks close to mid is support (bullish); the order-book imbalance predicts
 * the next mid-price moves over short horizons (Cont, Kukanov & Stoikov 2014, "The price impact of
 * order book events"). The book is a state, not a window, so the timeframes differ by how deep they
 * look: ±bookBandPct[timeframe] % of mid (0.1 %, 0.25 %, 1 %), summed over synced venue books.
 *
 * - x = (bidQty − askQty) / (bidQty + askQty) within the band; score = tanh(z(x)), prior σ 0.3
 * - confidence = min(1, (bidLevels + askLevels in band) / bookFullConfidenceLevels)
 * - value = bidQty − askQty (base units)
 * - unavailable while no venue book is synced, or when every synced book lacks bids or asks
 */
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";

export const orderbookImbalance: CardDefinition = {
  id: "orderbook.imbalance",
  category: "orderbook",
  formula:
    "x = (bidQty − askQty) / (bidQty + askQty) within ±bookBandPct[tf] % of mid, summed over synced books; score = tanh(z(x)); " +
    "confidence = min(1, levels in band / bookFullConfidenceLevels); value = bidQty − askQty",
  units: "base units (resting bids minus asks)",
  differs: "Resting (passive) size near price, a state at the boundary; order-flow cards read executed (aggressive) volume over the window.",
  scale: { center: 0, prior: 0.3 },
  feeds: ["book"],
  compute({ book, params, timeframe }, self) {
    if (!book.synced) return unavailable("book not synced");
    const depth = book.depthWithin(params.bookBandPct[timeframe]);
    if (depth === null) return unavailable("book side empty");
    const levels = depth.bidLevels + depth.askLevels;
    return directional(self, imbalance(depth.bidQty, depth.askQty), support(levels, params.bookFullConfidenceLevels), depth.bidQty - depth.askQty);
  },
};
