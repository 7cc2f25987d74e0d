/**
 * The primary venue's book within ±bandPct % of its own mid: what the orderbook cards that read
 * single levels (depth gradient, wall, gap, weighted imbalance) share. The levels are the
 * engine's per-cycle copy (`book.levels()`, best first), so this costs O(levels in the band).
 *
 * The band follows `OrderBook.depthWithin`: bids priced at or above mid·(1 − b/100), asks at or
 * below mid·(1 + b/100), mid = (best bid + best ask) / 2.
 */
import type { Level } from "../../events.js";
import type { CardInput } from "../card.js";

export interface PrimaryBand {
  readonly bids: readonly Level[];
  readonly asks: readonly Level[];
  readonly mid: number;
  readonly bandPct: number;
  /** The first `nBid` bids and `nAsk` asks lie within the band. */
  readonly nBid: number;
  readonly nAsk: number;
}

/** The primary book's band for the card's timeframe (`bookBandPct[tf]`), or why there is none. */
export function primaryBand(input: CardInput): PrimaryBand | string {
  const levels = input.book.levels();
  if (!input.book.synced || levels === null) return "book not synced";
  const { bids, asks } = levels;
  if (bids.length === 0 || asks.length === 0) return "book side empty";
  const bandPct = input.params.bookBandPct[input.timeframe];
  const mid = (bids[0][0] + asks[0][0]) / 2;
  const lo = mid * (1 - bandPct / 100);
  const hi = mid * (1 + bandPct / 100);
  let nBid = 0;
  while (nBid < bids.length && bids[nBid][0] >= lo) nBid++;
  let nAsk = 0;
  while (nAsk < asks.length && asks[nAsk][0] <= hi) nAsk++;
  return { bids, asks, mid, bandPct, nBid, nAsk };
}
