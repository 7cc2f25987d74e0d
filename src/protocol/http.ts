/**
 * HTTP request and response shapes. The routes validate their queries with these schemas,
 * and `/openapi.json` is generated from the same schemas, so the document cannot drift from
 * what the API does.
 */
import { z } from "zod";
import { ErrorBodySchema } from "./errors.js";
import { CATEGORY_IDS, type CategoryId } from "../domain/cards/categories.js";
import { BiasSchema, CardSchema, ModeSchema } from "./snapshot.js";
import { decodeLiquidationCursor, MAX_LIQUIDATION_CURSOR_LENGTH } from "./liquidation-cursor.js";

export const MAX_LIQUIDATIONS_LIMIT = 1000;
export const MAX_BATCH_SYMBOLS = 21;

export const BiasQuerySchema = z.object({ mode: ModeSchema.optional() }).strict();

/**
 * The list query. `cursor` is decoded here (src/protocol/liquidation-cursor.ts), so a cursor the
 * API did not issue is a 400 naming `cursor` and the reason, like any other bad parameter.
 */
export const LiquidationsQuerySchema = z
  .object({
    since: z.coerce.number().int().nonnegative().optional().describe("epoch ms, inclusive"),
    limit: z.coerce.number().int().min(1).max(MAX_LIQUIDATIONS_LIMIT).default(100),
    cursor: z
      .string()
      .max(MAX_LIQUIDATION_CURSOR_LENGTH, `must be at most ${MAX_LIQUIDATION_CURSOR_LENGTH} characters; pass the nextCursor of the previous page`)
      .transform((raw, ctx) => {
        const decoded = decodeLiquidationCursor(raw);
        if ("error" in decoded) {
          ctx.addIssue({ code: "custom", message: decoded.error });
          return z.NEVER;
        }
        return decoded;
      })
      .optional()
      .describe("the nextCursor of the previous page (opaque); without it, the first (newest) page"),
  })
  .strict();

export const BatchBiasQuerySchema = z
  .object({
    symbols: z
      .string()
      .min(1)
      .transform((s) => s.split(",").map((x) => x.trim().toUpperCase()).filter((x) => x !== ""))
      .pipe(z.array(z.string()).min(1).max(MAX_BATCH_SYMBOLS))
      .describe("comma-separated symbols, e.g. BTCUSDT,ETHUSDT"),
    mode: ModeSchema,
  })
  .strict();

export const BiasBriefSchema = z.object({
  score: z.number(),
  confidence: z.number(),
  direction: z.enum(["long", "short", "neutral"]),
  ts: z.number(),
});

export const SymbolsListSchema = z.object({
  symbols: z.array(
    z.object({
      symbol: z.string(),
      ts: z.number().nullable(),
      price: z.number().nullable(),
      bias: z.record(ModeSchema, BiasBriefSchema.nullable()),
    }),
  ),
});

export const CardsResponseSchema = z.object({ symbol: z.string(), ts: z.number(), cards: z.array(CardSchema) });

export const BiasOneResponseSchema = BiasSchema.extend({ symbol: z.string() });
export const BiasAllResponseSchema = z.object({
  symbol: z.string(),
  ts: z.number(),
  bias: z.record(ModeSchema, BiasSchema.nullable()),
});

export const StoredLiquidationSchema = z.object({
  ts: z.number(),
  venue: z.string(),
  side: z.enum(["long", "short"]),
  price: z.number(),
  qty: z.number(),
  notionalUsd: z.number(),
  sampling: z.string(),
});

export const LiquidationsResponseSchema = z.object({
  symbol: z.string(),
  since: z.number().nullable(),
  limit: z.number(),
  /** Rows the symbol holds now (within the retention), whatever the page. */
  stored: z.number(),
  liquidations: z.array(StoredLiquidationSchema),
  /** Pass as `cursor` for the next (older) page; null when this page holds the last row. */
  nextCursor: z.string().nullable().describe("the cursor of the next (older) page; null when this page holds the last row"),
});

export const BatchBiasResponseSchema = z.object({
  mode: ModeSchema,
  biases: z.array(
    z.object({
      symbol: z.string(),
      bias: BiasSchema.nullable(),
      price: z.number().nullable(),
    }),
  ),
});

/** Count and notional (USD) of liquidated positions on one side (qty is per asset, so not summed across symbols). */
const MarketSideSchema = z.object({ count: z.number().int(), notionalUsd: z.number() });
const MarketSidesSchema = z.object({ long: MarketSideSchema, short: MarketSideSchema });

/**
 * How completely the figures count liquidations: `sampled` when a venue in them publishes at most one
 * liquidation per symbol per second (Binance, OKX: the figure is a lower bound), `complete` when every
 * venue in them publishes all of them, `none` when there are no figures.
 */
export const MarketSamplingSchema = z.enum(["sampled", "complete", "none"]);

