/**
 * The replay's clock as seen from outside the stack: when did the replay feed schedule event
 * time `ts` on the wall clock? The runner's pacer (src/replay/timeline.ts `ReplayPacer`) maps
 * event time to wall time as `anchorWallMs + (ts − anchorTs) / speed`, re-anchoring at the start
 * of every loop and after every skipped silence, but it does not expose its anchor. What
 * `/v1/health` does expose, per poll, is the replay's loop, its count of skipped silences and the
 * (shifted) event time of the last event it handed to its batcher (`lastEventTs`).
 *
 * Within one anchor segment (same loop, same skipped-silence count) the offset
 * `O = anchorWallMs − anchorTs / speed` is constant, and the pacer never hands an event before it
 * is due, so every poll answered at wall time `recv` bounds it: `O ≤ recv − lastEventTs / speed`.
 * The estimate is the smallest such bound over the segment's polls. It errs late by the best
 * poll's slack (the runner's lag behind its schedule at that poll, plus the health answer's trip
 * back through the dev proxy), so latencies computed from it err low by at most that slack,
 * which is reported (`slackMs`: the round trip of the poll that set the bound).
 *
 * Once the health reports the pacer's anchor itself (`replay.clock`; the diff is in the session
 * report of issue 16), segments are keyed on it and the offset is exact.
 *
 * A time `ts` belongs to a segment only when polls of that segment saw the feed both at or before
 * and at or after it; anything else (a boundary inside a silence the replay skipped, the catch-up
 * cycles of a loop's jump, an edge no poll bracketed) has no scheduled wall time and is counted
 * apart, never given one.
 */

/** One `/v1/health` poll of the replay feed, with Node's wall clock around it (ms, fractional). */
export interface ReplayClockSample {
  sentWallMs: number;
  recvWallMs: number;
  loop: number;
  /** Events of the loop handed to the batcher (`position.index`): it goes back when the runner restarts from its saved position. */
  index: number;
  skippedGaps: number;
  /** Shifted event time of the last event the runner handed to its batcher (null before the first). */
  lastEventTs: number | null;
  /**
   * The pacer's anchor, when the health reports it (`replay.clock`, absent from the runtime of
   * 2026-12-06): shifted event time `eventTs` is due at `wallMs`. With it the offset is exact.
   */
  anchor?: { eventTs: number; wallMs: number } | null;
}

/** One anchor segment of the pacer, as estimated from the polls that fell in it. */
export interface ClockSegment {
  /** Runner restarts seen before this segment (a restart re-anchors the pacer and resets its counters). */
  epoch: number;
  loop: number;
  skippedGaps: number;
  /** Estimated `anchorWallMs − anchorTs / speed`: scheduled wall time of `ts` is `offsetMs + ts / speed`. */
  offsetMs: number;
  /** Round trip of the poll that set the bound: how late the estimate can be at most, beside the runner's own lag at that poll (0 when exact). */
  slackMs: number;
  /** The offset is the pacer's own anchor (reported by the health), not a bound. */
  exact: boolean;
  /** Event time seen by the segment's polls, first and last. */
  minTs: number;
  maxTs: number;
  polls: number;
}

/** The replay clock estimated from polls; `scheduledWallMs` answers per event time. */
export class ReplayClockEstimate {
  readonly segments: ClockSegment[];
  /** Times the runner restarted between polls (its position or its skipped-silence count went back). */
  readonly restarts: number;

  constructor(
    readonly speed: number,
    samples: readonly ReplayClockSample[],
  ) {
    if (!(speed > 0)) throw new Error(`ReplayClockEstimate: speed must be > 0 (got ${speed})`);
    const byKey = new Map<string, ClockSegment>();
    let epoch = 0;
    let prev: ReplayClockSample | null = null;
    for (const s of samples) {
      // A restarted runner resumes from its saved position with a new pacer: same loop and count, another anchor.
      if (prev !== null && (s.loop < prev.loop || (s.loop === prev.loop && (s.index < prev.index || s.skippedGaps < prev.skippedGaps)))) epoch++;
      prev = s;
      if (s.lastEventTs === null) continue;
      const anchor = s.anchor ?? null;
      const key = anchor === null ? `${epoch}/${s.loop}/${s.skippedGaps}` : `anchor ${anchor.eventTs}@${anchor.wallMs}`;
      const exact = anchor !== null;
      const bound = exact ? anchor.wallMs - anchor.eventTs / speed : s.recvWallMs - s.lastEventTs / speed;
      const seg = byKey.get(key);
      if (seg === undefined) {
        const slackMs = exact ? 0 : s.recvWallMs - s.sentWallMs;
        // An exact segment starts at its anchor event, whether or not a poll saw that event.
        const minTs = exact ? Math.min(anchor.eventTs, s.lastEventTs) : s.lastEventTs;
        byKey.set(key, { epoch, loop: s.loop, skippedGaps: s.skippedGaps, offsetMs: bound, slackMs, exact, minTs, maxTs: s.lastEventTs, polls: 1 });
        continue;
      }
      seg.polls++;
      if (!exact && bound < seg.offsetMs) {
        seg.offsetMs = bound;
        seg.slackMs = s.recvWallMs - s.sentWallMs;
      }
      if (s.lastEventTs < seg.minTs) seg.minTs = s.lastEventTs;
      if (s.lastEventTs > seg.maxTs) seg.maxTs = s.lastEventTs;
    }
    this.segments = [...byKey.values()].sort((a, b) => a.epoch - b.epoch || a.loop - b.loop || a.skippedGaps - b.skippedGaps);
    this.restarts = epoch;
  }

  /**
   * The segment whose polls bracket `ts`; null when none does, or when more than one does (a
   * restart re-sends events already played: which pass closed the cycle is not known), so `ts`
   * has no scheduled wall time.
   */
  segmentOf(ts: number): ClockSegment | null {
    const found = this.segments.filter((seg) => seg.minTs <= ts && ts <= seg.maxTs);
    return found.length === 1 ? found[0] : null;
  }

  /** Wall time (ms) the replay scheduled event time `ts` for, or null when no segment brackets it. */
  scheduledWallMs(ts: number): number | null {
    const seg = this.segmentOf(ts);
    return seg === null ? null : seg.offsetMs + ts / this.speed;
  }
}

/** The nearest-rank percentile `p` (0–100) of `xs`; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}
