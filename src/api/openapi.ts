/**
 * `/openapi.json`: an OpenAPI 3.1 document generated from the zod schemas the routes validate
 * with and answer in (src/protocol), so it cannot drift from the API.
 */
import { z } from "zod";
import { SYMBOLS } from "../domain/symbols.js";
import {
  BatchBiasQuerySchema,
  BatchBiasResponseSchema,
  BiasAllResponseSchema,
  BiasOneResponseSchema,
  BiasQuerySchema,
  CardsResponseSchema,
  ErrorBodySchema,
  LiquidationsQuerySchema,
  LiquidationsResponseSchema,
  MarketSchema,
  ScorecardQuerySchema,
  ScorecardResponseSchema,
  SymbolsListSchema,
  WeightsResponseSchema,
} from "../protocol/http.js";
import { CascadeRiskSchema, LiquidationClustersSchema, LiquidationHeatmapSchema, LiquidationLevelsSchema } from "../protocol/liquidation.js";
import { SymbolSnapshotSchema } from "../protocol/snapshot.js";
import { ClockSchema } from "../protocol/clock.js";
import { ClustersParamsSchema, HeatmapParamsSchema, LevelsParamsSchema, ZonesParamsSchema } from "./liquidation-maps.js";
import { ZonesSchema } from "../protocol/zones.js";
import { CandlesParamsSchema, CandlesResponseSchema } from "./candles.js";

interface Operation {
  path: string;
  summary: string;
  description?: string;
  symbolParam?: boolean;
  query?: z.ZodObject;
  response: z.ZodType;
  /** Seconds the response may be cached (documented as Cache-Control). */
  maxAgeS: number | null;
  /** An example 200 body, shown beside the schema. */
  example?: unknown;
  errors: number[];
}

