/**
 * Rolling time-bucket windows on event time.
 *
 * Time is cut into buckets of `bucketMs` (the engine uses the 10 s cycle, so a window that
 * ends on a cycle boundary is exactly a whole number of buckets). Bucket `k` covers
 * `[k·bucketMs, (k+1)·bucketMs)`. A ring of `size` buckets keeps buckets
 * `head − size + 1 … head`, where `head` is the newest bucket written or advanced to.
 *
 * - Adding an event is O(1): its bucket's running sums are updated in place in one
 *   `Float64Array`; a slot whose stored bucket id is not the event's is reset lazily, so
 *   a jump in event time costs nothing.
 * - Late events (earlier than `head` but still inside the ring) go into their own bucket.
 *   Events older than the ring (`k <= head − size`) are refused (`add…` returns false)
 *   so the caller can count them as too late.
 * - `sum(endTs, lengthMs)` reads the buckets of `[endTs − lengthMs, endTs)`:
 *   O(lengthMs / bucketMs).
 *
 * Built on `BucketRing` (src/domain/inputs/bucket-ring.ts).
 *
 * Memory: `size · (1 + BUCKET_FIELDS) · 8` bytes, fixed at construction
 * (360 buckets × 23 doubles = 66,240 bytes for 1 h of 10 s buckets).
 */

import { BucketRing } from "./inputs/bucket-ring.js";

/** Field offsets inside one bucket's stride. */
export const WINDOW_FIELD = {
  buyQty: 0,
  sellQty: 1,
  buyNotionalUsd: 2,
  sellNotionalUsd: 3,
  buyCount: 4,
  sellCount: 5,
  longLiqCount: 6,
  longLiqQty: 7,
  longLiqNotionalUsd: 8,
  shortLiqCount: 9,
  shortLiqQty: 10,
  shortLiqNotionalUsd: 11,
  open: 12,
  openTs: 13,
  high: 14,
  low: 15,
  close: 16,
  closeTs: 17,
  unsidedQty: 18,
  unsidedNotionalUsd: 19,
  unsidedCount: 20,
  /** 1 once the bucket holds a price (a trade or a bar): OHLC are set. */
  priced: 21,
} as const;
const F = WINDOW_FIELD;

/** Doubles stored per bucket. */
export const BUCKET_FIELDS = 22;

/** Doubles per bucket in checkpoints written before bars (no unsided volume, no `priced` flag). */
const LEGACY_BUCKET_FIELDS = 18;

/**
 * A bucket of such a checkpoint, `[id, 18 values]`, in today's layout: no unsided volume (only
 * trades, whose sides are known, filled those windows) and `priced` where a trade set the OHLC.
 */
function fromLegacyBucket(row: readonly number[]): number[] {
  const trades = row[1 + F.buyCount] + row[1 + F.sellCount];
  return [...row, 0, 0, 0, trades > 0 ? 1 : 0];
}

/**
 * Sums over a window `[startTs, endTs)`. Quantities in base units, notionals in USD
 * (quote currency, USDT taken as USD). Trade `buy`/`sell` is the aggressor side;
 * liquidation `long`/`short` is the side of the liquidated position.
 */
export interface WindowSums {
  startTs: number;
  endTs: number;
  buyQty: number;
  sellQty: number;
  buyNotionalUsd: number;
  sellNotionalUsd: number;
  buyCount: number;
  sellCount: number;
  longLiqCount: number;
  longLiqQty: number;
  longLiqNotionalUsd: number;
  shortLiqCount: number;
  shortLiqQty: number;
  shortLiqNotionalUsd: number;
  /** Price of the earliest trade in the window (by ts; first arrival on ties), null without trades. */
  open: number | null;
  high: number | null;
  low: number | null;
  /** Price of the latest trade in the window (by ts; last arrival on ties), null without trades. */
  close: number | null;
  /** Event time of `open` and `close` (−1 without trades). */
  openTs: number;
  closeTs: number;
  /**
   * Volume whose aggressor side is unknown: bars from a venue whose candles have no taker split
   * (quantity, notional), and the trade counts of bars (a bar counts its trades, not their sides).
   */
  unsidedQty: number;
  unsidedNotionalUsd: number;
  unsidedCount: number;
}

/** Plain JSON form: non-empty buckets in ascending id order, each `[id, ...BUCKET_FIELDS values]`. */
export interface WindowState {
  bucketMs: number;
  size: number;
  head: number;
  buckets: number[][];
}

export function emptySums(startTs: number, endTs: number): WindowSums {
  return {
    startTs,
    endTs,
    buyQty: 0,
    sellQty: 0,
    buyNotionalUsd: 0,
    sellNotionalUsd: 0,
    buyCount: 0,
    sellCount: 0,
    longLiqCount: 0,
    longLiqQty: 0,
    longLiqNotionalUsd: 0,
    shortLiqCount: 0,
    shortLiqQty: 0,
    shortLiqNotionalUsd: 0,
    open: null,
    high: null,
    low: null,
    close: null,
    openTs: -1,
    closeTs: -1,
    unsidedQty: 0,
    unsidedNotionalUsd: 0,
    unsidedCount: 0,
  };
}

