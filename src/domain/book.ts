/**
 * One venue's order book for one symbol, built from a snapshot plus deltas with sequence
 * checks, after Binance's procedure
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly):
 *
 * 1. While unsynced, deltas are buffered (at most `maxBufferedDeltas`, oldest dropped).
 * 2. On a snapshot (`seq` = `lastUpdateId` = L) the levels are replaced, then the buffer is
 *    replayed: deltas with `seq` (u) < L are skipped (already in the snapshot); the first
 *    applied must have `firstSeq` (U) <= L <= `seq` (u), or chain directly onto L.
 * 3. Every following delta must chain: `prevSeq` (pu) == last applied `seq`, or, where the
 *    venue gives no `prevSeq`, `firstSeq` == last `seq` + 1. Anything else is a gap: the
 *    book becomes unsynced (levels cleared, nothing invented), buffers again and waits for a
 *    new snapshot; syncing again after having been synced counts a resync.
 * 4. A delta whose `seq` is not newer than the last applied one is a stale duplicate
 *    (resent or reordered) and is ignored and counted, unless its `prevSeq` names the last
 *    applied `seq`: OKX sends such deltas as heartbeats (`seqId == prevSeqId`, no levels) and
 *    after a maintenance reset of its sequence (`seqId < prevSeqId`); they chain.
 * 5. Snapshots: Binance's come from REST, fetched beside the stream, and one not newer than the
 *    synced book is stale. Every other venue pushes its snapshots on the stream itself, in order,
 *    and a pushed snapshot always replaces the book, whatever its `seq` (Bybit restarts its update
 *    ids at `u` = 1 after a service restart; OKX may reset `seqId`).
 * 6. New sessions: a sequence that goes backwards more than `NEW_SESSION_AFTER_MS` of event time
 *    after the book's last update is not a duplicate but a new session (a replay looping back to
 *    its first recording, a venue resetting its ids after maintenance): a delta counts a gap and
 *    the book resyncs; a REST snapshot replaces the book. Within that time, rule 4 and 5 hold.
 * 7. Checksums: an event carrying the venue's `checksum` (OKX) is verified after it is applied
 *    (see `book-checksum.ts`; the levels are turned back into the venue's units and text with the
 *    instrument facts). A mismatch counts `checksumMismatch` (and a gap) and the book goes unsynced,
 *    cleared, waiting for a new snapshot, exactly as on a sequence gap. A book keeping fewer than
 *    25 levels per side cannot verify and does not try.
 *
 * The buffer matters on real data: in a Binance recording the REST snapshot arrives after
 * six deltas and the delta covering `lastUpdateId` is one of them.
 *
 * Levels: per side a price-sorted array (bids descending, asks ascending) with a parallel
 * quantity array; an update is a binary search plus at most one splice, O(log n + moved
 * elements) which for ~1000 levels is a short memmove. Only the best `maxLevels` per side
 * are kept; an update worse than every kept level of a full side is ignored.
 * Memory: at most 2·maxLevels·2 doubles plus `maxBufferedDeltas` buffered delta events.
 */
import { OKX_CHECKSUM_LEVELS, okxBookChecksum } from "./book-checksum.js";
import type { BookEvent, Level, Venue } from "./events.js";
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

