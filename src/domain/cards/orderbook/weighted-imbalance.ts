/**
 * `orderbook.weighted-imbalance`: bid against ask notional near the price, each level weighted by
 * how close it sits.
 *
 * A level at the touch is the next to trade; one at the band edge matters only if price gets
 * there. Weighing resting notional by nearness keeps a far wall from outvoting the queues that
 * price meets first; depth beyond the touch adds to the touch's predictive power with weights
 * that fall with distance (Cao, Hansch & Wang 2009). The linear weight is a judgment, not
 * calibrated.
 *
 * - band b = bookBandPct[tf] around the primary venue's mid, cut where the held levels end
 *   sooner (`primary-band.ts`); per level w = 1 − |p − mid| / (mid · b / 100), notional p · q (USD)
 * - B = Σ w · p · q over bids in the band, A = the same over asks
 * - x = (B − A) / (B + A) ∈ [−1, 1], 0 when both are 0; score = tanh(z(x)), center 0, prior σ 0.3
 * - confidence = min(1, levels in band / bookFullConfidenceLevels); value = B − A (USD, weighted)
 * - unavailable while no book is synced or a side is empty
 *
 * Cost: O(1) after the band's one pass over its levels, shared by the primary-book cards (`primary-band.ts`).
 */
import { directional, imbalance, support, unavailable, type CardDefinition } from "../card.js";
import { primaryBand } from "./primary-band.js";

export const orderbookWeightedImbalance: CardDefinition = {
  id: "orderbook.weighted-imbalance",
  category: "orderbook",
  formula:
    "x = (B − A) / (B + A), B, A = Σ (1 − distance / band) · USD notional of the bids, asks within ±bookBandPct[tf] % (primary book); " +
    "score = tanh(z(x)); confidence = min(1, levels in band / bookFullConfidenceLevels); value = B − A",
  units: "USD (distance-weighted resting bids minus asks)",
  differs:
    "orderbook.imbalance counts every level of the band alike in base units across venues, so a far wall weighs as much as the touch; this one lets the near queues dominate. orderbook.microprice reads the touch alone.",
  scale: { center: 0, prior: 0.3 },
  feeds: ["book"],
  compute(input, self) {
    const b = primaryBand(input);
    if (typeof b === "string") return unavailable(b);
    const bid = b.bid.nearUsd;
    const ask = b.ask.nearUsd;
    return directional(self, imbalance(bid, ask), support(b.bid.n + b.ask.n, input.params.bookFullConfidenceLevels), bid - ask);
  },
};
