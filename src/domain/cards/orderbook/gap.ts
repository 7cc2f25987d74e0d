/**
 * `orderbook.gap`: the widest hole in each side of the book near the price.
 *
 * Large price changes come mostly from gaps in the book, not from large orders: a market order
 * that empties the levels before a hole moves the price across the whole hole (Farmer, Gillemot,
 * Lillo, Mike & Sen 2004, "What really causes large price changes?"). A wider hole on the ask
 * side makes a jump up cheaper than a jump down: bullish. On a book with every tick filled both
 * holes are one tick and x is 0.
 *
 * - band b = bookBandPct[tf] around the primary venue's mid, cut where the held levels end
 *   sooner (`primary-band.ts`: nothing is known beyond a side's last held level)
 * - gap_side = the largest price distance between consecutive levels of the side, from the best
 *   level outward, up to the band edge: the last hole runs to the first level beyond the band,
 *   cut at the edge; a side with no level in the band is one hole from mid to the edge; bps of
 *   mid
 * - x = gap_ask − gap_bid (bps); score = tanh(z(x)), center 0, prior σ 2 bps
 * - confidence = min(1, levels in band / bookFullConfidenceLevels); value = x
 * - unavailable while no book is synced or a side is empty
 *
 * Cost: O(1) after the band's one pass over its levels, shared by the primary-book cards (`primary-band.ts`).
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { primaryBand } from "./primary-band.js";

export const orderbookGap: CardDefinition = {
  id: "orderbook.gap",
  category: "orderbook",
  formula:
    "x = widest hole between consecutive ask levels − widest between bid levels within ±bookBandPct[tf] % of mid (primary book, bps); " +
    "score = tanh(z(x)); confidence = min(1, levels in band / bookFullConfidenceLevels); value = x",
  units: "bps of mid (ask hole minus bid hole)",
  differs:
    "Where the book is empty, not how much rests in it: orderbook.imbalance and orderbook.depth-gradient weigh the size that is there; a side can hold more size and still have a hole near the price.",
  scale: { center: 0, prior: 2 },
  feeds: ["book"],
  compute(input, self) {
    const b = primaryBand(input);
    if (typeof b === "string") return unavailable(b);
    const x = ((b.ask.hole - b.bid.hole) / b.mid) * 1e4;
    return directional(self, x, support(b.bid.n + b.ask.n, input.params.bookFullConfidenceLevels));
  },
};
