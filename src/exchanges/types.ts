/**
 * The one interface every venue normalizer implements (after tardis-node's mappers).
 * Mappers are pure: no I/O, no clock; the receive time comes in as a parameter. How a venue's
 * live connection is held is apart, in `connection-spec.ts`.
 */
import type { CanonicalEvent, Venue } from "../domain/events.js";

/**
 * What one raw message became. Exactly one of three outcomes:
 * - events (possibly several, e.g. a `!forceOrder@arr` batch),
 * - `ignored` with a reason (a message we understand but do not use: untracked symbol,
 *   subscription ack, kline), counted but not an error,
 * - `rejected` with a reason (malformed or impossible data), counted and never coerced.
 */
export type MapResult =
  | { events: CanonicalEvent[]; ignored?: undefined; rejected?: undefined }
  | { events: []; ignored: string; rejected?: undefined }
  | { events: []; ignored?: undefined; rejected: string };

/**
 * Facts about a raw message that are not inside the message itself. Binance REST depth
 * snapshots, for one, do not name their symbol: the caller knows it from the request `url`
 * (`?symbol=BTCUSDT`) or from the recording it reads (`instrument`, the venue's spelling).
 */
export interface MapContext {
  /** Venue instrument name the message is about when the message does not say (e.g. `BTCUSDT`). */
  instrument?: string;
  /** Request URL the message answered (a REST response), e.g. `https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=1000`. */
  url?: string;
  /** Stream name from a combined-stream envelope, e.g. `btcusdt@depth@0ms`. */
  stream?: string;
}

export interface ExchangeMapper {
  readonly venue: Venue;
  /** True when the raw (already JSON-parsed, envelope removed) message belongs to this venue's format. */
  canHandle(message: unknown): boolean;
  /**
   * Turns one raw message into canonical events. `recvTs` is the local receive time, epoch ms;
   * `context` carries what the message does not say itself (see {@link MapContext}).
   */
  map(message: unknown, recvTs?: number, context?: MapContext): MapResult;
}
