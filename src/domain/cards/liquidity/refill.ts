/**
 * `liquidity.refill`: whether the side takers are hitting is being refilled.
 *
 * A resilient book replaces what takers consume: after a market buy lifts the asks, new asks
 * arrive (resiliency: Foucault, Kadan & Kandel 2005; Large 2007, "Measuring the resiliency of an
 * electronic limit order book"). When the side under attack is consumed faster than it is
 * refilled, the next orders move the price further. A stress reading with no direction.
 *
 * - band as in `book-traffic.ts` (0.1 % for 1m and 5m, 1 % for 1h)
 * - the hit side: asks when taker buy USD ≥ taker sell USD, else bids; F = the window's taker
 *   USD on it, A = depth added to it in the band (USD)
 * - x = F / (F + A) ∈ [0, 1] (0 without trades): the share of the hit side's traffic that is
 *   consumption; strength = tanh(max(z(x), 0)), center rolling (the symbol's usual, from 0.1),
 *   prior σ 0.1
 * - confidence = min(1, trades / tradeFullConfidenceCount); value = x
 * - a window without trades is a measured 0 (confidence 0)
 * - unavailable while no book is synced or a side is empty
 *
 * Taker volume counts every venue, additions only venues with a synced book.
 * Cost: O(1) after the shared inputs.
 */
import { stress, support, unavailable, type CardDefinition, prints, sideUnknown } from "../card.js";
import { bookTraffic } from "./book-traffic.js";

export const liquidityRefill: CardDefinition = {
  id: "liquidity.refill",
  category: "liquidity",
  kind: "stress",
  formula:
    "x = F / (F + A) on the side takers hit more (window), F = taker USD, A = depth added near mid on that side; strength = tanh(max(z(x), 0)) against the symbol's usual; " +
    "confidence = min(1, trades / tradeFullConfidenceCount); value = x",
  units: "share of the hit side's traffic that is consumption (0–1)",
  differs:
    "Consumption against replenishment on the side under attack: liquidity.cancel-ratio reads makers withdrawing on both sides, liquidity.added which side gets new orders regardless of where takers hit.",
  scale: { center: "rolling", priorCenter: 0.1, prior: 0.1 },
  feeds: ["book", "trade"],
  compute(input, self) {
    const t = bookTraffic(input);
    if (typeof t === "string") return unavailable(t);
    const w = input.window;
    const blind = sideUnknown(w);
    if (blind !== null) return unavailable(blind);
    const asks = w.buyNotionalUsd >= w.sellNotionalUsd;
    const fills = asks ? w.buyNotionalUsd : w.sellNotionalUsd;
    const added = asks ? t.change.askAddedUsd : t.change.bidAddedUsd;
    const x = fills > 0 ? fills / (fills + added) : 0;
    return stress(self, x, support(prints(w), input.params.tradeFullConfidenceCount));
  },
};
