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
import { MODES, TIMEFRAMES, TimeframeSchema } from "../protocol/snapshot.js";

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
  /** `liq.imbalance` reaches confidence 1 at this many liquidations in the window. */
  liqFullConfidenceCount: numberIn(1, 1_000_000, { int: true }),
  /** `flow.cvd` and `momentum.return` reach confidence 1 at this many trades in the window. */
  tradeFullConfidenceCount: numberIn(1, 1_000_000_000, { int: true }),
  /** `orderbook.imbalance` depth band around mid per timeframe, in percent of mid (0.1 = ±0.1 %). */
  bookBandPct: perTimeframe(numberIn(0, 50, { minExclusive: true })),
  /** `orderbook.imbalance` reaches confidence 1 at this many levels (both sides) inside the band. */
  bookFullConfidenceLevels: numberIn(1, 100_000, { int: true }),
  /** `funding.rate` neutral funding per interval (Binance's default interest component, 0.01 %). */
  fundingBaselineRate: numberIn(-0.01, 0.01),
  /** `funding.rate` distance from the baseline (per interval) that gives |score| = 1. */
  fundingScaleRate: numberIn(0, 0.1, { minExclusive: true }),
  /** `funding.rate` reaches confidence 1 at this many funding samples in the window. */
  fundingFullConfidenceSamples: numberIn(1, 1_000_000, { int: true }),
  /** `momentum.return` return (fraction) per timeframe that gives |score| = 1. */
  momentumScale: perTimeframe(numberIn(0, 1, { minExclusive: true })),
});

export const EngineConfigSchema = z
  .strictObject({
    /** Cycle length and window bucket size, ms of event time. Boundaries are multiples of it. */
    cycleMs: numberIn(1_000, 3_600_000, { int: true }),
    /** Window length per timeframe, ms; each a multiple of `cycleMs`. */
    timeframeMs: perTimeframe(numberIn(1_000, 86_400_000, { int: true })),
    /** Bias recompute cadence per mode, ms; each a multiple of `cycleMs`. */
    biasCadenceMs: perMode(numberIn(1_000, 86_400_000, { int: true })),
    /** The timeframe each mode's bias reads. */
    modeTimeframe: perMode(TimeframeSchema),
    /** |score| at or below this is `neutral` for a card's state. */
    neutralBand: numberIn(0, 0.99),
    /** |score| at or below this gives a `neutral` bias direction. */
    biasNeutralBand: numberIn(0, 0.99),
    /** Events older than the newest event time minus this are too late for the windows (ms). */
    maxLateMs: numberIn(0, 86_400_000, { int: true }),
    /** Price levels kept per book side (best first). */
    maxBookLevels: numberIn(1, 100_000, { int: true }),
    /** Deltas buffered per book while waiting for a snapshot (oldest dropped beyond). */
    maxBufferedDeltas: numberIn(1, 1_000_000, { int: true }),
    /** Size of the recent-liquidations ring. */
    recentLiquidations: numberIn(1, 1_000_000, { int: true }),
    cards: CardParamsSchema,
  })
  .superRefine((c, ctx) => {
    const multiple = (path: (string | number)[], value: number) => {
      if (value % c.cycleMs !== 0) {
        ctx.addIssue({ code: "custom", path, message: `must be a multiple of cycleMs (${c.cycleMs}) (got ${value})` });
      }
    };
    for (const tf of TIMEFRAMES) multiple(["timeframeMs", tf], c.timeframeMs[tf]);
    for (const mode of MODES) multiple(["biasCadenceMs", mode], c.biasCadenceMs[mode]);
    const longest = Math.max(...TIMEFRAMES.map((tf) => c.timeframeMs[tf]));
    const buckets = Math.ceil(longest / c.cycleMs);
    if (buckets > MAX_RING_BUCKETS) {
      ctx.addIssue({
        code: "custom",
        path: ["timeframeMs"],
        message: `longest timeframe / cycleMs must be <= ${MAX_RING_BUCKETS} buckets (got ${buckets})`,
      });
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
  neutralBand: 0.1,
  biasNeutralBand: 0.1,
  maxLateMs: 3_600_000,
  maxBookLevels: 1_000,
  maxBufferedDeltas: 2_000,
  recentLiquidations: 1_000,
  cards: {
    liqFullConfidenceCount: 10,
    tradeFullConfidenceCount: 100,
    bookBandPct: { "1m": 0.1, "5m": 0.25, "1h": 1 },
    bookFullConfidenceLevels: 20,
    fundingBaselineRate: 0.0001,
    fundingScaleRate: 0.0005,
    fundingFullConfidenceSamples: 10,
    momentumScale: { "1m": 0.002, "5m": 0.005, "1h": 0.02 },
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
  if (isPlainObject(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
