/**
 * One venue's order book for one symbol, built from a snapshot plus deltas. Which snapshot
 * replaces the book and which delta applies, is buffered, stale or a gap is decided by the
 * sequence rules in `book-sequencer.ts` (shared with the collector's `DepthSync`); this class holds
 * the levels those decisions act on, and verifies venue checksums:
 *
 * Checksums: an event carrying the venue's `checksum` (OKX) is verified after it is applied
 * (see `book-checksum.ts`; the levels are turned back into the venue's units and text with the
 * instrument facts). A mismatch counts `checksumMismatch` (and a gap) and the book goes unsynced,
 * cleared, waiting for a new snapshot, exactly as on a sequence gap. A book keeping fewer than
 * 25 levels per side cannot verify and does not try.
 *
 * While unsynced the book holds no levels (nothing invented). The buffer matters on real data:
 * in a Binance recording the REST snapshot arrives after six deltas and the delta covering
 * `lastUpdateId` is one of them.
 *
 * Levels: per side a price-sorted array (bids descending, asks ascending) with a parallel
 * quantity array; an update is a binary search plus at most one splice, O(log n + moved
 * elements) which for ~1000 levels is a short memmove. Only the best `maxLevels` per side
 * are kept; an update worse than every kept level of a full side is ignored.
 * Memory: at most 2·maxLevels·2 doubles plus `maxBufferedDeltas` buffered delta events.
 */
import { OKX_CHECKSUM_LEVELS, okxBookChecksum } from "./book-checksum.js";
import { BookSide, type SideLevels } from "./book-side.js";
import { BookSequencer } from "./book-sequencer.js";
import type { BookEvent, Level } from "./events.js";
import type { LevelChangeListener } from "./inputs/book-change.js";
import { INSTRUMENTS, type InstrumentTable, venueLevelText } from "./instruments.js";

export interface BookCounters {
  /** Deltas applied to a synced book. */
  applied: number;
  /** Snapshots loaded. */
  snapshots: number;
  /** Times the book went unsynced on bad data: sequence breaks and checksum mismatches. */
  gaps: number;
  /** Times the book became synced again after having been synced before. */
  resyncs: number;
  /** Deltas (or snapshots) not newer than the synced book: duplicates or reordered, ignored. */
  stale: number;
  /** Buffered deltas older than the snapshot they were replayed against (normal, step 2). */
  skipped: number;
  /** Buffered deltas dropped because the buffer was full. */
  bufferDropped: number;
  /** Venue checksums that did not match the book after an update (each also counts a gap). */
  checksumMismatch: number;
}

/** Depth inside a band around mid: quantities in base units, notionals in quote (USD). */
export interface BandDepth {
  mid: number;
  bidQty: number;
  askQty: number;
  bidNotionalUsd: number;
  askNotionalUsd: number;
  bidLevels: number;
  askLevels: number;
}

/** The engine's books, read-only, across venues (what cards and the liquidation maps read). */
export interface BookView {
  /** True when at least one venue's book is synced and fresh. */
  readonly synced: boolean;
  /**
   * Depth within ±`bandPct` % of each synced venue book's own mid, summed over venues in
   * `VENUES` order (`mid` is the first synced book's). Null when no book is synced. Computed once
   * per band per cycle.
   */
  depthWithin(bandPct: number): BandDepth | null;
  /**
   * The primary venue's book (the first in `VENUES` order that is synced and fresh), best first,
   * shared (read-only); null when no book is synced. Computed once per cycle.
   */
  levels(): { readonly bids: readonly Level[]; readonly asks: readonly Level[] } | null;
}

export interface BookOptions {
  maxLevels: number;
  maxBufferedDeltas: number;
  /** Instrument facts used to turn levels back into venue units for a checksum (default: the global table). */
  instruments?: InstrumentTable;
}

/** Plain JSON form of an `OrderBook`. */
export interface BookState {
  synced: boolean;
  everSynced: boolean;
  awaitingFirst: boolean;
  lastSeq: number | null;
  /** Event time of the last update applied; absent in older checkpoints. */
  lastTs?: number;
  bids: Level[];
  asks: Level[];
  buffer: BookEvent[];
  counters: BookCounters;
}

export class OrderBook {
  private readonly bids: BookSide;
  private readonly asks: BookSide;
  /** The sequence rules (book-sequencer.ts): which event applies. */
  private seq: BookSequencer<BookEvent>;
  /** Told of each level a live delta changes, during one `apply` call. */
  private listener: LevelChangeListener | undefined;
  private readonly c: Omit<BookCounters, "resyncs" | "bufferDropped"> = { applied: 0, snapshots: 0, gaps: 0, stale: 0, skipped: 0, checksumMismatch: 0 };

