/**
 * `cascade.cushion-pull`: how much the withdrawal of resting depth in the window has raised the
 * cascade ratio (estimated fuel / resting depth) on each side. Makers who pull their orders in
 * front of a cluster of liquidation levels leave less to absorb the forced orders when price gets
 * there; depth pulled where no fuel lies does not count.
 *
 * - B = the widest band of the book-change input (inputs.bookChangeBandsPct: 0.1 %, 1 %) that the
 *   primary book reaches (see book-reach.ts); P = last trade
 * - asks: pulled = max(0, max(0, askRemovedUsd − taker buy notional of the window) − askAddedUsd):
 *   cancellations (taker buys remove asks: fills are not cancellations) beyond the depth added;
 *   D = ask notional within +B % now; F = estimated short levels in (P, P·(1 + B/100)]
 * - ΔR_up = F/D − F/(D + pulled): the rise of the levels/depth ratio the withdrawal caused
 *   (= (F/D) · pulled/(D + pulled)); ΔR_down likewise with bids, taker sells and long levels below
 * - x = ΔR_up − ΔR_down; score = tanh(z(x)), center 0, prior σ 0.1; value = x
 * - confidence = min(1, OI cohorts / levelFullConfidenceCohorts)
 * - unavailable before the first trade, while no book is synced, with an empty book side, when
 *   the book reaches none of the bands, and when a side has levels but no depth left (ratio infinite)
 *
 * Why: liquidity providers withdraw ahead of expected one-sided flow (the 2010 Flash Crash is the
 * studied case of depth vanishing in front of forced selling: Kirilenko, Kyle, Samadi and Tuzun,
 * "The Flash Crash", JF 2017), so a cushion thinning in front of the fuel is a cascade being
 * prepared. A judgment, not calibrated. Depth changes are summed over the venues' synced books
 * (src/domain/inputs/book-change.ts); taker volume of venues without a book feed is subtracted
 * too, so pulled is a lower bound; the fuel is estimated (docs/liquidation-model.md).
 */
import { directional, support, unavailable, type CardDefinition, sideUnknown } from "../card.js";
import type { BandChange } from "../../inputs/book-change.js";
import { fuelNear, levelMap } from "../levels/level-map.js";
import { bookReachPct, pct } from "./book-reach.js";

/** Depth withdrawn net of fills and additions, USD. */
function pulled(removedUsd: number, filledUsd: number, addedUsd: number): number {
  return Math.max(0, Math.max(0, removedUsd - filledUsd) - addedUsd);
}

/** F/D − F/(D + p); null when there are levels but no depth. */
function ratioRise(fuelUsd: number, depthUsd: number, pulledUsd: number): number | null {
  if (fuelUsd === 0) return 0;
  if (depthUsd <= 0) return null;
  return fuelUsd / depthUsd - fuelUsd / (depthUsd + pulledUsd);
}

export const cascadeCushionPull: CardDefinition = {
  id: "cascade.cushion-pull",
  category: "cascade",
  formula:
    "x = ΔR_up − ΔR_down, ΔR = F/D − F/(D + pulled): the rise of estimated levels / resting depth caused by depth withdrawn in the window (cancels beyond adds, fills excluded) within the widest book-change band; " +
    "score = tanh(z(x)); confidence = min(1, cohorts / levelFullConfidenceCohorts); value = x",
  units: "ratio (rise of levels / depth from withdrawn depth, up − down)",
  differs:
    "Depth withdrawn only where estimated fuel lies behind it, as the rise of the cascade ratio; liquidity.pulled reads cancellations without the fuel, cascade.risk-up/down the ratio standing now.",
  scale: { center: 0, prior: 0.1 },
  feeds: ["oi", "book", "trade"],
  compute({ liq, book, bookChange, window: w, params }, self) {
    const map = levelMap(liq);
    if (typeof map === "string") return unavailable(map);
    if (!book.synced) return unavailable("book not synced");
    const blind = sideUnknown(w);
    if (blind !== null) return unavailable(blind);
    const reach = bookReachPct(book);
    if (reach === null) return unavailable("book side empty");
    let change: BandChange | undefined;
    for (const c of bookChange) if (c.bandPct <= Math.min(reach.ask, reach.bid) && (change === undefined || c.bandPct > change.bandPct)) change = c;
    if (change === undefined) return unavailable(`book reaches only +${pct(reach.ask)} % / −${pct(reach.bid)} % of mid, inside every book-change band`);
    const depth = book.depthWithin(change.bandPct);
    if (depth === null) return unavailable("book side empty");
    const { up, down } = fuelNear(map.view, map.price, change.bandPct);
    const riseUp = ratioRise(up, depth.askNotionalUsd, pulled(change.askRemovedUsd, w.buyNotionalUsd, change.askAddedUsd));
    const riseDown = ratioRise(down, depth.bidNotionalUsd, pulled(change.bidRemovedUsd, w.sellNotionalUsd, change.bidAddedUsd));
    if (riseUp === null || riseDown === null) return unavailable("no resting depth in the band");
    return directional(self, riseUp - riseDown, support(liq.cohorts, params.levelFullConfidenceCohorts));
  },
};
