/**
 * The collector's view of one symbol's order-book sync on a venue whose book is a diff stream
 * synced against a REST snapshot (Binance USDⓈ-M,
 * https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/How-to-manage-a-local-order-book-correctly).
 *
 * The collector holds no price levels: it forwards every delta and every snapshot to the
 * engine, whose `OrderBook` buffers deltas while unsynced and replays them on a snapshot. This
 * class runs the same sequence rules on sequence numbers only, over exactly the events the
 * engine receives, in the same order, so the collector knows when the engine's book needs a
 * snapshot without asking it:
 *
 * 1. After a (re)connect (`invalidate`) the book counts as unsynced; deltas are buffered.
 * 2. Once a delta is buffered, a snapshot is wanted (`wantsSnapshot`; step 3 of the procedure
 *    comes after step 2 so that the snapshot is not older than the stream).
 * 3. On a snapshot (lastUpdateId L) the buffer is replayed: deltas with u < L are skipped, the
 *    first applied must have U <= L <= u (or chain onto L), then each `pu` must equal the
 *    previous `u`. A break makes the book unsynced again and another snapshot is wanted.
 *
 * Independently, the wire chain is tracked across reconnects: a delta whose `pu` is not the
 * `u` of the previous delta received is a gap (updates were lost: a disconnect, a dropped
 * frame), and a delta not newer than the newest one received is a duplicate (re-sent) that
 * is not forwarded at all. Pure.
 */
import type { BookEvent } from "../../../src/domain/events.js";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/domain/config.js";

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

type Seqs = Pick<BookEvent, "seq" | "firstSeq" | "prevSeq">;

export type SnapshotVerdict = "synced" | "stale" | "unusable";

export class DepthSync {
  private synced = false;
  private everSynced = false;
  private awaitingFirst = false;
  /** `seq` of the last snapshot or delta applied (while synced). */
  private last: number | null = null;
  /** `seq` of the newest delta received on the wire, kept across reconnects. */
  private newest: number | null = null;
  private buffer: Seqs[] = [];
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

  constructor(private readonly maxBuffered: number = DEFAULT_ENGINE_CONFIG.maxBufferedDeltas) {
    if (!Number.isInteger(maxBuffered) || maxBuffered < 1) throw new Error(`DepthSync: maxBuffered must be an integer >= 1 (got ${maxBuffered})`);
  }

  get isSynced(): boolean {
    return this.synced;
  }

  get lastSeq(): number | null {
    return this.last;
  }

  get bufferedDeltas(): number {
    return this.buffer.length;
  }

  /** True when the book needs a snapshot, a delta has been buffered and no request is outstanding. */
  wantsSnapshot(): boolean {
    return !this.synced && this.buffer.length > 0 && !this.inFlight;
  }

  /**
   * The book must be rebuilt from a new snapshot: after a (re)connect, or when events of this
   * symbol were lost on the way to the engine. The wire chain is kept.
   */
  invalidate(): void {
    this.synced = false;
    this.awaitingFirst = false;
    this.buffer = [];
  }

  /** A delta arrived: `duplicate` (drop it) or `forward` (send it to the engine). */
  onDelta(d: Seqs): "forward" | "duplicate" {
    if (this.newest !== null) {
      if (d.seq <= this.newest) {
        this.counters.duplicates++;
        return "duplicate";
      }
      if (!chains(d, this.newest)) this.counters.gaps++;
    }
    this.newest = d.seq;
    this.applyDelta(d);
    return "forward";
  }

  /** A snapshot with `seq` = lastUpdateId was forwarded to the engine. */
  onSnapshot(seq: number): SnapshotVerdict {
    if (this.synced && this.last !== null && seq <= this.last) {
      this.counters.staleSnapshots++;
      return "stale";
    }
    if (!this.synced && this.everSynced) this.counters.resyncs++;
    this.counters.snapshots++;
    this.synced = true;
    this.everSynced = true;
    this.awaitingFirst = true;
    this.last = seq;
    const pending = this.buffer;
    this.buffer = [];
    for (const d of pending) this.applyDelta(d);
    return this.synced ? "synced" : "unusable";
  }

  private applyDelta(d: Seqs): void {
    if (!this.synced) {
      this.buffer.push(d);
      if (this.buffer.length > this.maxBuffered) {
        this.buffer.shift();
        this.counters.bufferDropped++;
      }
      return;
    }
    const last = this.last as number;
    // As the engine's book: a delta naming the last applied update as its predecessor chains.
    if (d.prevSeq === last) {
      this.awaitingFirst = false;
      this.last = d.seq;
      return;
    }
    if (this.awaitingFirst) {
      if (d.seq < last) return;
      if ((d.firstSeq ?? d.seq) <= last || chains(d, last)) {
        this.awaitingFirst = false;
        this.last = d.seq;
        return;
      }
      // The snapshot is older than the first delta after it: it cannot be used.
      this.counters.unusableSnapshots++;
      this.unsync(d);
      return;
    }
    if (d.seq <= last) return;
    if (chains(d, last)) this.last = d.seq;
    else this.unsync(d);
  }

  private unsync(d: Seqs): void {
    this.synced = false;
    this.awaitingFirst = false;
    this.buffer = [d];
  }
}

/** True when `d` directly follows the update with sequence `last` (Binance: `pu` == last `u`). */
function chains(d: Seqs, last: number): boolean {
  if (d.prevSeq !== undefined) return d.prevSeq === last;
  return (d.firstSeq ?? d.seq) === last + 1;
}
