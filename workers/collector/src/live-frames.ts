/**
 * One WebSocket frame of a live feed, read: parsed as a recording line (so a raw capture replays
 * through the same path), told apart from the venue's control frames (subscribe
 * acknowledgements, pongs), and mapped by the venue's mapper. Counted on the connection's stream:
 * frames, control frames, and the reason of every frame ignored or rejected. A mapper that
 * throws rejects its frame, never the socket loop. Pure: the receive time comes in.
 */
import type { CanonicalEvent } from "@liqflow/engine/domain/events.js";
import type { LiveConnectionSpec } from "@liqflow/engine/exchanges/connection-spec.js";
import { parseRecordingLine } from "@liqflow/engine/exchanges/recording.js";
import type { ExchangeMapper, MapResult } from "@liqflow/engine/exchanges/types.js";
import { countInto, type LiveStreamHealth } from "./live-health.js";

/** What a frame gave the feed: the topic it proves alive (undefined: unknown, all of them) and its events. */
export interface FrameRead {
  topic: string | undefined;
  events: readonly CanonicalEvent[];
}

const NO_EVENTS: readonly CanonicalEvent[] = [];

/** A mapper's answer counted on a stream: the reason it was rejected or ignored, if it was. */
export function countResult(stats: LiveStreamHealth, result: MapResult): void {
  if (result.rejected !== undefined) countInto(stats.rejected, result.rejected);
  else if (result.ignored !== undefined) countInto(stats.ignored, result.ignored);
}

/** Reads one frame received at `recvMs` on the stream whose counters are `stats`. */
export function readFrame(
  spec: Pick<LiveConnectionSpec, "isControl" | "topicOf">,
  mapper: ExchangeMapper,
  stats: LiveStreamHealth,
  text: string,
  recvMs: number,
): FrameRead {
  stats.messages++;
  stats.lastMessageMs = recvMs;
  const parsed = parseRecordingLine(text);
  if (parsed.type !== "message") {
    // Some venues answer a keepalive with bare text (OKX: `pong`).
    if (spec.isControl(text)) stats.control++;
    else if (parsed.type === "reject") countInto(stats.rejected, parsed.reason);
    else countInto(stats.ignored, parsed.reason);
    return { topic: undefined, events: NO_EVENTS };
  }
  const topic = spec.topicOf?.(parsed.message, parsed.stream);
  if (spec.isControl(parsed.message)) {
    stats.control++;
    return { topic, events: NO_EVENTS };
  }
  let result: MapResult;
  try {
    result = mapper.map(parsed.message, recvMs, parsed.stream === undefined ? undefined : { stream: parsed.stream });
  } catch (err) {
    countInto(stats.rejected, `mapper threw: ${String(err)}`);
    return { topic, events: NO_EVENTS };
  }
  countResult(stats, result);
  return { topic, events: result.events };
}
