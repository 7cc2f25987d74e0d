/**
 * The two trade series behind the zones, both O(1) amortised per trade and fixed in size.
 *
 * `VolumeProfile`: traded notional per log-price bin (bin k covers [e^{k·s}, e^{(k+1)·s}),
 * s = ln(1 + binBps/10⁴), so bins never move with the price) and per time bucket; the profile at
 * `ts` sums the `buckets` newest buckets up to the one holding `ts` (the current one partial).
 * Each bucket keeps at most `maxBins` bins; a trade into a new bin of a full bucket is counted in
 * `dropped` and left out. Summed per cycle (O(buckets · bins)), never per trade, so no float drift
 * from running subtractions and a restored profile sums exactly like the original.
 *
 * `MinuteBars`: a ring of 1-minute OHLC bars by minute id (`floor(ts / 60 000)`); trades older
 * than the ring are ignored. Swing pivots and the 1-minute volatility are read from it per cycle.
 */
import { logReturnStdev } from "../liquidation/volatility.js";
export const MINUTE_MS = 60_000;

export interface ProfileState {
  /** `[bucketId, binIndex, buyUsd, sellUsd, binIndex, buyUsd, sellUsd, ...]`, ascending by bucket id. */
  buckets: number[][];
  dropped: number;
}

export class VolumeProfile {
  private readonly ids: number[];
  private readonly bins: Map<number, [number, number]>[];
  private readonly logStep: number;
  dropped = 0;

  constructor(
    readonly binBps: number,
    readonly bucketMs: number,
    readonly buckets: number,
    readonly maxBins: number,
  ) {
    this.ids = new Array<number>(buckets).fill(-1);
    this.bins = Array.from({ length: buckets }, () => new Map());
    this.logStep = Math.log1p(binBps / 10_000);
  }

  binOf(price: number): number {
    return Math.floor(Math.log(price) / this.logStep);
  }

  /** Geometric centre of bin `k`. */
  centre(k: number): number {
    return Math.exp((k + 0.5) * this.logStep);
  }

  add(ts: number, price: number, qty: number, isBuy: boolean): void {
    const k = Math.floor(ts / this.bucketMs);
    const slot = k % this.buckets;
    if (this.ids[slot] > k) return;
    const map = this.bins[slot];
    if (this.ids[slot] !== k) {
      this.ids[slot] = k;
      map.clear();
    }
    const bin = this.binOf(price);
    let e = map.get(bin);
    if (e === undefined) {
      if (map.size >= this.maxBins) {
        this.dropped++;
        return;
      }
      e = [0, 0];
      map.set(bin, e);
    }
    e[isBuy ? 0 : 1] += price * qty;
  }

  /** `[binIndex, buyUsd + sellUsd]` ascending by bin, over the buckets of the window ending with the one holding `ts`. */
  sum(ts: number): [number, number][] {
    const end = Math.floor(ts / this.bucketMs);
    const agg = new Map<number, number>();
    for (let k = end - this.buckets + 1; k <= end; k++) {
      if (k < 0 || this.ids[k % this.buckets] !== k) continue;
      for (const [bin, [b, s]] of this.bins[k % this.buckets]) agg.set(bin, (agg.get(bin) ?? 0) + b + s);
    }
    return [...agg].sort((a, b) => a[0] - b[0]);
  }

  /** Bins held over all buckets (memory check). */
  get held(): number {
    return this.bins.reduce((n, m) => n + m.size, 0);
  }

  toJSON(): ProfileState {
    const buckets: number[][] = [];
    for (let slot = 0; slot < this.buckets; slot++) {
      if (this.ids[slot] < 0) continue;
      const row = [this.ids[slot]];
      for (const [bin, [b, s]] of this.bins[slot]) row.push(bin, b, s);
      buckets.push(row);
    }
    buckets.sort((a, b) => a[0] - b[0]);
    return { buckets, dropped: this.dropped };
  }

