/**
 * The primary venue's book within a band around its own mid, summed once per band and cycle for
 * the orderbook cards that read single levels (`orderbook.depth-gradient`, `orderbook.wall`,
 * `orderbook.gap`, `orderbook.weighted-imbalance`).
 *
 * - levels: the engine's per-cycle copy of the primary book (`book.levels()`, best first)
 * - mid = (best bid + best ask) / 2; the band is ±bookBandPct[tf] % of mid, as in
 *   `OrderBook.depthWithin`
 * - a book keeps only its best `maxBookLevels` levels per side (Hyperliquid sends 20): when a
 *   side's last held level lies inside the band, what lies beyond it is unknown, so the band is
 *   cut to the nearer of the two sides' last held levels and both sides are read over the same
 *   distance (a short side is not mistaken for a thin one). A book that really ends there is
 *   read the same way: the inputs cannot tell the two apart.
 *
 * Per side, over its levels in the band (d = |p − mid|, h = the band's half width in price):
 * size Σq, distance Σq·d, nearness-weighted notional Σ(1 − d/h)·p·q, the largest level, and the
 * widest hole between consecutive levels (the last hole runs to the first level beyond the band,
 * cut at the edge; a side with no level in the band is one hole from mid to the edge).
 *
 * Cost: one pass over the levels in the band per band and cycle (the cards of the three
 * timeframes share it through a cache keyed on the cycle's levels object); O(1) per card after.
 */
import type { Level } from "../../events.js";
import type { CardInput } from "../card.js";

export interface BandSide {
  /** Levels of the side within the band (the first `n`). */
  readonly n: number;
  /** Σ q, base units. */
  readonly qty: number;
  /** Σ q · |p − mid|, base units × price. */
  readonly qtyDistance: number;
  /** Σ (1 − |p − mid| / halfWidth) · p · q, USD. */
  readonly nearUsd: number;
  /** Size and price of the side's largest level in the band (the nearer on equal sizes); size 0 without one. */
  readonly wallQty: number;
  readonly wallPrice: number;
  /** Widest empty price interval of the side within the band, price units. */
  readonly hole: number;
}

export interface PrimaryBand {
  readonly mid: number;
  /** The band read, percent of mid: `bookBandPct[tf]`, or less where the held levels end sooner. */
  readonly bandPct: number;
  /** The same band in price units (its half width). */
  readonly halfWidth: number;
  /** `bookBandPct[tf]`, percent of mid. */
  readonly configuredPct: number;
  readonly bid: BandSide;
  readonly ask: BandSide;
}

type Levels = NonNullable<ReturnType<CardInput["book"]["levels"]>>;

const CACHE = new WeakMap<Levels, Map<number, PrimaryBand>>();

function side(levels: readonly Level[], mid: number, halfWidth: number): BandSide {
  let n = 0;
  let qty = 0;
  let qtyDistance = 0;
  let nearUsd = 0;
  let wallQty = 0;
  let wallPrice = 0;
  let hole = 0;
  for (; n < levels.length; n++) {
    const [p, q] = levels[n];
    const d = Math.abs(p - mid);
    if (d > halfWidth) break;
    qty += q;
    qtyDistance += q * d;
    nearUsd += (1 - d / halfWidth) * p * q;
    if (q > wallQty) {
      wallQty = q;
      wallPrice = p;
    }
    if (n > 0) hole = Math.max(hole, Math.abs(p - levels[n - 1][0]));
  }
  if (n === 0) hole = halfWidth;
  else if (n < levels.length) hole = Math.max(hole, halfWidth - Math.abs(levels[n - 1][0] - mid));
  return { n, qty, qtyDistance, nearUsd, wallQty, wallPrice, hole };
}

/** The primary book's band for the card's timeframe, or why there is none. */
export function primaryBand(input: CardInput): PrimaryBand | string {
  const levels = input.book.levels();
  if (!input.book.synced || levels === null) return "book not synced";
  const { bids, asks } = levels;
  if (bids.length === 0 || asks.length === 0) return "book side empty";
  const configuredPct = input.params.bookBandPct[input.timeframe];
  let bands = CACHE.get(levels);
  if (bands === undefined) {
    bands = new Map();
    CACHE.set(levels, bands);
  }
  let band = bands.get(configuredPct);
  if (band === undefined) {
    const mid = (bids[0][0] + asks[0][0]) / 2;
    const halfWidth = Math.min((mid * configuredPct) / 100, mid - bids[bids.length - 1][0], asks[asks.length - 1][0] - mid);
    band = { mid, bandPct: (halfWidth / mid) * 100, halfWidth, configuredPct, bid: side(bids, mid, halfWidth), ask: side(asks, mid, halfWidth) };
    bands.set(configuredPct, band);
  }
  return band;
}
