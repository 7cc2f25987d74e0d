/**
 * liqflow collector Worker. Reached by the engine through a service binding to
 * `CollectorService` (RPC); restarted by its cron trigger in production.
 *
 * `LIQFLOW_MODE=replay` (default): one CollectorObject named `replay` plays data/recorded.
 * `LIQFLOW_MODE=live`: one CollectorObject per venue of `LIQFLOW_VENUES`, named `live:<venue>`,
 * holds that venue's WebSockets (see live-config.ts for the variables).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { Venue } from "@liqflow/engine/domain/events.js";
import { tryGetConnectionSpec } from "@liqflow/engine/exchanges/connections.js";
import type { ReplayHealth } from "./collector-object.js";
import { parseLiveConfig } from "./live-config.js";
import { idleVenueHealth, type LiveVenueHealth } from "./live-health.js";

export { CollectorObject } from "./collector-object.js";

export interface CollectorHealth {
  mode: string;
  /** `replay` in replay mode; `live:<venue>` per configured venue in live mode. */
  feeds: Record<string, ReplayHealth | LiveVenueHealth>;
}

type Mode = "replay" | "live";

function replayFeed(env: CollectorEnv) {
  return env.COLLECTOR_OBJECTS.get(env.COLLECTOR_OBJECTS.idFromName("replay"));
}

function liveFeed(env: CollectorEnv, venue: Venue) {
  return env.COLLECTOR_OBJECTS.get(env.COLLECTOR_OBJECTS.idFromName(`live:${venue}`));
}

function mode(env: CollectorEnv): Mode {
  const m = env.LIQFLOW_MODE ?? "replay";
  if (m !== "replay" && m !== "live") throw new Error(`LIQFLOW_MODE must be "replay" or "live", got "${m}"`);
  return m;
}

function liveConfig(env: CollectorEnv) {
  return parseLiveConfig(env as unknown as Record<string, unknown>);
}

/** Health of a configured venue that has no connection spec yet: said, not faked. */
function unavailable(venue: Venue): LiveVenueHealth {
  return idleVenueHealth(venue, "unavailable", `no live connection spec for ${venue} yet (src/exchanges/connections.ts)`);
}

async function ensureRunning(env: CollectorEnv): Promise<{ mode: Mode; running: boolean; venues?: Record<string, string> }> {
  const m = mode(env);
  if (m === "replay") {
    const { running } = await replayFeed(env).start();
    return { mode: m, running };
  }
  const venues: Record<string, string> = {};
  let running = false;
  for (const venue of liveConfig(env).venues) {
    if (tryGetConnectionSpec(venue) === undefined) {
      venues[venue] = "unavailable";
      continue;
    }
    const started = await liveFeed(env, venue).startLive(venue);
    venues[venue] = started.status;
    running ||= started.running;
  }
  return { mode: m, running, venues };
}

export class CollectorService extends WorkerEntrypoint<CollectorEnv> {
  /** Starts the feeds of the configured mode if they are not running. Idempotent. */
  async ensureRunning(): Promise<{ mode: string; running: boolean; venues?: Record<string, string> }> {
    return ensureRunning(this.env);
  }

  async health(): Promise<CollectorHealth> {
    const m = mode(this.env);
    if (m === "replay") return { mode: m, feeds: { replay: await replayFeed(this.env).health() } };
    const venues = liveConfig(this.env).venues;
    const feeds = await Promise.all(
      venues.map((v) => (tryGetConnectionSpec(v) === undefined ? unavailable(v) : liveFeed(this.env, v).liveHealth(v))),
    );
    return { mode: m, feeds: Object.fromEntries(venues.map((v, i) => [`live:${v}`, feeds[i]])) };
  }
}

export default {
  async fetch(): Promise<Response> {
    return Response.json({ error: { code: "not_public", message: "the collector is reached through the engine's service binding" } }, { status: 404 });
  },
  async scheduled(_controller, env, ctx) {
    ctx.waitUntil(ensureRunning(env));
  },
} satisfies ExportedHandler<CollectorEnv>;
