/**
 * The live connection facts of each venue, by name: what the collector's live feed
 * (workers/collector) needs to hold WebSockets to a venue and poll its REST endpoints.
 * Pure: no I/O, no clock.
 *
 * A venue is live-capable once its adapter exports a {@link VenueConnectionSpec} and it is
 * registered in `CONNECTIONS` below; a venue named in `LIQFLOW_VENUES` without one is reported
 * `unavailable` by the collector. The optional members of {@link LiveConnectionSpec} are
 * used when a venue provides them and have safe defaults otherwise.
 */
import { VENUES, type Venue } from "../domain/events.js";
import { BINANCE_CONNECTION } from "./binance.js";
import { BYBIT_CONNECTION } from "./bybit.js";
import { HYPERLIQUID_CONNECTION } from "./hyperliquid.js";
import { OKX_CONNECTION } from "./okx.js";
import type { VenueConnectionSpec } from "./types.js";

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

/** The targets of a poll for these instruments (see {@link RestPoll.targets}). */
export function pollTargets(poll: RestPoll, instruments: readonly string[]): string[] {
  return poll.targets ? poll.targets(instruments) : [...instruments];
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

const CONNECTIONS: Readonly<Partial<Record<Venue, LiveConnectionSpec>>> = {
  binance: BINANCE_CONNECTION,
  bybit: BYBIT_CONNECTION,
  okx: OKX_CONNECTION,
  hyperliquid: HYPERLIQUID_CONNECTION,
};

/** Venues with a registered connection spec, in `VENUES` order. */
export const CONNECTED_VENUES: readonly Venue[] = VENUES.filter((v) => CONNECTIONS[v] !== undefined);

/** The connection spec of a venue, or undefined when none is registered (yet). */
export function tryGetConnectionSpec(venue: string): LiveConnectionSpec | undefined {
  return Object.hasOwn(CONNECTIONS, venue) ? CONNECTIONS[venue as Venue] : undefined;
}

/** The connection spec of a venue; throws, listing the registered venues, for any other name. */
export function getConnectionSpec(venue: string): LiveConnectionSpec {
  const spec = tryGetConnectionSpec(venue);
  if (spec === undefined) {
    throw new Error(`no live connection spec for venue ${JSON.stringify(venue)}; registered: ${CONNECTED_VENUES.join(", ")}`);
  }
  return spec;
}

/** Where a topic's connection goes: the spec's routing, or the one `wsUrl`. */
export function endpointOf(spec: LiveConnectionSpec, topic: string, wsUrl: string): Endpoint {
  return spec.endpoint ? spec.endpoint(topic, wsUrl) : { name: "ws", url: wsUrl };
}

/** Names of the environment variables that override a venue's URLs, e.g. `BINANCE_WS_URL`. */
export function urlOverrideNames(venue: Venue): { ws: string; rest: string } {
  const prefix = venue.toUpperCase();
  return { ws: `${prefix}_WS_URL`, rest: `${prefix}_REST_URL` };
}
