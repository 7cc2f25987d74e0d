/**
 * Open interest per venue and summed, with history.
 *
 * Each venue's open interest is a step series (it holds between the venue's updates) of base
 * units and of USD: the venue's own USD figure where it sends one, else base × the venue's last
 * trade price at the update (the mark where no trade was seen yet). Summed open interest is the
 * sum over venues of what each holds at that time; a venue whose value is older than `maxHoldMs`
 * is left out of the sum rather than carried forward.
 *
 * History: the value in force at any 10 s boundary back to the longest window plus the hold
 * limit (1 h + 15 min at the defaults: enough for a 1 h change, not for the hour before it).
 * Cost: O(1) per update; memory: two step series per venue that sent open interest.
 */
import { VENUES, type OiEvent, type Venue } from "../events.js";
import { StepSeries, type StepSeriesState } from "./step-series.js";

export interface VenueOpenInterest {
  readonly venue: Venue;
  /** Latest, base units and USD; null when older than the hold limit. */
  readonly base: number | null;
  readonly usd: number | null;
  /** In force at the window's start; null when unknown then. */
  readonly startBase: number | null;
  readonly startUsd: number | null;
  /** Event time of the latest update. */
  readonly ts: number;
}

/** Open interest at a cycle boundary for one window. */
export interface OpenInterestView {
  /** Venues that ever sent open interest, `VENUES` order. */
  readonly venues: readonly VenueOpenInterest[];
  /** Σ latest over venues with a current value; null when none. */
  readonly base: number | null;
  readonly usd: number | null;
  /**
   * Σ over the venues current now **and** known at the window start, of start and now: a change
   * read only where both ends exist (a venue appearing mid-window is not new open interest).
   */
  readonly matched: { readonly startBase: number; readonly base: number; readonly startUsd: number; readonly usd: number; readonly venues: number } | null;
  /** Summed USD open interest in force at `ts − msAgo` over the venues known then; null when none. */
  usdAt(msAgo: number): number | null;
}

export interface OiHistoryState {
  venues: Partial<Record<Venue, { base: StepSeriesState; usd: StepSeriesState }>>;
}

export class OiHistory {
  private venues: Partial<Record<Venue, { base: StepSeries; usd: StepSeries }>> = {};

  constructor(
    private readonly bucketMs: number,
    private readonly buckets: number,
    private readonly maxHoldMs: number,
  ) {}

  /** `priceUsd`: the venue's price to value base units when the event has no USD figure (null: none). False when older than the venue's last update. */
  onOi(ev: OiEvent, priceUsd: number | null): boolean {
    let s = this.venues[ev.venue];
    if (s === undefined) {
      s = { base: new StepSeries(this.bucketMs, this.buckets, this.maxHoldMs), usd: new StepSeries(this.bucketMs, this.buckets, this.maxHoldMs) };
      this.venues[ev.venue] = s;
    }
    if (!s.base.set(ev.ts, ev.oiBase)) return false;
    const usd = ev.oiUsd ?? (priceUsd === null ? null : ev.oiBase * priceUsd);
    if (usd !== null) s.usd.set(ev.ts, usd);
    return true;
  }

  view(ts: number, windowMs: number): OpenInterestView {
    const venues: VenueOpenInterest[] = [];
    let base: number | null = null;
    let usd: number | null = null;
    let matched: { startBase: number; base: number; startUsd: number; usd: number; venues: number } | null = null;
    for (const v of VENUES) {
      const s = this.venues[v];
      const latest = s?.base.latest();
      if (s === undefined || latest == null) continue;
      const entry: VenueOpenInterest = {
        venue: v,
        base: s.base.current(ts),
        usd: s.usd.current(ts),
        startBase: s.base.valueAt(ts - windowMs),
        startUsd: s.usd.valueAt(ts - windowMs),
        ts: latest.ts,
      };
      venues.push(entry);
      if (entry.base !== null) base = (base ?? 0) + entry.base;
      if (entry.usd !== null) usd = (usd ?? 0) + entry.usd;
      if (entry.base !== null && entry.usd !== null && entry.startBase !== null && entry.startUsd !== null) {
        matched ??= { startBase: 0, base: 0, startUsd: 0, usd: 0, venues: 0 };
        matched.startBase += entry.startBase;
        matched.base += entry.base;
        matched.startUsd += entry.startUsd;
        matched.usd += entry.usd;
        matched.venues++;
      }
    }
    const series = this.venues;
    return {
      venues,
      base,
      usd,
      matched,
      usdAt(msAgo: number): number | null {
        let sum: number | null = null;
        for (const v of VENUES) {
          const x = series[v]?.usd.valueAt(ts - msAgo) ?? null;
          if (x !== null) sum = (sum ?? 0) + x;
        }
        return sum;
      },
    };
  }

  advance(ts: number): void {
    for (const v of VENUES) {
      this.venues[v]?.base.advance(ts);
      this.venues[v]?.usd.advance(ts);
    }
  }

  toJSON(): OiHistoryState {
    const venues: OiHistoryState["venues"] = {};
    for (const v of VENUES) {
      const s = this.venues[v];
      if (s !== undefined) venues[v] = { base: s.base.toJSON(), usd: s.usd.toJSON() };
    }
    return { venues };
  }

  static fromJSON(state: OiHistoryState, bucketMs: number, buckets: number, maxHoldMs: number): OiHistory {
    const h = new OiHistory(bucketMs, buckets, maxHoldMs);
    for (const v of VENUES) {
      const s = state.venues[v];
      if (s !== undefined) h.venues[v] = { base: StepSeries.fromJSON(s.base, maxHoldMs), usd: StepSeries.fromJSON(s.usd, maxHoldMs) };
    }
    return h;
  }
}
