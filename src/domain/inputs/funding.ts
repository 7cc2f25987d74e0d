/**
 * Funding per venue as an **8-hour-equivalent rate**, time-weighted.
 *
 * Venues settle funding at different intervals: Binance, Bybit and OKX every 8 h for most
 * perpetuals (some every 4 h, 2 h or 1 h), Hyperliquid every hour. A rate is a fraction per
 * interval, so an hourly 0.00125 % is the same cost as an 8-hourly 0.01 %: comparing raw rates
 * reads an hourly venue as eight times calmer than it is. Every rate is turned into its 8-hour
 * equivalent, `rate8h = rate · 8 h / interval`, before anything reads it.
 *
 * The interval, per venue, in order of trust:
 * 1. the event's own `fundingIntervalMs` (Bybit `fundingIntervalHour`, OKX `nextFundingTime −
 *    fundingTime`, Hyperliquid's documented hourly funding);
 * 2. observed: the step of `nextFundingTs` when it rolls over at a settlement (Binance sends the
 *    next funding time on every mark price: a symbol moved to 4 h shows a 4 h step);
 * 3. the venue's default (`DEFAULT_FUNDING_INTERVAL_MS`).
 *
 * Rates hold between messages: each venue's 8-hour-equivalent rate is a `StepSeries`, so a
 * window's mean is time-weighted (a venue repeating its rate every second weighs the same as
 * one sending it every minute). A rate not refreshed within `maxHoldMs` is unknown afterwards.
 * Cost: O(1) per mark event; memory: one step series per venue that sent funding.
 */
import { VENUES, type MarkEvent, type Venue } from "../events.js";
import { StepSeries, type StepSeriesState, type TimeWeighted } from "./step-series.js";

export const EIGHT_HOURS_MS = 8 * 3_600_000;

/**
 * Funding interval a venue uses when nothing better is known. Binance: "funding occurs every
 * 8 hours" (USDⓈ-M funding rate history docs; adjusted symbols listed by /fapi/v1/fundingInfo);
 * Bybit and OKX: 8 h default (instrument info `fundingInterval`); Hyperliquid: "funding is paid
 * every hour" (Hyperliquid docs, Trading → Funding).
 */
export const DEFAULT_FUNDING_INTERVAL_MS: Readonly<Record<Venue, number>> = {
  binance: EIGHT_HOURS_MS,
  bybit: EIGHT_HOURS_MS,
  okx: EIGHT_HOURS_MS,
  hyperliquid: 3_600_000,
};

/** Settlement intervals a venue uses; an observed `nextFundingTs` step must be one of them. */
const KNOWN_INTERVALS_MS = [3_600_000, 2 * 3_600_000, 4 * 3_600_000, EIGHT_HOURS_MS];

export type FundingIntervalSource = "venue" | "observed" | "default";

/** One venue's funding at a cycle boundary, for a window. */
export interface VenueFunding {
  readonly venue: Venue;
  /** The venue's latest rate as it states it (fraction per its interval). */
  readonly rate: number;
  readonly intervalMs: number;
  readonly intervalSource: FundingIntervalSource;
  /** Latest rate as an 8-hour equivalent; null when older than the hold limit. */
  readonly rate8h: number | null;
  /** Time-weighted mean of the 8-hour-equivalent rate over the window. */
  readonly window8h: TimeWeighted;
  /** Event time of the latest rate. */
  readonly ts: number;
}

interface VenueState {
  series: StepSeries;
  rate: number;
  intervalMs: number;
  intervalSource: FundingIntervalSource;
  nextFundingTs: number | null;
}

export interface FundingTrackerState {
  venues: Partial<Record<Venue, { series: StepSeriesState; rate: number; intervalMs: number; intervalSource: FundingIntervalSource; nextFundingTs: number | null }>>;
}

export class FundingTracker {
  private venues: Partial<Record<Venue, VenueState>> = {};

  constructor(
    private readonly bucketMs: number,
    private readonly buckets: number,
    private readonly maxHoldMs: number,
  ) {}

  /** Takes a mark event's funding (if it carries one). False when the event is older than the venue's last rate. */
  onMark(ev: MarkEvent): boolean {
    if (ev.fundingRate === undefined) return true;
    let s = this.venues[ev.venue];
    if (s === undefined) {
      s = {
        series: new StepSeries(this.bucketMs, this.buckets, this.maxHoldMs),
        rate: ev.fundingRate,
        intervalMs: DEFAULT_FUNDING_INTERVAL_MS[ev.venue],
        intervalSource: "default",
        nextFundingTs: null,
      };
      this.venues[ev.venue] = s;
    }
    const latest = s.series.latest();
    if (latest !== null && ev.ts < latest.ts) return false;
    this.learnInterval(s, ev);
    s.rate = ev.fundingRate;
    s.series.set(ev.ts, (ev.fundingRate * EIGHT_HOURS_MS) / s.intervalMs);
    return true;
  }

  /** Per venue that sent funding (`VENUES` order): latest and window mean, 8-hour equivalent. */
  view(ts: number, windowMs: number): VenueFunding[] {
    const out: VenueFunding[] = [];
    for (const v of VENUES) {
      const s = this.venues[v];
      const latest = s?.series.latest();
      if (s === undefined || latest == null) continue;
      out.push({
        venue: v,
        rate: s.rate,
        intervalMs: s.intervalMs,
        intervalSource: s.intervalSource,
        rate8h: s.series.current(ts),
        window8h: s.series.mean(ts, windowMs),
        ts: latest.ts,
      });
    }
    return out;
  }

  advance(ts: number): void {
    for (const v of VENUES) this.venues[v]?.series.advance(ts);
  }

  toJSON(): FundingTrackerState {
    const venues: FundingTrackerState["venues"] = {};
    for (const v of VENUES) {
      const s = this.venues[v];
      if (s !== undefined) venues[v] = { series: s.series.toJSON(), rate: s.rate, intervalMs: s.intervalMs, intervalSource: s.intervalSource, nextFundingTs: s.nextFundingTs };
    }
    return { venues };
  }

  static fromJSON(state: FundingTrackerState, bucketMs: number, buckets: number, maxHoldMs: number): FundingTracker {
    const t = new FundingTracker(bucketMs, buckets, maxHoldMs);
    for (const v of VENUES) {
      const s = state.venues[v];
      if (s !== undefined) t.venues[v] = { ...s, series: StepSeries.fromJSON(s.series, maxHoldMs) };
    }
    return t;
  }

  /** Rule of the module comment: the venue's own interval, else an observed step, else the default. */
  private learnInterval(s: VenueState, ev: MarkEvent): void {
    if (ev.fundingIntervalMs !== undefined) {
      s.intervalMs = ev.fundingIntervalMs;
      s.intervalSource = "venue";
    } else if (ev.nextFundingTs !== undefined && s.nextFundingTs !== null && ev.nextFundingTs > s.nextFundingTs && s.intervalSource !== "venue") {
      const step = ev.nextFundingTs - s.nextFundingTs;
      if (KNOWN_INTERVALS_MS.includes(step)) {
        s.intervalMs = step;
        s.intervalSource = "observed";
      }
    }
    if (ev.nextFundingTs !== undefined) s.nextFundingTs = ev.nextFundingTs;
  }
}
