/**
 * `/v1/stream`: hands the WebSocket upgrade to one of RELAY_SHARDS relay shards, chosen at
 * random so sockets spread evenly (see src/protocol/stream.ts and docs/stream.md).
 *
 * Before upgrading, one address may open at most STREAM_OPENS_PER_ADDRESS sockets a minute
 * (all at once, refilled evenly over the minute); beyond, 429 with a JSON error and
 * Retry-After, so a host opening sockets in a loop costs a refused request, not a relay's
 * socket. The address is the read limiter's (`clientKey`: `CF-Connecting-IP`, set by
 * Cloudflare's edge and by `wrangler dev`, an IPv6 address counted as its /64), and so are the
 * buckets (`TokenBuckets`, src/api/rate-limit.ts). The count lives in this isolate: under
 * `npm start` that is every request; deployed, each isolate counts its own share, so it bounds
 * bursts rather than being an exact global quota. What a socket may do once open is the
 * relay's to limit (src/objects/socket-limits.ts).
 */
import { Hono } from "hono";
import { ApiError } from "./errors.js";
import { clientKey, TokenBuckets } from "./rate-limit.js";

type App = { Bindings: Env };

/**
 * Opens per address per minute by default. 120 covers a household or office behind one
 * address (a tab holds one socket; the typed client's reconnect backoff starts at 0.5 s and
 * doubles) while one host cannot open thousands of sockets in a burst. Benchmarks that open
 * thousands from 127.0.0.1 set STREAM_OPENS_PER_ADDRESS.
 */
export const DEFAULT_OPENS_PER_ADDRESS = 120;
const OPENS_PERIOD_MS = 60_000;

/** This isolate's buckets, rebuilt only if STREAM_OPENS_PER_ADDRESS changes. */
let opens: TokenBuckets | null = null;

export const streamRoutes = new Hono<App>().get("/", async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "GET /v1/stream expects a WebSocket upgrade");
  }
  const perMinute = opensPerAddress(c.env);
  if (opens?.capacity !== perMinute) opens = new TokenBuckets(perMinute, OPENS_PERIOD_MS);
  const decision = opens.take(clientKey(c.req.raw.headers), Date.now());
  if (!decision.ok) {
    const retryAfterS = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    throw new ApiError(429, "rate_limited", `too many stream connections from this address (at most ${perMinute} a minute); retry after the number of seconds in Retry-After (${retryAfterS})`, {
      "Retry-After": String(retryAfterS),
      "Cache-Control": "no-store",
    });
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

/** STREAM_OPENS_PER_ADDRESS: sockets one address may open per minute, an integer 1..1,000,000; unset or blank = 120. */
export function opensPerAddress(env: Env): number {
  const raw = (env as Partial<Record<"STREAM_OPENS_PER_ADDRESS", string>>).STREAM_OPENS_PER_ADDRESS;
  if (raw === undefined || raw.trim() === "") return DEFAULT_OPENS_PER_ADDRESS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new ApiError(500, "bad_config", `STREAM_OPENS_PER_ADDRESS must be an integer in 1..1000000 (sockets per address per minute), got ${JSON.stringify(raw)}`);
  }
  return n;
}
