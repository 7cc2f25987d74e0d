/**
 * ChannelOrder: strictly ordered delivery of each channel to one socket.
 *
 * The race it closes: a socket subscribes `BTCUSDT:heatmap`; the relay asks the SymbolObject
 * for the snapshot (an RPC, then a paced send); meanwhile a cycle's update of that channel is
 * published to the relay. Sent at once, it reaches the client before the snapshot (a patch
 * with no base), or the snapshot that follows is older than the update already applied.
 *
 * The rule, per socket and per (concrete) channel:
 *   - from the moment the socket asks for the channel's value (`subscribe`, `snapshot`) until
 *     that value is sent, its updates are **held** (folded into one entry, stream-pending.ts);
 *   - the value is then sent as a `snapshot` at seq S, or `nodata` when the channel has none
 *     yet; held updates with seq ≤ S are dropped; if the held ones continue at S + 1 they
 *     follow as an update, otherwise a fresher snapshot is sent instead of a hole: a state
 *     channel's held value is itself the full value (sent as the snapshot), a liquidation
 *     list is read again (at most MAX_REREADS times, then the snapshot stands);
 *   - afterwards an update is sent only when its seq is the next one: an older or repeated one
 *     is dropped; one after a hole is sent as a `snapshot` (state channels) or triggers a new
 *     read (liquidations);
 *   - after `nodata` the channel's next message is a `snapshot`.
 * So a client sees, per channel: `snapshot`/`nodata` first, then seqs that follow one another
 * (`coalesced: k` says k were folded into one), and a jump only in a new `snapshot`.
 *
 * A channel with no cursor (the relay woke from hibernation and lost its memory; the
 * subscription itself lives in the socket's attachment) adopts the first update's seq: a relay
 * is only evicted when idle, so it missed nothing in between.
 *
 * Pure: no runtime imports. Memory: one cursor per channel the socket holds, one folded entry
 * per channel it waits for.
 */
import { splitChannel, type ChannelUpdate } from "../protocol/stream.js";
import { fold, isContiguous, pendingOf, type Pending } from "./stream-pending.js";

/** Fresh reads of a liquidation list whose held updates do not follow its snapshot, before the snapshot stands. */
export const MAX_REREADS = 2;

/** A channel's value has not come, and why (sent as `nodata`). */
export interface NoData {
  noData: string;
}

/** What to do with a published update for this socket. */
export type UpdateVerdict =
  /** Send (or coalesce) it as an update. */
  | { action: "send" }
  /** Send it as a `snapshot`: the socket has no value of the channel, or a hole before this one. */
  | { action: "send-as-snapshot" }
  /** Kept until the channel's snapshot is sent. */
  | { action: "hold" }
  /** Not newer than what the socket has: nothing to send. */
  | { action: "drop" }
  /** A hole in a liquidation list: its pending updates are void; read the snapshot again. */
  | { action: "resync" };

/** What to send when the channel's value (snapshot or no-data) is ready. */
export type SnapshotPlan =
  /** The socket stopped waiting (unsubscribed, or already answered): send nothing. */
  | { action: "skip" }
  /** Read the snapshot again (the held updates do not follow this one). */
  | { action: "reread" }
  /** Send `first` (a snapshot, or nodata), then `then` as an update when set. */
  | { action: "send"; first: ChannelUpdate | NoData; then?: Pending };

interface Cursor {
  /** The newest seq accepted for the socket (sent, or waiting in its coalescing queue). */
  seq: number;
  /** False after `nodata`: the next message must be a snapshot. */
  hasValue: boolean;
}

interface Waiting {
  held?: Pending;
  rereads: number;
}

export class ChannelOrder {
  private readonly cursors = new Map<string, Cursor>();
  private readonly waiting = new Map<string, Waiting>();
  /** Updates dropped as not newer, and holes repaired with a snapshot (for stats). */
  readonly counters = { dropped: 0, resyncs: 0 };

  /**
   * The socket asked for the channel's value: hold its updates until `snapshotReady`.
   * `unsent`: what was waiting in the socket's coalescing queue for the channel (it is held
   * now, so nothing older than the snapshot follows it).
   */
  expect(channel: string, unsent?: Pending): void {
    const waiting = this.waiting.get(channel);
    if (!waiting) this.waiting.set(channel, unsent ? { held: unsent, rereads: 0 } : { rereads: 0 });
    else if (unsent) waiting.held = waiting.held ? fold(unsent, waiting.held) : unsent;
  }

  /** True while the channel's snapshot (or nodata) has not been sent. */
  isWaiting(channel: string): boolean {
    return this.waiting.has(channel);
  }

  /** The socket no longer receives the channel. */
  forget(channel: string): void {
    this.cursors.delete(channel);
    this.waiting.delete(channel);
  }

  /** A published update for this socket: what to do with it. */
  onUpdate(update: ChannelUpdate): UpdateVerdict {
    const { channel, seq } = update;
    const waiting = this.waiting.get(channel);
    if (waiting) {
      waiting.held = fold(waiting.held, pendingOf(update));
      return { action: "hold" };
    }
    const cursor = this.cursors.get(channel);
    if (!cursor) {
      this.cursors.set(channel, { seq, hasValue: true });
      return { action: "send" };
    }
    if (seq <= cursor.seq) {
      this.counters.dropped++;
      return { action: "drop" };
    }
    const next = seq === cursor.seq + 1;
    if (next && cursor.hasValue) {
      cursor.seq = seq;
      return { action: "send" };
    }
    // No value yet, or a hole: the next message must stand on its own.
    if (!cursor.hasValue && next && seq === 1) {
      // A list's first update ever holds everything there is.
      this.cursors.set(channel, { seq, hasValue: true });
      return { action: "send-as-snapshot" };
    }
    if (cursor.hasValue) this.counters.resyncs++;
    if (isList(channel)) {
      this.waiting.set(channel, { held: pendingOf(update), rereads: 0 });
      return { action: "resync" };
    }
    this.cursors.set(channel, { seq, hasValue: true });
    return { action: "send-as-snapshot" };
  }

  /** The channel's value was read (`null`-like `NoData` when it has none): what to send. */
  snapshotReady(channel: string, value: ChannelUpdate | NoData): SnapshotPlan {
    const waiting = this.waiting.get(channel);
    if (!waiting) return { action: "skip" };
    const base = "noData" in value ? 0 : value.seq;
    const held = waiting.held;
    if (!held || ("noData" in value ? false : held.update.seq <= base)) {
      return this.answered(channel, value);
    }
    if (!isList(channel)) {
      // A state channel's update carries the full value: the newer one is the snapshot.
      return this.answered(channel, held.update);
    }
    if (isContiguous(held) && held.firstSeq === base + 1) {
      if ("noData" in value) return this.answered(channel, held.update);
      this.waiting.delete(channel);
      this.cursors.set(channel, { seq: held.update.seq, hasValue: true });
      return { action: "send", first: value, then: held };
    }
    if (waiting.rereads < MAX_REREADS) {
      waiting.rereads++;
      this.counters.resyncs++;
      return { action: "reread" };
    }
    return this.answered(channel, value);
  }

  private answered(channel: string, value: ChannelUpdate | NoData): SnapshotPlan {
    this.waiting.delete(channel);
    this.cursors.set(channel, "noData" in value ? { seq: 0, hasValue: false } : { seq: value.seq, hasValue: true });
    return { action: "send", first: value };
  }
}

function isList(channel: string): boolean {
  return splitChannel(channel).kind === "liquidations";
}
