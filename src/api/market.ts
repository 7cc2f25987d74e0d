/**
 * Cross-symbol reads: `/v1/bias` (batch, for pages that show many widgets) and `/v1/market`, the
 * Coordinator's market view with the stack's `clock` (replay or live, event time with its date,
 * the recording's real date and loop: src/protocol/clock.ts; null when the collector is unreachable).
 */
import { Hono } from "hono";
import { BatchBiasQuerySchema } from "../protocol/http.js";
import { parseQuery } from "./errors.js";
import { symbolObject, trackedSymbol } from "./symbols.js";
import { clockOf } from "./clock.js";

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
  // An unreachable collector costs the clock, not the market view.
  const [market, clock] = await Promise.all([coordinator.market(), c.env.COLLECTOR.health().then(clockOf, () => null)]);
  return c.json({ ...market, clock });
});
