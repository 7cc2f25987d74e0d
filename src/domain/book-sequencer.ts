/**
 * The order-book sequence rules, on sequence numbers only: which snapshot replaces the book,
 * which delta applies, which is buffered, stale or a gap. One implementation for the two places
 * that need them: the engine's `OrderBook` (which also holds the levels) and the collector's
 * `DepthSync` (which holds none, and decides when to fetch a REST snapshot). Before this module
 * each had its own copy, and they had drifted apart (only the engine knew new sessions).
 *
 * The rules, after Binance's procedure
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly),
 * with each venue's fields in the canonical `seq` / `firstSeq` / `prevSeq`:
 *
 * 1. While unsynced, deltas are buffered (at most `maxBuffered`, oldest dropped).
 * 2. On a snapshot (`seq` = L) the book is replaced and the buffer is handed back to be replayed:
 *    deltas with `seq` < L are skipped (already in the snapshot); the first applied must have
 *    `firstSeq` <= L <= `seq`, or chain directly onto L. A first delta past L that does not chain
 *    means the snapshot is older than the stream (`behind`).
 * 3. Every following delta must chain: `prevSeq` == the last applied `seq` (Binance `pu`, OKX
 *    `prevSeqId`), or, where the venue gives no `prevSeq` (Bybit), `firstSeq` == last `seq` + 1.
 *    Anything else is a `gap`: unsynced, the delta buffered, waiting for a new snapshot.
 * 4. A delta whose `seq` is not newer than the last applied one is `stale` (resent, reordered),
 *    unless its `prevSeq` names the last applied `seq`: OKX sends heartbeats with
 *    `seqId == prevSeqId` and resets `seqId` after maintenance (`seqId < prevSeqId`); they chain.
 * 5. Out-of-band snapshots (Binance's, fetched over REST beside the stream) not newer than the
 *    synced book are `stale`. A venue pushing snapshots on the stream (Bybit, OKX) is always
 *    followed: Bybit restarts its update ids at 1 after a service restart.
 * 6. New sessions: a sequence going backwards more than `NEW_SESSION_AFTER_MS` of event time after
 *    the book's last update starts a new session (a replay looping back, a venue resetting its ids
 *    after maintenance): such a delta is a `gap` and such a snapshot replaces the book.
 *
 * Venue checksums (OKX) need the levels and stay with the `OrderBook`, which calls `fail` on a
 * mismatch. Pure: no clock (event time only), no I/O.
 */
import type { Venue } from "./events.js";

/** Rule 6: a backwards sequence this long (event time) after the last update starts a new session. */
export const NEW_SESSION_AFTER_MS = 60_000;

/** Venues whose snapshots are fetched out of band (REST) and can be older than the synced book. */
export const OUT_OF_BAND_SNAPSHOTS: ReadonlySet<Venue> = new Set<Venue>(["binance"]);

/** What the rules need of a book event. */
export interface Sequenced {
  seq: number;
  firstSeq?: number;
  prevSeq?: number;
  /** Event time, ms (rule 6). */
  ts: number;
  venue?: Venue;
}

/** What became of a delta (`onDelta`). */
export type DeltaVerdict =
  /** Chains on the book: apply its levels. */
  | "apply"
  /** The book is unsynced: held until the next snapshot. */
  | "buffered"
  /** Not newer than the book: a duplicate or reordered delta, ignored. */
  | "stale"
  /** A buffered delta older than the snapshot it is replayed against: already in it (rule 2). */
  | "skipped"
  /** A break in the chain: the book is unsynced now and holds this delta in its buffer. */
  | "gap"
  /** The first delta after a snapshot does not reach back to it: the snapshot is older than the stream; unsynced as on a gap. */
  | "behind";

/** What became of a snapshot (`onSnapshot`): `stale` ignores it; `replace` loads it, then replays `pending`. */
export type SnapshotVerdict<D> = { verdict: "stale" } | { verdict: "replace"; pending: D[] };

/** Plain JSON form of a sequencer (the fields of a book checkpoint). */
export interface SequencerState<D> {
  synced: boolean;
  everSynced: boolean;
  awaitingFirst: boolean;
  lastSeq: number | null;
  lastTs?: number;
  buffer: D[];
}

export interface SequencerOptions {
  maxBuffered: number;
  /**
   * Rule 5: whether this snapshot came out of band (REST) and may be older than the synced book.
   * Default: by its venue (`OUT_OF_BAND_SNAPSHOTS`).
   */
  outOfBand?: (snapshot: Sequenced) => boolean;
}

const byVenue = (ev: Sequenced): boolean => ev.venue !== undefined && OUT_OF_BAND_SNAPSHOTS.has(ev.venue);

export class BookSequencer<D extends Sequenced> {
  private isSynced = false;
  private wasEverSynced = false;
  /** After a snapshot, until the first delta is applied (rule 2 applies). */
  private awaitingFirst = false;
  private last: number | null = null;
  /** Event time of the last snapshot or delta applied (-1 before any). */
  private lastTs = -1;
  private buffer: D[] = [];
  /** Times the book became synced again after having been synced before. */
  resyncs = 0;
  /** Buffered deltas dropped because the buffer was full. */
  bufferDropped = 0;

