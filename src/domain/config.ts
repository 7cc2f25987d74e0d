/**
 * Engine tunables: one zod-checked module for cycle length, window lengths, bias cadences,
 * bands, bounds and card parameters. Everything that sizes memory or shapes a score is here,
 * so a reader can see every knob and its bound in one place.
 *
 * `parseEngineConfig(partial)` merges a (deep) partial over `DEFAULT_ENGINE_CONFIG` and
 * validates the result; errors name the field and its bound, e.g.
 * `invalid engine config: timeframeMs.5m must be a multiple of cycleMs (10000) (got 305000)`.
 */
import { z } from "zod";
import { MODES, TIMEFRAMES } from "./vocabulary.js";
import { VENUES } from "./events.js";
import { bracketTableProblems } from "./liquidation/brackets.js";

/** Longest ring the rolling window may allocate, in buckets (1 day of 10 s buckets). */
export const MAX_RING_BUCKETS = 8_640;

function describe(input: unknown): string {
  if (typeof input === "string") return JSON.stringify(input);
  if (input === undefined) return "nothing";
  if (typeof input === "number" || typeof input === "boolean" || input === null) return String(input);
  return typeof input;
}

/** A finite number in [min, max] (or (min, max] / [min, max) when exclusive), with messages naming the bound. */
function numberIn(min: number, max: number, opts: { int?: boolean; minExclusive?: boolean } = {}) {
  let s = z.number({ error: (iss) => `must be a finite number (got ${describe(iss.input)})` });
  if (opts.int) s = s.int({ error: (iss) => `must be an integer (got ${describe(iss.input)})` });
  s = opts.minExclusive
    ? s.gt(min, { error: (iss) => `must be > ${min} (got ${describe(iss.input)})` })
    : s.gte(min, { error: (iss) => `must be >= ${min} (got ${describe(iss.input)})` });
  return s.lte(max, { error: (iss) => `must be <= ${max} (got ${describe(iss.input)})` });
}

const perTimeframe = <T extends z.ZodType>(s: T) => z.strictObject({ "1m": s, "5m": s, "1h": s });
const perMode = <T extends z.ZodType>(s: T) => z.strictObject({ scalp: s, day: s, swing: s });

