/**
 * Trade-size distribution per window, and large prints against an adaptive threshold.
 *
 * Size buckets. Each trade's notional (price × qty, USD) falls in one of five fixed buckets cut
 * at `edgesUsd` (default 1k, 10k, 100k, 1M USD); per 10 s bucket and per aggressor side the ring
 * keeps the count and notional of each.
 *
 * Large prints. "Large" is relative to the symbol: a trade is large when its notional is at or
 * above the `percentile` (default 99th, by count) of the symbol's trade notionals over the last
 * `historyMs` (one hour). The distribution is a log histogram (8 bins per decade from 1 USD) per
 * minute, summed over the hour; the threshold is the lower edge of the bin where the top
 * `1 − percentile` of trades begins, recomputed once per cycle (so it is resolved to 8 bins per
 * decade, ±15 %). Each trade is classified on arrival against the threshold in force; the
 * threshold exists once the hour holds `minTrades` trades, and a window is only read for large
 * prints when the threshold held over all of it (`large.complete`).
 *
 * Cost: O(1) per trade (a log10 and a few adds); O(bins + minutes) per cycle.
 * Memory: the 10 s ring (`size` × 25 doubles) and 60 × 80 histogram counts.
 */
import { BucketRing, type BucketRingState } from "./bucket-ring.js";

/** Log-histogram resolution: bins per decade of USD notional, and decades from 1 USD. */
const BINS_PER_DECADE = 8;
const DECADES = 10;
const BINS = BINS_PER_DECADE * DECADES;
const HIST_MINUTE_MS = 60_000;

/** Fields per 10 s bucket: per size bucket × side: count, notional; then the large prints. */
const SIZE_BUCKETS = 5;
const LARGE = SIZE_BUCKETS * 4;
const FIELDS = LARGE + 4;

export interface TradeSizeOptions {
  /** Four ascending size edges, USD. */
  edgesUsd: readonly number[];
  /** Percentile of trade notional (by count) at which a print is large, in (0, 1). */
  percentile: number;
  /** Trades needed in the history before a threshold exists. */
  minTrades: number;
  /** History the percentile reads, ms (a multiple of a minute). */
  historyMs: number;
}

/** One size bucket of a window. */
export interface SizeBucket {
  readonly minUsd: number;
  /** Infinity for the last bucket. */
  readonly maxUsd: number;
  readonly buyCount: number;
  readonly buyUsd: number;
  readonly sellCount: number;
  readonly sellUsd: number;
}

/** Trade sizes of one window at a cycle boundary. */
export interface TradeSizeView {
  readonly buckets: readonly SizeBucket[];
  readonly large: {
    /** The threshold in force now, USD; null while the history is too thin. */
    readonly thresholdUsd: number | null;
    /** Trades in the history the threshold reads, and how many it needs. */
    readonly historyTrades: number;
    readonly minTrades: number;
    /** Since when (event time) the threshold has existed without a break; null without one. */
    readonly since: number | null;
    /** True when the threshold existed over the whole window, so its large prints are all classified. */
    readonly complete: boolean;
    readonly buyCount: number;
    readonly buyUsd: number;
    readonly sellCount: number;
    readonly sellUsd: number;
  };
}

export interface TradeSizesState {
  ring: BucketRingState;
  /** `[minute, bin, count]` of the histogram, ascending. */
  hist: [number, number, number][];
  thresholdUsd: number | null;
  since: number | null;
}

export class TradeSizes {
  private ring: BucketRing;
  private readonly histMinutes: number;
  private readonly histIds: Float64Array;
  private readonly hist: Float64Array;
  private readonly total = new Float64Array(BINS);
  private totalCount = 0;
  private thresholdUsd: number | null = null;
  private since: number | null = null;

  constructor(
    bucketMs: number,
    size: number,
    readonly options: TradeSizeOptions,
  ) {
    this.ring = new BucketRing(bucketMs, size, FIELDS);
    this.histMinutes = Math.ceil(options.historyMs / HIST_MINUTE_MS);
    this.histIds = new Float64Array(this.histMinutes).fill(-1);
    this.hist = new Float64Array(this.histMinutes * BINS);
  }

  /** Adds a trade; false when older than the ring. */
  add(ts: number, notionalUsd: number, isBuy: boolean): boolean {
    const o = this.ring.slot(ts);
    if (o < 0) return false;
    const d = this.ring.data;
    const e = this.options.edgesUsd;
    const b = notionalUsd < e[0] ? 0 : notionalUsd < e[1] ? 1 : notionalUsd < e[2] ? 2 : notionalUsd < e[3] ? 3 : 4;
    const f = o + b * 4 + (isBuy ? 0 : 2);
    d[f] += 1;
    d[f + 1] += notionalUsd;
    if (this.thresholdUsd !== null && notionalUsd >= this.thresholdUsd) {
      const l = o + LARGE + (isBuy ? 0 : 2);
      d[l] += 1;
      d[l + 1] += notionalUsd;
    }
    this.addToHistogram(ts, notionalUsd);
    return true;
  }

