/**
 * What waits to be sent to one socket on one channel, and the frame it becomes.
 *
 * A relay folds updates it cannot send at once (beyond the socket's delivery budget, or while
 * the socket waits for the channel's snapshot) into one `Pending` entry per channel: state
 * channels keep the latest value, liquidation lists are merged (newest first, bounded), and a
 * map channel's patch gives way to its full value (a patch only applies to the value right
 * before it). The entry remembers the first seq it covers, so whoever sends it can tell whether
 * it follows what the socket holds without a hole (`isContiguous`).
 *
 * Pure: no runtime imports.
 */
import { splitChannel, type ChannelUpdate, type ServerMessage, type StoredLiquidation } from "../protocol/stream.js";

/** Liquidations kept when lists are merged (newest first). */
export const MAX_MERGED_LIQUIDATIONS = 500;

/** Updates of one channel waiting for one socket, folded into one. */
export interface Pending {
  /** The newest update; `data` is the folded value (merged lists for `liquidations`). */
  update: ChannelUpdate;
  /** The seq of the first update folded in. */
  firstSeq: number;
  /** How many updates were folded in. */
  coalesced: number;
  /**
   * Sent as a `snapshot` (the full value replaces what the client holds) rather than an
   * update: the socket holds no value of the channel, or holds one from before a hole.
   */
  asSnapshot?: true;
}

/** One update as a pending entry of its own. */
export function pendingOf(update: ChannelUpdate, asSnapshot = false): Pending {
  const entry: Pending = { update, firstSeq: update.seq, coalesced: 1 };
  if (asSnapshot) entry.asSnapshot = true;
  return entry;
}

/** True when the entry's updates follow each other without a hole (seq firstSeq … update.seq). */
export function isContiguous(entry: Pending): boolean {
  return entry.update.seq - entry.firstSeq + 1 === entry.coalesced;
}

/** `next` folded onto `prior` (which came first): state channels keep the latest, liquidation lists merge. */
export function fold(prior: Pending | undefined, next: Pending): Pending {
  if (!prior) return next;
  let data = next.update.data;
  if (splitChannel(next.update.channel).kind === "liquidations") {
    const older = (prior.update.data as { liquidations: StoredLiquidation[] }).liquidations;
    const newer = next.update.data as { liquidations: StoredLiquidation[]; totals: unknown };
    data = { ...newer, liquidations: [...newer.liquidations, ...older].slice(0, MAX_MERGED_LIQUIDATIONS) };
  }
  const { patch: _patch, ...update } = next.update;
  const entry: Pending = { update: { ...update, data }, firstSeq: prior.firstSeq, coalesced: prior.coalesced + next.coalesced };
  if (prior.asSnapshot || next.asSnapshot) entry.asSnapshot = true;
  return entry;
}

/**
 * The frame of a pending entry. A map channel's patch applies only to the value at `seq - 1`,
 * so it is sent only for a single update; a folded one carries the full value and `coalesced`.
 */
export function frameOf(entry: Pending): ServerMessage {
  const { update, coalesced } = entry;
  if (entry.asSnapshot) return { type: "snapshot", channel: update.channel, seq: update.seq, data: update.data };
  if (update.patch && coalesced <= 1) return { type: "update", channel: update.channel, seq: update.seq, patch: update.patch };
  const frame: ServerMessage = { type: "update", channel: update.channel, seq: update.seq, data: update.data };
  if (coalesced > 1) frame.coalesced = coalesced;
  return frame;
}