export const MarketWindowSchema = z.object({
  window: z.enum(["1h", "4h", "24h"]),
  /** Per venue, with how that venue publishes its liquidations. */
  byVenue: z.record(z.string(), MarketSidesSchema.extend({ sampling: z.enum(["sampled-1s", "complete"]) })),
  /** Every venue summed: a lower bound (`sampling: "sampled"`) as soon as one venue in it is sampled. */
  total: MarketSidesSchema.extend({ sampling: MarketSamplingSchema }),
  /** The total split by how the venues publish: what the complete venues measured and what the sampled ones sampled. */
  bySampling: z.object({ complete: MarketSidesSchema, sampled: MarketSidesSchema }),
});

const PerTimeframe = <T extends z.ZodTypeAny>(t: T) => z.object({ "1m": t, "5m": t, "1h": t });

/**
 * The market across the tracked symbols at the newest reported cycle (the Coordinator's memory,
 * src/domain/market/memory.ts): over the symbols whose summary is at most two cycles old. Returns
 * are natural-log returns of each window; beta and correlation are to BTC over the minute returns
 * of the last 24 h (null below 60 minutes).
 */
export const MarketContextSchema = z.object({
  ts: z.number(),
  /** Symbols with a fresh summary. */
  symbols: z.number().int(),
  /** Share of symbols whose window return is up / down, of `n` with a return. */
  breadth: PerTimeframe(z.object({ up: z.number(), down: z.number(), n: z.number().int() })),
  /** Share of symbols whose day-mode bias leans long / short beyond the neutral band, of `n` with a bias. */
  biasBreadth: z.object({ long: z.number(), short: z.number(), n: z.number().int() }),
  btc: z.object({ returns: PerTimeframe(z.number().nullable()), lastMinute: z.number().nullable() }).nullable(),
  /** Mean window return of the fresh symbols. */
  basketReturn: PerTimeframe(z.number().nullable()),
  /** Cross-sectional standard deviation of the window returns (null below 3 symbols). */
  dispersion: PerTimeframe(z.number().nullable()),
  /**
   * Last hour's liquidations across symbols by liquidated side (USD); `sampled` when a symbol in it
   * counts a sampled venue (a lower bound). `skew` = (long − short) / (long + short): +1 when only
   * longs are being liquidated; null without any.
   */
  liquidations: z.object({
    longUsd: z.number(),
    shortUsd: z.number(),
    skew: z.number().nullable(),
    sampling: MarketSamplingSchema,
    symbols: z.number().int(),
  }),
  /** Σ taker delta / Σ traded notional over the symbols, per window (−1 all selling .. +1 all buying). */
  flow: PerTimeframe(z.number().nullable()),
  /** Mean funding rate as an 8-hour equivalent over the symbols with one. */
  funding8h: z.object({ mean: z.number().nullable(), n: z.number().int() }),
  /** Mean open-interest change (%) per window over the symbols with one. */
  oiChangePct: PerTimeframe(z.number().nullable()),
  perSymbol: z.array(
    z.object({
      symbol: z.string(),
      beta: z.number().nullable(),
      correlation: z.number().nullable(),
      betaMinutes: z.number().int(),
      relativeToBtc: PerTimeframe(z.number().nullable()),
      relativeToBasket: PerTimeframe(z.number().nullable()),
      /** The symbol's share of the market's traded notional per window. */
      volumeShare: PerTimeframe(z.number().nullable()),
    }),
  ),
});

export const MarketSchema = z.object({
  /** Event time the windows end at: the newest event any symbol reported. */
  ts: z.number().nullable(),
  liquidations: z.array(MarketWindowSchema),
  largest: z.array(StoredLiquidationSchema.extend({ symbol: z.string() })),
  breadth: z.record(
    ModeSchema,
    z.object({ long: z.number().int(), short: z.number().int(), neutral: z.number().int(), none: z.number().int(), meanScore: z.number().nullable() }),
  ),
  /** Breadth, BTC, correlations to BTC and the liquidation skew; null before any symbol reported a cycle. */
  context: MarketContextSchema.nullable(),
});
export type Market = z.infer<typeof MarketSchema>;

export { ErrorBodySchema };

// ── learning: /v1/weights and /v1/scorecard (src/domain/learning/coordinator-learning.ts) ──

const CATEGORY_ID_VALUES = CATEGORY_IDS as unknown as [CategoryId, ...CategoryId[]];

export const ScorecardQuerySchema = z
  .object({
    mode: ModeSchema.optional().describe("one mode; all three without it"),
    symbol: z
      .string()
      .regex(/^[A-Za-z0-9]{2,30}$/, "a symbol such as BTCUSDT")
      .optional()
      .describe("one symbol's own record; the aggregate of every symbol without it"),
    category: z.enum(CATEGORY_ID_VALUES).optional().describe("one category and its cards"),
  })
  .strict();

