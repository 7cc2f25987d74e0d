/**
 * liqflow engine Worker: the HTTP API (Hono), the `/v1/stream` WebSocket, the dashboard's
 * static assets, and the Durable Object classes.
 *
 * Middleware, outermost first: response security headers; the method guard (405/404 before any
 * body is read, src/api/limits.ts); the collector wake-up; on the read path (`/v1/*` but the
 * stream, and `/openapi.json`) CORS, the per-client rate limit (429), the query allow-list
 * (400) and the edge cache, whose key is the route's parsed query.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { candleRoutes } from "./api/candles.js";
import { CollectorWake } from "./api/collector-wake.js";
import { devRoutes } from "./api/dev.js";
import { edgeCache } from "./api/edge-cache.js";
import { ApiError, onApiError } from "./api/errors.js";
import { healthRoutes } from "./api/health.js";
import { scorecardRoutes, weightsRoutes } from "./api/learning.js";
import { methodGuard } from "./api/limits.js";
import { liquidationMapRoutes } from "./api/liquidation-maps.js";
import { batchBiasRoutes, marketRoutes } from "./api/market.js";
import { openApiDocument } from "./api/openapi.js";
import { pageRoutes, serveStatic } from "./api/pages.js";
import { canonicalCacheKey, queryAllowList } from "./api/query-params.js";
import { readRateLimiter } from "./api/rate-limit.js";
import { securityHeaders } from "./api/security-headers.js";
import { streamRoutes } from "./api/stream.js";
import { symbolRoutes } from "./api/symbols.js";

export { Coordinator } from "./objects/coordinator.js";
export { StreamRelay } from "./objects/stream-relay.js";
export { SymbolObject } from "./objects/symbol-object.js";

type App = { Bindings: Env };

/**
 * How long each public read may be served from cache, matched to how often it changes:
 * snapshots, cards and bias change once per 10 s cycle, liquidations as they happen.
 */
export function maxAgeFor(path: string): number | null {
  if (path === "/openapi.json") return 300;
  if (path.startsWith("/v1/health") || path.startsWith("/v1/stream")) return null;
  if (path.endsWith("/liquidations")) return 2;
  if (path.startsWith("/v1/market") || path.startsWith("/v1/weights") || path.startsWith("/v1/scorecard")) return 10;
  return 5;
}

/** The collector is woken by the first request this isolate serves (and by its own cron in production). */
const collector = new CollectorWake();

/** Runs `handler` on the read path only: `/v1/stream` has its own limits (src/api/stream.ts). */
function readPath(handler: MiddlewareHandler<App>): MiddlewareHandler<App> {
  return async (c, next) => (c.req.path === "/v1/stream" || c.req.path.startsWith("/v1/stream/") ? next() : handler(c, next));
}

const readLimit = readPath(readRateLimiter());
const allowList = readPath(queryAllowList());
const cache = readPath(edgeCache({ maxAgeFor, cacheKeyFor: canonicalCacheKey }));

export const app = new Hono<App>()
  .use(securityHeaders())
  .use(methodGuard())
  .use(async (c, next) => {
    const service = c.env.COLLECTOR;
    const waking = service ? collector.wake(() => service.ensureRunning()) : null;
    if (waking !== null) c.executionCtx.waitUntil(waking);
    await next();
  })
  .use("/v1/*", cors({ origin: "*", allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag", "Cache-Control", "Retry-After"], maxAge: 86_400 }))
  .use("/v1/*", readLimit, allowList, cache)
  .use("/openapi.json", readLimit, allowList, cache)
  .route("/v1/symbols", symbolRoutes)
  .route("/v1/symbols", liquidationMapRoutes)
  .route("/v1/symbols", candleRoutes)
  .route("/v1/bias", batchBiasRoutes)
  .route("/v1/market", marketRoutes)
  .route("/v1/weights", weightsRoutes)
  .route("/v1/scorecard", scorecardRoutes)
  .route("/v1/health", healthRoutes)
  .route("/v1/stream", streamRoutes)
  .route("/internal", devRoutes)
  .get("/openapi.json", (c) => c.json(openApiDocument(new URL(c.req.url).origin)))
  .get("/v1", (c) =>
    c.json({
      name: "liqflow",
      version: "v1",
      openapi: "/openapi.json",
      docs: "/docs",
      endpoints: ["/v1/symbols", "/v1/symbols/{symbol}", "/v1/bias", "/v1/market", "/v1/weights", "/v1/scorecard", "/v1/health", "/v1/stream"],
    }),
  )
  .all("/v1/*", () => {
    throw new ApiError(404, "not_found", "no such endpoint; see /v1 and /openapi.json");
  })
  .route("/", pageRoutes)
  .get("*", serveStatic)
  .onError(onApiError);

export default app;
