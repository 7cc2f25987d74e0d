/**
 * The collector's view of one symbol's order-book sync on a venue whose book is a diff stream
 * synced against a REST snapshot (Binance USDⓈ-M,
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly).
 *
 * The collector holds no price levels: it forwards every delta and every snapshot to the
 * engine, whose `OrderBook` buffers deltas while unsynced and replays them on a snapshot. This
 * class runs the very same sequence rules (`BookSequencer`, src/domain/book-sequencer.ts) over
 * exactly the events the engine receives, in the same order, so the collector knows when the
 * engine's book needs a snapshot without asking it:
 *
 * 1. After a (re)connect (`invalidate`) the book counts as unsynced; deltas are buffered.
 * 2. Once a delta is buffered, a snapshot is wanted (`wantsSnapshot`; step 3 of the procedure
 *    comes after step 2 so that the snapshot is not older than the stream).
 * 3. On a snapshot the sequencer replays the buffer; a break makes the book unsynced again and
 *    another snapshot is wanted. Every snapshot here came over REST (out of band).
 *
 * Independently, the wire chain is tracked across reconnects: a delta whose `pu` is not the
 * `u` of the previous delta received is a gap (updates were lost: a disconnect, a dropped
 * frame), and a delta not newer than the newest one received is a duplicate (re-sent) that
 * is not forwarded at all. Pure.
 */
import { BookSequencer, chains, type Sequenced } from "@liqflow/engine/domain/book-sequencer.js";
import { DEFAULT_ENGINE_CONFIG } from "@liqflow/engine/domain/config.js";

export interface DepthSyncCounters {
  /** Breaks of the wire chain (`pu` ≠ previous `u`): updates were lost. */
  gaps: number;
  /** Snapshots applied. */
  snapshots: number;
  /** Times the book became synced again after having been synced. */
  resyncs: number;
  /** Deltas not newer than the newest already received (re-sent after a reconnect): dropped. */
  duplicates: number;
  /** Snapshots not newer than the synced book (the engine ignores them too). */
  staleSnapshots: number;
  /** Snapshots the buffered deltas did not chain onto (older than the stream): another is fetched. */
  unusableSnapshots: number;
  /** Buffered deltas dropped because the buffer was full (the engine's buffer has the same bound). */
  bufferDropped: number;
}

export type SnapshotVerdict = "synced" | "stale" | "unusable";

export class DepthSync {
  private readonly seq: BookSequencer<Sequenced>;
  /** `seq` of the newest delta received on the wire, kept across reconnects. */
  private newest: number | null = null;
  /** Set by the collector while a snapshot request is outstanding. */
  inFlight = false;
  readonly counters: DepthSyncCounters = {
    gaps: 0,
    snapshots: 0,
    resyncs: 0,
    duplicates: 0,
    staleSnapshots: 0,
    unusableSnapshots: 0,
    bufferDropped: 0,
  };

  constructor(maxBuffered: number = DEFAULT_ENGINE_CONFIG.maxBufferedDeltas) {
    if (!Number.isInteger(maxBuffered) || maxBuffered < 1) throw new Error(`DepthSync: maxBuffered must be an integer >= 1 (got ${maxBuffered})`);
    this.seq = new BookSequencer<Sequenced>({ maxBuffered, outOfBand: () => true });
  }

  get isSynced(): boolean {
    return this.seq.synced;
  }

  get lastSeq(): number | null {
    return this.seq.lastSeq;
  }

  get bufferedDeltas(): number {
    return this.seq.bufferedDeltas;
  }

  /** True when the book needs a snapshot, a delta has been buffered and no request is outstanding. */
  wantsSnapshot(): boolean {
    return !this.seq.synced && this.seq.bufferedDeltas > 0 && !this.inFlight;
  }

  /**
   * The book must be rebuilt from a new snapshot: after a (re)connect, or when events of this
   * symbol were lost on the way to the engine. The wire chain is kept.
   */
  invalidate(): void {
    this.seq.invalidate();
  }

  /** A delta arrived: `duplicate` (drop it) or `forward` (send it to the engine). */
  onDelta(d: Sequenced): "forward" | "duplicate" {
    if (this.newest !== null) {
      if (d.seq <= this.newest) {
        this.counters.duplicates++;
        return "duplicate";
      }
      if (!chains(d, this.newest)) this.counters.gaps++;
    }
    this.newest = d.seq;
    this.apply(d, false);
    return "forward";
  }

  /** A snapshot (`seq` = lastUpdateId) was forwarded to the engine. */
  onSnapshot(snapshot: Sequenced): SnapshotVerdict {
    const verdict = this.seq.onSnapshot(snapshot);
    if (verdict.verdict === "stale") {
      this.counters.staleSnapshots++;
      return "stale";
    }
    this.counters.snapshots++;
    for (const d of verdict.pending) this.apply(d, true);
    this.counters.resyncs = this.seq.resyncs;
    return this.seq.synced ? "synced" : "unusable";
  }

  private apply(d: Sequenced, replay: boolean): void {
    // The snapshot is older than the first delta after it: it cannot be used.
    if (this.seq.onDelta(d, replay) === "behind") this.counters.unusableSnapshots++;
    this.counters.bufferDropped = this.seq.bufferDropped;
  }
}
