/**
 * The symbol's order books and best quotes per venue, with freshness.
 *
 * A venue's book counts only while it is synced and fresh: a book whose last event is older than
 * `staleAfterMs` of event time (a feed that stopped, a replay that moved on to another recording)
 * no longer says anything about the market. The primary venue is the first in `VENUES` order with
 * a synced, fresh book; where the snapshot has room for one book (best bid/ask, level counts) it is
 * that venue's; without one, best bid/ask fall back to the first fresh quote. Gaps and resyncs are
 * summed over venues.
 *
 * Cost: a book delta is O(levels changed · log n) (src/domain/book.ts); memory per venue at most
 * 2·maxLevels levels plus maxBufferedDeltas buffered deltas.
 */
import { VENUES, type BookEvent, type QuoteEvent, type Venue } from "../events.js";
import { OrderBook, type BandDepth, type BookCounters, type BookState, type BookView } from "../book.js";
import type { SideLevels } from "../book-side.js";
import type { SymbolSnapshot } from "../../protocol/snapshot.js";
import type { LevelChangeListener } from "./book-change.js";
import { cachedBookView } from "./cycle-input.js";

/** One book's running sums, best first: `qty[i]`, `usd[i]` = the sums of its best `i` levels. */
type DepthProfile = {
  mid: number;
  bidPx: Float64Array;
  askPx: Float64Array;
  bidQty: Float64Array;
  bidUsd: Float64Array;
  askQty: Float64Array;
  askUsd: Float64Array;
} | null;

/** A side's prices best first (copied once per cycle) and its running sums of size and notional. */
function runningSums(side: SideLevels): { px: Float64Array; q: Float64Array; u: Float64Array } {
  const n = side.length;
  const px = new Float64Array(n);
  const q = new Float64Array(n + 1);
  const u = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = side.priceAt(i);
    const s = side.sizeAt(i);
    px[i] = p;
    q[i + 1] = q[i] + s;
    u[i + 1] = u[i] + p * s;
  }
  return { px, q, u };
}

function depthProfile(book: OrderBook): DepthProfile {
  const mid = book.mid();
  if (mid === null) return null;
  const s = book.sides();
  const bid = runningSums(s.bids);
  const ask = runningSums(s.asks);
  return { mid, bidPx: bid.px, askPx: ask.px, bidQty: bid.q, bidUsd: bid.u, askQty: ask.q, askUsd: ask.u };
}

