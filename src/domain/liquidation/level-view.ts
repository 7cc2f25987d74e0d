/**
 * The read side of the estimated liquidation levels: `LevelView`, the alive levels at one instant
 * sorted by price with prefix sums, and the binary searches every reader of a price-sorted level
 * array uses (cascade risk, zones, the level cards). The write side (cohorts, tiers, sweeps) is
 * `levels.ts`.
 */

/**
 * The alive levels at one instant, sorted by price, with prefix sums for O(log n) band sums.
 * Notionals are stored at a reference time and multiplied by `scale` (the decay from that
 * time to the view's) on every read, so a view of an unchanged level set is reused across
 * cycles at O(1). Read notionals through the methods or `usdAt`, never the raw arrays.
 */
export class LevelView {
  readonly longCum: Float64Array;
  readonly longCumPx: Float64Array;
  readonly shortCum: Float64Array;
  readonly shortCumPx: Float64Array;

  constructor(
    readonly longPx: Float64Array,
    readonly longBaseUsd: Float64Array,
    readonly shortPx: Float64Array,
    readonly shortBaseUsd: Float64Array,
    readonly scale = 1,
    sums?: { longCum: Float64Array; longCumPx: Float64Array; shortCum: Float64Array; shortCumPx: Float64Array },
  ) {
    this.longCum = sums?.longCum ?? prefix(longBaseUsd);
    this.longCumPx = sums?.longCumPx ?? prefixProduct(longBaseUsd, longPx);
    this.shortCum = sums?.shortCum ?? prefix(shortBaseUsd);
    this.shortCumPx = sums?.shortCumPx ?? prefixProduct(shortBaseUsd, shortPx);
  }

  /** The same levels with notionals multiplied by `scale` instead (O(1)). */
  withScale(scale: number): LevelView {
    return new LevelView(this.longPx, this.longBaseUsd, this.shortPx, this.shortBaseUsd, scale, this);
  }

  get levels(): number {
    return this.longPx.length + this.shortPx.length;
  }

  /** Notional of the i-th level of `side` (ascending price). */
  usdAt(side: "long" | "short", i: number): number {
    return (side === "long" ? this.longBaseUsd : this.shortBaseUsd)[i] * this.scale;
  }

  totalUsd(side: "long" | "short"): number {
    const cum = side === "long" ? this.longCum : this.shortCum;
    return cum[cum.length - 1] * this.scale;
  }

  /** Notional of `side` levels with price in [lo, hi] (inclusive). */
  sumUsd(side: "long" | "short", lo: number, hi: number): number {
    const px = side === "long" ? this.longPx : this.shortPx;
    const cum = side === "long" ? this.longCum : this.shortCum;
    const a = lowerBound(px, lo);
    const b = upperBound(px, hi);
    return b > a ? (cum[b] - cum[a]) * this.scale : 0;
  }

  /** Σ usd·price of `side` levels in [lo, hi]. */
  sumUsdPx(side: "long" | "short", lo: number, hi: number): number {
    const px = side === "long" ? this.longPx : this.shortPx;
    const cum = side === "long" ? this.longCumPx : this.shortCumPx;
    const a = lowerBound(px, lo);
    const b = upperBound(px, hi);
    return b > a ? (cum[b] - cum[a]) * this.scale : 0;
  }
}

function prefix(xs: Float64Array): Float64Array {
  const out = new Float64Array(xs.length + 1);
  for (let i = 0; i < xs.length; i++) out[i + 1] = out[i] + xs[i];
  return out;
}

function prefixProduct(xs: Float64Array, ys: Float64Array): Float64Array {
  const out = new Float64Array(xs.length + 1);
  for (let i = 0; i < xs.length; i++) out[i + 1] = out[i] + xs[i] * ys[i];
  return out;
}

/** First index with px[i] >= x (px ascending). */
export function lowerBound(px: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = px.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (px[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with px[i] > x. */
function upperBound(px: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = px.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (px[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
