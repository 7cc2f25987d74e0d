/**
 * Premium (basis) per venue: `(mark − index) / index` in basis points, as a time-weighted step
 * series, from mark events that carry an index price. A venue's premium is what its funding
 * formula charges for (Binance: funding = premium index + clamp(interest − premium)), so it is
 * the live, un-averaged side of funding.
 *
 * Cost: O(1) per mark event; memory: one step series per venue that sent an index.
 */
import { VENUES, type MarkEvent, type Venue } from "../events.js";
import { StepSeries, type StepSeriesState, type TimeWeighted } from "./step-series.js";

/** One venue's premium at a cycle boundary, for a window. */
export interface VenuePremium {
  readonly venue: Venue;
  /** Latest premium, bps of index; null when older than the hold limit. */
  readonly bps: number | null;
  /** Premium in force at the window's start, bps; null when unknown then. */
  readonly startBps: number | null;
  /** Time-weighted mean over the window, bps. */
  readonly window: TimeWeighted;
  /** Latest mark and index and their time. */
  readonly markPrice: number;
  readonly indexPrice: number;
  readonly ts: number;
}

export interface PremiumTrackerState {
  venues: Partial<Record<Venue, { series: StepSeriesState; markPrice: number; indexPrice: number }>>;
}

export class PremiumTracker {
  private venues: Partial<Record<Venue, { series: StepSeries; markPrice: number; indexPrice: number }>> = {};

  constructor(
    private readonly bucketMs: number,
    private readonly buckets: number,
    private readonly maxHoldMs: number,
  ) {}

  /** Takes a mark event with an index price; false when older than the venue's last one. */
  onMark(ev: MarkEvent): boolean {
    if (ev.indexPrice === undefined) return true;
    let s = this.venues[ev.venue];
    if (s === undefined) {
      s = { series: new StepSeries(this.bucketMs, this.buckets, this.maxHoldMs), markPrice: ev.markPrice, indexPrice: ev.indexPrice };
      this.venues[ev.venue] = s;
    }
    if (!s.series.set(ev.ts, ((ev.markPrice - ev.indexPrice) / ev.indexPrice) * 1e4)) return false;
    s.markPrice = ev.markPrice;
    s.indexPrice = ev.indexPrice;
    return true;
  }

  /** Per venue that sent an index (`VENUES` order). */
  view(ts: number, windowMs: number): VenuePremium[] {
    const out: VenuePremium[] = [];
    for (const v of VENUES) {
      const s = this.venues[v];
      const latest = s?.series.latest();
      if (s === undefined || latest == null) continue;
      out.push({
        venue: v,
        bps: s.series.current(ts),
        startBps: s.series.valueAt(ts - windowMs),
        window: s.series.mean(ts, windowMs),
        markPrice: s.markPrice,
        indexPrice: s.indexPrice,
        ts: latest.ts,
      });
    }
    return out;
  }

  advance(ts: number): void {
    for (const v of VENUES) this.venues[v]?.series.advance(ts);
  }

  toJSON(): PremiumTrackerState {
    const venues: PremiumTrackerState["venues"] = {};
    for (const v of VENUES) {
      const s = this.venues[v];
      if (s !== undefined) venues[v] = { series: s.series.toJSON(), markPrice: s.markPrice, indexPrice: s.indexPrice };
    }
    return { venues };
  }

  static fromJSON(state: PremiumTrackerState, bucketMs: number, buckets: number, maxHoldMs: number): PremiumTracker {
    const t = new PremiumTracker(bucketMs, buckets, maxHoldMs);
    for (const v of VENUES) {
      const s = state.venues[v];
      if (s !== undefined) t.venues[v] = { series: StepSeries.fromJSON(s.series, maxHoldMs), markPrice: s.markPrice, indexPrice: s.indexPrice };
    }
    return t;
  }
}
