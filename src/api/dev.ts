/**
 * Development-only routes, mounted when the engine runs with `LIQFLOW_DEV_ROUTES=1` (the
 * fan-out benchmark sets it with `wrangler dev --var`) and only for requests addressed to a
 * loopback host (so a deployment with the variable set by mistake still has no write path);
 * otherwise every path here is 404, for any method, before the body is read (src/api/limits.ts).
 * `npm start` leaves them off.
 * `POST /internal/ingest/:symbol` applies an ingest batch exactly as the collector's RPC would;
 * its body is capped at MAX_INGEST_BODY_BYTES (413 above it).
 */
import { Hono } from "hono";
import { z } from "zod";
import { CanonicalEventSchema } from "../domain/events.js";
import { ApiError } from "./errors.js";
import { bodyCap, devRoutesEnabled, MAX_INGEST_BODY_BYTES } from "./limits.js";
import { symbolObject, trackedSymbol } from "./symbols.js";

type App = { Bindings: Env };

const IngestBatchSchema = z.object({
  source: z.string().min(1),
  events: z.array(CanonicalEventSchema),
  seqs: z.array(z.number().int()),
  watermarkTs: z.number().int().optional(),
});

export const devRoutes = new Hono<App>()
  .use(async (c, next) => {
    if (!devRoutesEnabled(c.env, c.req.url)) throw new ApiError(404, "not_found", "no such endpoint");
    await next();
  })
  .post("/ingest/:symbol", bodyCap(MAX_INGEST_BODY_BYTES), async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const parsed = IngestBatchSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) throw new ApiError(400, "bad_body", parsed.error.issues[0]?.message ?? "invalid batch");
    return c.json(await symbolObject(c.env, symbol).ingest(symbol, parsed.data));
  });
