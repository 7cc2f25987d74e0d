/**
 * `liquidity.cancel-ratio`: how much of the makers' traffic near the price is withdrawal.
 *
 * Market makers who fear being picked off cancel more than they post: a rising cancel share
 * means liquidity is leaving faster than it is offered, so the next sweep meets less depth
 * (fleeting liquidity: Hasbrouck & Saar 2009, "Technology and liquidity provision"). A stress
 * reading with no direction.
 *
 * - band and pulled as in `book-traffic.ts` (0.1 % for 1m and 5m, 1 % for 1h)
 * - x = pulled / (pulled + added), both sides, USD in the window ∈ [0, 1] (0 when none)
 * - strength = tanh(max(z(x), 0)); center rolling (the symbol's usual share, from 0.45),
 *   prior σ 0.05: with steady depth, cancels equal adds minus fills, just under half
 * - confidence = min(1, (pulled + added) / resting USD in the band) (1 when the band ends the
 *   window empty after traffic); value = x
 * - a window without changes is a measured 0 (confidence 0)
 * - unavailable while no book is synced or a side is empty; needs trades to tell fills apart
 *
 * Cost: O(1) after the shared inputs.
 */
import { stress, unavailable, type CardDefinition } from "../card.js";
import { bookTraffic, trafficConfidence } from "./book-traffic.js";

export const liquidityCancelRatio: CardDefinition = {
  id: "liquidity.cancel-ratio",
  category: "liquidity",
  kind: "stress",
  formula:
    "x = pulled / (pulled + added) near mid over the window, pulled = removed net of fills, both sides; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, (pulled + added) / resting depth); value = x",
  units: "share of maker traffic that is cancellation (0–1)",
  differs:
    "Withdrawal against posting, both sides together: liquidity.pulled asks which side is cancelled, liquidity.refill whether the side being hit is refilled, liquidity.turnover how fast the book is rewritten at all.",
  scale: { center: "rolling", priorCenter: 0.45, prior: 0.05 },
  feeds: ["book", "trade"],
  compute(input, self) {
    const t = bookTraffic(input);
    if (typeof t === "string") return unavailable(t);
    const pulled = t.bidPulledUsd + t.askPulledUsd;
    const added = t.change.bidAddedUsd + t.change.askAddedUsd;
    const traffic = pulled + added;
    if (traffic === 0) return stress(self, 0, 0);
    return stress(self, pulled / traffic, trafficConfidence(traffic, t));
  },
};
