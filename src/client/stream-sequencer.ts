/**
 * The stream client's channel sequencer: per real channel on the current connection, the last
 * seq and (map channels) the last value, and the verdict on each inbound snapshot or update.
 *
 * The server sends each channel in order: a snapshot first, then seqs that grow by one, or by
 * `coalesced` when it folded updates together, and a new snapshot rather than a hole
 * (docs/stream.md). So:
 *   - a snapshot below the last seq is stale (dropped); one at the last seq repeats the value
 *     listeners have, so it goes only to those that have not had it (a late joiner), unless it
 *     repairs a gap;
 *   - an update at or below the last seq is a duplicate or out of order (dropped);
 *   - an update beyond `last + max(1, coalesced)` means updates were lost: it is delivered
 *     flagged `gap`, and a fresh snapshot is asked for once per gap;
 *   - a merge patch (map channels: `heatmap`, `levels`) applies to the value at `seq − 1`;
 *     without that value it is a gap however the seqs look, and it is dropped (the snapshot
 *     asked for replaces it).
 * Sequences are per connection (`reset` on open), so a restarted server that resumes below the
 * last seq is never ignored. Pure: no timers, no sockets.
 */
import { applyMergePatch } from "../protocol/merge-patch.js";
import { splitChannel } from "./channels.js";
import type { ChannelMessage, GapInfo } from "./stream-types.js";

/** What to do with one inbound channel message. */
export interface SequencerVerdict {
  /** The message for listeners (patch applied), or null when it is dropped. */
  message: ChannelMessage | null;
  /** Deliver only to listeners that have not had this channel's value on this connection. */
  onlyUnseen: boolean;
  /** Updates were lost before this message. */
  gap: GapInfo | null;
  /** Ask the server for a fresh snapshot of the channel (the first message of a gap). */
  resnapshot: boolean;
}

const DROP: SequencerVerdict = { message: null, onlyUnseen: false, gap: null, resnapshot: false };

export class ChannelSequencer {
  /** Last seq per real channel on the current connection. */
  private readonly seqs = new Map<string, number>();
  /** Last value per channel, the base of the next merge patch (map channels only). */
  private readonly values = new Map<string, unknown>();
  /** Channels whose next snapshot repairs a gap (delivered to every listener). */
  private readonly resyncing = new Set<string>();

  /** A new connection: every channel starts over with its snapshot. */
  reset(): void {
    this.seqs.clear();
    this.values.clear();
    this.resyncing.clear();
  }

  /** The channel has no value (`nodata`): what was held is void; its next message is a snapshot. */
  forget(channel: string): void {
    this.seqs.delete(channel);
    this.values.delete(channel);
    this.resyncing.delete(channel);
  }

  /** The verdict on a `snapshot` or `update` frame, and the channel's state advanced by it. */
  receive(msg: ChannelMessage): SequencerVerdict {
    const { channel, seq } = msg;
    const last = this.seqs.get(channel);
    let gap: GapInfo | null = null;
    let resnapshot = false;
    let onlyUnseen = false;
    const patch = msg.type === "update" && isPatch(msg.patch) ? msg.patch : undefined;
    if (msg.type === "snapshot") {
      if (last !== undefined && seq < last) return DROP;
      onlyUnseen = last !== undefined && seq === last && !this.resyncing.has(channel);
      this.resyncing.delete(channel);
    } else {
      if (last !== undefined && seq <= last) return DROP;
      const step = Math.max(1, typeof msg.coalesced === "number" ? msg.coalesced : 1);
      const patched = isPatch(msg.patch);
      if ((last !== undefined && seq - last > step) || (patched && (last === undefined || !this.values.has(channel)))) {
        gap = { channel, expected: (last ?? seq - 1) + 1, received: seq };
        resnapshot = !this.resyncing.has(channel);
        this.resyncing.add(channel);
        // A patch of an unknown base is useless: wait for the snapshot.
        if (patched) return { ...DROP, gap, resnapshot };
      }
    }
    const data = patch ? applyMergePatch(this.values.get(channel), patch) : msg.data;
    if (isMapChannel(channel)) this.values.set(channel, data);
    this.seqs.set(channel, seq);
    const message: ChannelMessage = { type: msg.type, channel, seq, data };
    if (typeof msg.coalesced === "number") message.coalesced = msg.coalesced;
    if (patch) message.patch = patch;
    if (gap) message.gap = true;
    return { message, onlyUnseen, gap, resnapshot };
  }
}

function isPatch(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Channels whose updates may be merge patches (see src/protocol/stream.ts). */
function isMapChannel(channel: string): boolean {
  const kind = splitChannel(channel).kind;
  return kind === "heatmap" || kind === "levels";
}
