/**
 * liqflow engine Worker: the HTTP API (Hono), the `/v1/stream` WebSocket, the dashboard's
 * static assets, and the Durable Object classes.
 */
import { Hono } from "hono";
import { ApiError, onApiError } from "./api/errors.js";
import { healthRoutes } from "./api/health.js";
import { streamRoutes } from "./api/stream.js";
import { symbolRoutes } from "./api/symbols.js";

export { Coordinator } from "./objects/coordinator.js";
export { StreamRelay } from "./objects/stream-relay.js";
export { SymbolObject } from "./objects/symbol-object.js";

type App = { Bindings: Env };

/** The collector is woken by the first request this isolate serves (and by its own cron in production). */
let collectorWoken = false;

export const app = new Hono<App>()
  .use(async (c, next) => {
    if (!collectorWoken && c.env.COLLECTOR) {
      collectorWoken = true;
      c.executionCtx.waitUntil(
        c.env.COLLECTOR.ensureRunning().catch((err: unknown) => {
          collectorWoken = false;
          console.warn("collector not reachable:", String(err));
        }),
      );
    }
    await next();
  })
  .route("/v1/symbols", symbolRoutes)
  .route("/v1/health", healthRoutes)
  .route("/v1/stream", streamRoutes)
  .get("/v1", (c) => c.json({ name: "liqflow", version: "v1", endpoints: ["/v1/symbols", "/v1/health", "/v1/stream"] }))
  .all("/v1/*", () => {
    throw new ApiError(404, "not_found", "no such endpoint; see /v1");
  })
  .all("*", (c) => c.env.ASSETS.fetch(c.req.raw))
  .onError(onApiError);

export default app;
