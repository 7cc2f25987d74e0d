/**
 * Per-channel sequence checking for the soak: the same rule the typed client applies
 * (src/client/stream.ts), counted instead of acted on.
 *
 * `/v1/stream` numbers each channel's updates: `seq` grows by one per update, or by `coalesced`
 * when the relay folded updates under a socket's delivery budget (docs/stream.md). So, per
 * socket and channel, once a first message has set the baseline:
 *   - an update with `seq - last > step` (step = coalesced, else 1) lost `seq - last - step`
 *     updates: a gap;
 *   - a map-channel patch with no value to apply it to (nothing received on that channel yet)
 *     is a gap too, however the numbers look;
 *   - an update with `seq <= last` is stale (a duplicate, or reordered): the client drops it;
 *   - a snapshot moves the baseline forward (never back): it is the full value, so whatever it
 *     covers was not lost. The first subscribe races with updates in flight, so a snapshot may
 *     arrive after an update of the same or a later seq; that is stale, not a gap.
 *
 * Pure: no sockets, no clock; the caller passes what it parsed from each frame.
 */

/** What the soak reads from one channel frame (`snapshot` or `update`). */
export interface ChannelFrame {
  type: "snapshot" | "update";
  channel: string;
  seq: number;
  /** `coalesced` of an update, when the relay folded several into it. */
  coalesced?: number;
  /** True for a map-channel update carrying a merge patch instead of the full value. */
  patch?: boolean;
}

/** One detected gap, kept for the report (the first few only). */
export interface GapRecord {
  channel: string;
  /** The seq that should have come next. */
  expected: number;
  received: number;
  /** Updates lost: `received - expected` for a jump, 1 for a patch with no base. */
  missed: number;
  /** `seq-jump`: updates never arrived; `patch-without-base`: a merge patch came before any value of its channel. */
  reason: "seq-jump" | "patch-without-base";
}

/** Counts of one channel, over every socket that holds it. */
export interface SequenceCounts {
  /** Channel messages checked (snapshots and updates). */
  checked: number;
  /** Gaps detected (events, not updates), of both reasons. */
  gaps: number;
  /** Of those, map-channel patches that came before any value of their channel. */
  patchesWithoutBase: number;
  /** Updates lost in those gaps. */
  missed: number;
  /** Updates at or below the last seq (dropped by a client). */
  stale: number;
  /** Updates that carried `coalesced` > 1. */
  coalescedFrames: number;
  /** Updates folded into others (sum of `coalesced - 1`): delivered late, not lost. */
  foldedUpdates: number;
}

/** All-zero counts. */
export function emptyCounts(): SequenceCounts {
  return { checked: 0, gaps: 0, patchesWithoutBase: 0, missed: 0, stale: 0, coalescedFrames: 0, foldedUpdates: 0 };
}

/** The sum of per-channel counts. */
export function totalCounts(byChannel: ReadonlyMap<string, SequenceCounts>): SequenceCounts {
  const total = emptyCounts();
  for (const c of byChannel.values()) {
    for (const key of Object.keys(total) as (keyof SequenceCounts)[]) total[key] += c[key];
  }
  return total;
}

/** Sequence state of one socket: the last seq per real channel; counts go to a shared per-channel table. */
export class SequenceTracker {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly byChannel: Map<string, SequenceCounts>,
    private readonly onGap: (gap: GapRecord) => void = () => {},
  ) {}

  /** Checks one frame against the channel's last seq and records it. */
  observe(frame: ChannelFrame): void {
    const counts = this.countsOf(frame.channel);
    counts.checked++;
    const last = this.last.get(frame.channel);
    if (frame.type === "snapshot") {
      if (last === undefined || frame.seq > last) this.last.set(frame.channel, frame.seq);
      return;
    }
    const step = Math.max(1, frame.coalesced ?? 1);
    if (step > 1) {
      counts.coalescedFrames++;
      counts.foldedUpdates += step - 1;
    }
    if (last === undefined) {
      if (frame.patch) this.recordGap(counts, { channel: frame.channel, expected: frame.seq, received: frame.seq, missed: 1, reason: "patch-without-base" });
      this.last.set(frame.channel, frame.seq);
      return;
    }
    if (frame.seq <= last) {
      counts.stale++;
      return;
    }
    if (frame.seq - last > step) {
      const expected = last + step;
      this.recordGap(counts, { channel: frame.channel, expected, received: frame.seq, missed: frame.seq - expected, reason: "seq-jump" });
    }
    this.last.set(frame.channel, frame.seq);
  }

  private countsOf(channel: string): SequenceCounts {
    let counts = this.byChannel.get(channel);
    if (!counts) this.byChannel.set(channel, (counts = emptyCounts()));
    return counts;
  }

  private recordGap(counts: SequenceCounts, gap: GapRecord): void {
    counts.gaps++;
    if (gap.reason === "patch-without-base") counts.patchesWithoutBase++;
    counts.missed += gap.missed;
    this.onGap(gap);
  }
}
