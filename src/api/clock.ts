/**
 * The stack's clock (src/protocol/clock.ts) from what the collector reports in its health: the
 * replay feed's position, shifted last event time, loop shift and speed, or the live feeds' newest
 * event time. Read by `/v1/health` and `/v1/market` through the `COLLECTOR` binding; the engine
 * keeps no clock of its own (event time lives in the data, the mode in the collector).
 */
import type { Clock } from "../protocol/clock.js";

/** What `clockOf` reads of a replay feed's health (workers/collector/src/collector-object.ts `ReplayHealth`). */
interface ReplayFeedHealth {
  mode: "replay";
  speed: number;
  position: { loop: number };
  lastEventTs: number | null;
  loopShiftMs: number | null;
}

/** What `clockOf` reads of a live venue feed's health (workers/collector/src/live-health.ts `LiveVenueHealth`). */
interface LiveFeedHealth {
  mode: "live";
  streams: Record<string, { lastEventTs: number | null }>;
}

/** What `clockOf` reads of `CollectorService.health()`. */
export interface CollectorClockSource {
  mode: string;
  feeds: Record<string, unknown>;
}

const iso = (ts: number | null): string | null => (ts === null ? null : new Date(ts).toISOString());

function isReplayFeed(f: unknown): f is ReplayFeedHealth {
  return typeof f === "object" && f !== null && (f as { mode?: unknown }).mode === "replay" && typeof (f as ReplayFeedHealth).position?.loop === "number";
}

function isLiveFeed(f: unknown): f is LiveFeedHealth {
  return typeof f === "object" && f !== null && (f as { mode?: unknown }).mode === "live" && typeof (f as LiveFeedHealth).streams === "object";
}

/**
 * The clock of a collector's health; null when the collector was unreachable or reports neither a
 * replay nor a live feed. Replay: `recordingTs = eventTs − loop · loopShiftMs` (loop 0 is unshifted).
 */
export function clockOf(health: CollectorClockSource | null): Clock | null {
  if (health === null) return null;
  const replay = health.feeds.replay;
  if (health.mode === "replay" && isReplayFeed(replay)) {
    const loop = replay.position.loop;
    const eventTs = replay.lastEventTs;
    const shiftMs = loop === 0 || replay.loopShiftMs === null ? 0 : loop * replay.loopShiftMs;
    const recordingTs = eventTs === null ? null : eventTs - shiftMs;
    return { mode: "replay", eventTs, eventTime: iso(eventTs), loop, loopShiftMs: replay.loopShiftMs, recordingTs, recordingTime: iso(recordingTs), speed: replay.speed };
  }
  if (health.mode !== "live") return null;
  let eventTs: number | null = null;
  for (const feed of Object.values(health.feeds)) {
    if (!isLiveFeed(feed)) continue;
    for (const s of Object.values(feed.streams)) if (s.lastEventTs !== null && (eventTs === null || s.lastEventTs > eventTs)) eventTs = s.lastEventTs;
  }
  return { mode: "live", eventTs, eventTime: iso(eventTs) };
}