  constructor(readonly options: BookOptions) {
    if (!Number.isInteger(options.maxLevels) || options.maxLevels < 1) {
      throw new Error(`OrderBook: maxLevels must be an integer >= 1 (got ${options.maxLevels})`);
    }
    if (!Number.isInteger(options.maxBufferedDeltas) || options.maxBufferedDeltas < 1) {
      throw new Error(`OrderBook: maxBufferedDeltas must be an integer >= 1 (got ${options.maxBufferedDeltas})`);
    }
    this.seq = new BookSequencer<BookEvent>({ maxBuffered: options.maxBufferedDeltas });
    this.bids = new BookSide(true, options.maxLevels);
    this.asks = new BookSide(false, options.maxLevels);
  }

  get synced(): boolean {
    return this.seq.synced;
  }

  /** `seq` of the last snapshot or delta applied, null before the first snapshot. */
  get lastSeq(): number | null {
    return this.seq.lastSeq;
  }

  get bufferedDeltas(): number {
    return this.seq.bufferedDeltas;
  }

  get bidLevels(): number {
    return this.bids.length;
  }

  get askLevels(): number {
    return this.asks.length;
  }

  counters(): BookCounters {
    const c = this.c;
    return { applied: c.applied, snapshots: c.snapshots, gaps: c.gaps, resyncs: this.seq.resyncs, stale: c.stale, skipped: c.skipped, bufferDropped: this.seq.bufferDropped, checksumMismatch: c.checksumMismatch };
  }

  /** The book holds levels: synced (level reads answer only then). */
  private get isSynced(): boolean {
    return this.seq.synced;
  }

  /** Best bid price, null when unsynced or the side is empty. */
  bestBid(): number | null {
    return this.isSynced && this.bids.length > 0 ? this.bids.priceAt(0) : null;
  }

  /** Best ask price, null when unsynced or the side is empty. */
  bestAsk(): number | null {
    return this.isSynced && this.asks.length > 0 ? this.asks.priceAt(0) : null;
  }

  /** Size at the best bid / ask (base units), 0 when unsynced or the side is empty. */
  bestBidQty(): number {
    return this.isSynced && this.bids.length > 0 ? this.bids.sizeAt(0) : 0;
  }

  bestAskQty(): number {
    return this.isSynced && this.asks.length > 0 ? this.asks.sizeAt(0) : 0;
  }

  /** (best bid + best ask) / 2, null when unsynced or a side is empty. */
  mid(): number | null {
    return this.isSynced && this.bids.length > 0 && this.asks.length > 0 ? (this.bids.priceAt(0) + this.asks.priceAt(0)) / 2 : null;
  }

  /**
   * The book's own price and quantity arrays, best first (read-only, no copy): valid until the
   * next `apply`. For readers that scan the book once per cycle without copying it.
   */
  sides(): { readonly bids: SideLevels; readonly asks: SideLevels } {
    return { bids: this.bids, asks: this.asks };
  }

  /** Levels best first (copies), `limit` per side. */
  levels(limit = Infinity): { bids: Level[]; asks: Level[] } {
    return { bids: this.bids.levels(limit), asks: this.asks.levels(limit) };
  }

  /**
   * Depth within ±`bandPct` % of mid: bids with price >= mid·(1 − bandPct/100), asks with
   * price <= mid·(1 + bandPct/100), mid = (bestBid + bestAsk) / 2. Null when unsynced or a
   * side is empty. O(levels in band).
   */
  depthWithin(bandPct: number): BandDepth | null {
    if (!this.isSynced || this.bids.length === 0 || this.asks.length === 0) return null;
    const bids = this.bids;
    const asks = this.asks;
    const mid = (bids.priceAt(0) + asks.priceAt(0)) / 2;
    const lo = mid * (1 - bandPct / 100);
    const hi = mid * (1 + bandPct / 100);
    const out: BandDepth = { mid, bidQty: 0, askQty: 0, bidNotionalUsd: 0, askNotionalUsd: 0, bidLevels: 0, askLevels: 0 };
    for (let i = 0; i < bids.length && bids.priceAt(i) >= lo; i++) {
      out.bidQty += bids.sizeAt(i);
      out.bidNotionalUsd += bids.priceAt(i) * bids.sizeAt(i);
      out.bidLevels++;
    }
    for (let i = 0; i < asks.length && asks.priceAt(i) <= hi; i++) {
      out.askQty += asks.sizeAt(i);
      out.askNotionalUsd += asks.priceAt(i) * asks.sizeAt(i);
      out.askLevels++;
    }
    return out;
  }

