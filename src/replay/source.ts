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
      stats.rejected[result.rejected] = (stats.rejected[result.rejected] ?? 0) + 1;
      continue;
    }
    if (result.ignored !== undefined) {
      stats.ignored[result.ignored] = (stats.ignored[result.ignored] ?? 0) + 1;
      continue;
    }
    for (const event of result.events) {
      stats.events[event.kind] = (stats.events[event.kind] ?? 0) + 1;
      if (stats.lastEventTs === null || event.ts > stats.lastEventTs) stats.lastEventTs = event.ts;
      yield event;
    }
  }
}