  static fromJSON(state: ProfileState, p: VolumeProfile): VolumeProfile {
    for (const row of state.buckets) {
      const slot = row[0] % p.buckets;
      p.ids[slot] = row[0];
      for (let i = 1; i + 2 < row.length; i += 3) p.bins[slot].set(row[i], [row[i + 1], row[i + 2]]);
    }
    p.dropped = state.dropped;
    return p;
  }
}

export interface Bar {
  /** Minute id: the bar covers [id·60 000, (id + 1)·60 000). */
  id: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Plain JSON: `[id, open, high, low, close, closeTs]` ascending by id. */
export type BarsState = number[][];

export class MinuteBars {
  private readonly rows: (number[] | null)[];

  constructor(readonly size: number) {
    this.rows = new Array(size).fill(null);
  }

  /** Adds a trade to its minute's bar; false (nothing changed) when older than the ring. */
  add(ts: number, price: number): boolean {
    const id = Math.floor(ts / MINUTE_MS);
    const slot = id % this.size;
    const r = this.rows[slot];
    if (r !== null && r[0] > id) return false;
    if (r === null || r[0] !== id) {
      this.rows[slot] = [id, price, price, price, price, ts];
      return true;
    }
    if (price > r[2]) r[2] = price;
    if (price < r[3]) r[3] = price;
    if (ts >= r[5]) {
      r[4] = price;
      r[5] = ts;
    }
    return true;
  }

  /** The bar of minute `id`, if held. */
  get(id: number): Bar | null {
    const r = this.rows[id % this.size];
    return r !== null && r[0] === id ? { id, open: r[1], high: r[2], low: r[3], close: r[4] } : null;
  }

  /** Bars with id < `beforeId`, ascending (closed bars when `beforeId` is the current minute). */
  closed(beforeId: number): Bar[] {
    const out: Bar[] = [];
    for (let id = beforeId - this.size; id < beforeId; id++) {
      const b = id >= 0 ? this.get(id) : null;
      if (b !== null) out.push(b);
    }
    return out;
  }

  /**
   * Swing lows and highs among closed `bars` (ascending): bar i is a swing low when its low is
   * below the `k` bars before it and not above the `k` after (a tie goes to the earliest bar);
   * highs alike. Newest first.
   */
  static pivots(bars: readonly Bar[], k: number): { lows: Bar[]; highs: Bar[] } {
    const lows: Bar[] = [];
    const highs: Bar[] = [];
    for (let i = bars.length - 1 - k; i >= k; i--) {
      let low = true;
      let high = true;
      for (let j = 1; j <= k && (low || high); j++) {
        if (bars[i - j].low <= bars[i].low || bars[i + j].low < bars[i].low) low = false;
        if (bars[i - j].high >= bars[i].high || bars[i + j].high > bars[i].high) high = false;
      }
      if (low) lows.push(bars[i]);
      if (high) highs.push(bars[i]);
    }
    return { lows, highs };
  }

  /**
   * Stdev of 1-minute log returns of closes over the last `minutes` minutes before `beforeId`
   * (a minute without trades carries the previous close), in bps; null with fewer than 2 returns.
   */
  sigmaBps(beforeId: number, minutes: number): number | null {
    const { sigma } = logReturnStdev(beforeId - Math.min(minutes, this.size), beforeId, (id) => (id >= 0 ? (this.get(id)?.close ?? NaN) : NaN));
    return sigma === null ? null : sigma * 10_000;
  }

  get held(): number {
    return this.rows.reduce((n, r) => n + (r === null ? 0 : 1), 0);
  }

  toJSON(): BarsState {
    return this.rows.filter((r): r is number[] => r !== null).map((r) => r.slice()).sort((a, b) => a[0] - b[0]);
  }

  static fromJSON(state: BarsState, size: number): MinuteBars {
    const b = new MinuteBars(size);
    for (const r of state) b.rows[r[0] % size] = r.slice();
    return b;
  }
}
