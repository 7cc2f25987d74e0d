/**
 * Liquidation map routes: `/v1/symbols/:symbol/heatmap`, `/clusters`, `/levels`, `/cascade`,
 * and the support/resistance `/zones` built on them.
 * Query parameters are parsed here (durations like `15m`, `1h`, `24h` or plain ms; a price bin
 * as `10bps` or an absolute tick like `50`); the engine validates their bounds and its errors
 * come back as 400 naming the field.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { HeatmapQuery, LevelsQuery } from "../protocol/liquidation.js";
import { ApiError, parseQuery } from "./errors.js";
import { symbolObject, trackedSymbol } from "./symbols.js";

type App = { Bindings: Env };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90s`, `15m`, `1h`, `24h` or a plain integer of ms. */
export const DurationSchema = z
  .string()
  .regex(/^\d+(ms|s|m|h)?$/, "a duration like 15m, 1h, 24h, 60s or a number of ms")
  .transform((s) => {
    const m = /^(\d+)(ms|s|m|h)?$/.exec(s)!;
    return Number(m[1]) * UNIT_MS[m[2] ?? "ms"];
  });

/** `10bps` (of the reference price) or a plain positive number (an absolute price tick). */
export const PriceBinSchema = z
  .string()
  .regex(/^(\d+(\.\d+)?)(bps)?$/, "a price bin like 10bps or an absolute tick like 50")
  .transform((s): Pick<HeatmapQuery, "priceBinBps" | "priceBinTick"> =>
    s.endsWith("bps") ? { priceBinBps: Number(s.slice(0, -3)) } : { priceBinTick: Number(s) },
  );

export const HeatmapParamsSchema = z
  .object({ window: DurationSchema.optional(), timeBin: DurationSchema.optional(), priceBin: PriceBinSchema.optional() })
  .strict();
/** `/zones` takes no parameters (its tuning lives in the engine's zone config). */
export const ZonesParamsSchema = z.object({}).strict();
export const ClustersParamsSchema = z.object({ limit: z.coerce.number().int().min(1).max(100).optional() }).strict();
export const LevelsParamsSchema = z
  .object({
    range: z.coerce.number().positive().max(50).optional().describe("half-width around price, percent"),
    bin: z.coerce.number().positive().optional().describe("price bin, bps of the reference price"),
  })
  .strict();

/** The object answers `{ error }` for a query the engine refuses: a client error, not a server one. */
function unwrap<T>(result: { value: T } | { error: string }): T {
  if ("error" in result) throw new ApiError(400, "bad_parameter", result.error);
  return result.value;
}

export const liquidationMapRoutes = new Hono<App>()
  .get("/:symbol/heatmap", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const p = parseQuery(HeatmapParamsSchema, c.req.query());
    const query: HeatmapQuery = { windowMs: p.window, timeBinMs: p.timeBin, ...p.priceBin };
    return c.json(unwrap(await symbolObject(c.env, symbol).liquidationMap({ kind: "heatmap", query })));
  })
  .get("/:symbol/clusters", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const { limit } = parseQuery(ClustersParamsSchema, c.req.query());
    return c.json(unwrap(await symbolObject(c.env, symbol).liquidationMap({ kind: "clusters", limit })));
  })
  .get("/:symbol/levels", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const p = parseQuery(LevelsParamsSchema, c.req.query());
    const query: LevelsQuery = { rangePct: p.range, binBps: p.bin };
    return c.json(unwrap(await symbolObject(c.env, symbol).liquidationMap({ kind: "levels", query })));
  })
  .get("/:symbol/cascade", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    return c.json(unwrap(await symbolObject(c.env, symbol).liquidationMap({ kind: "cascade" })));
  })
  .get("/:symbol/zones", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    parseQuery(ZonesParamsSchema, c.req.query());
    const zones = await symbolObject(c.env, symbol).zones();
    if (!zones) throw new ApiError(503, "no_data", `${symbol} has no computed cycle yet; zones are computed at each 10 s cycle of event time`);
    return c.json(zones);
  });
