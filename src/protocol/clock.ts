/**
 * The clock of the data a stack serves: whether it replays recordings or reads venues live, the
 * event time it has reached (with its date), and for a replay the real date of the recording
 * being played, the loop and the speed. Served as `clock` by `/v1/health` and `/v1/market`, so a
 * page can say "REPLAY · recorded 2025-12-27 · loop 2" instead of presenting 2029 as today.
 *
 * Replay moves each loop forward in event time by `loop · loopShiftMs` (src/replay/timeline.ts):
 * `eventTs` is that shifted time (what every snapshot, map and bar is stamped with), `recordingTs`
 * the unshifted one, the date the data was recorded.
 */
import { z } from "zod";

const LiveClockSchema = z.object({
  mode: z.literal("live"),
  /** Newest event time any live feed delivered (epoch ms); null before the first event. */
  eventTs: z.number().nullable(),
  /** `eventTs` as ISO 8601 UTC; null with it. */
  eventTime: z.string().nullable(),
});

const ReplayClockSchema = z.object({
  mode: z.literal("replay"),
  /** Event time of the last event replayed (epoch ms, shifted by the loop); null before the first. */
  eventTs: z.number().nullable(),
  /** `eventTs` as ISO 8601 UTC; null with it. */
  eventTime: z.string().nullable(),
  /** Pass over the recordings, from 0. */
  loop: z.number().int().min(0),
  /** How far each loop is shifted against the previous one (ms); null until loop 0 has been read to its end (loop 0 is not shifted). */
  loopShiftMs: z.number().nullable(),
  /** `eventTs − loop · loopShiftMs`: when the data was really recorded (epoch ms); null with `eventTs`. */
  recordingTs: z.number().nullable(),
  /** `recordingTs` as ISO 8601 UTC: the real date of the data; null with it. */
  recordingTime: z.string().nullable(),
  /** Event time played per wall-clock second (1: real time). */
  speed: z.number(),
});

/** `live` or `replay`; null in a response when the collector could not be reached or reported no feed. */
export const ClockSchema = z.discriminatedUnion("mode", [LiveClockSchema, ReplayClockSchema]);
export type Clock = z.infer<typeof ClockSchema>;
export type ReplayClock = z.infer<typeof ReplayClockSchema>;
export type LiveClock = z.infer<typeof LiveClockSchema>;
