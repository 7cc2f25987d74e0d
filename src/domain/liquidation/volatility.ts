/**
 * Recent volatility for the cascade risk: the last trade price of each `bucketMs` bucket (the
 * engine's 10 s cycle) over `size` buckets (1 h), and the standard deviation of the log
 * returns between consecutive buckets. A bucket without trades carries the previous close
 * (a zero return); buckets before the first trade in the ring are skipped.
 *
 * O(1) per trade; O(size) per read. Memory: 3 × size doubles (8.6 KB for 1 h of 10 s).
 */
export interface CloseRingState {
  bucketMs: number;
  size: number;
  /** `[bucketId, close, closeTs]`, ascending by id. */
  buckets: number[][];
}

export class CloseRing {
  private readonly ids: Float64Array;
  private readonly closes: Float64Array;
  private readonly closeTs: Float64Array;

  constructor(
    readonly bucketMs: number,
    readonly size: number,
  ) {
    this.ids = new Float64Array(size).fill(-1);
    this.closes = new Float64Array(size);
    this.closeTs = new Float64Array(size);
  }

  /** Records a trade; a trade older than the ring is ignored. */
  addTrade(ts: number, price: number): void {
    const k = Math.floor(ts / this.bucketMs);
    const slot = k % this.size;
    const id = this.ids[slot];
    if (id > k) return;
    if (id !== k) {
      this.ids[slot] = k;
      this.closes[slot] = price;
      this.closeTs[slot] = ts;
      return;
    }
    if (ts >= this.closeTs[slot]) {
      this.closes[slot] = price;
      this.closeTs[slot] = ts;
    }
  }

  /**
   * Sample standard deviation of the bucket-to-bucket log returns over the buckets of
   * `[endTs − size·bucketMs, endTs)`; null with fewer than 2 returns.
   */
  stdevLogReturns(endTs: number): { sigma: number | null; returns: number } {
    const end = Math.floor(endTs / this.bucketMs);
    return logReturnStdev(Math.max(0, end - this.size), end, (k) => (this.ids[k % this.size] === k ? this.closes[k % this.size] : NaN));
  }

  toJSON(): CloseRingState {
    const buckets: number[][] = [];
    for (let slot = 0; slot < this.size; slot++) if (this.ids[slot] >= 0) buckets.push([this.ids[slot], this.closes[slot], this.closeTs[slot]]);
    buckets.sort((a, b) => a[0] - b[0]);
    return { bucketMs: this.bucketMs, size: this.size, buckets };
  }

  static fromJSON(state: CloseRingState, bucketMs: number, size: number): CloseRing {
    const r = new CloseRing(bucketMs, size);
    if (state.bucketMs !== bucketMs || state.size !== size) return r;
    for (const [id, close, ts] of state.buckets) {
      const slot = id % size;
      r.ids[slot] = id;
      r.closes[slot] = close;
      r.closeTs[slot] = ts;
    }
    return r;
  }
}

/**
 * Sample standard deviation of the log returns of a close series over indexes `[from, to)`.
 * `closeAt(i)` is NaN where there is no close (a bucket without trades): the previous close
 * carries over, so the return across a quiet stretch is counted once. Null sigma with fewer
 * than 2 returns.
 */
export function logReturnStdev(from: number, to: number, closeAt: (i: number) => number): { sigma: number | null; returns: number } {
  let prev = NaN;
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = from; i < to; i++) {
    const c = closeAt(i);
    const close = Number.isNaN(c) ? prev : c;
    if (Number.isNaN(close)) continue;
    if (!Number.isNaN(prev)) {
      const r = Math.log(close / prev);
      n++;
      sum += r;
      sumSq += r * r;
    }
    prev = close;
  }
  if (n < 2) return { sigma: null, returns: n };
  const mean = sum / n;
  return { sigma: Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))), returns: n };
}
