/**
 * A recording as a stream of canonical events, with the counters `/v1/health` and the
 * `normalize` summary report. The collector's replay feed and the `replay` command both read
 * recordings through here, so they run the same normalizer code as the live feed.
 */
import type { CanonicalEvent, Venue } from "../domain/events.js";
import { getMapper, normalizeLine } from "../exchanges/registry.js";
import type { MapContext } from "../exchanges/types.js";

/** Per-stream counters. Ignored lines are understood but unused; rejected lines are bad data. */
export interface StreamStats {
  lines: number;
  messages: number;
  events: Record<string, number>;
  ignored: Record<string, number>;
  rejected: Record<string, number>;
  lastEventTs: number | null;
}

/** Distinct reasons kept per counter map; more are summed under `other`. */
const MAX_REASONS = 50;

/**
 * Counts a reason. The value a reason quotes (`…, got "abc"`) is cut off so that counters
 * group by what was wrong, and the number of distinct keys stays bounded.
 */
export function countReason(counters: Record<string, number>, reason: string): void {
  let key = reason.replace(/, got .*$/s, "");
  if (!(key in counters) && Object.keys(counters).length >= MAX_REASONS) key = "other";
  counters[key] = (counters[key] ?? 0) + 1;
}

export function newStreamStats(): StreamStats {
  return { lines: 0, messages: 0, events: {}, ignored: {}, rejected: {}, lastEventTs: null };
}

/** Normalizes lines of one recording of `venue`, counting into `stats`. */
export async function* recordingEvents(
  lines: AsyncIterable<string>,
  venue: Venue,
  stats: StreamStats,
  context?: MapContext,
): AsyncGenerator<CanonicalEvent> {
  const mapper = getMapper(venue);
  for await (const line of lines) {
    stats.lines++;
    const result = normalizeLine(mapper, line, context);
    if (result.hadMessage) stats.messages++;
    if (result.rejected !== undefined) {
      countReason(stats.rejected, result.rejected);
      continue;
    }
    if (result.ignored !== undefined) {
      countReason(stats.ignored, result.ignored);
      continue;
    }
    for (const event of result.events) {
      stats.events[event.kind] = (stats.events[event.kind] ?? 0) + 1;
      if (stats.lastEventTs === null || event.ts > stats.lastEventTs) stats.lastEventTs = event.ts;
      yield event;
    }
  }
}
