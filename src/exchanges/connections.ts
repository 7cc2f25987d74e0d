/**
 * The live connection spec of each venue, by name: the one place a venue's connection file
 * (`<venue>-connection.ts`) is registered, read by the collector's live feed (workers/collector)
 * and the REST bar backfill. Pure: no I/O, no clock.
 *
 * A venue is live-capable once it has a connection file registered in `CONNECTIONS` below; a
 * venue named in `LIQFLOW_VENUES` without one is reported `unavailable` by the collector. What a
 * spec holds is defined in `connection-spec.ts`.
 */
import { VENUES, type Venue } from "../domain/events.js";
import { BINANCE_CONNECTION } from "./binance-connection.js";
import { BYBIT_CONNECTION } from "./bybit-connection.js";
import type { LiveConnectionSpec } from "./connection-spec.js";
import { HYPERLIQUID_CONNECTION } from "./hyperliquid-connection.js";
import { OKX_CONNECTION } from "./okx-connection.js";

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

/** Names of the environment variables that override a venue's URLs, e.g. `BINANCE_WS_URL`. */
export function urlOverrideNames(venue: Venue): { ws: string; rest: string } {
  const prefix = venue.toUpperCase();
  return { ws: `${prefix}_WS_URL`, rest: `${prefix}_REST_URL` };
}