const CardParamsSchema = z.strictObject({
  /** Scaling (src/domain/cards/scale.ts): half-life of a card's own rolling distribution, ms of event time. */
  scaleHalfLifeMs: numberIn(60_000, 30 * 86_400_000, { int: true }),
  /** Scaling: how much event time of samples the card's prior dispersion weighs, per timeframe, ms. */
  scalePriorMs: perTimeframe(numberIn(0, 30 * 86_400_000, { int: true })),
  /**
   * Scaling: false freezes every card at its prior (σ = the card's prior, center fixed or its prior
   * center; no sample is kept). For tests that check a card's formula by hand and for reading raw scales.
   */
  scaleAdapt: z.boolean(),
  /** Previous values each card keeps per timeframe (`self.previous`). */
  historyCycles: numberIn(1, 360, { int: true }),
  /** Liquidation-reading cards (`liq.imbalance`, ...) reach confidence 1 at this many liquidations in the window. */
  liqFullConfidenceCount: numberIn(1, 1_000_000, { int: true }),
  /** Trade-reading cards (`flow.cvd`, `momentum.return`, ...) reach confidence 1 at this many trades in the window. */
  tradeFullConfidenceCount: numberIn(1, 1_000_000_000, { int: true }),
  /** `orderbook.imbalance` depth band around mid per timeframe, in percent of mid (0.1 = ±0.1 %). */
  bookBandPct: perTimeframe(numberIn(0, 50, { minExclusive: true })),
  /** `orderbook.imbalance` reaches confidence 1 at this many levels (both sides) inside the band. */
  bookFullConfidenceLevels: numberIn(1, 100_000, { int: true }),
  /** Funding cards: the neutral funding rate per 8 h (Binance's default interest component, 0.01 %). */
  fundingBaselineRate: numberIn(-0.01, 0.01),
  /** `cascade.*` band around price per timeframe, percent. */
  cascadeBandPct: perTimeframe(numberIn(0, 50, { minExclusive: true })),
  /** Estimated-level cards reach confidence 1 at this many open-interest cohorts. */
  levelFullConfidenceCohorts: numberIn(1, 1_000_000, { int: true }),
  /** `levels.magnet` (and the other `levels.*` cards) range around price per timeframe, percent of price. */
  magnetRangePct: perTimeframe(numberIn(0, 50, { minExclusive: true })),
  /** `levels.magnet` price bin, bps of price. */
  magnetBinBps: numberIn(0.1, 1_000),
  /** `levels.magnet` a price bin is "large" at this share of the side's notional in range. */
  magnetMinShare: numberIn(0, 1, { minExclusive: true }),
  /** `liq.cluster-proximity` band per timeframe, percent of price. */
  proximityBandPct: perTimeframe(numberIn(0, 50, { minExclusive: true })),
  /** `liq.intensity` reaches confidence 1 with this many minutes of history. */
  intensityFullHistoryMinutes: numberIn(1, 1_440, { int: true }),
  /** `levels.distance` range of levels considered per timeframe, percent of price. */
  distanceRangePct: perTimeframe(numberIn(0, 90, { minExclusive: true })),
  // ── card family parameters: each family adds its own below its marker ──
  // params: liquidation, cascade, levels
  /** `liq.streak` lookback per timeframe, complete minutes. */
  liqStreakMinutes: perTimeframe(numberIn(1, 1_440, { int: true })),
  // params: order-flow, smart-money
  /** `flow.persistence` and `flow.toxicity`: complete one-minute bars read per timeframe, minutes. */
  flowMinutes: perTimeframe(numberIn(2, 1_440, { int: true })),
  /** `smart-money.large-flow`, `block-flow`, `divergence` and `large-persistence` reach confidence 1 at this many prints of their size class in the window. */
  largeFullConfidenceCount: numberIn(1, 1_000_000, { int: true }),
  /** `smart-money.icebergs` reaches confidence 1 at this many runs of prints at one price in the window. */
  runFullConfidenceCount: numberIn(1, 1_000_000, { int: true }),
  // params: absorption, microstructure
  // params: derivatives, funding
  // params: open-interest, positioning
  // params: orderbook, liquidity, spread
  // params: momentum, trend
  /**
   * `trend.*` cards and `momentum.long-return`, `momentum.agreement`: the span of one-minute bars a
   * trend reads per timeframe, minutes (slow average, regression, extremes, prior range); the fast
   * average and the structure's sub-spans are a quarter of it.
   */
  trendSpanMinutes: perTimeframe(numberIn(8, 480, { int: true })),
  // params: mean-reversion, vwap
  /** `mr.*` and `vwap.*` cards (zscore, williams-r, distance, slope, volume-above, reclaim, acceptance): complete one-minute bars behind a card's mean, range or VWAP per timeframe, minutes (the 1m window holds one bar: too few for a mean and a dispersion). */
  meanMinutes: perTimeframe(numberIn(5, 1_440, { int: true })),
  /** `vwap.session-band`, `vwap.reclaim`, `vwap.acceptance`: length of the session whose VWAP they read per timeframe, minutes; sessions are blocks of that length aligned to 00:00 UTC (1 440 = the UTC day). */
  vwapSessionMinutes: perTimeframe(numberIn(5, 1_440, { int: true })),
  /** `vwap.anchored`: minutes searched for the high or low its VWAP is anchored at, per timeframe. */
  vwapAnchorMinutes: perTimeframe(numberIn(5, 1_440, { int: true })),
  // params: volatility, volume
  // params: regime, exhaustion
  /** `regime.*` cards: complete one-minute bars each reads per timeframe (its span), minutes. */
  regimeMinutes: perTimeframe(numberIn(10, 1_440, { int: true })),
  // params: divergence
  /**
   * `divergence.cvd`, `volume`, `momentum`, `hidden`, `liquidations`: complete one-minute bars read per timeframe,
   * split into an earlier and a later half whose closes are compared; `divergence.oi`, `premium`: the span before
   * the window's minutes whose range a break leaves. Minutes.
   */
  divergenceMinutes: perTimeframe(numberIn(4, 1_380, { int: true })),
  /** `divergence.timeframes`: the trend span read before the window's minutes, per timeframe, minutes. */
  divergenceTrendMinutes: perTimeframe(numberIn(1, 1_380, { int: true })),
  // params: market-context
  /** `mkt.*` cards that read the market as a whole (breadth, bias-breadth, risk-tone, dispersion, flow, liq-skew, funding-relative, oi-change, relative-basket) reach confidence 1 at this many symbols behind the figure. */
  marketFullConfidenceSymbols: numberIn(1, 1_000, { int: true }),
  /** `mkt.btc-lead`, `mkt.decoupling` and `mkt.correlation` reach confidence 1 when the beta and correlation to BTC rest on this many minute returns (the market memory reads at most 1 440), minutes. */
  betaFullConfidenceMinutes: numberIn(60, 1_440, { int: true }),
  // params: cross-venue
  /** `xv.sync` reaches confidence 1 when its venue pairs' same-second correlations rest on this many seconds of one-second returns (mean over pairs), seconds. */
  leadFullConfidenceSeconds: numberIn(1, 86_400, { int: true }),
});