const OPERATIONS: Operation[] = [
  { path: "/v1/symbols", summary: "The 21 tracked symbols with last price and bias per mode", response: SymbolsListSchema, maxAgeS: 5, errors: [] },
  {
    path: "/v1/symbols/{symbol}",
    summary: "The latest 10 s cycle's snapshot of a symbol",
    symbolParam: true,
    response: SymbolSnapshotSchema,
    maxAgeS: 5,
    errors: [404, 503],
  },
  { path: "/v1/symbols/{symbol}/cards", summary: "DataCards on 1m/5m/1h", symbolParam: true, response: CardsResponseSchema, maxAgeS: 5, errors: [404, 503] },
  {
    path: "/v1/symbols/{symbol}/bias",
    summary: "Composite bias of one mode (or all modes without `mode`)",
    symbolParam: true,
    query: BiasQuerySchema,
    response: z.union([BiasOneResponseSchema, BiasAllResponseSchema]),
    maxAgeS: 5,
    errors: [400, 404, 503],
  },
  {
    path: "/v1/symbols/{symbol}/liquidations",
    summary: "Stored forced liquidations, newest first, paged with a cursor",
    description:
      "`side` is the side of the liquidated position; `notionalUsd = price × qty`. " +
      "Rows are ordered newest first by (ts, arrival). Pass a page's `nextCursor` back as `cursor` for the next (older) page; `nextCursor` is null on the page that holds the last row. " +
      "A walk returns every row stored before it began exactly once, in order (unless the retention prunes it first); a row stored during the walk appears only if it sorts after the position reached. `since` (inclusive) bounds every page of a walk. " +
      "Rows are kept for LIQUIDATION_RETENTION_DAYS (default 30) of event time before the symbol's newest event; older rows are pruned and leave `stored`. A cursor the API did not issue is a 400 naming `cursor`.",
    symbolParam: true,
    query: LiquidationsQuerySchema,
    response: LiquidationsResponseSchema,
    maxAgeS: 2,
    errors: [400, 404],
    example: {
      symbol: "BTCUSDT",
      since: null,
      limit: 2,
      stored: 37,
      liquidations: [
        { ts: 1766953763189, venue: "binance", side: "long", price: 87545.6, qty: 0.019, notionalUsd: 1663.3664, sampling: "sampled-1s" },
        { ts: 1766953699489, venue: "binance", side: "long", price: 87537.9, qty: 0.005, notionalUsd: 437.68949999999995, sampling: "sampled-1s" },
      ],
      nextCursor: "MS4xNzY2OTUzNjk5NDg5LjM1",
    },
  },
  {
    path: "/v1/symbols/{symbol}/heatmap",
    summary: "Realized liquidation heatmap: notional binned price × time per side (measured, with sampling and an estimated correction beside it)",
    description: "`window` and `timeBin` take 15m, 1h, 24h, 60s or ms; `priceBin` takes 10bps (of the reference price) or an absolute tick such as 50. Cells are sparse [timeIndex, priceIndex, longUsd, shortUsd, count].",
    symbolParam: true,
    query: HeatmapParamsSchema,
    response: LiquidationHeatmapSchema,
    maxAgeS: 5,
    errors: [400, 404],
  },
  {
    path: "/v1/symbols/{symbol}/clusters",
    summary: "Where realized liquidation mass concentrates by price (peaks of a smoothed profile), largest first",
    symbolParam: true,
    query: ClustersParamsSchema,
    response: LiquidationClustersSchema,
    maxAgeS: 5,
    errors: [400, 404],
  },
  {
    path: "/v1/symbols/{symbol}/levels",
    summary: "Estimated liquidation levels from open interest and maintenance-margin brackets (estimated)",
    symbolParam: true,
    query: LevelsParamsSchema,
    response: LiquidationLevelsSchema,
    maxAgeS: 5,
    errors: [400, 404],
  },
  {
    path: "/v1/symbols/{symbol}/cascade",
    summary: "Cascade risk: estimated liquidation notional near price against resting book depth, per side and band",
    symbolParam: true,
    response: CascadeRiskSchema,
    maxAgeS: 5,
    errors: [404],
  },
  {
    path: "/v1/symbols/{symbol}/zones",
    summary: "Support/resistance zones and the liquidity traps among them (estimated), as of the last 10 s cycle",
    description:
      "Zones merge candidates from the trade volume profile, 1-minute swings, resting book walls, realized liquidation clusters and estimated liquidation levels (docs/zones.md). `trap` flags a zone likely to be swept, naming the measured facts in `evidence`; `inputs` says which feeds were unavailable.",
    symbolParam: true,
    query: ZonesParamsSchema,
    response: ZonesSchema,
    maxAgeS: 5,
    errors: [400, 404, 503],
  },
  {
    path: "/v1/symbols/{symbol}/candles",
    summary: "Price history: OHLCV candles of 1m, 5m, 15m or 1h from the engine's one-minute bars (24 h), newest last",
    description:
      "Candles open on multiples of `tf` in UTC event time (1h on the hour). Each carries the notional of longs and shorts liquidated in it. " +
      "Nothing is carried forward: a candle whose minutes had no trade has null prices, and a span with no data has no candle. " +
      "The candle holding the minute still forming has `complete: false`. 503 `no_data` before the symbol's first bar.",
    symbolParam: true,
    query: CandlesParamsSchema,
    response: CandlesResponseSchema,
    maxAgeS: 5,
    errors: [400, 404, 503],
  },
  {
    path: "/v1/bias",
    summary: "Bias of one mode for several symbols in one read",
    query: BatchBiasQuerySchema,
    response: BatchBiasResponseSchema,
    maxAgeS: 5,
    errors: [400, 404],
  },
  {
    path: "/v1/market",
    summary: "Liquidations across the 21 symbols by venue and side over 1h/4h/24h, the largest recent ones, bias breadth per mode, and the clock (replay or live, event time, recording date, loop)",
    response: MarketSchema.extend({ clock: ClockSchema.nullable() }),
    maxAgeS: 10,
    errors: [],
  },
  {
    path: "/v1/weights",
    summary: "Learned category weights per mode, with outcomes seen per category, the data floor, and learned versus uniform so far",
    description:
      "Hedge with fixed share per mode over the 25 categories, one round per 10 s cycle of scored outcomes (README, \"Learning and the public record\"). " +
      "A category below the data floor weighs 1 and says `not enough data` with the outcomes `needed`. `version` (Σ of the mode versions) is what a bias records as `weightsVersion`. " +
      "`versusUniform`: mean (b_learned − b_uniform)·outcome, each outcome scored with the weights in force before it (out of sample), with a 95 % interval clustered by round and inflated by the overlap; `not enough data` below 30 × overlap rounds.",
    response: WeightsResponseSchema,
    maxAgeS: 10,
    errors: [],
  },
  {
    path: "/v1/scorecard",
    summary: "The public record: per category and per card, n, hit rate, rank IC and mean outcome per unit of score with 95 % intervals, or not enough data",
    description:
      "Without `symbol`: every symbol's outcomes summed (the Coordinator's record); with it, that symbol's own. Outcomes are forward log returns over the mode's horizon " +
      "(scalp 5 min, day 1 h, swing 4 h) in units of the symbol's σ. Intervals use n_eff = n / `overlap` (the mode's predictions in flight: scalp 10, day 60, swing 48); `significant` only when the interval excludes no effect.",
    query: ScorecardQuerySchema,
    response: ScorecardResponseSchema,
    maxAgeS: 10,
    errors: [400, 404],
  },
  {
    path: "/v1/health",
    summary: "The clock (replay or live, event time, recording date, loop), per-stream counters of the collector and per-symbol counters of the engine",
    response: z.object({ status: z.enum(["ok", "degraded"]), clock: ClockSchema.nullable(), collector: z.record(z.string(), z.unknown()), engine: z.record(z.string(), z.unknown()) }),
    maxAgeS: null,
    errors: [],
  },
];

