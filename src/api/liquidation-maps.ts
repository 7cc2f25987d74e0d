/**
 * Liquidation map routes: `/v1/symbols/:symbol/heatmap`, `/clusters`, `/levels`, `/cascade`,
 * and the support/resistance `/zones` built on them.
 * Query parameters are parsed here (durations like `15m`, `1h`, `24h` or plain ms; a price bin
 * as `10bps` or an absolute tick like `50`); the engine validates their bounds and its errors
 * come back as 400 naming the field by its API name ({@link apiQueryMessage}).
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

// Descriptions end in `default X` for /openapi.json and /docs (a transformed field's JSON Schema keeps no `default`); the defaults themselves live in the engine's config (src/domain/config.ts).
export const HeatmapParamsSchema = z
  .object({
    window: DurationSchema.optional().describe("how far back from the newest event the map reaches: 15m, 1h, 24h, 90s or ms; a multiple of timeBin, at most 24h and 1,440 time bins; default 24h"),
    timeBin: DurationSchema.optional().describe("width of one time column: 1s to 1h; default 1m"),
    priceBin: PriceBinSchema.optional().describe("height of one price row: 10bps (of the reference price, 0.1 to 1000) or an absolute price tick such as 50; default 10bps"),
    venue: z
      .string()
      .optional()
      .describe("only these venues' liquidations, comma-separated: binance, bybit, okx, hyperliquid (e.g. bybit,okx); default every venue. The cells, totals and sampling correction then hold only theirs, and `venueFilter` names them"),
  })
  .strict();
/** `/zones` takes no parameters (its tuning lives in the engine's zone config). */
export const ZonesParamsSchema = z.object({}).strict();
export const ClustersParamsSchema = z
  .object({ limit: z.coerce.number().int().min(1).max(100).optional().meta({ description: "how many clusters, largest first: 1 to 100; default 10", default: 10 }) })
  .strict();
export const LevelsParamsSchema = z
  .object({
    range: z.coerce.number().positive().max(50).optional().meta({ description: "half-width around price, percent: above 0, at most 50; default 10", default: 10 }),
    bin: z.coerce.number().positive().optional().meta({ description: "price bin, bps of the reference price: 0.1 to 1000; default 10", default: 10 }),
    leverage: z
      .string()
      .regex(/^\d+(\.\d+)?x?(,\d+(\.\d+)?x?)*$/, "leverages like 25 or 25x, comma-separated: 10,25x")
      .optional()
      .describe(
        "only these leverage tiers of the level model, comma-separated (e.g. 25,50 or 25x,50x; `model.leverageTiers` lists them); default every tier. Bins, cumulative curves, magnets and totals then hold only their levels, and `tierFilter` names them",
      ),
  })
  .strict();

/** The engine's query fields by the API parameter a client sent (the engine validates, the API speaks). */
const API_NAMES: Record<string, string> = { windowMs: "window", timeBinMs: "timeBin", priceBinBps: "priceBin", priceBinTick: "priceBin", rangePct: "range", binBps: "bin", venues: "venue", leverages: "leverage" };
const MS_FIELDS = new Set(["windowMs", "timeBinMs"]);

/** `86400000` → `24h`, `420000` → `7m`, `1500` → `1500ms`: the units the `window`/`timeBin` parameters take. */
function durationText(ms: number): string {
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1_000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

/**
 * An engine validation message in the API's words: `heatmap query: windowMs must be a multiple
 * of timeBinMs (420000) (got 86400000)` → `heatmap: window must be a multiple of timeBin (7m)
 * (got 24h)`. Field names become parameter names; in a message about a duration field its
 * bounds become durations, and a `priceBinBps` bound gets its `bps` (bin counts stay numbers).
 */
export function apiQueryMessage(message: string): string {
  const m = /^(\w+) query: (.*)$/s.exec(message);
  const [what, rest] = m ? [m[1], m[2]] : [null, message];
  const subject = /^\w+/.exec(rest)?.[0] ?? "";
  let text = rest;
  if (!/\bbins\b/.test(rest)) {
    if (MS_FIELDS.has(subject)) text = text.replace(/\((\d+)\)|(?<=[<>]=? )(\d+)\b|(?<=\(got )(\d+)(?=\))/g, (all, paren, bound, got) => (paren ? `(${durationText(Number(paren))})` : durationText(Number(bound ?? got))));
    else if (subject === "priceBinBps") text = text.replace(/(?<=[<>]=? |\(got )(\d+(?:\.\d+)?)\b/g, "$1bps");
  }
  text = text.replace(/\b(windowMs|timeBinMs|priceBinBps|priceBinTick|rangePct|binBps|venues|leverages)\b/g, (f) => API_NAMES[f]);
  return what ? `${what}: ${text}` : text;
}

/**
 * The object answers `{ error }` for a query the engine refuses (a client error, not a server
 * one) and `{ noData }` before the symbol's first event (503, like the snapshot and bias reads).
 */
function unwrap<T>(symbol: string, result: { value: T } | { error: string } | { noData: string }): T {
  if ("error" in result) throw new ApiError(400, "bad_parameter", apiQueryMessage(result.error));
  if ("noData" in result) throw new ApiError(503, "no_data", `${symbol}: ${result.noData}`);
  return result.value;
}

export const liquidationMapRoutes = new Hono<App>()
  .get("/:symbol/heatmap", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const p = parseQuery(HeatmapParamsSchema, c.req.query());
    const query: HeatmapQuery = { windowMs: p.window, timeBinMs: p.timeBin, ...p.priceBin, ...(p.venue !== undefined ? { venues: p.venue.split(",").map((v) => v.trim()) as HeatmapQuery["venues"] } : {}) };
    return c.json(unwrap(symbol, await symbolObject(c.env, symbol).liquidationMap({ kind: "heatmap", query })));
  })
  .get("/:symbol/clusters", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const { limit } = parseQuery(ClustersParamsSchema, c.req.query());
    return c.json(unwrap(symbol, await symbolObject(c.env, symbol).liquidationMap({ kind: "clusters", limit })));
  })
  .get("/:symbol/levels", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    const p = parseQuery(LevelsParamsSchema, c.req.query());
    const query: LevelsQuery = { rangePct: p.range, binBps: p.bin, ...(p.leverage !== undefined ? { leverages: p.leverage.split(",").map((l) => Number(l.replace(/x$/, ""))) } : {}) };
    return c.json(unwrap(symbol, await symbolObject(c.env, symbol).liquidationMap({ kind: "levels", query })));
  })
  .get("/:symbol/cascade", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    return c.json(unwrap(symbol, await symbolObject(c.env, symbol).liquidationMap({ kind: "cascade" })));
  })
  .get("/:symbol/zones", async (c) => {
    const symbol = trackedSymbol(c.req.param("symbol"));
    parseQuery(ZonesParamsSchema, c.req.query());
    const zones = await symbolObject(c.env, symbol).zones();
    if (!zones) throw new ApiError(503, "no_data", `${symbol} has no computed cycle yet; zones are computed at each 10 s cycle of event time`);
    return c.json(zones);
  });
