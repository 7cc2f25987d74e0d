/**
 * Wire shapes of the liquidation maps: the realized heatmap and cluster map (measured), the
 * estimated liquidation levels and the cascade risk (estimated). `SymbolEngine.heatmap()`,
 * `.clusters()`, `.levels()` and `.cascade()` return exactly these objects; the HTTP routes
 * and the WebSocket channels serve them unchanged.
 *
 * Honesty is part of the shape: every realized figure says which venues it comes from and
 * whether each publishes every liquidation (`complete`) or at most one per symbol per second
 * (`sampled-1s`); an estimated correction for the sampled venues sits in its own field beside
 * the measured totals and is never added into them. Everything derived from open interest is
 * labelled `estimated: true`; without an open-interest feed it is `available: false` with a
 * reason.
 *
 * Units: prices in quote currency (USDT taken as USD), notionals in USD, quantities in base
 * units, times in epoch ms of event time, percentages as percent (0.5 = 0.5 %).
 */
import { z } from "zod";
import { LiquidationSamplingSchema, VenueSchema } from "../domain/events.js";

const finite = z.number().finite();
const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();

/** Count, base quantity and USD notional of liquidated positions of one side. */
export const SideSumsSchema = z.object({ count, qty: nonNegative, notionalUsd: nonNegative });
export type SideSums = z.infer<typeof SideSumsSchema>;

export const SideTotalsSchema = z.object({ long: SideSumsSchema, short: SideSumsSchema });
export type SideTotals = z.infer<typeof SideTotalsSchema>;

/** `complete` / `sampled-1s` when every contributing venue agrees, `mixed` when not, `none` without data. */
export const FigureSamplingSchema = z.enum(["complete", "sampled-1s", "mixed", "none"]);
export type FigureSampling = z.infer<typeof FigureSamplingSchema>;

/** One venue's share of a realized figure, with how completely that venue publishes. */
export const VenueSumsSchema = z.object({
  venue: VenueSchema,
  sampling: LiquidationSamplingSchema,
  long: SideSumsSchema,
  short: SideSumsSchema,
});
export type VenueSums = z.infer<typeof VenueSumsSchema>;

/**
 * Estimated correction of the sampled venues' figures, from the time where a complete venue
 * and a sampled venue both delivered liquidations (see docs/liquidation-model.md). The
 * complete venues' stream over the overlap is passed through the sampled venues' publishing
 * rule (keep the last liquidation of each second); the factors say how much that rule hides:
 * `countFactor = events / seconds kept`, `notionalFactor = notional / notional kept`.
 * `estimatedSampled` applies them to each sampled venue's measured sums. Never folded into totals.
 */