const ERROR_TEXT: Record<number, string> = {
  400: "A query parameter is invalid, unknown to this route or given twice (the message names it and the allowed ones)",
  404: "Unknown symbol",
  429: "Too many reads from this address (READ_RATE_LIMIT per 10 s); retry after Retry-After seconds",
  503: "No data yet for this symbol (its feed has not delivered a cycle)",
};

/** Every read can answer these: parameters are checked against the route's list, and reads are rate-limited per address. */
const READ_ERRORS = [400, 429];

/** Headers an error response carries, by status. */
const ERROR_HEADERS: Record<number, Record<string, unknown>> = {
  429: { "Retry-After": { schema: { type: "integer", minimum: 1 }, description: "seconds until this address may read again" } },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

/** Builds the document; `serverUrl` is the origin the document was requested from. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const op of OPERATIONS) {
    const parameters: unknown[] = [];
    if (op.symbolParam) {
      parameters.push({ name: "symbol", in: "path", required: true, schema: { type: "string", enum: [...SYMBOLS.symbols] } });
    }
    if (op.query) {
      for (const [name, field] of Object.entries(op.query.shape)) {
        const schema = jsonSchema(field as z.ZodType, "input");
        parameters.push({ name, in: "query", required: !(field as z.ZodType).safeParse(undefined).success, schema, description: schema.description });
      }
    }
    const responses: Record<string, unknown> = {
      200: {
        description: "OK",
        headers: {
          "Cache-Control": { schema: { type: "string" }, description: op.maxAgeS === null ? "no-store" : `public, max-age=${op.maxAgeS}` },
          ...(op.maxAgeS === null ? {} : { ETag: { schema: { type: "string" }, description: "strong entity tag; send it back in If-None-Match for a 304" } }),
        },
        content: { "application/json": { schema: jsonSchema(op.response, "output"), ...(op.example === undefined ? {} : { example: op.example }) } },
      },
    };
    if (op.maxAgeS !== null) responses[304] = { description: "Not modified (If-None-Match matched the ETag)" };
    for (const status of [...new Set([...op.errors, ...READ_ERRORS])].sort((a, b) => a - b)) {
      responses[status] = {
        description: ERROR_TEXT[status],
        ...(ERROR_HEADERS[status] ? { headers: ERROR_HEADERS[status] } : {}),
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    paths[op.path] = { get: { summary: op.summary, description: op.description, parameters, responses } };
  }
  paths["/v1/stream"] = {
    get: {
      summary: "WebSocket stream of cards, bias, liquidations, liquidation maps and zones (see docs/stream.md)",
      description:
        'Upgrade to a WebSocket, then send {"op":"subscribe","channels":["BTCUSDT:bias"]}. Channels: SYMBOL:cards|bias|liquidations|heatmap|levels|zones and *:bias. ' +
        "Each channel gets a snapshot, then updates with a per-channel seq; heatmap and levels updates are RFC 7386 merge patches of the previous value.",
      responses: { 101: { description: "Switching protocols" }, 426: { description: "Not a WebSocket upgrade" } },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "liqflow",
      version: "1.0.0",
      description:
        "Real-time liquidation and order-flow engine for crypto perpetual futures. Errors are always {\"error\":{\"code\",\"message\"}}. " +
        "Every route answers GET and HEAD (and OPTIONS for CORS under /v1); any other method is 405 with an Allow header, before the request body is read. " +
        "No public route takes a request body (413 where a development route does and the body passes its cap). " +
        "A query parameter a route does not list, or one given twice, is 400. Reads are limited per client address (429 with Retry-After); /v1/stream has its own limits.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: { schemas: { Error: jsonSchema(ErrorBodySchema, "output") } },
  };
}