  /**
   * Applies a snapshot or a delta following the procedure in the module comment. `listener` is
   * told of every level a delta changes on the synced book (not snapshots, not the buffered
   * deltas replayed after one: those rebuild the book, they are not changes).
   */
  apply(ev: BookEvent, listener?: LevelChangeListener): void {
    if (ev.type === "snapshot") this.applySnapshot(ev);
    else {
      this.listener = listener;
      this.applyDelta(ev);
      this.listener = undefined;
    }
  }

  private applySnapshot(ev: BookEvent): void {
    const verdict = this.seq.onSnapshot(ev);
    if (verdict.verdict === "stale") {
      this.c.stale++;
      return;
    }
    this.bids.load(ev.bids);
    this.asks.load(ev.asks);
    this.c.snapshots++;
    if (!this.checksumHolds(ev)) return;
    for (const d of verdict.pending) this.applyDelta(d, true);
  }

  private applyDelta(d: BookEvent, replay = false): void {
    switch (this.seq.onDelta(d, replay)) {
      case "apply":
        this.applyLevels(d);
        return;
      case "stale":
        this.c.stale++;
        return;
      case "skipped":
        this.c.skipped++;
        return;
      case "gap":
      case "behind":
        this.c.gaps++;
        this.clearLevels();
        return;
      case "buffered":
        return;
    }
  }

  private applyLevels(d: BookEvent): void {
    const l = this.listener;
    for (const [price, qty] of d.bids) {
      const before = this.bids.set(price, qty);
      if (l !== undefined && before >= 0) l.levelChanged(true, price, qty - before);
    }
    for (const [price, qty] of d.asks) {
      const before = this.asks.set(price, qty);
      if (l !== undefined && before >= 0) l.levelChanged(false, price, qty - before);
    }
    this.c.applied++;
    this.checksumHolds(d);
  }

  /**
   * Verifies the venue checksum an event carries against the book as it now stands; on a
   * mismatch the book goes unsynced (cleared, nothing buffered) and false is returned.
   */
  private checksumHolds(ev: BookEvent): boolean {
    if (ev.checksum === undefined || ev.venue !== "okx" || this.options.maxLevels < OKX_CHECKSUM_LEVELS) return true;
    const f = (this.options.instruments ?? INSTRUMENTS).symbol(ev.venue, ev.symbol) ?? IDENTITY_UNITS;
    const bids = venueLevelText(this.bids.levels(OKX_CHECKSUM_LEVELS), OKX_CHECKSUM_LEVELS, f);
    const asks = venueLevelText(this.asks.levels(OKX_CHECKSUM_LEVELS), OKX_CHECKSUM_LEVELS, f);
    if (okxBookChecksum(bids, asks) === ev.checksum) return true;
    this.c.checksumMismatch++;
    this.c.gaps++;
    this.seq.fail();
    this.clearLevels();
    return false;
  }

  private clearLevels(): void {
    this.bids.clear();
    this.asks.clear();
  }

  toJSON(): BookState {
    const { bids, asks } = this.levels();
    const seq = this.seq.toJSON();
    return {
      synced: seq.synced,
      everSynced: seq.everSynced,
      awaitingFirst: seq.awaitingFirst,
      lastSeq: seq.lastSeq,
      lastTs: seq.lastTs,
      bids,
      asks,
      buffer: seq.buffer,
      counters: this.counters(),
    };
  }

  static fromJSON(state: BookState, options: BookOptions): OrderBook {
    const b = new OrderBook(options);
    for (const [p, q] of state.bids) b.bids.push(p, q);
    for (const [p, q] of state.asks) b.asks.push(p, q);
    const { resyncs, bufferDropped, ...counters } = state.counters;
    Object.assign(b.c, counters);
    b.seq = BookSequencer.fromJSON<BookEvent>(state, { maxBuffered: options.maxBufferedDeltas }, { resyncs, bufferDropped });
    return b;
  }
}

/** Rule 6 of the sequence rules (re-exported: tests and tools name it from here). */
export { NEW_SESSION_AFTER_MS } from "./book-sequencer.js";

/** Levels of an instrument the facts table does not know are taken as the venue's own units. */
const IDENTITY_UNITS = { qtyExp: 0, priceExp: 0 };
