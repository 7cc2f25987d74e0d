/**
 * One side of an order book: price levels sorted best first (bids descending, asks ascending),
 * at most `maxLevels` of them.
 *
 * Storage: two `Float64Array`s and a length. Setting, inserting or removing a level is a binary
 * search and at most one native `copyWithin` per array (a memmove of the levels worse than it),
 * with no allocation: the plain arrays with `splice` this replaces allocated the removed elements
 * on every call. (A ring that moves the shorter side was tried and measured slower on the recorded
 * Binance BTCUSDT depth stream: its updates reach deep into the book, and a JavaScript loop moving
 * hundreds of levels loses to one memmove.)
 *
 * Readers index it best first (`priceAt`, `sizeAt`); `levels()` copies. Memory: two arrays grown
 * by doubling up to `maxLevels`.
 */
import type { Level } from "./events.js";

/** Read access to a side, best first. */
export interface SideLevels {
  readonly length: number;
  /** Price of the i-th best level (0 ≤ i < length). */
  priceAt(i: number): number;
  /** Size of the i-th best level, base units. */
  sizeAt(i: number): number;
}

const INITIAL_CAPACITY = 64;

export class BookSide implements SideLevels {
  private px: Float64Array;
  private qty: Float64Array;
  private n = 0;

  constructor(
    /** True for bids (descending prices), false for asks (ascending). */
    readonly descending: boolean,
    readonly maxLevels: number,
  ) {
    const cap = Math.min(INITIAL_CAPACITY, maxLevels);
    this.px = new Float64Array(cap);
    this.qty = new Float64Array(cap);
  }

  /** Levels held. */
  get length(): number {
    return this.n;
  }

  priceAt(i: number): number {
    return this.px[i];
  }

  sizeAt(i: number): number {
    return this.qty[i];
  }

  clear(): void {
    this.n = 0;
  }

  /**
   * Sets a level: size `q` at `price` (0 removes it). Returns its size before (0 when new), or −1
   * when the update was ignored (a new level beyond the kept levels).
   */
  set(price: number, q: number): number {
    const n = this.n;
    const i = this.search(price);
    if (i < n && this.px[i] === price) {
      const before = this.qty[i];
      if (q === 0) {
        this.px.copyWithin(i, i + 1, n);
        this.qty.copyWithin(i, i + 1, n);
        this.n = n - 1;
      } else this.qty[i] = q;
      return before;
    }
    if (q === 0) return 0;
    if (i >= this.maxLevels) return -1;
    if (n === this.px.length && n < this.maxLevels) this.grow(n + 1);
    // Move the worse levels down one slot; a full side drops its worst.
    const end = n < this.maxLevels ? n : n - 1;
    if (i < end) {
      this.px.copyWithin(i + 1, i, end);
      this.qty.copyWithin(i + 1, i, end);
    }
    this.px[i] = price;
    this.qty[i] = q;
    if (n < this.maxLevels) this.n = n + 1;
    return 0;
  }

  /** Replaces the side with a snapshot's levels: zero sizes dropped, sorted best first, a repeated price keeping its later size, at most `maxLevels`. */
  load(levels: readonly Level[]): void {
    const d = this.descending;
    const sorted = levels.filter((l) => l[1] > 0).sort((a, b) => (d ? b[0] - a[0] : a[0] - b[0]));
    this.grow(Math.min(sorted.length, this.maxLevels));
    let n = 0;
    for (let i = 0; i < sorted.length && n < this.maxLevels; i++) {
      if (n > 0 && this.px[n - 1] === sorted[i][0]) this.qty[n - 1] = sorted[i][1];
      else {
        this.px[n] = sorted[i][0];
        this.qty[n] = sorted[i][1];
        n++;
      }
    }
    this.n = n;
  }

  /** Appends a level known to sort after every held one (restoring a saved side); ignored when full. */
  push(price: number, q: number): void {
    if (this.n >= this.maxLevels) return;
    this.grow(this.n + 1);
    this.px[this.n] = price;
    this.qty[this.n] = q;
    this.n++;
  }

  /** The best `limit` levels as `[price, size]` pairs (copies). */
  levels(limit = Infinity): Level[] {
    const n = Math.min(limit, this.n);
    const out: Level[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [this.px[i], this.qty[i]];
    return out;
  }

  /** Makes room for `needed` levels (capacity doubles, at most `maxLevels`); keeps the held ones. */
  private grow(needed: number): void {
    if (needed <= this.px.length) return;
    let cap = Math.max(1, this.px.length);
    while (cap < needed) cap *= 2;
    cap = Math.min(cap, this.maxLevels);
    const px = new Float64Array(cap);
    const qty = new Float64Array(cap);
    px.set(this.px.subarray(0, this.n));
    qty.set(this.qty.subarray(0, this.n));
    this.px = px;
    this.qty = qty;
  }

  /** Index of the first level not better than `price` (where `price` is, or would be inserted). */
  private search(price: number): number {
    const px = this.px;
    let lo = 0;
    let hi = this.n;
    if (this.descending) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (px[mid] > price) lo = mid + 1;
        else hi = mid;
      }
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (px[mid] < price) lo = mid + 1;
        else hi = mid;
      }
    }
    return lo;
  }
}