  /**
   * Recomputes the threshold from the last `historyMs` before `ts` (once per cycle, before the
   * cards read it); trades from now on are classified against it.
   */
  refresh(ts: number): void {
    const newest = Math.floor((ts - 1) / HIST_MINUTE_MS);
    for (let slot = 0; slot < this.histMinutes; slot++) {
      const id = this.histIds[slot];
      if (id >= 0 && id <= newest - this.histMinutes) this.evict(slot);
    }
    const threshold = this.totalCount >= this.options.minTrades ? this.percentileEdge() : null;
    if (threshold === null) this.since = null;
    else if (this.thresholdUsd === null) this.since = ts;
    this.thresholdUsd = threshold;
  }

  view(ts: number, windowMs: number): TradeSizeView {
    const acc = new Float64Array(FIELDS);
    this.ring.sumInto(ts, windowMs, acc);
    const e = this.options.edgesUsd;
    const buckets: SizeBucket[] = [];
    for (let b = 0; b < SIZE_BUCKETS; b++) {
      buckets.push({
        minUsd: b === 0 ? 0 : e[b - 1],
        maxUsd: b === SIZE_BUCKETS - 1 ? Number.POSITIVE_INFINITY : e[b],
        buyCount: acc[b * 4],
        buyUsd: acc[b * 4 + 1],
        sellCount: acc[b * 4 + 2],
        sellUsd: acc[b * 4 + 3],
      });
    }
    return {
      buckets,
      large: {
        thresholdUsd: this.thresholdUsd,
        historyTrades: this.totalCount,
        minTrades: this.options.minTrades,
        since: this.since,
        complete: this.since !== null && this.since <= ts - windowMs,
        buyCount: acc[LARGE],
        buyUsd: acc[LARGE + 1],
        sellCount: acc[LARGE + 2],
        sellUsd: acc[LARGE + 3],
      },
    };
  }

  advance(ts: number): void {
    this.ring.advance(ts);
  }

  toJSON(): TradeSizesState {
    const hist: [number, number, number][] = [];
    const order = [...this.histIds.keys()].filter((s) => this.histIds[s] >= 0).sort((a, b) => this.histIds[a] - this.histIds[b]);
    for (const slot of order) {
      for (let bin = 0; bin < BINS; bin++) {
        const c = this.hist[slot * BINS + bin];
        if (c !== 0) hist.push([this.histIds[slot], bin, c]);
      }
    }
    return { ring: this.ring.toJSON(), hist, thresholdUsd: this.thresholdUsd, since: this.since };
  }

  static fromJSON(state: TradeSizesState, bucketMs: number, size: number, options: TradeSizeOptions): TradeSizes {
    const t = new TradeSizes(bucketMs, size, options);
    t.ring = BucketRing.fromJSON(state.ring);
    for (const [minute, bin, count] of state.hist) {
      const slot = t.minuteSlot(minute);
      t.hist[slot * BINS + bin] += count;
      t.total[bin] += count;
      t.totalCount += count;
    }
    t.thresholdUsd = state.thresholdUsd;
    t.since = state.since;
    return t;
  }

  private addToHistogram(ts: number, notionalUsd: number): void {
    const minute = Math.floor(ts / HIST_MINUTE_MS);
    const slot = this.minuteSlot(minute);
    if (slot < 0) return;
    const bin = notionalUsd < 1 ? 0 : Math.min(BINS - 1, Math.floor(Math.log10(notionalUsd) * BINS_PER_DECADE));
    this.hist[slot * BINS + bin] += 1;
    this.total[bin] += 1;
    this.totalCount += 1;
  }

  /** The histogram slot of `minute`, evicting an older minute held there; -1 when older than the slot's. */
  private minuteSlot(minute: number): number {
    const slot = minute % this.histMinutes;
    const held = this.histIds[slot];
    if (held === minute) return slot;
    if (held > minute) return -1;
    if (held >= 0) this.evict(slot);
    this.histIds[slot] = minute;
    return slot;
  }

  private evict(slot: number): void {
    const o = slot * BINS;
    for (let bin = 0; bin < BINS; bin++) {
      const c = this.hist[o + bin];
      if (c === 0) continue;
      this.total[bin] -= c;
      this.totalCount -= c;
      this.hist[o + bin] = 0;
    }
    this.histIds[slot] = -1;
  }

  /** Lower edge (USD) of the bin where the top (1 − percentile) of the history's trades begins. */
  private percentileEdge(): number {
    // The top ⌈(1 − p)·N⌉ trades, at least one (the small epsilon absorbs 1 − 0.99 ≠ 0.01 in floats).
    const tail = Math.max(1, Math.ceil((1 - this.options.percentile) * this.totalCount - 1e-9));
    let above = 0;
    for (let bin = BINS - 1; bin >= 0; bin--) {
      above += this.total[bin];
      if (above >= tail) return 10 ** (bin / BINS_PER_DECADE);
    }
    return 1;
  }
}
