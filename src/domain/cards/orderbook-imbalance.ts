/**
 * `orderbook.imbalance`: resting depth imbalance near the price, at the cycle boundary.
 *
 * More resting bids than asks close to mid is support (bullish); the order-book imbalance
 * predicts the next mid-price moves over short horizons (Cont, Kukanov & Stoikov 2014,
 * "The price impact of order book events"). The book is a state, not a window, so the
 * timeframes differ by how deep they look: ±bookBandPct[timeframe] % of mid
 * (defaults 0.1 % for 1m, 0.25 % for 5m, 1 % for 1h), summed over synced venue books.
 *
 * - value = bidQty − askQty within the band (base units)
 * - score = (bidQty − askQty) / (bidQty + askQty), 0 when the band is empty
 * - strength = |score|
 * - confidence = min(1, (bidLevels + askLevels in band) / bookFullConfidenceLevels)
 * - unavailable (`book not synced`) while no venue book is synced, (`book side empty`) when
 *   every synced book lacks bids or asks
 */
import { available, imbalance, unavailable, type CardDefinition } from "./card.js";

export const orderbookImbalance: CardDefinition = {
  id: "orderbook.imbalance",
  category: "orderbook",
  description:
    "Book depth imbalance within ±bookBandPct[timeframe] % of mid (summed over synced venue books): " +
    "value = bidQty − askQty (base units); score = (bidQty − askQty) / (bidQty + askQty); strength = |score|; " +
    "confidence = min(1, levels in band / bookFullConfidenceLevels); unavailable while no book is synced.",
  feeds: ["book"],
  compute({ book, params }, timeframe) {
    if (!book.synced) return unavailable("book not synced");
    const depth = book.depthWithin(params.bookBandPct[timeframe]);
    if (depth === null) return unavailable("book side empty");
    const score = imbalance(depth.bidQty, depth.askQty);
    const levels = depth.bidLevels + depth.askLevels;
    return available(score, Math.abs(score), levels / params.bookFullConfidenceLevels, depth.bidQty - depth.askQty);
  },
};