/** Venues whose snapshots are fetched out of band (REST) and can be older than the synced book. */
const OUT_OF_BAND_SNAPSHOTS: ReadonlySet<Venue> = new Set<Venue>(["binance"]);

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
  private isSynced = false;
  private everSynced = false;
  /** After a snapshot, until the first delta is applied (step 2's rule applies). */
  private awaitingFirst = false;
  private last: number | null = null;
  /** Event time of the last snapshot or delta applied (-1 before any). */
  private lastTs = -1;
  private buffer: BookEvent[] = [];
  /** Told of each level a live delta changes, during one `apply` call. */
  private listener: LevelChangeListener | undefined;
  private readonly c: BookCounters = { applied: 0, snapshots: 0, gaps: 0, resyncs: 0, stale: 0, skipped: 0, bufferDropped: 0, checksumMismatch: 0 };

  constructor(readonly options: BookOptions) {
    if (!Number.isInteger(options.maxLevels) || options.maxLevels < 1) {
      throw new Error(`OrderBook: maxLevels must be an integer >= 1 (got ${options.maxLevels})`);
    }
    if (!Number.isInteger(options.maxBufferedDeltas) || options.maxBufferedDeltas < 1) {
      throw new Error(`OrderBook: maxBufferedDeltas must be an integer >= 1 (got ${options.maxBufferedDeltas})`);
    }
  }

  get synced(): boolean {
    return this.isSynced;
  }

  /** `seq` of the last snapshot or delta applied, null before the first snapshot. */
  get lastSeq(): number | null {
    return this.last;
  }

  get bufferedDeltas(): number {
    return this.buffer.length;
  }

  get bidLevels(): number {
    return this.bidPx.length;
  }

  get askLevels(): number {
    return this.askPx.length;
  }

  counters(): BookCounters {
    return { ...this.c };
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
    if (this.isSynced && this.last !== null && ev.seq <= this.last && OUT_OF_BAND_SNAPSHOTS.has(ev.venue) && !this.newSession(ev)) {
      this.c.stale++;
      return;
    }
    if (!this.isSynced && this.everSynced) this.c.resyncs++;
    this.loadSide(ev.bids, this.bidPx, this.bidQty, true);
    this.loadSide(ev.asks, this.askPx, this.askQty, false);
    this.c.snapshots++;
    this.isSynced = true;
    this.everSynced = true;
    this.awaitingFirst = true;
    this.last = ev.seq;
    this.lastTs = Math.max(this.lastTs, ev.ts);
    if (!this.checksumHolds(ev)) return;
    const pending = this.buffer;
    this.buffer = [];
    for (const d of pending) this.applyDelta(d, true);
  }

  private applyDelta(d: BookEvent, replay = false): void {
    if (!this.isSynced) {
      this.buffer.push(d);
      if (this.buffer.length > this.options.maxBufferedDeltas) {
        this.buffer.shift();
        this.c.bufferDropped++;
      }
      return;
    }
    const last = this.last as number;
    if (this.awaitingFirst) {
      if (d.prevSeq === last) {
        this.awaitingFirst = false;
        this.applyLevels(d);
        return;
      }
      if (d.seq < last && !replay && this.newSession(d)) {
        this.gap(d);
        return;
      }
      if (d.seq < last) {
        if (replay) this.c.skipped++;
        else this.c.stale++;
        return;
      }
      if ((d.firstSeq ?? d.seq) <= last || chains(d, last)) {
        this.awaitingFirst = false;
        this.applyLevels(d);
        return;
      }
      this.gap(d);
      return;
    }
    if (d.prevSeq === last) {
      this.applyLevels(d);
      return;
    }
    if (d.seq <= last) {
      if (this.newSession(d)) this.gap(d);
      else this.c.stale++;
      return;
    }
    if (chains(d, last)) this.applyLevels(d);
    else this.gap(d);
  }

  /** Rule 6: an event more than NEW_SESSION_AFTER_MS of event time after the last update. */
  private newSession(ev: BookEvent): boolean {
    return this.lastTs >= 0 && ev.ts - this.lastTs > NEW_SESSION_AFTER_MS;
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
    this.last = d.seq;
    if (d.ts > this.lastTs) this.lastTs = d.ts;
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
    this.unsync([]);
    return false;
  }

  private levelsOf(px: readonly number[], qty: readonly number[], limit: number): Level[] {
    const n = Math.min(limit, px.length);
    const out: Level[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = [px[i], qty[i]];
    return out;
  }

  private gap(d: BookEvent): void {
    this.c.gaps++;
    this.unsync([d]);
  }

  private unsync(buffer: BookEvent[]): void {
    this.isSynced = false;
    this.awaitingFirst = false;
    this.bidPx.length = 0;
    this.bidQty.length = 0;
    this.askPx.length = 0;
    this.askQty.length = 0;
    this.buffer = buffer;
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
    return {
      synced: this.isSynced,
      everSynced: this.everSynced,
      awaitingFirst: this.awaitingFirst,
      lastSeq: this.last,
      lastTs: this.lastTs,
      bids,
      asks,
      buffer: this.buffer.slice(),
      counters: { ...this.c },
    };
  }

  static fromJSON(state: BookState, options: BookOptions): OrderBook {
    const b = new OrderBook(options);
    b.isSynced = state.synced;
    b.everSynced = state.everSynced;
    b.awaitingFirst = state.awaitingFirst;
    b.last = state.lastSeq;
    b.lastTs = state.lastTs ?? -1;
    for (const [p, q] of state.bids) {
      b.bidPx.push(p);
      b.bidQty.push(q);
    }
    for (const [p, q] of state.asks) {
      b.askPx.push(p);
      b.askQty.push(q);
    }
    b.buffer = state.buffer.slice();
    Object.assign(b.c, state.counters);
    return b;
  }
}

/** Rule 6: a backwards sequence this long (event time) after the last update starts a new session. */
export const NEW_SESSION_AFTER_MS = 60_000;

/** Levels of an instrument the facts table does not know are taken as the venue's own units. */
const IDENTITY_UNITS = { qtyExp: 0, priceExp: 0 };

/** True when delta `d` directly follows the update with sequence `last`. */
function chains(d: BookEvent, last: number): boolean {
  if (d.prevSeq !== undefined) return d.prevSeq === last;
  return (d.firstSeq ?? d.seq) === last + 1;
}

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
