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
  private bidPx: number[] = [];
  private bidQty: number[] = [];
  private askPx: number[] = [];
  private askQty: number[] = [];
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
    return this.bidPx.length;
  }

  get askLevels(): number {
    return this.askPx.length;
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
    return this.isSynced && this.bidPx.length > 0 ? this.bidPx[0] : null;
  }

  /** Best ask price, null when unsynced or the side is empty. */
  bestAsk(): number | null {
    return this.isSynced && this.askPx.length > 0 ? this.askPx[0] : null;
  }

  /** Size at the best bid / ask (base units), 0 when unsynced or the side is empty. */
  bestBidQty(): number {
    return this.isSynced && this.bidQty.length > 0 ? this.bidQty[0] : 0;
  }

  bestAskQty(): number {
    return this.isSynced && this.askQty.length > 0 ? this.askQty[0] : 0;
  }

  /** (best bid + best ask) / 2, null when unsynced or a side is empty. */
  mid(): number | null {
    return this.isSynced && this.bidPx.length > 0 && this.askPx.length > 0 ? (this.bidPx[0] + this.askPx[0]) / 2 : null;
  }

  /**
   * The book's own price and quantity arrays, best first (read-only, no copy): valid until the
   * next `apply`. For readers that scan the book once per cycle without copying it.
   */
  sides(): { readonly bidPx: readonly number[]; readonly bidQty: readonly number[]; readonly askPx: readonly number[]; readonly askQty: readonly number[] } {
    return { bidPx: this.bidPx, bidQty: this.bidQty, askPx: this.askPx, askQty: this.askQty };
  }

  /** Levels best first (copies), `limit` per side. */
  levels(limit = Infinity): { bids: Level[]; asks: Level[] } {
    const take = (px: number[], qty: number[]) => {
      const n = Math.min(limit, px.length);
      const out: Level[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = [px[i], qty[i]];
      return out;
    };
    return { bids: take(this.bidPx, this.bidQty), asks: take(this.askPx, this.askQty) };
  }

  /**
   * Depth within ±`bandPct` % of mid: bids with price >= mid·(1 − bandPct/100), asks with
   * price <= mid·(1 + bandPct/100), mid = (bestBid + bestAsk) / 2. Null when unsynced or a
   * side is empty. O(levels in band).
   */
  depthWithin(bandPct: number): BandDepth | null {
    if (!this.isSynced || this.bidPx.length === 0 || this.askPx.length === 0) return null;
    const mid = (this.bidPx[0] + this.askPx[0]) / 2;
    const lo = mid * (1 - bandPct / 100);
    const hi = mid * (1 + bandPct / 100);
    const out: BandDepth = { mid, bidQty: 0, askQty: 0, bidNotionalUsd: 0, askNotionalUsd: 0, bidLevels: 0, askLevels: 0 };
    for (let i = 0; i < this.bidPx.length && this.bidPx[i] >= lo; i++) {
      out.bidQty += this.bidQty[i];
      out.bidNotionalUsd += this.bidPx[i] * this.bidQty[i];
      out.bidLevels++;
    }
    for (let i = 0; i < this.askPx.length && this.askPx[i] <= hi; i++) {
      out.askQty += this.askQty[i];
      out.askNotionalUsd += this.askPx[i] * this.askQty[i];
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
    this.loadSide(ev.bids, this.bidPx, this.bidQty, true);
    this.loadSide(ev.asks, this.askPx, this.askQty, false);
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
    const max = this.options.maxLevels;
    const l = this.listener;
    for (const [price, qty] of d.bids) {
      const before = updateSide(this.bidPx, this.bidQty, price, qty, true, max);
      if (l !== undefined && before >= 0) l.levelChanged(true, price, qty - before);
    }
    for (const [price, qty] of d.asks) {
      const before = updateSide(this.askPx, this.askQty, price, qty, false, max);
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
    const bids = venueLevelText(this.levelsOf(this.bidPx, this.bidQty, OKX_CHECKSUM_LEVELS), OKX_CHECKSUM_LEVELS, f);
    const asks = venueLevelText(this.levelsOf(this.askPx, this.askQty, OKX_CHECKSUM_LEVELS), OKX_CHECKSUM_LEVELS, f);
    if (okxBookChecksum(bids, asks) === ev.checksum) return true;
    this.c.checksumMismatch++;
    this.c.gaps++;
    this.seq.fail();
    this.clearLevels();
    return false;
  }

  private levelsOf(px: readonly number[], qty: readonly number[], limit: number): Level[] {
    const n = Math.min(limit, px.length);
    const out: Level[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [px[i], qty[i]];
    return out;
  }

  private clearLevels(): void {
    this.bidPx.length = 0;
    this.bidQty.length = 0;
    this.askPx.length = 0;
    this.askQty.length = 0;
  }

  private loadSide(levels: readonly Level[], px: number[], qty: number[], descending: boolean): void {
    const sorted = levels.filter((l) => l[1] > 0).sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
    px.length = 0;
    qty.length = 0;
    for (let i = 0; i < sorted.length && px.length < this.options.maxLevels; i++) {
      // A snapshot listing one price twice keeps the later quantity.
      if (px.length > 0 && px[px.length - 1] === sorted[i][0]) qty[qty.length - 1] = sorted[i][1];
      else {
        px.push(sorted[i][0]);
        qty.push(sorted[i][1]);
      }
    }
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
    for (const [p, q] of state.bids) {
      b.bidPx.push(p);
      b.bidQty.push(q);
    }
    for (const [p, q] of state.asks) {
      b.askPx.push(p);
      b.askQty.push(q);
    }
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

/**
 * Index of `price` in a side, or where it would be inserted. `descending` for bids.
 * Binary search: O(log n).
 */
function search(px: readonly number[], price: number, descending: boolean): number {
  let lo = 0;
  let hi = px.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const before = descending ? px[mid] > price : px[mid] < price;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sets a level; returns its size before (0 when new), or −1 when the update was ignored (beyond the kept levels). */
function updateSide(px: number[], qty: number[], price: number, q: number, descending: boolean, maxLevels: number): number {
  const i = search(px, price, descending);
  if (i < px.length && px[i] === price) {
    const before = qty[i];
    if (q === 0) {
      px.splice(i, 1);
      qty.splice(i, 1);
    } else qty[i] = q;
    return before;
  }
  if (q === 0) return 0;
  if (i >= maxLevels) return -1;
  px.splice(i, 0, price);
  qty.splice(i, 0, q);
  if (px.length > maxLevels) {
    px.pop();
    qty.pop();
  }
  return 0;
}
