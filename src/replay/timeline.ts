/**
 * The replay timeline: how recordings from different days and years become one endless,
 * forward-moving stream.
 *
 * - Recordings are merged in their true event time, never shifted against each other.
 * - Silences longer than `idleGapMs` (the gaps between recordings, or between recording
 *   runs) are skipped instead of waited for.
 * - Each loop shifts every timestamp forward by the whole span, rounded up to a whole hour
 *   so that every cycle and bucket boundary falls on the same data in every loop.
 * - Event `index` within a loop is deterministic, so `loop * SEQ_PER_LOOP + index` is a
 *   stable sequence number: a restarted feed re-sends with the same numbers and the engine
 *   drops what it already applied.
 */
import type { CanonicalEvent, Venue } from "../domain/events.js";

export const HOUR_MS = 3_600_000;
export const SEQ_PER_LOOP = 1_000_000_000;
/** Event-time silence longer than this is skipped rather than waited for. */
export const DEFAULT_IDLE_GAP_MS = 60_000;

/** One recording the replay plays (an entry of data/recorded/replay.json). */
export interface ReplayFile {
  /** Path relative to data/recorded. */
  path: string;
  venue: Venue;
  /** Instrument for messages that do not name one (a REST depth snapshot). */
  instrument?: string;
}

export interface ReplayManifest {
  files: ReplayFile[];
  /**
   * Where the first pass begins (ISO 8601 time): loop 0 passes over the events before it and
   * plays from the first at or after it; every later loop plays everything, shifted as usual. The
   * shipped manifest starts at the richest span, so a newcomer sees liquidations, a bias and the
   * maps within a minute of `npm start` instead of after the older recordings.
   */
  start?: string;
  /**
   * Silences longer than this (ms of event time) are skipped instead of waited for (default
   * DEFAULT_IDLE_GAP_MS, 60 s). The shipped manifest says 2 s: its liquidation recordings are
   * single events seconds to hours apart, and at 1x a newcomer would otherwise wait minutes
   * between them; dense recordings (trades, books) are unaffected.
   */
  idleGapMs?: number;
}

/** The manifest's `idleGapMs` (DEFAULT_IDLE_GAP_MS when absent); throws unless 0 < ms ≤ 1 h. */
export function manifestIdleGapMs(manifest: ReplayManifest): number {
  const ms = manifest.idleGapMs;
  if (ms === undefined) return DEFAULT_IDLE_GAP_MS;
  if (typeof ms !== "number" || !(ms > 0) || ms > 3_600_000) {
    throw new Error(`replay manifest: "idleGapMs" must be a number of ms in (0, 3600000] (got ${JSON.stringify(ms)})`);
  }
  return ms;
}

/** The manifest's `start` as epoch ms (null when absent); throws on a time that does not parse. */
export function manifestStartTs(manifest: ReplayManifest): number | null {
  if (manifest.start === undefined) return null;
  const ts = Date.parse(manifest.start);
  if (typeof manifest.start !== "string" || !/^\d{4}-\d\d-\d\dT/.test(manifest.start) || !Number.isFinite(ts)) {
    throw new Error(`replay manifest: "start" must be an ISO 8601 time like 2025-01-26T16:50:00Z (got ${JSON.stringify(manifest.start)})`);
  }
  return ts;
}

/** Where the feed stands: `index` events of loop `loop` have been sent. */
export interface ReplayPosition {
  loop: number;
  index: number;
}

/** Event-time extent of one pass over all recordings (unshifted). */
export interface ReplaySpan {
  firstTs: number;
  lastTs: number;
}

/** How far loop n+1 is shifted against loop n: the span rounded up to whole hours. */
export function loopShiftMs(span: ReplaySpan): number {
  return Math.max(1, Math.ceil((span.lastTs - span.firstTs + 1) / HOUR_MS)) * HOUR_MS;
}

export function replaySeq(position: ReplayPosition): number {
  return position.loop * SEQ_PER_LOOP + position.index;
}

/** A copy of `event` moved `shiftMs` forward in event time (recvTs too, when present). */
export function shiftEvent<E extends CanonicalEvent>(event: E, shiftMs: number): E {
  if (shiftMs === 0) return event;
  const shifted: CanonicalEvent = { ...event, ts: event.ts + shiftMs };
  if (event.recvTs !== undefined) shifted.recvTs = event.recvTs + shiftMs;
  if (shifted.kind === "mark" && shifted.nextFundingTs !== undefined) shifted.nextFundingTs += shiftMs;
  return shifted as E;
}

/**
 * Paces a stream of event times against the wall clock: returns how long to wait (ms)
 * before emitting an event at `ts`, skipping idle gaps. Pure; the caller owns the clock.
 */
export class ReplayPacer {
  private anchorTs: number | null = null;
  private anchorWallMs = 0;
  private lastTs: number | null = null;
  skippedGaps = 0;
  skippedMs = 0;

  constructor(
    readonly speed: number,
    readonly idleGapMs: number = DEFAULT_IDLE_GAP_MS,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`REPLAY_SPEED must be a positive number, got ${speed}`);
    if (!(idleGapMs > 0)) throw new Error(`idleGapMs must be > 0, got ${idleGapMs}`);
  }

  /** Wall ms to wait before `ts` is due, given the current wall time. */
  delayFor(ts: number, wallMs: number): number {
    if (this.anchorTs === null || this.lastTs === null || ts - this.lastTs > this.idleGapMs) {
      if (this.lastTs !== null && ts - this.lastTs > this.idleGapMs) {
        this.skippedGaps++;
        this.skippedMs += ts - this.lastTs;
      }
      this.anchorTs = ts;
      this.anchorWallMs = wallMs;
    }
    if (this.lastTs === null || ts > this.lastTs) this.lastTs = ts;
    const due = this.anchorWallMs + (ts - this.anchorTs) / this.speed;
    return Math.max(0, due - wallMs);
  }

  /**
   * Forgets the anchor and the last event time: after a pause (so the feed does not rush to
   * catch up) and at the start of each loop, whose first event is older than the last one.
   */
  reanchor(): void {
    this.anchorTs = null;
    this.lastTs = null;
  }
}
