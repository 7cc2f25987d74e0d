/**
 * Top of book per venue: best bid and ask with their sizes, a time-weighted spread, the number
 * of top-of-book changes, and the microprice.
 *
 * Source per venue: its quote stream (Binance `bookTicker`) while one is fresh, else its synced
 * order book's best levels after each book event (a venue with both does not count a change
 * twice). A change is any new best price or size.
 *
 * - spread, bps of mid: `(ask − bid) / mid · 1e4`, a step series: the window's mean is
 *   time-weighted (a spread that held for 9 s of 10 weighs 9 s, however many messages repeated it);
 * - updates: top-of-book changes in the window;
 * - microprice at the boundary: `(bid · askQty + ask · bidQty) / (bidQty + askQty)` (Stoikov 2018,
 *   "The micro-price"), the mid leaned toward the side with less size, from the venue's latest top.
 *
 * Cost: O(1) per quote or book event; memory: one step series and one count ring per venue.
 */
import { VENUES, type Venue } from "../events.js";
import { BucketRing, type BucketRingState } from "./bucket-ring.js";
import { StepSeries, type StepSeriesState, type TimeWeighted } from "./step-series.js";

export interface Top {
  bid: number;
  bidQty: number;
  ask: number;
  askQty: number;
  ts: number;
  source: "quote" | "book";
}

/** One venue's top of book at a cycle boundary, for a window. */
export interface VenueTop {
  readonly venue: Venue;
  /** Latest top; null when older than the hold limit. */
  readonly top: Readonly<Top> | null;
  /** Latest spread, bps of mid (null when stale). */
  readonly spreadBps: number | null;
  /** Time-weighted spread over the window, bps of mid. */
  readonly windowSpreadBps: TimeWeighted;
  /** Top-of-book changes in the window. */
  readonly updates: number;
  /** Microprice − mid, bps of mid (null when stale or no size). */
  readonly micropriceOffsetBps: number | null;
}

const VENUE_INDEX: Readonly<Record<Venue, number>> = Object.fromEntries(VENUES.map((v, i) => [v, i])) as Record<Venue, number>;

export interface TopOfBookState {
  venues: Partial<Record<Venue, { top: Top; spread: StepSeriesState }>>;
  updates: BucketRingState;
}

/** (bid · askQty + ask · bidQty) / (bidQty + askQty); the mid when both sizes are 0. */
export function microprice(t: Readonly<Top>): number {
  const q = t.bidQty + t.askQty;
  return q > 0 ? (t.bid * t.askQty + t.ask * t.bidQty) / q : (t.bid + t.ask) / 2;
}

export class TopOfBook {
  private venues: Partial<Record<Venue, { top: Top; spread: StepSeries }>> = {};
  private updates: BucketRing;

  constructor(
    private readonly bucketMs: number,
    private readonly buckets: number,
    private readonly maxHoldMs: number,
  ) {
    this.updates = new BucketRing(bucketMs, buckets, VENUES.length);
  }

  /** A quote event: always taken (when not older than the venue's last top). */
  onQuote(venue: Venue, ts: number, bid: number, bidQty: number, ask: number, askQty: number): void {
    this.set(venue, bid, bidQty, ask, askQty, ts, "quote");
  }

  /**
   * The venue's book top after a book event: taken only while the venue has no fresh quote
   * stream. `bid`/`ask` null when the book is unsynced or a side is empty (nothing taken).
   */
  onBookTop(venue: Venue, ts: number, bid: number | null, bidQty: number, ask: number | null, askQty: number): void {
    if (bid === null || ask === null) return;
    const prev = this.venues[venue]?.top;
    if (prev !== undefined && prev.source === "quote" && ts - prev.ts <= this.maxHoldMs) return;
    if (prev !== undefined && prev.bid === bid && prev.ask === ask && prev.bidQty === bidQty && prev.askQty === askQty) return;
    this.set(venue, bid, bidQty, ask, askQty, ts, "book");
  }

  view(ts: number, windowMs: number): VenueTop[] {
    const counts = new Float64Array(VENUES.length);
    this.updates.sumInto(ts, windowMs, counts);
    const out: VenueTop[] = [];
    VENUES.forEach((v, i) => {
      const s = this.venues[v];
      if (s === undefined) return;
      const fresh = ts - s.top.ts <= this.maxHoldMs ? s.top : null;
      const mid = fresh === null ? 0 : (fresh.bid + fresh.ask) / 2;
      out.push({
        venue: v,
        top: fresh === null ? null : { ...fresh },
        spreadBps: s.spread.current(ts),
        windowSpreadBps: s.spread.mean(ts, windowMs),
        updates: counts[i],
        micropriceOffsetBps: fresh === null || fresh.bidQty + fresh.askQty === 0 ? null : ((microprice(fresh) - mid) / mid) * 1e4,
      });
    });
    return out;
  }

  advance(ts: number): void {
    this.updates.advance(ts);
    for (const v of VENUES) this.venues[v]?.spread.advance(ts);
  }

  toJSON(): TopOfBookState {
    const venues: TopOfBookState["venues"] = {};
    for (const v of VENUES) {
      const s = this.venues[v];
      if (s !== undefined) venues[v] = { top: { ...s.top }, spread: s.spread.toJSON() };
    }
    return { venues, updates: this.updates.toJSON() };
  }

  static fromJSON(state: TopOfBookState, bucketMs: number, buckets: number, maxHoldMs: number): TopOfBook {
    const t = new TopOfBook(bucketMs, buckets, maxHoldMs);
    for (const v of VENUES) {
      const s = state.venues[v];
      if (s !== undefined) t.venues[v] = { top: { ...s.top }, spread: StepSeries.fromJSON(s.spread, maxHoldMs) };
    }
    t.updates = BucketRing.fromJSON(state.updates);
    return t;
  }

  /** Takes a new top (updated in place: a quote stream sends thousands a minute). */
  private set(venue: Venue, bid: number, bidQty: number, ask: number, askQty: number, ts: number, source: Top["source"]): void {
    if (!(ask >= bid) || bid <= 0) return;
    let s = this.venues[venue];
    if (s !== undefined && ts < s.top.ts) return;
    if (s === undefined) {
      s = { top: { bid, bidQty, ask, askQty, ts, source }, spread: new StepSeries(this.bucketMs, this.buckets, this.maxHoldMs) };
      this.venues[venue] = s;
    }
    const top = s.top;
    top.bid = bid;
    top.bidQty = bidQty;
    top.ask = ask;
    top.askQty = askQty;
    top.ts = ts;
    top.source = source;
    s.spread.set(ts, ((ask - bid) / ((bid + ask) / 2)) * 1e4);
    const o = this.updates.slot(ts);
    if (o >= 0) this.updates.data[o + VENUE_INDEX[venue]] += 1;
  }
}