export class RollingWindow {
  private ring: BucketRing;

  /**
   * @param bucketMs bucket length in ms (the engine's cycle)
   * @param size ring length in buckets (longest window / bucketMs)
   */
  constructor(
    readonly bucketMs: number,
    readonly size: number,
  ) {
    if (!Number.isInteger(bucketMs) || bucketMs < 1) throw new Error(`RollingWindow: bucketMs must be an integer >= 1 (got ${bucketMs})`);
    if (!Number.isInteger(size) || size < 1) throw new Error(`RollingWindow: size must be an integer >= 1 (got ${size})`);
    this.ring = new BucketRing(bucketMs, size, BUCKET_FIELDS);
  }

  /** Newest bucket id (events at or before `head − size` buckets are refused). */
  get head(): number {
    return this.ring.head;
  }

  /** Moves the head to the bucket of `ts` if that is newer; the ring then drops older buckets. */
  advance(ts: number): void {
    this.ring.advance(ts);
  }

  /** True when an event at `ts` is older than the ring and would be refused. */
  isTooOld(ts: number): boolean {
    return Math.floor(ts / this.bucketMs) <= this.ring.head - this.size;
  }

  /** Adds a trade (aggressor `isBuy`). Returns false (and changes nothing) when older than the ring. */
  addTrade(ts: number, price: number, qty: number, isBuy: boolean): boolean {
    const o = this.ring.slot(ts);
    if (o < 0) return false;
    const d = this.ring.data;
    if (isBuy) {
      d[o + F.buyQty] += qty;
      d[o + F.buyNotionalUsd] += price * qty;
      d[o + F.buyCount] += 1;
    } else {
      d[o + F.sellQty] += qty;
      d[o + F.sellNotionalUsd] += price * qty;
      d[o + F.sellCount] += 1;
    }
    if (d[o + F.priced] === 0) {
      d[o + F.priced] = 1;
      d[o + F.open] = price;
      d[o + F.openTs] = ts;
      d[o + F.high] = price;
      d[o + F.low] = price;
      d[o + F.close] = price;
      d[o + F.closeTs] = ts;
      return true;
    }
    if (price > d[o + F.high]) d[o + F.high] = price;
    if (price < d[o + F.low]) d[o + F.low] = price;
    if (ts < d[o + F.openTs]) {
      d[o + F.open] = price;
      d[o + F.openTs] = ts;
    }
    if (ts >= d[o + F.closeTs]) {
      d[o + F.close] = price;
      d[o + F.closeTs] = ts;
    }
    return true;
  }

  /**
   * Adds a closed one-minute bar as the trades it summarises, in the bucket of its last
   * millisecond (`bar.ts`), so no window sees a minute before it is over: taker buy and sell
   * volume where the bar states them, else the whole volume as unsided; its trade count as
   * unsided prints; its OHLC at its open and close times. False when older than the ring.
   */
  addBar(bar: { openTs: number; ts: number; open: number; high: number; low: number; close: number; volumeBase: number; volumeQuote: number | null; takerBuyBase: number | null; takerBuyQuote: number | null; trades: number | null }): boolean {
    const o = this.ring.slot(bar.ts);
    if (o < 0) return false;
    const d = this.ring.data;
    // A candle without quote volume (Hyperliquid): valued at its typical price, an estimate.
    const quote = bar.volumeQuote ?? (bar.volumeBase * (bar.high + bar.low + bar.close)) / 3;
    if (bar.takerBuyBase !== null && bar.takerBuyQuote !== null) {
      d[o + F.buyQty] += bar.takerBuyBase;
      d[o + F.buyNotionalUsd] += bar.takerBuyQuote;
      d[o + F.sellQty] += Math.max(0, bar.volumeBase - bar.takerBuyBase);
      d[o + F.sellNotionalUsd] += Math.max(0, quote - bar.takerBuyQuote);
    } else {
      d[o + F.unsidedQty] += bar.volumeBase;
      d[o + F.unsidedNotionalUsd] += quote;
    }
    d[o + F.unsidedCount] += bar.trades ?? 0;
    if (d[o + F.priced] === 0) {
      d[o + F.priced] = 1;
      d[o + F.open] = bar.open;
      d[o + F.openTs] = bar.openTs;
      d[o + F.high] = bar.high;
      d[o + F.low] = bar.low;
      d[o + F.close] = bar.close;
      d[o + F.closeTs] = bar.ts;
      return true;
    }
    if (bar.high > d[o + F.high]) d[o + F.high] = bar.high;
    if (bar.low < d[o + F.low]) d[o + F.low] = bar.low;
    if (bar.openTs < d[o + F.openTs]) {
      d[o + F.open] = bar.open;
      d[o + F.openTs] = bar.openTs;
    }
    if (bar.ts >= d[o + F.closeTs]) {
      d[o + F.close] = bar.close;
      d[o + F.closeTs] = bar.ts;
    }
    return true;
  }