const CountSchema = z.number().int().nonnegative();

/** Below the floor of effective outcomes (n / overlap): `needed` more outcomes before a value is published. */
const NotEnoughDataSchema = z.object({ status: z.literal("not enough data"), n: CountSchema, nEff: z.number(), needed: CountSchema });
/** Enough outcomes, but the sample cannot define the statistic (e.g. every score equal). */
const UndefinedStatSchema = z.object({ status: z.literal("undefined"), n: CountSchema, reason: z.string() });
const IntervalFields = { n: CountSchema, nEff: z.number(), value: z.number(), lo: z.number(), hi: z.number(), significant: z.boolean() };

/**
 * One signal against the outcomes: `hitRate` among calls (|score| above `minAbsScore`, outcome ≠ 0)
 * with a 95 % Wilson interval (significant when it excludes ½); `ic` the rank correlation of score and
 * outcome with a 95 % Fisher-z interval; `slope` the mean outcome (σ units) per unit of score, OLS
 * through the origin, with a 95 % interval. Each interval uses n_eff = n / overlap.
 */
export const ScorecardRowSchema = z.object({
  id: z.string(),
  category: z.string().nullable(),
  n: CountSchema,
  nEff: z.number(),
  status: z.enum(["ok", "not enough data"]),
  needed: CountSchema,
  hitRate: z.union([z.object({ status: z.literal("ok"), ...IntervalFields, hits: CountSchema }), NotEnoughDataSchema]),
  ic: z.union([z.object({ status: z.literal("ok"), ...IntervalFields }), NotEnoughDataSchema, UndefinedStatSchema]),
  slope: z.union([z.object({ status: z.literal("ok"), ...IntervalFields, se: z.number() }), NotEnoughDataSchema, UndefinedStatSchema]),
  excluded: z.object({ rejected: CountSchema, noConfidence: CountSchema }),
});

export const ModeScorecardSchema = z.object({
  mode: ModeSchema,
  horizonMs: z.number(),
  cadenceMs: z.number(),
  /** Predictions in flight at once (horizon / cadence): consecutive outcomes share most of a horizon, so n_eff = n / overlap. */
  overlap: z.number(),
  /** Minimum n_eff for a statistic. */
  floor: z.number(),
  minAbsScore: z.number(),
  bias: ScorecardRowSchema,
  categories: z.array(ScorecardRowSchema),
  cards: z.array(ScorecardRowSchema),
});

export const ScorecardResponseSchema = z.object({
  scope: z.enum(["aggregate", "symbol"]),
  symbol: z.string().nullable(),
  category: z.string().nullable(),
  /** How the intervals are built (overlap, independence across symbols). */
  intervals: z.string(),
  modes: z.array(ModeScorecardSchema),
});

const LearnedVersusUniformSchema = z.union([
  z.object({
    status: z.literal("ok"),
    n: CountSchema,
    rounds: CountSchema,
    overlap: z.number(),
    meanGain: z.number(),
    seNaive: z.number().nullable(),
    se: z.number(),
    lo: z.number(),
    hi: z.number(),
    significant: z.boolean(),
  }),
  z.object({ status: z.literal("not enough data"), n: CountSchema, rounds: CountSchema, overlap: z.number(), needed: CountSchema, neededUnit: z.literal("rounds") }),
]);

export const ModeWeightsSchema = z.object({
  mode: ModeSchema,
  version: CountSchema,
  rounds: CountSchema,
  outcomes: CountSchema,
  /** Category → published weight (1 below the data floor). */
  weights: z.record(z.string(), z.number()),
  categories: z.array(
    z.object({
      category: z.string(),
      weight: z.number(),
      p: z.number(),
      n: CountSchema,
      status: z.enum(["learned", "not enough data"]),
      needed: CountSchema,
    }),
  ),
  parameters: z.object({ learningRate: z.number(), share: z.number(), floor: CountSchema, outcomeScale: z.number() }),
  /** Mean (b_learned − b_uniform)·outcome, online out of sample, with a round-clustered, overlap-inflated 95 % interval. */
  versusUniform: LearnedVersusUniformSchema,
  rejected: z.record(z.string(), CountSchema),
});

export const WeightsResponseSchema = z.object({
  /** Σ of the mode versions: what a bias records as `weightsVersion`; 0 before any update. */
  version: CountSchema,
  roundTs: z.number().nullable(),
  counters: z.object({ reports: CountSchema, accepted: CountSchema, duplicate: CountSchema, stale: CountSchema, invalid: CountSchema, rounds: CountSchema }),
  modes: z.record(ModeSchema, ModeWeightsSchema),
});
export type WeightsResponse = z.infer<typeof WeightsResponseSchema>;
export type ScorecardResponse = z.infer<typeof ScorecardResponseSchema>;
