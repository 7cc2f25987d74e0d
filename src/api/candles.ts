/**
 * `GET /v1/symbols/:symbol/candles?tf=1m|5m|15m|1h&limit=`: price history as OHLCV candles,
 * aggregated from the engine's one-minute bar ring (a day of minutes) on event-time boundaries
 * (src/domain/candles.ts), newest last, with each candle's liquidated notional per side, and its
 * open interest and funding from the engine's per-minute history (src/domain/inputs/derivative-minutes.ts).
 *
 * Edge-cached like the cycle data (5 s, `maxAgeFor` in src/index.ts): the forming candle changes
 * with every event, and a chart polls this at most once per cycle. Before the symbol's first
 * traded or liquidated minute it answers 503 `no_data`, like the other reads.
 */
import { Hono } from "hono";
import { z } from "zod";
import { CANDLE_TIMEFRAMES, type CandleTimeframe } from "../domain/candles.js";
import { ApiError, parseQuery } from "./errors.js";
import { symbolObject, trackedSymbol } from "./symbols.js";

type App = { Bindings: Env };

/** Most candles one read returns: a day of 1m candles. */
export const MAX_CANDLES = 1_440;
export const DEFAULT_CANDLES = 300;

const TIMEFRAMES = Object.keys(CANDLE_TIMEFRAMES) as [CandleTimeframe, ...CandleTimeframe[]];

export const CandlesParamsSchema = z
  .object({
    tf: z.enum(TIMEFRAMES).default("1m").describe("candle width: 1m, 5m, 15m or 1h (boundaries in UTC event time); default 1m"),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_CANDLES)
      .default(DEFAULT_CANDLES)
      .describe(`newest candles to return, 1–${MAX_CANDLES} (the engine keeps 1,440 one-minute bars: 24 h); default ${DEFAULT_CANDLES}`),
  })
  .strict();

const price = z.number().nullable();

export const CandleSchema = z.object({
  ts: z.number().describe("open time, ms since the epoch (event time, UTC), a multiple of the timeframe"),
  open: price.describe("null when no minute of the candle had a trade (only liquidations): never carried forward"),
  high: price,
  low: price,
  close: price,
  volume: z.number().describe("traded quantity, base units (taker buys + sells + volume of unknown side)"),
  volumeUsd: z.number().describe("traded notional, USD"),
  trades: z.number(),
  longLiqUsd: z.number().describe("notional of long positions liquidated (forced sells), USD"),
  shortLiqUsd: z.number().describe("notional of short positions liquidated (forced buys), USD"),
  openInterestUsd: z
    .number()
    .nullable()
    .describe("summed open interest, USD, after the candle's newest open-interest update, over the venues current then; null when no update fell in the candle (never carried forward)"),
  oiVenues: z.number().describe("how many venues openInterestUsd sums (0 when null)"),
  funding8h: z
    .number()
    .nullable()
    .describe("mean 8-hour-equivalent funding rate (a fraction: 0.0001 = 0.01 %) after the candle's newest funding update, over the venues current then; null when none fell in the candle"),
  fundingVenues: z.number().describe("how many venues funding8h averages (0 when null)"),
  complete: z.boolean().describe("false for the candle holding the minute still forming"),
});

export const CandlesResponseSchema = z.object({
  symbol: z.string(),
  tf: z.enum(TIMEFRAMES),
  tfMs: z.number(),
  headTs: z.number().describe("open time of the minute still forming (the newest event's minute), ms"),
  lastTradeTs: z.number().nullable().describe("time of the newest trade in these candles, ms; null when they hold none"),
  candles: z.array(CandleSchema).describe("oldest first; a span with no data has no candle (a gap)"),
});
export type CandlesResponse = z.infer<typeof CandlesResponseSchema>;

export const candleRoutes = new Hono<App>().get("/:symbol/candles", async (c) => {
  const symbol = trackedSymbol(c.req.param("symbol"));
  const { tf, limit } = parseQuery(CandlesParamsSchema, c.req.query());
  const series = await symbolObject(c.env, symbol).candles(tf, limit);
  if (series === null || series.candles.length === 0) throw new ApiError(503, "no_data", `${symbol} has no one-minute bar yet; its feed has not delivered a trade or liquidation`);
  const body: CandlesResponse = { symbol, ...series };
  return c.json(body);
});