  /** Adds a liquidation of a `long` (isLong) or `short` position. False when older than the ring. */
  addLiquidation(ts: number, isLong: boolean, qty: number, notionalUsd: number): boolean {
    const o = this.ring.slot(ts);
    if (o < 0) return false;
    const d = this.ring.data;
    if (isLong) {
      d[o + F.longLiqCount] += 1;
      d[o + F.longLiqQty] += qty;
      d[o + F.longLiqNotionalUsd] += notionalUsd;
    } else {
      d[o + F.shortLiqCount] += 1;
      d[o + F.shortLiqQty] += qty;
      d[o + F.shortLiqNotionalUsd] += notionalUsd;
    }
    return true;
  }

  /**
   * Sums of the buckets covering `[endTs − lengthMs, endTs)`, oldest bucket first (so float
   * sums are reproducible). Exact when both ends are multiples of `bucketMs`; otherwise the
   * window is `floor`-aligned to buckets.
   */
  sum(endTs: number, lengthMs: number): WindowSums {
    const out = emptySums(endTs - lengthMs, endTs);
    const end = Math.floor(endTs / this.bucketMs);
    const n = Math.min(Math.ceil(lengthMs / this.bucketMs), this.size);
    for (let k = end - n; k < end; k++) this.addBucket(k, out);
    return out;
  }

  /** The sums of bucket `k` alone, null when the ring does not hold it. */
  bucket(k: number): WindowSums | null {
    if (this.ring.peek(k) < 0) return null;
    const out = emptySums(k * this.bucketMs, (k + 1) * this.bucketMs);
    this.addBucket(k, out);
    return out;
  }

  /** Offset of bucket `k` in `data` (fields at `WINDOW_FIELD` offsets), -1 when not held. */
  offsetOf(k: number): number {
    return this.ring.peek(k);
  }

  /** The raw bucket storage (read-only use, with `offsetOf` and `WINDOW_FIELD`). */
  get data(): Float64Array {
    return this.ring.data;
  }

  toJSON(): WindowState {
    const { bucketMs, size, head, buckets } = this.ring.toJSON();
    return { bucketMs, size, head, buckets: buckets as number[][] };
  }

  static fromJSON(state: WindowState): RollingWindow {
    const buckets = state.buckets.map((row) => {
      if (row.length === LEGACY_BUCKET_FIELDS + 1) return fromLegacyBucket(row);
      if (row.length !== BUCKET_FIELDS + 1) throw new Error(`RollingWindow.fromJSON: a bucket must have ${BUCKET_FIELDS + 1} numbers (got ${row.length})`);
      return row;
    });
    const w = new RollingWindow(state.bucketMs, state.size);
    w.ring = BucketRing.fromJSON({ ...state, buckets, fields: BUCKET_FIELDS });
    return w;
  }

  /** Adds bucket `k` (when held) into `out`: sums, and OHLC merged by trade time. */
  private addBucket(k: number, out: WindowSums): void {
    const o = this.ring.peek(k);
    if (o < 0) return;
    const d = this.ring.data;
    out.buyQty += d[o + F.buyQty];
    out.sellQty += d[o + F.sellQty];
    out.buyNotionalUsd += d[o + F.buyNotionalUsd];
    out.sellNotionalUsd += d[o + F.sellNotionalUsd];
    out.buyCount += d[o + F.buyCount];
    out.sellCount += d[o + F.sellCount];
    out.longLiqCount += d[o + F.longLiqCount];
    out.longLiqQty += d[o + F.longLiqQty];
    out.longLiqNotionalUsd += d[o + F.longLiqNotionalUsd];
    out.shortLiqCount += d[o + F.shortLiqCount];
    out.shortLiqQty += d[o + F.shortLiqQty];
    out.shortLiqNotionalUsd += d[o + F.shortLiqNotionalUsd];
    out.unsidedQty += d[o + F.unsidedQty];
    out.unsidedNotionalUsd += d[o + F.unsidedNotionalUsd];
    out.unsidedCount += d[o + F.unsidedCount];
    if (d[o + F.priced] !== 0) mergeTrades(out, d[o + F.open], d[o + F.openTs], d[o + F.high], d[o + F.low], d[o + F.close], d[o + F.closeTs]);
  }
}

/**
 * Merges one span's trade prices into `out`: the earlier open (first arrival on ties), the later
 * close (last arrival on ties), the wider high/low. `out.openTs/closeTs` keep the times.
 */
export function mergeTrades(out: WindowSums, open: number, openTs: number, high: number, low: number, close: number, closeTs: number): void {
  if (out.open === null || openTs < out.openTs) {
    out.open = open;
    out.openTs = openTs;
  }
  if (out.close === null || closeTs >= out.closeTs) {
    out.close = close;
    out.closeTs = closeTs;
  }
  out.high = out.high === null ? high : Math.max(out.high, high);
  out.low = out.low === null ? low : Math.min(out.low, low);
}
