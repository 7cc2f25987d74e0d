/**
 * `liquidity.pulled`: which side's resting orders near the price are being cancelled.
 *
 * Depth that leaves the book without trading was withdrawn by its owner. Bids pulled from under
 * the price remove support and say buyers lost interest (bearish); asks pulled from above
 * remove resistance (bullish). Cancellations carry information about the direction of the next
 * moves (Cont, Kukanov & Stoikov 2014 count them in the order-flow imbalance); reading the
 * cancels apart from fills and new orders is a judgment, not calibrated.
 *
 * - band, depth and pulled as in `book-traffic.ts` (0.1 % for 1m and 5m, 1 % for 1h):
 *   askPulled = max(0, ask removed − taker buy USD), bidPulled = max(0, bid removed − taker sell USD)
 * - x = (askPulled − bidPulled) / (askPulled + bidPulled) ∈ [−1, 1], 0 when none;
 *   score = tanh(z(x)), center 0, prior σ 0.2
 * - confidence = min(1, (askPulled + bidPulled) / resting USD in the band): how much of the
 *   book's size the reading rests on (1 when the band ends the window empty after traffic);
 *   value = askPulled − bidPulled (USD)
 * - a window without changes is a measured 0 (confidence 0)
 * - unavailable while no book is synced or a side is empty; needs trades to tell fills apart
 *
 * Cost: O(1) after the shared inputs.
 */
import { directional, imbalance, unavailable, type CardDefinition } from "../card.js";
import { bookTraffic, trafficConfidence } from "./book-traffic.js";

export const liquidityPulled: CardDefinition = {
  id: "liquidity.pulled",
  category: "liquidity",
  formula:
    "x = (askPulled − bidPulled) / (askPulled + bidPulled), pulled = depth removed near mid net of the taker volume that hit the side (window); " +
    "score = tanh(z(x)); confidence = min(1, pulled / resting depth); value = askPulled − bidPulled",
  units: "USD (asks pulled minus bids pulled)",
  differs:
    "Cancellations only, fills taken out: liquidity.depth-flow nets everything that left and arrived (fills included), liquidity.added reads the new orders, orderbook cards the depth that stays.",
  scale: { center: 0, prior: 0.2 },
  feeds: ["book", "trade"],
  compute(input, self) {
    const t = bookTraffic(input);
    if (typeof t === "string") return unavailable(t);
    const pulled = t.askPulledUsd + t.bidPulledUsd;
    return directional(self, imbalance(t.askPulledUsd, t.bidPulledUsd), trafficConfidence(pulled, t), t.askPulledUsd - t.bidPulledUsd);
  },
};
