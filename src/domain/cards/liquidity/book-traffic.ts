/**
 * What the liquidity cards share: the window's depth added and removed near the price
 * (`input.bookChange`) in the band closest to the timeframe's book band, the resting depth in
 * that band at the boundary, and the part of the removals that were not fills.
 *
 * - band: of `inputs.bookChangeBandsPct` (0.1 %, 1 %), the one closest to `bookBandPct[tf]`
 *   (0.1 %, 0.25 %, 1 %): 0.1 % for 1m and 5m, 1 % for 1h
 * - depth: `book.depthWithin(band)` at the boundary, summed over synced venue books (USD)
 * - pulled (cancelled) per side = max(0, removed − the window's taker volume that hits that side):
 *   taker buys lift asks, taker sells hit bids (trades execute at the touch, inside every band)
 *
 * Taker volume counts every venue, book changes only the venues with a synced book, so a venue
 * that sends trades and no book understates what was pulled; the floor at 0 keeps it a size.
 * The changes of a window in which the book was unsynced for a while are missing that while: the
 * inputs do not say how long it was synced.
 */
import type { BandDepth } from "../../book.js";
import type { BandChange } from "../../inputs/book-change.js";
import { support, type CardInput, sideUnknown } from "../card.js";

export interface BookTraffic {
  readonly change: BandChange;
  readonly depth: BandDepth;
  /** Resting notional within the band at the boundary, both sides, USD. */
  readonly depthUsd: number;
  readonly bidPulledUsd: number;
  readonly askPulledUsd: number;
}

/** The book-change band closest to `bandPct`. */
export function closestBand(changes: readonly BandChange[], bandPct: number): BandChange | undefined {
  let best: BandChange | undefined;
  for (const c of changes) if (best === undefined || Math.abs(c.bandPct - bandPct) < Math.abs(best.bandPct - bandPct)) best = c;
  return best;
}

/** The card's traffic, or why it has none. */
export function bookTraffic(input: CardInput): BookTraffic | string {
  if (!input.book.synced) return "book not synced";
  const change = closestBand(input.bookChange, input.params.bookBandPct[input.timeframe]);
  if (change === undefined) return "no book-change band configured";
  const depth = input.book.depthWithin(change.bandPct);
  if (depth === null) return "book side empty";
  const w = input.window;
  // Pulled = removed net of fills: it needs the taker side of every fill.
  const blind = sideUnknown(w);
  if (blind !== null) return blind;
  return {
    change,
    depth,
    depthUsd: depth.bidNotionalUsd + depth.askNotionalUsd,
    bidPulledUsd: Math.max(0, change.bidRemovedUsd - w.sellNotionalUsd),
    askPulledUsd: Math.max(0, change.askRemovedUsd - w.buyNotionalUsd),
  };
}

/**
 * Confidence of a reading resting on `usd` of book traffic: min(1, usd / resting depth), 1 when
 * the band is empty and traffic was seen (everything there was moved), 0 without traffic.
 */
export function trafficConfidence(usd: number, t: BookTraffic): number {
  if (usd <= 0) return 0;
  return t.depthUsd > 0 ? support(usd, t.depthUsd) : 1;
}
