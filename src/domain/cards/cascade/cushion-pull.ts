/**
 * `cascade.cushion-pull`: resting depth being withdrawn in front of estimated liquidation fuel.
 * Makers who pull their orders ahead of a cluster of liquidation levels leave less to absorb the
 * forced orders when price gets there.
 *
 * - B = the widest band of the book-change input (inputs.bookChangeBandsPct, 1 % by default)
 * - asks: cancelled = max(0, askRemovedUsd − taker buy notional of the window) (taker buys remove
 *   asks: fills are not cancellations); pulled = max(0, cancelled − askAddedUsd) (net withdrawal);
 *   w_ask = pulled / (ask notional within +B % now + pulled), the share of the cushion withdrawn;
 *   bids likewise with taker sells
 * - fuel shares within B of P = last trade: f_up = Fu / (Fu + Fd), f_down = Fd / (Fu + Fd) with Fu the
 *   estimated short levels above, Fd the long levels below (0 without levels)
 * - x = f_up · w_ask − f_down · w_bid; score = tanh(z(x)), center 0, prior σ 0.1; value = x
 * - confidence = min(1, OI cohorts / levelFullConfidenceCohorts)
 * - unavailable before the first trade, while no book is synced, and when a book side is empty
 *
 * Why: liquidity providers withdraw ahead of expected one-sided flow (the 2010 Flash Crash is the
 * studied case of depth vanishing in front of forced selling: Kirilenko, Kyle, Samadi and Tuzun,
 * "The Flash Crash", JF 2017), so a cushion thinning in front of the fuller side is a cascade being
 * prepared. A judgment, not calibrated. Depth changes are summed
 * over the venues' synced books (src/domain/inputs/book-change.ts); the fuel is estimated.
 */
import { directional, support, unavailable, type CardDefinition } from "../card.js";
import { fuelNear, levelMap } from "../levels/level-map.js";

/** Share of a side's cushion withdrawn net of fills and additions. */
function withdrawn(removedUsd: number, filledUsd: number, addedUsd: number, depthUsd: number): number {
  const pulled = Math.max(0, Math.max(0, removedUsd - filledUsd) - addedUsd);
  return pulled > 0 ? pulled / (depthUsd + pulled) : 0;
}

export const cascadeCushionPull: CardDefinition = {
  id: "cascade.cushion-pull",
  category: "cascade",
  formula:
    "x = f_up · w_ask − f_down · w_bid, w = depth withdrawn net (cancels beyond adds, fills excluded) / (depth now + withdrawn) within the widest book-change band, f = side's share of the estimated levels there; " +
    "score = tanh(z(x)); confidence = min(1, cohorts / levelFullConfidenceCohorts); value = x",
  units: "fraction (fuel share × share of depth withdrawn, up − down)",
  differs:
    "Depth being pulled in front of the fuller side of the estimated map; cascade.risk-up/down read the depth standing now, liquidity cards the depth changes without the fuel behind them.",
  scale: { center: 0, prior: 0.1 },
  feeds: ["oi", "book", "trade"],
  compute({ liq, book, bookChange, window: w, params }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    if (!book.synced) return unavailable("book not synced");
    let change = bookChange[0];
    for (const c of bookChange) if (c.bandPct > change.bandPct) change = c;
    const depth = book.depthWithin(change.bandPct);
    if (depth === null) return unavailable("book side empty");
    const wAsk = withdrawn(change.askRemovedUsd, w.buyNotionalUsd, change.askAddedUsd, depth.askNotionalUsd);
    const wBid = withdrawn(change.bidRemovedUsd, w.sellNotionalUsd, change.bidAddedUsd, depth.bidNotionalUsd);
    const { up, down } = fuelNear(map.view, map.price, change.bandPct);
    const fuel = up + down;
    const x = fuel > 0 ? (up * wAsk - down * wBid) / fuel : 0;
    return directional(self, x, support(liq.cohorts, params.levelFullConfidenceCohorts));
  },
};
