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
import { ClustersParamsSchema, HeatmapParamsSchema, LevelsParamsSchema, ZonesParamsSchema } from "./liquidation-maps.js";
import { ZonesSchema } from "../protocol/zones.js";

interface Operation {
  path: string;
  summary: string;
  description?: string;
  symbolParam?: boolean;
  query?: z.ZodObject;
  response: z.ZodType;
  /** Seconds the response may be cached (documented as Cache-Control). */
  maxAgeS: number | null;
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
    summary: "Stored forced liquidations, newest first",
    description: "`side` is the side of the liquidated position; `notionalUsd = price × qty`.",
    symbolParam: true,
    query: LiquidationsQuerySchema,
    response: LiquidationsResponseSchema,
    maxAgeS: 2,
    errors: [400, 404],
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
    path: "/v1/bias",
    summary: "Bias of one mode for several symbols in one read",
    query: BatchBiasQuerySchema,
    response: BatchBiasResponseSchema,
    maxAgeS: 5,
    errors: [400, 404],
  },
  {
    path: "/v1/market",
    summary: "Liquidations across the 21 symbols by venue and side over 1h/4h/24h, the largest recent ones, bias breadth per mode",
    response: MarketSchema,
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
    summary: "Per-stream counters of the collector and per-symbol counters of the engine",
    response: z.object({ status: z.enum(["ok", "degraded"]), collector: z.record(z.string(), z.unknown()), engine: z.record(z.string(), z.unknown()) }),
    maxAgeS: null,
    errors: [],
  },
];

const ERROR_TEXT: Record<number, string> = {
  400: "A query parameter is invalid (the message names it)",
  404: "Unknown symbol",
  503: "No data yet for this symbol (its feed has not delivered a cycle)",
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
        content: { "application/json": { schema: jsonSchema(op.response, "output") } },
      },
    };
    if (op.maxAgeS !== null) responses[304] = { description: "Not modified (If-None-Match matched the ETag)" };
    for (const status of op.errors) {
      responses[status] = { description: ERROR_TEXT[status], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
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
      description: "Real-time liquidation and order-flow engine for crypto perpetual futures. Errors are always {\"error\":{\"code\",\"message\"}}.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: { schemas: { Error: jsonSchema(ErrorBodySchema, "output") } },
  };
}