const InputParamsSchema = z.strictObject({
  /** One-minute bars kept (the bar ring), minutes. */
  barMinutes: numberIn(60, 10_080, { int: true }),
  /** Open interest not refreshed within this is unknown (left out of sums), ms. */
  oiStaleMs: numberIn(10_000, 86_400_000, { int: true }),
  /** Prints at one price and side in a row that make a run (src/domain/inputs/print-runs.ts). */
  printRunMin: numberIn(2, 1_000, { int: true }),
  /** Bands around mid (percent) in which book depth added and removed is counted. */
  bookChangeBandsPct: z.array(numberIn(0, 50, { minExclusive: true })).min(1).max(4),
  /** Lead and lag between venues from one-second returns (src/domain/inputs/venue-lead.ts). */
  venueLead: z.strictObject({
    /** Lags read, seconds (1 … maxLag). */
    maxLag: numberIn(1, 30, { int: true }),
    /** A second closes this long after its end (late trades of a slower feed still count), ms. */
    graceMs: numberIn(0, 10_000, { int: true }),
    /** A venue without a trade for this long has no price, seconds. */
    staleS: numberIn(1, 3_600, { int: true }),
  }),
  tradeSizes: z.strictObject({
    /** Four ascending trade-size edges, USD (five buckets). */
    edgesUsd: z.array(numberIn(0, 1e12, { minExclusive: true })).length(4),
    /** Percentile of trade notional (by count) at which a print is large. */
    percentile: numberIn(0.5, 0.9999),
    /** Trades in the history before a large-print threshold exists. */
    minTrades: numberIn(10, 10_000_000, { int: true }),
    /** History the percentile reads, ms (whole minutes). */
    historyMs: numberIn(60_000, 86_400_000, { int: true }),
  }),
});

const BracketSchema = z.strictObject({
  maxNotionalUsd: numberIn(0, 1e15, { minExclusive: true }).nullable(),
  maxLeverage: numberIn(1, 1_000),
  mmr: numberIn(0, 1, { minExclusive: true }),
  cumUsd: numberIn(0, 1e15),
});

const BracketTableSchema = z
  .strictObject({
    id: z.string().min(1),
    venue: z.enum([...VENUES, "*"]),
    symbol: z.string().min(1),
    source: z.string().min(1),
    asOf: z.string().min(1),
    assumed: z.boolean(),
    brackets: z.array(BracketSchema).min(1),
  })
  .superRefine((t, ctx) => {
    for (const problem of bracketTableProblems(t)) ctx.addIssue({ code: "custom", message: problem });
  });