export const SamplingCorrectionSchema = z.discriminatedUnion("available", [
  z.object({
    available: z.literal(true),
    estimated: z.literal(true),
    method: z.literal("complete-venue-resampled-1s"),
    completeVenues: z.array(VenueSchema),
    sampledVenues: z.array(VenueSchema),
    overlapFromTs: z.number(),
    overlapToTs: z.number(),
    /** Complete-venue liquidations in the overlap, and the busy seconds the 1 s rule would keep. */
    completeEvents: count,
    keptEvents: count,
    countFactor: finite,
    notionalFactor: finite,
    perSide: z.object({ long: z.object({ countFactor: finite.nullable(), notionalFactor: finite.nullable() }), short: z.object({ countFactor: finite.nullable(), notionalFactor: finite.nullable() }) }),
    /** Each sampled venue's measured sums scaled by the factors: an estimate, not a measurement. */
    estimatedSampled: z.array(z.object({ venue: VenueSchema, long: z.object({ count: nonNegative, notionalUsd: nonNegative }), short: z.object({ count: nonNegative, notionalUsd: nonNegative }) })),
  }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);
export type SamplingCorrection = z.infer<typeof SamplingCorrectionSchema>;

/** What a heatmap request may say; every field optional (defaults in the engine config). */
export const HeatmapQuerySchema = z.object({
  /** Window length ending at the newest event, ms; a multiple of `timeBinMs`, at most 24 h. */
  windowMs: z.number().optional(),
  /** Time bin, ms (default 60 000). */
  timeBinMs: z.number().optional(),
  /** Price bin as basis points of the reference price (default 10); exclusive with `priceBinTick`. */
  priceBinBps: z.number().optional(),
  /** Price bin as an absolute price step; exclusive with `priceBinBps`. */
  priceBinTick: z.number().optional(),
  /** Only these venues' liquidations (default: every venue). */
  venues: z.array(VenueSchema).optional(),
});
export type HeatmapQuery = z.infer<typeof HeatmapQuerySchema>;

/** A heatmap cell: `[timeIndex, priceIndex, longUsd, shortUsd, count]` (sparse, only non-empty cells). */
export const HeatmapCellSchema = z.tuple([count, count, nonNegative, nonNegative, count]);
export type HeatmapCell = z.infer<typeof HeatmapCellSchema>;

export const RetentionSchema = z.object({
  /** Ts of the oldest liquidation still held (null when none). */
  oldestTs: z.number().nullable(),
  retentionMs: count,
  capacity: count,
  held: count,
  /** Liquidations dropped because the store was full before they were 24 h old (0 when none). */
  evictedEarly: count,
});

export const LiquidationHeatmapSchema = z.object({
  symbol: z.string(),
  kind: z.literal("realized-heatmap"),
  measured: z.literal(true),
  /** Newest event time of the engine when computed. */
  ts: z.number(),
  fromTs: z.number(),
  toTs: z.number(),
  time: z.object({ binMs: count, starts: z.array(z.number()) }),
  price: z.object({
    mode: z.enum(["bps", "tick"]),
    /** bps of `referencePrice` (mode `bps`) or the tick itself (mode `tick`). */
    bin: finite,
    binWidth: finite,
    referencePrice: finite.nullable(),
    /** `edges.length = centers.length + 1`; bin i is `[edges[i], edges[i+1])`. */
    edges: z.array(finite),
    centers: z.array(finite),
  }),
  cells: z.array(HeatmapCellSchema),
  totals: SideTotalsSchema,
  venues: z.array(VenueSumsSchema),
  sampling: FigureSamplingSchema,
  correction: SamplingCorrectionSchema,
  retention: RetentionSchema,
  /** Present when the request named venues: the heatmap, its totals and correction hold only theirs. */
  venueFilter: z.array(VenueSchema).optional(),
});
export type LiquidationHeatmap = z.infer<typeof LiquidationHeatmapSchema>;

export const RealizedClusterSchema = z.object({
  /** Price range of the cluster's profile bins, and the bin with the most smoothed mass. */
  priceLow: finite,
  priceHigh: finite,
  pricePeak: finite,
  /** `long` or `short` when that side holds ≥ 75 % of the notional, else `mixed`. */
  side: z.enum(["long", "short", "mixed"]),
  longUsd: nonNegative,
  shortUsd: nonNegative,
  notionalUsd: nonNegative,
  count,
  venues: z.array(VenueSchema),
  sampling: FigureSamplingSchema,
  lastTs: z.number(),
});
export type RealizedCluster = z.infer<typeof RealizedClusterSchema>;

export const LiquidationClustersSchema = z.object({
  symbol: z.string(),
  kind: z.literal("realized-clusters"),
  measured: z.literal(true),
  ts: z.number(),
  /** The clusters cover every liquidation held (at most `retention.retentionMs` old). */
  profile: z.object({ binBps: finite, smoothingBins: count, bins: count }),
  clusters: z.array(RealizedClusterSchema),
  sampling: FigureSamplingSchema,
  retention: RetentionSchema,
});
export type LiquidationClusters = z.infer<typeof LiquidationClustersSchema>;

export const LevelsQuerySchema = z.object({
  /** Half-width of the price range around the reference price, percent (default 10, at most 50). */
  rangePct: z.number().optional(),
  /** Price bin, bps of the reference price (default `liquidation.levelBinBps`). */
  binBps: z.number().optional(),
  /** Only these leverage tiers of the model (their leverages, e.g. [25, 50]); default every tier. */
  leverages: z.array(z.number()).optional(),
});
export type LevelsQuery = z.infer<typeof LevelsQuerySchema>;

export const MagnetSchema = z.object({
  priceLow: finite,
  priceHigh: finite,
  price: finite,
  notionalUsd: nonNegative,
  /** Signed distance from the reference price, percent (+ above). */
  distancePct: finite,
});
export type Magnet = z.infer<typeof MagnetSchema>;

export const SweepSchema = z.object({
  ts: z.number(),
  venue: VenueSchema,
  /** Side of the hypothetical positions liquidated. */
  side: z.enum(["long", "short"]),
  leverage: finite,
  price: finite,
  notionalUsd: nonNegative,
});

export const BracketUseSchema = z.object({
  venue: VenueSchema,
  tableId: z.string(),
  source: z.string(),
  asOf: z.string(),
  /** True for a fallback table that is an assumption, not a venue's published table for this symbol. */
  assumed: z.boolean(),
});

const LevelsAvailableSchema = z.object({
  symbol: z.string(),
  kind: z.literal("estimated-levels"),
  estimated: z.literal(true),
  available: z.literal(true),
  ts: z.number(),
  /** Last trade price the map is centred on. */
  referencePrice: finite,
  price: z.object({ binBps: finite, binWidth: finite, rangePct: finite, edges: z.array(finite), centers: z.array(finite) }),
  /** Estimated notional that would be force-sold (`longUsd`) / force-bought (`shortUsd`) per price bin. */
  longUsd: z.array(nonNegative),
  shortUsd: z.array(nonNegative),
  /**
   * Cumulative curves from the reference price outward, one point per bin edge crossed:
   * `down` = long notional liquidated by a move down to `price`, `up` = short notional by a move up.
   */
  cumulative: z.object({ down: z.array(z.tuple([finite, nonNegative])), up: z.array(z.tuple([finite, nonNegative])) }),
  magnets: z.object({ up: MagnetSchema.nullable(), down: MagnetSchema.nullable() }),
  totals: z.object({ longUsd: nonNegative, shortUsd: nonNegative, levels: count, cohorts: count }),
  sweeps: z.object({
    long: z.object({ count, notionalUsd: nonNegative }),
    short: z.object({ count, notionalUsd: nonNegative }),
    recent: z.array(SweepSchema),
  }),
  coverage: z.object({
    sinceTs: z.number(),
    venues: z.array(z.object({ venue: VenueSchema, oiBase: nonNegative, placedBase: nonNegative, placedShare: nonNegative })),
    cohortsEvicted: count,
  }),
  model: z.object({
    leverageTiers: z.array(z.object({ leverage: finite, weight: finite })),
    positionNotionalUsd: finite,
    halfLifeMs: finite,
    takerSkew: finite,
    oiBucketMs: count,
    brackets: z.array(BracketUseSchema),
  }),
  /**
   * Present when the request kept only some leverage tiers: their leverages. Bins, cumulative
   * curves, magnets and totals then hold only those tiers' levels (sweeps and coverage stay whole).
   */
  tierFilter: z.array(finite).optional(),
});

export const LiquidationLevelsSchema = z.discriminatedUnion("available", [
  LevelsAvailableSchema,
  z.object({
    symbol: z.string(),
    kind: z.literal("estimated-levels"),
    estimated: z.literal(true),
    available: z.literal(false),
    ts: z.number(),
    reason: z.string(),
  }),
]);
export type LiquidationLevels = z.infer<typeof LiquidationLevelsSchema>;

export const CascadeSideSchema = z.object({
  /** Estimated liquidation notional inside the band on this side of the price. */
  levelsUsd: nonNegative,
  /** Resting book notional inside the same band (asks above, bids below), null when no book is synced. */
  depthUsd: nonNegative.nullable(),
  /** levelsUsd / depthUsd; null without depth or when depth is 0. */
  ratio: nonNegative.nullable(),
});

const CascadeAvailableSchema = z.object({
  symbol: z.string(),
  kind: z.literal("cascade-risk"),
  estimated: z.literal(true),
  available: z.literal(true),
  ts: z.number(),
  referencePrice: finite,
  bookSynced: z.boolean(),
  bands: z.array(z.object({ bandPct: finite, up: CascadeSideSchema, down: CascadeSideSchema })),
  volatility: z.object({
    method: z.string(),
    /** Stdev of 10 s log returns, and that scaled to the horizon by √(horizon / 10 s); null with < 2 returns. */
    sigmaPerBucket: finite.nullable(),
    sigmaHorizon: finite.nullable(),
    horizonMs: count,
    returns: count,
    /** Share of all estimated short (up) / long (down) notional a move of k·sigmaHorizon would sweep. */
    sweepShare: z.array(z.object({ k: finite, movePct: finite, up: nonNegative, down: nonNegative })),
  }),
});

export const CascadeRiskSchema = z.discriminatedUnion("available", [
  CascadeAvailableSchema,
  z.object({ symbol: z.string(), kind: z.literal("cascade-risk"), estimated: z.literal(true), available: z.literal(false), ts: z.number(), reason: z.string() }),
]);
export type CascadeRisk = z.infer<typeof CascadeRiskSchema>;
