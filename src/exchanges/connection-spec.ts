/**
 * What a live connection to a venue is made of: the spec each venue's connection file
 * (`<venue>-connection.ts`) exports, and the small rules read off a spec (where a topic
 * connects, what a REST poll requests). Types and pure functions only: no I/O, no clock, and
 * no import of any venue, so venue files and the registry (`connections.ts`) both depend on
 * this module and never on each other.
 *
 * The collector's live feed (workers/collector) opens the sockets, sends these frames, keeps
 * the connection alive by these rules and polls the REST endpoints listed here.
 */
import type { LiquidationSampling, Venue } from "../domain/events.js";

/**
 * How to hold a live connection to a venue: pure facts and frame builders, no I/O. Every
 * venue provides these; {@link LiveConnectionSpec} adds what only some venues need.
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

/** A REST endpoint polled per instrument (e.g. Binance open interest) or per other target (an insurance pool's coin). */
export interface RestPoll {
  /** Short name for counters, e.g. `openInterest`. */
  readonly name: string;
  /** Period per target; the collector spreads the targets evenly over it. */
  readonly everyMs: number;
  /**
   * What is requested once per period, from the instruments the feed holds: default, each
   * instrument; a venue-wide endpoint returns one target (Bybit insurance: `["USDT"]`), a
   * per-family one the distinct families (OKX insurance: `BTC-USDT`).
   */
  targets?(instruments: readonly string[]): string[];
  /** Request URL for one target under the (possibly overridden) REST base URL. */
  url(restUrl: string, target: string): string;
}

/** One WebSocket endpoint of a venue: a stable short name (used in stream names) and its URL. */
export interface Endpoint {
  readonly name: string;
  readonly url: string;
}

/**
 * {@link VenueConnectionSpec} plus what some venues need beyond it. Every extra is optional:
 * a plain VenueConnectionSpec is a valid LiveConnectionSpec.
 */
export interface LiveConnectionSpec extends VenueConnectionSpec {
  /**
   * The endpoint that serves `topic`, for venues that route topics to different URLs (Binance
   * USDⓈ-M: `/public` for depth and trades, `/market` for the rest). `wsUrl` is the spec's
   * `wsUrl` or its environment override. Default: every topic on `{ name: "ws", url: wsUrl }`.
   */
  endpoint?(topic: string, wsUrl: string): Endpoint;
  /**
   * The subscribed topic a raw message belongs to (`stream`: the combined-stream envelope's
   * name, when there was one), for per-topic stale detection. Without it, or when it returns
   * undefined, any message counts as a sign of life for every topic of its connection.
   */
  topicOf?(message: unknown, stream: string | undefined): string | undefined;
  /**
   * Venues whose order book is a diff stream synced against a REST snapshot (Binance): the
   * snapshot request for one instrument. Absent when the stream sends its own snapshots.
   */
  depthSnapshotUrl?(restUrl: string, instrument: string): string;
  /** REST endpoints polled (open interest where no stream carries it, the insurance fund where the venue publishes one). */
  readonly polls?: readonly RestPoll[];
}

/** The targets of a poll for these instruments (see {@link RestPoll.targets}). */
export function pollTargets(poll: RestPoll, instruments: readonly string[]): string[] {
  return poll.targets ? poll.targets(instruments) : [...instruments];
}

/** Where a topic's connection goes: the spec's routing, or the one `wsUrl`. */
export function endpointOf(spec: LiveConnectionSpec, topic: string, wsUrl: string): Endpoint {
  return spec.endpoint ? spec.endpoint(topic, wsUrl) : { name: "ws", url: wsUrl };
}
