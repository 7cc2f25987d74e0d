/**
 * The one interface every venue normalizer implements (after tardis-node's mappers).
 * Mappers are pure: no I/O, no clock; the receive time comes in as a parameter.
 */
import type { CanonicalEvent, LiquidationSampling, Venue } from "../domain/events.js";

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

/**
 * How to hold a live connection to a venue: pure facts and frame builders, no I/O. The
 * collector's live feed (workers/collector) opens the sockets, sends these frames, keeps the
 * connection alive by these rules and polls the REST endpoints listed here.
 */
export interface VenueConnectionSpec {
  readonly venue: Venue;
  /** Public WebSocket URL (the collector lets an environment variable override it). */
  readonly wsUrl: string;
  /** Public REST base URL, when the venue needs REST (snapshots, open interest), else null. */
  readonly restUrl: string | null;
  /** Most topics one connection may carry (the venue's documented limit, with margin). */
  readonly maxTopicsPerConnection: number;
  /** The topics (stream names as the venue spells them) that carry what liqflow needs for one instrument. */
  topics(instrument: string): string[];
  /** Topics that are venue-wide rather than per instrument (e.g. Binance `!forceOrder@arr`). */
  globalTopics(): string[];
  /** Frames to send right after connecting to subscribe to `topics` (split to respect per-frame limits). */
  subscribeFrames(topics: readonly string[]): string[];
  /** Client keepalive: a text frame sent every `intervalMs`; null when the server pings and the runtime answers. */
  readonly keepalive: { intervalMs: number; frame: string } | null;
  /** True for control traffic (pong, subscribe ack) that is neither market data nor an error. */
  isControl(message: unknown): boolean;
  /** A topic silent for longer than this is declared stale and its connection recycled. */
  staleAfterMs(topic: string): number;
  /** How completely this venue publishes liquidations; null when it has no public liquidation stream. */
  readonly liquidationSampling: LiquidationSampling | null;
}