  constructor(private readonly options: SequencerOptions) {
    if (!Number.isInteger(options.maxBuffered) || options.maxBuffered < 1) {
      throw new Error(`BookSequencer: maxBuffered must be an integer >= 1 (got ${options.maxBuffered})`);
    }
  }

  get synced(): boolean {
    return this.isSynced;
  }

  get everSynced(): boolean {
    return this.wasEverSynced;
  }

  /** `seq` of the last snapshot or delta applied, null before the first snapshot. */
  get lastSeq(): number | null {
    return this.last;
  }

  get bufferedDeltas(): number {
    return this.buffer.length;
  }

  /**
   * A snapshot arrived. `stale` (rule 5): ignore it. `replace`: the caller loads its levels, then
   * replays `pending` (the buffer, now emptied) through `onDelta(d, true)` in order.
   */
  onSnapshot(ev: Sequenced): SnapshotVerdict<D> {
    if (this.isSynced && this.last !== null && ev.seq <= this.last && (this.options.outOfBand ?? byVenue)(ev) && !this.newSession(ev)) {
      return { verdict: "stale" };
    }
    if (!this.isSynced && this.wasEverSynced) this.resyncs++;
    this.isSynced = true;
    this.wasEverSynced = true;
    this.awaitingFirst = true;
    this.last = ev.seq;
    this.lastTs = Math.max(this.lastTs, ev.ts);
    const pending = this.buffer;
    this.buffer = [];
    return { verdict: "replace", pending };
  }

  /**
   * A delta arrived (or, with `replay`, a buffered one is replayed after a snapshot). On `apply`
   * the sequencer has moved to `d.seq`; on `gap` and `behind` it is unsynced with `d` buffered.
   */
  onDelta(d: D, replay = false): DeltaVerdict {
    if (!this.isSynced) {
      this.hold(d);
      return "buffered";
    }
    const last = this.last as number;
    if (d.prevSeq === last) return this.advance(d);
    if (this.awaitingFirst) {
      if (d.seq < last && !replay && this.newSession(d)) return this.unsync(d, "gap");
      if (d.seq < last) return replay ? "skipped" : "stale";
      if ((d.firstSeq ?? d.seq) <= last || chains(d, last)) return this.advance(d);
      return this.unsync(d, "behind");
    }
    if (d.seq <= last) return this.newSession(d) ? this.unsync(d, "gap") : "stale";
    return chains(d, last) ? this.advance(d) : this.unsync(d, "gap");
  }

  /** The book failed a check the sequencer cannot make (a checksum): unsynced, nothing buffered. */
  fail(): void {
    this.isSynced = false;
    this.awaitingFirst = false;
    this.buffer = [];
  }

  /** The book must be rebuilt from a new snapshot (a reconnect): unsynced, nothing buffered. */
  invalidate(): void {
    this.fail();
  }

  toJSON(): SequencerState<D> {
    return { synced: this.isSynced, everSynced: this.wasEverSynced, awaitingFirst: this.awaitingFirst, lastSeq: this.last, lastTs: this.lastTs, buffer: this.buffer.slice() };
  }

  static fromJSON<D extends Sequenced>(state: SequencerState<D>, options: SequencerOptions, counters: { resyncs: number; bufferDropped: number }): BookSequencer<D> {
    const s = new BookSequencer<D>(options);
    s.isSynced = state.synced;
    s.wasEverSynced = state.everSynced;
    s.awaitingFirst = state.awaitingFirst;
    s.last = state.lastSeq;
    s.lastTs = state.lastTs ?? -1;
    s.buffer = state.buffer.slice();
    s.resyncs = counters.resyncs;
    s.bufferDropped = counters.bufferDropped;
    return s;
  }

  private advance(d: D): "apply" {
    this.awaitingFirst = false;
    this.last = d.seq;
    if (d.ts > this.lastTs) this.lastTs = d.ts;
    return "apply";
  }

  private unsync(d: D, verdict: "gap" | "behind"): "gap" | "behind" {
    this.isSynced = false;
    this.awaitingFirst = false;
    this.buffer = [d];
    return verdict;
  }

  private hold(d: D): void {
    this.buffer.push(d);
    if (this.buffer.length > this.options.maxBuffered) {
      this.buffer.shift();
      this.bufferDropped++;
    }
  }

  /** Rule 6: an event more than NEW_SESSION_AFTER_MS of event time after the last update. */
  private newSession(ev: Sequenced): boolean {
    return this.lastTs >= 0 && ev.ts - this.lastTs > NEW_SESSION_AFTER_MS;
  }
}

/** True when delta `d` directly follows the update with sequence `last` (rule 3). */
export function chains(d: Sequenced, last: number): boolean {
  if (d.prevSeq !== undefined) return d.prevSeq === last;
  return (d.firstSeq ?? d.seq) === last + 1;
}