const LiquidationParamsSchema = z.strictObject({
  /** Realized liquidations are held this long (ms of event time). */
  realizedRetentionMs: numberIn(60_000, 86_400_000, { int: true }),
  /** Most realized liquidations held per symbol (the oldest leave first when full). */
  realizedMaxEntries: numberIn(100, 1_000_000, { int: true }),
  /** Heatmap defaults: window, time bin (ms) and price bin (bps of the reference price). */
  heatmapWindowMs: numberIn(60_000, 86_400_000, { int: true }),
  heatmapTimeBinMs: numberIn(1_000, 3_600_000, { int: true }),
  heatmapPriceBinBps: numberIn(0.1, 1_000),
  /** Realized cluster profile: log-price bin (bps) and triangular smoothing half-width (bins). */
  clusterBinBps: numberIn(0.1, 1_000),
  clusterSmoothingBins: numberIn(0, 50, { int: true }),
  /** Fewest complete-venue liquidations overlapping a sampled venue for a correction factor. */
  correctionMinEvents: numberIn(1, 1_000_000, { int: true }),
  /** Open-interest bucket for ΔOI and its VWAP, ms. */
  oiBucketMs: numberIn(1_000, 3_600_000, { int: true }),
  /** Leverage tiers of the hypothetical positions and their weights (summing to 1). */
  leverageTiers: z
    .array(z.strictObject({ leverage: numberIn(1, 1_000), weight: numberIn(0, 1) }))
    .min(1)
    .max(15),
  /** Notional of a hypothetical position, USD: picks its maintenance bracket. */
  positionNotionalUsd: numberIn(1, 1e12),
  /** Skew of new positions by taker flow, 0 (off: equal long and short) to 1. */
  takerSkew: numberIn(0, 1),
  /** Estimated levels lose half their notional every `levelHalfLifeMs`. */
  levelHalfLifeMs: numberIn(60_000, 30 * 86_400_000, { int: true }),
  /** Cohorts older than this are dropped, ms. */
  levelMaxAgeMs: numberIn(60_000, 90 * 86_400_000, { int: true }),
  /** Most open-interest cohorts kept per symbol (oldest dropped beyond). */
  maxLevelCohorts: numberIn(1, 100_000, { int: true }),
  /** Default price bin of the level map, bps of the reference price. */
  levelBinBps: numberIn(0.1, 1_000),
  /** Bracket tables overriding the shipped ones (same venue and symbol, or `*`). */
  brackets: z.array(BracketTableSchema).max(500),
  /** Cascade-risk bands around price, percent. */
  cascadeBandsPct: z.array(numberIn(0, 50, { minExclusive: true })).min(1).max(10),
  /** Moves of k × recent volatility whose sweep share the cascade risk reports. */
  volatilityK: z.array(numberIn(0, 100, { minExclusive: true })).min(1).max(10),
});

