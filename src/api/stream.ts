/**
 * `/v1/stream`: hands the WebSocket upgrade to one of RELAY_SHARDS relay shards, chosen at
 * random so sockets spread evenly (see src/protocol/stream.ts and docs/stream.md).
 */
import { Hono } from "hono";
import { ApiError } from "./errors.js";

type App = { Bindings: Env };

export const streamRoutes = new Hono<App>().get("/", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "GET /v1/stream expects a WebSocket upgrade");
  }
  const shards = relayShards(c.env);
  const name = `relay-${Math.floor(Math.random() * shards)}`;
  const relay = c.env.STREAM_RELAY.get(c.env.STREAM_RELAY.idFromName(name));
  const request = new Request(c.req.raw);
  request.headers.set("X-Liqflow-Relay", name);
  return relay.fetch(request);
});

export const DEFAULT_RELAY_SHARDS = 4;

/** RELAY_SHARDS from the environment: an integer 1..64, default 4. */
export function relayShards(env: Env): number {
  const raw = env.RELAY_SHARDS;
  if (raw === undefined || raw === "") return DEFAULT_RELAY_SHARDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ApiError(500, "bad_config", `RELAY_SHARDS must be an integer in 1..64, got "${raw}"`);
  return n;
}