/** Levels of a best-first side inside the limit: bids with price ≥ `limit` (descending), asks with price ≤ `limit`. */
function levelsInside(px: Float64Array, limit: number, bids: boolean): number {
  let lo = 0;
  let hi = px.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (bids ? px[m] >= limit : px[m] <= limit) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/** The same figures as `OrderBook.depthWithin(bandPct)`, from the running sums (sums taken in the same order). */
function depthOf(p: NonNullable<DepthProfile>, bandPct: number): BandDepth {
  const nb = levelsInside(p.bidPx, p.mid * (1 - bandPct / 100), true);
  const na = levelsInside(p.askPx, p.mid * (1 + bandPct / 100), false);
  return { mid: p.mid, bidQty: p.bidQty[nb], askQty: p.askQty[na], bidNotionalUsd: p.bidUsd[nb], askNotionalUsd: p.askUsd[na], bidLevels: nb, askLevels: na };
}

export interface VenueBooksState {
  books: Partial<Record<Venue, BookState>>;
  bookTs?: Partial<Record<Venue, number>>;
  quotes: Partial<Record<Venue, QuoteEvent>>;
}

export class VenueBooks {
  private books: Partial<Record<Venue, OrderBook>> = {};
  /** Event time of each venue's last book event (freshness). */
  private bookTs: Partial<Record<Venue, number>> = {};
  private quotes: Partial<Record<Venue, QuoteEvent>> = {};

  constructor(
    private readonly options: { maxLevels: number; maxBufferedDeltas: number },
    private readonly staleAfterMs: number,
  ) {}

  /** Applies a book event to its venue's book; `listener` hears the levels a live delta changes. */
  apply(ev: BookEvent, listener?: LevelChangeListener): OrderBook {
    let book = this.books[ev.venue];
    if (book === undefined) {
      book = new OrderBook(this.options);
      this.books[ev.venue] = book;
    }
    book.apply(ev, listener);
    if (ev.ts > (this.bookTs[ev.venue] ?? -1)) this.bookTs[ev.venue] = ev.ts;
    return book;
  }

  /** Keeps the newest quote per venue. */
  onQuote(ev: QuoteEvent): void {
    const prev = this.quotes[ev.venue];
    if (prev === undefined || ev.ts >= prev.ts) this.quotes[ev.venue] = ev;
  }

  /** Event time of the newest book event or quote of any venue; null before any. */
  newestTs(): number | null {
    let ts: number | null = null;
    for (const v of VENUES) {
      const t = Math.max(this.bookTs[v] ?? -Infinity, this.quotes[v]?.ts ?? -Infinity);
      if (t > (ts ?? -Infinity)) ts = t;
    }
    return ts;
  }

  /** The venue's book (read-only use), undefined when that venue sent no book event. */
  book(venue: Venue): OrderBook | undefined {
    return this.books[venue];
  }

  /** The venue's book when synced and fresh at `nowTs`. */
  fresh(v: Venue, nowTs: number): OrderBook | undefined {
    const b = this.books[v];
    if (b === undefined || !b.synced) return undefined;
    return nowTs - (this.bookTs[v] ?? -Infinity) <= this.staleAfterMs ? b : undefined;
  }

  /** The first venue's (VENUES order) synced, fresh book: what reads one book, not a sum. */
  primary(nowTs: number): OrderBook | undefined {
    for (const v of VENUES) {
      const b = this.fresh(v, nowTs);
      if (b !== undefined) return b;
    }
    return undefined;
  }

  /**
   * Depth across the fresh synced books for one boundary: each venue's book is turned once into
   * running sums by distance from its mid (`DepthProfile`), so any band is two binary searches per
   * venue instead of a walk over its levels, and each band is cached.
   */
  view(nowTs: number): BookView {
    const books: OrderBook[] = [];
    for (const v of VENUES) {
      const b = this.fresh(v, nowTs);
      if (b !== undefined) books.push(b);
    }
    let profiles: DepthProfile[] | undefined;
    return cachedBookView(books.length > 0, (bandPct) => {
      profiles ??= books.map(depthProfile);
      let agg: BandDepth | null = null;
      for (const p of profiles) {
        const d = p === null ? null : depthOf(p, bandPct);
        if (d === null) continue;
        if (agg === null) agg = d;
        else {
          agg.bidQty += d.bidQty;
          agg.askQty += d.askQty;
          agg.bidNotionalUsd += d.bidNotionalUsd;
          agg.askNotionalUsd += d.askNotionalUsd;
          agg.bidLevels += d.bidLevels;
          agg.askLevels += d.askLevels;
        }
      }
      return agg;
    }, () => (books.length > 0 ? books[0].levels() : null));
  }

  summary(nowTs: number): SymbolSnapshot["book"] {
    let primary: OrderBook | undefined;
    let gaps = 0;
    let resyncs = 0;
    for (const v of VENUES) {
      const b = this.books[v];
      if (b === undefined) continue;
      const c = b.counters();
      gaps += c.gaps;
      resyncs += c.resyncs;
      primary ??= this.fresh(v, nowTs);
    }
    if (primary !== undefined) {
      return { synced: true, bestBid: primary.bestBid(), bestAsk: primary.bestAsk(), bidLevels: primary.bidLevels, askLevels: primary.askLevels, gaps, resyncs };
    }
    let quote: QuoteEvent | undefined;
    for (const v of VENUES) {
      const q = this.quotes[v];
      if (q !== undefined && nowTs - q.ts <= this.staleAfterMs) {
        quote = q;
        break;
      }
    }
    return { synced: false, bestBid: quote?.bidPrice ?? null, bestAsk: quote?.askPrice ?? null, bidLevels: 0, askLevels: 0, gaps, resyncs };
  }

  counters(): Partial<Record<Venue, BookCounters>> {
    const out: Partial<Record<Venue, BookCounters>> = {};
    for (const v of VENUES) {
      const b = this.books[v];
      if (b !== undefined) out[v] = b.counters();
    }
    return out;
  }

  toJSON(): VenueBooksState {
    const books: Partial<Record<Venue, BookState>> = {};
    const quotes: Partial<Record<Venue, QuoteEvent>> = {};
    for (const v of VENUES) {
      const b = this.books[v];
      if (b !== undefined) books[v] = b.toJSON();
      if (this.quotes[v] !== undefined) quotes[v] = this.quotes[v];
    }
    return { books, bookTs: { ...this.bookTs }, quotes };
  }

  static fromJSON(state: VenueBooksState, options: { maxLevels: number; maxBufferedDeltas: number }, staleAfterMs: number): VenueBooks {
    const out = new VenueBooks(options, staleAfterMs);
    for (const v of VENUES) {
      const b = state.books[v];
      if (b !== undefined) out.books[v] = OrderBook.fromJSON(b, options);
      if (state.quotes[v] !== undefined) out.quotes[v] = state.quotes[v];
    }
    out.bookTs = { ...(state.bookTs ?? {}) };
    return out;
  }
}