export const EngineConfigSchema = z
  .strictObject({
    /** Cycle length and window bucket size, ms of event time. Boundaries are multiples of it. */
    cycleMs: numberIn(1_000, 3_600_000, { int: true }),
    /** Window length per timeframe, ms; each a multiple of `cycleMs`. */
    timeframeMs: perTimeframe(numberIn(1_000, 86_400_000, { int: true })),
    /** Bias recompute cadence per mode, ms; each a multiple of `cycleMs`. */
    biasCadenceMs: perMode(numberIn(1_000, 86_400_000, { int: true })),
    /** Each mode's leading timeframe (the bias's `timeframe`): one with the largest weight in `modeTimeframeWeights`. */
    modeTimeframe: perMode(z.enum(TIMEFRAMES)),
    /**
     * How much each timeframe weighs in each mode's bias (τ_t, summing to 1 per mode). Defaults lean
     * on the window closest to the mode's holding time and keep the others as timing and context:
     * scalp 1m .6 / 5m .3 / 1h .1, day .2 / .6 / .2, swing .1 / .3 / .6 (why: beside `DEFAULT_ENGINE_CONFIG`).
     */
    modeTimeframeWeights: perMode(perTimeframe(numberIn(0, 1))),
    /** |score| at or below this is `neutral` for a card's state. */
    neutralBand: numberIn(0, 0.99),
    /** |score| at or below this gives a `neutral` bias direction. */
    biasNeutralBand: numberIn(0, 0.99),
    /**
     * After a jump in event time, consecutive boundaries are emitted for at most this long after the
     * last one (ms, a multiple of cycleMs); then the engine goes straight to the last boundary before
     * the new event (src/domain/engine.ts, "Jumps").
     */
    catchUpMs: numberIn(1_000, 86_400_000, { int: true }),
    /** Events older than the newest event time minus this are too late for the windows (ms). */
    maxLateMs: numberIn(0, 86_400_000, { int: true }),
    /**
     * Staleness limits of the carried-forward inputs (ms, event time; src/domain/inputs/carried.ts).
     * An input whose newest update is older than its limit at a cycle boundary is stale: the
     * snapshot shows it under `carried` with its time and `stale: true`, and nothing that assumes
     * a current value reads it. `price`: the last trade (or closed one-minute bar) — the headline
     * price, the level map, the cascade, the zones and every card reading a price; `book`: a
     * venue's book or quote; `mark`: a venue's mark with its index and funding. Open interest has
     * its own limit, `inputs.oiStaleMs`.
     */
    staleAfterMs: z
      .object({
        price: numberIn(1_000, 86_400_000, { int: true }),
        book: numberIn(1_000, 86_400_000, { int: true }),
        mark: numberIn(1_000, 86_400_000, { int: true }),
      })
      .strict(),
    /** Price levels kept per book side (best first). */
    maxBookLevels: numberIn(1, 100_000, { int: true }),
    /** Deltas buffered per book while waiting for a snapshot (oldest dropped beyond). */
    maxBufferedDeltas: numberIn(1, 1_000_000, { int: true }),
    /** Size of the recent-liquidations ring. */
    recentLiquidations: numberIn(1, 1_000_000, { int: true }),
    cards: CardParamsSchema,
    inputs: InputParamsSchema,
    liquidation: LiquidationParamsSchema,
  })
  .superRefine((c, ctx) => {
    const multiple = (path: (string | number)[], value: number) => {
      if (value % c.cycleMs !== 0) {
        ctx.addIssue({ code: "custom", path, message: `must be a multiple of cycleMs (${c.cycleMs}) (got ${value})` });
      }
    };
    for (const tf of TIMEFRAMES) multiple(["timeframeMs", tf], c.timeframeMs[tf]);
    for (const mode of MODES) multiple(["biasCadenceMs", mode], c.biasCadenceMs[mode]);
    for (const mode of MODES) {
      const tau = c.modeTimeframeWeights[mode];
      const sum = TIMEFRAMES.reduce((acc, tf) => acc + tau[tf], 0);
      if (Math.abs(sum - 1) > 1e-9) ctx.addIssue({ code: "custom", path: ["modeTimeframeWeights", mode], message: `must sum to 1 (got ${sum})` });
      const heaviest = Math.max(...TIMEFRAMES.map((tf) => tau[tf]));
      if (tau[c.modeTimeframe[mode]] < heaviest) {
        ctx.addIssue({ code: "custom", path: ["modeTimeframe", mode], message: `must be a timeframe with the largest weight in modeTimeframeWeights.${mode} (got ${c.modeTimeframe[mode]})` });
      }
    }
    multiple(["catchUpMs"], c.catchUpMs);
    const longest = Math.max(...TIMEFRAMES.map((tf) => c.timeframeMs[tf]));
    const buckets = Math.ceil(longest / c.cycleMs);
    if (buckets > MAX_RING_BUCKETS) {
      ctx.addIssue({
        code: "custom",
        path: ["timeframeMs"],
        message: `longest timeframe / cycleMs must be <= ${MAX_RING_BUCKETS} buckets (got ${buckets})`,
      });
    }
    const weights = c.liquidation.leverageTiers.reduce((sum, t) => sum + t.weight, 0);
    if (Math.abs(weights - 1) > 1e-9) {
      ctx.addIssue({ code: "custom", path: ["liquidation", "leverageTiers"], message: `weights must sum to 1 (got ${weights})` });
    }
    const leverages = c.liquidation.leverageTiers.map((t) => t.leverage);
    if (new Set(leverages).size !== leverages.length) {
      ctx.addIssue({ code: "custom", path: ["liquidation", "leverageTiers"], message: `leverages must be distinct (got ${leverages.join(", ")})` });
    }
    if (c.liquidation.heatmapWindowMs % c.liquidation.heatmapTimeBinMs !== 0) {
      ctx.addIssue({ code: "custom", path: ["liquidation", "heatmapWindowMs"], message: `must be a multiple of heatmapTimeBinMs (${c.liquidation.heatmapTimeBinMs}) (got ${c.liquidation.heatmapWindowMs})` });
    }
    const edges = c.inputs.tradeSizes.edgesUsd;
    if (edges.some((e, i) => i > 0 && e <= edges[i - 1])) {
      ctx.addIssue({ code: "custom", path: ["inputs", "tradeSizes", "edgesUsd"], message: `must be ascending (got ${edges.join(", ")})` });
    }
    if (c.inputs.tradeSizes.historyMs % 60_000 !== 0) {
      ctx.addIssue({ code: "custom", path: ["inputs", "tradeSizes", "historyMs"], message: `must be whole minutes (got ${c.inputs.tradeSizes.historyMs})` });
    }
    if (c.inputs.barMinutes * 60_000 < longest) {
      ctx.addIssue({ code: "custom", path: ["inputs", "barMinutes"], message: `must cover the longest timeframe (${longest / 60_000} minutes) (got ${c.inputs.barMinutes})` });
    }
    if (c.maxLateMs > longest) {
      ctx.addIssue({
        code: "custom",
        path: ["maxLateMs"],
        message: `must be <= the longest timeframe (${longest}) (got ${c.maxLateMs})`,
      });
    }
  });

