/** Cross-symbol reads: `/v1/bias` (batch, for pages that show many widgets) and `/v1/market`. */
import { Hono } from "hono";
import { BatchBiasQuerySchema } from "../protocol/http.js";
import { parseQuery } from "./errors.js";
import { symbolObject, trackedSymbol } from "./symbols.js";

type App = { Bindings: Env };

export const batchBiasRoutes = new Hono<App>().get("/", async (c) => {
  const { symbols, mode } = parseQuery(BatchBiasQuerySchema, c.req.query());
  const unique = [...new Set(symbols.map(trackedSymbol))];
  const snapshots = await Promise.all(unique.map((s) => symbolObject(c.env, s).snapshot()));
  return c.json({
    mode,
    biases: unique.map((symbol, i) => ({ symbol, bias: snapshots[i]?.bias[mode] ?? null, price: snapshots[i]?.price ?? null })),
  });
});

export const marketRoutes = new Hono<App>().get("/", async (c) => {
  const coordinator = c.env.COORDINATOR.get(c.env.COORDINATOR.idFromName("coordinator"));
  return c.json(await coordinator.market());
});
