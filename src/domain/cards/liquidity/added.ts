/**
 * `liquidity.added`: which side new resting orders near the price are joining.
 *
 * Limit orders posted below the price are buyers willing to wait; posted above, sellers. A window
 * in which bids are added faster than asks builds support (bullish). New limit orders move the
 * price in the order-flow model of Cont, Kukanov & Stoikov (2014) with the sign of their side;
 * reading them apart from cancels and fills is a judgment, not calibrated.
 *
 * - band and depth as in `book-traffic.ts` (0.1 % for 1m and 5m, 1 % for 1h)
 * - x = (bidAdded − askAdded) / (bidAdded + askAdded) ∈ [−1, 1], 0 when none (USD added in the
 *   window); score = tanh(z(x)), center 0, prior σ 0.2
 * - confidence = min(1, (bidAdded + askAdded) / resting USD in the band) (1 when the band ends
 *   the window empty after traffic); value = bidAdded − askAdded (USD)
 * - a window without changes is a measured 0 (confidence 0)
 * - unavailable while no book is synced or a side is empty
 *
 * Cost: O(1) after the shared inputs.
 */
import { directional, imbalance, unavailable, type CardDefinition } from "../card.js";
import { bookTraffic, trafficConfidence } from "./book-traffic.js";

export const liquidityAdded: CardDefinition = {
  id: "liquidity.added",
  category: "liquidity",
  formula:
    "x = (bidAdded − askAdded) / (bidAdded + askAdded), depth added near mid in the window (USD); " +
    "score = tanh(z(x)); confidence = min(1, added / resting depth); value = bidAdded − askAdded",
  units: "USD (bids added minus asks added)",
  differs:
    "New orders only: liquidity.pulled reads cancellations, liquidity.depth-flow the net of everything; orderbook.imbalance is the depth standing at the boundary, not what arrived.",
  scale: { center: 0, prior: 0.2 },
  feeds: ["book"],
  compute(input, self) {
    const t = bookTraffic(input);
    if (typeof t === "string") return unavailable(t);
    const { bidAddedUsd: bid, askAddedUsd: ask } = t.change;
    return directional(self, imbalance(bid, ask), trafficConfidence(bid + ask, t), bid - ask);
  },
};