export type EngineConfig = z.infer<typeof EngineConfigSchema>;
export type CardParams = EngineConfig["cards"];

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
/** What callers pass: any subset of the fields, nested objects included. */
export type EngineConfigInput = DeepPartial<EngineConfig>;

export const DEFAULT_ENGINE_CONFIG: EngineConfig = deepFreeze({
  cycleMs: 10_000,
  timeframeMs: { "1m": 60_000, "5m": 300_000, "1h": 3_600_000 },
  biasCadenceMs: { scalp: 30_000, day: 60_000, swing: 300_000 },
  modeTimeframe: { scalp: "1m", day: "5m", swing: "1h" },
  // Each mode leans on the window nearest its holding time (scalp minutes, day hours, swing a day
  // or more) and keeps the others as timing (shorter) and context (longer): a scalp against the
  // hour's trend is the classic mistake, yet the hour says little about the next five minutes.
  // Priors, not fitted: the scorecard (`GET /v1/scorecard`) is to say whether they earn their place.
  modeTimeframeWeights: {
    scalp: { "1m": 0.6, "5m": 0.3, "1h": 0.1 },
    day: { "1m": 0.2, "5m": 0.6, "1h": 0.2 },
    swing: { "1m": 0.1, "5m": 0.3, "1h": 0.6 },
  },
  neutralBand: 0.1,
  biasNeutralBand: 0.1,
  // The 1m and 5m windows roll off in full; the 1h window's decay after a long gap is not emitted.
  catchUpMs: 300_000,
  maxLateMs: 3_600_000,
  // price: a listed perpetual trades many times a second; a symbol fed only by one-minute bars
  //   (kline streams, REST candles) refreshes its price once a minute at the bar's close, so two
  //   minutes is one missed bar plus delivery: past that the feed, or the recording, has stopped.
  // book: Binance diffs arrive every 100 ms (Bybit, OKX faster); a minute of silence is a dead feed.
  // mark: marks stream every 1–3 s, but some venues' marks are polled; five minutes is several
  //   missed polls, and funding (which moves slowly) travels with the mark.
  // Open interest is polled (Binance every 30 s): `inputs.oiStaleMs`, 15 minutes, below.
  staleAfterMs: { price: 120_000, book: 60_000, mark: 300_000 },
  maxBookLevels: 1_000,
  maxBufferedDeltas: 2_000,
  recentLiquidations: 1_000,
  cards: {
    scaleHalfLifeMs: 86_400_000,
    scalePriorMs: { "1m": 1_800_000, "5m": 7_200_000, "1h": 21_600_000 },
    scaleAdapt: true,
    historyCycles: 6,
    liqFullConfidenceCount: 10,
    tradeFullConfidenceCount: 100,
    bookBandPct: { "1m": 0.1, "5m": 0.25, "1h": 1 },
    bookFullConfidenceLevels: 20,
    fundingBaselineRate: 0.0001,
    cascadeBandPct: { "1m": 0.5, "5m": 1, "1h": 2 },
    levelFullConfidenceCohorts: 30,
    magnetRangePct: { "1m": 1, "5m": 2, "1h": 5 },
    magnetBinBps: 10,
    magnetMinShare: 0.05,
    proximityBandPct: { "1m": 0.5, "5m": 1, "1h": 2 },
    intensityFullHistoryMinutes: 240,
    distanceRangePct: { "1m": 2, "5m": 5, "1h": 10 },
    // ── card family parameters: each family adds its own below its marker ──
    // params: liquidation, cascade, levels
    liqStreakMinutes: { "1m": 10, "5m": 30, "1h": 120 },
    // params: order-flow, smart-money
    flowMinutes: { "1m": 5, "5m": 15, "1h": 60 },
    largeFullConfidenceCount: 10,
    runFullConfidenceCount: 5,
    // params: absorption, microstructure
    // params: derivatives, funding
    // params: open-interest, positioning
    // params: orderbook, liquidity, spread
    // params: momentum, trend
    trendSpanMinutes: { "1m": 20, "5m": 60, "1h": 240 },
    // params: mean-reversion, vwap
    meanMinutes: { "1m": 5, "5m": 15, "1h": 60 },
    vwapSessionMinutes: { "1m": 60, "5m": 240, "1h": 1_440 },
    vwapAnchorMinutes: { "1m": 60, "5m": 240, "1h": 1_440 },
    // params: volatility, volume
    // params: regime, exhaustion
    regimeMinutes: { "1m": 15, "5m": 30, "1h": 60 },
    // params: divergence
    divergenceMinutes: { "1m": 10, "5m": 30, "1h": 60 },
    divergenceTrendMinutes: { "1m": 60, "5m": 60, "1h": 240 },
    // params: market-context
    marketFullConfidenceSymbols: 20,
    betaFullConfidenceMinutes: 240,
    // params: cross-venue
    leadFullConfidenceSeconds: 300,
  },
  inputs: {
    barMinutes: 1_440,
    oiStaleMs: 900_000,
    printRunMin: 4,
    bookChangeBandsPct: [0.1, 1],
    venueLead: { maxLag: 5, graceMs: 2_000, staleS: 60 },
    tradeSizes: { edgesUsd: [1_000, 10_000, 100_000, 1_000_000], percentile: 0.99, minTrades: 500, historyMs: 3_600_000 },
  },
  liquidation: {
    realizedRetentionMs: 86_400_000,
    realizedMaxEntries: 50_000,
    heatmapWindowMs: 86_400_000,
    heatmapTimeBinMs: 60_000,
    heatmapPriceBinBps: 10,
    clusterBinBps: 10,
    clusterSmoothingBins: 2,
    correctionMinEvents: 20,
    oiBucketMs: 60_000,
    // Assumptions, not measurements: see docs/liquidation-model.md, "Leverage tiers".
    leverageTiers: [
      { leverage: 5, weight: 0.1 },
      { leverage: 10, weight: 0.25 },
      { leverage: 20, weight: 0.25 },
      { leverage: 25, weight: 0.15 },
      { leverage: 50, weight: 0.15 },
      { leverage: 100, weight: 0.1 },
    ],
    positionNotionalUsd: 10_000,
    takerSkew: 0,
    levelHalfLifeMs: 86_400_000,
    levelMaxAgeMs: 259_200_000,
    maxLevelCohorts: 4_096,
    levelBinBps: 10,
    brackets: [],
    cascadeBandsPct: [0.5, 1, 2],
    volatilityK: [1, 2, 3],
  },
});

/** Thrown by `parseEngineConfig`; `issues` lists every `field: problem`. */
export class EngineConfigError extends Error {
  constructor(readonly issues: readonly string[]) {
    super(`invalid engine config: ${issues.join("; ")}`);
    this.name = "EngineConfigError";
  }
}

/**
 * Defaults merged with `partial` (nested objects merged field by field), validated.
 * Throws `EngineConfigError` naming each bad field and its bound; unknown fields are errors.
 */
export function parseEngineConfig(partial: EngineConfigInput = {}): EngineConfig {
  const merged = mergeDeep(DEFAULT_ENGINE_CONFIG, partial);
  const result = EngineConfigSchema.safeParse(merged, { reportInput: true });
  if (result.success) return deepFreeze(result.data);
  const issues = result.error.issues.map((iss) => {
    const path = iss.path.map(String).join(".");
    if (iss.code === "unrecognized_keys") {
      return iss.keys.map((k) => `${path ? `${path}.` : ""}${k} is not a known field`).join("; ");
    }
    return `${path || "config"} ${iss.message}`;
  });
  throw new EngineConfigError(issues);
}

/** The window ring length in buckets: the longest timeframe divided by the cycle. */
export function ringBuckets(config: EngineConfig): number {
  return longestWindowMs(config) / config.cycleMs;
}

export function longestWindowMs(config: EngineConfig): number {
  let longest = 0;
  for (const tf of TIMEFRAMES) longest = Math.max(longest, config.timeframeMs[tf]);
  return longest;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(over)) out[key] = mergeDeep(base[key], over[key]);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (isPlainObject(value) || Array.isArray(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
