/**
 * Wire shape of the support/resistance zones of one symbol (`ZoneTracker.compute()` in
 * src/domain/zones): the bands a chart draws, each with where it came from, how price has
 * treated it, and whether it looks like a liquidity trap.
 *
 * Honesty is part of the shape: zones are `estimated` (a model of where price may react, not
 * a measurement), every trap names the measured facts behind it in `evidence`, and `inputs`
 * says which feeds were unavailable at this cycle; a check whose input was unavailable is
 * `null` in `evidence` and never raises a trap.
 *
 * Units: prices in quote currency (USDT taken as USD), notionals in USD, times in epoch ms of
 * event time, widths in basis points.
 */
import { z } from "zod";

const finite = z.number().finite();
const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();

/**
 * Where a candidate level came from: a high-volume node of the trade profile, a 1-minute swing
 * low / high, a resting book wall, a realized liquidation cluster, a peak of the estimated
 * liquidation level map.
 */
export const ZoneSourceKindSchema = z.enum(["volume-node", "swing-low", "swing-high", "bid-wall", "ask-wall", "liq-cluster", "liq-levels"]);
export type ZoneSourceKind = z.infer<typeof ZoneSourceKindSchema>;

export const ZoneSourceSchema = z.object({
  kind: ZoneSourceKindSchema,
  price: finite,
  /** Relative weight of this candidate among its kind, 0..1. */
  weight: z.number().min(0).max(1),
  /** Traded volume, wall notional or liquidation notional behind the candidate; null for a swing. */
  notionalUsd: nonNegative.nullable(),
});
export type ZoneSource = z.infer<typeof ZoneSourceSchema>;

/**
 * `liquidations-beyond`: estimated liquidation notional just beyond the zone exceeds the resting
 * depth defending it; `sweep-reclaim`: price crossed the zone and came back within the sweep
 * window; `wall-pulled`: a book wall in the zone vanished while no trade reached its price.
 */
export const TrapReasonSchema = z.enum(["liquidations-beyond", "sweep-reclaim", "wall-pulled"]);
export type TrapReason = z.infer<typeof TrapReasonSchema>;

export const ZoneSchema = z.object({
  /** Stable across cycles while the zone lives (`z<n>`, assigned in creation order). */
  id: z.string(),
  /** `support` when price is above the zone, `resistance` below; inside the zone, its current role. */
  kind: z.enum(["support", "resistance"]),
  low: finite,
  high: finite,
  mid: finite,
  /** 0..1: confluence of source kinds, touches held, decayed while no candidate backs the zone. */
  strength: z.number().min(0).max(1),
  /** Candidates merged into the zone at the last cycle that saw it. */
  sources: z.array(ZoneSourceSchema),
  /** Times price entered the zone, and left it on the side it came from. */
  touches: count,
  holds: count,
  lastTouchTs: z.number().nullable(),
  trap: z.boolean(),
  trapReasons: z.array(TrapReasonSchema),
  /** One line naming the trap's measured facts; absent when `trap` is false. */
  trapReason: z.string().optional(),
  /** True once a 1-minute bar closed through the zone and it changed role (support ⇄ resistance). */
  flipped: z.boolean(),
  /** Event time since the zone was first seen, and when a candidate last backed it. */
  ageMs: nonNegative,
  lastSeenTs: z.number(),
  /**
   * Step 8 (docs/zones.md, src/domain/zones/direction.ts): where the evidence at the zone's price
   * points, −1 bearish .. +1 bullish. Components: `liquidity` (book depth defending it vs estimated
   * liquidations beyond it), `draw` (order-flow and magnet cards pulling price to it, by proximity),
   * `sweep` (a sweep into it that reversed, fading); null where the input is unavailable.
   * `confidence` = the share of component weight available.
   */
  direction: z.object({
    score: z.number().min(-1).max(1),
    confidence: z.number().min(0).max(1),
    liquidity: z.number().min(-1).max(1).nullable(),
    draw: z.number().min(-1).max(1).nullable(),
    sweep: z.number().min(-1).max(1).nullable(),
  }),
  evidence: z.object({
    /** Resting book notional defending the zone (inside it and out to the trap band); null without a book covering it. */
    depthUsd: nonNegative.nullable(),
    /** Estimated liquidation notional in the trap band just beyond the zone; null without the level map. */
    liqBeyondUsd: nonNegative.nullable(),
    lastSweepTs: z.number().nullable(),
    wallPulledTs: z.number().nullable(),
  }),
});
export type Zone = z.infer<typeof ZoneSchema>;

export const InputAvailabilitySchema = z.enum(["available", "unavailable"]);

export const ZonesSchema = z.object({
  symbol: z.string().optional(),
  kind: z.literal("zones"),
  label: z.literal("estimated"),
  ts: z.number(),
  /** Price the zones are classified against (last trade); null before any trade, with no zones. */
  price: finite.nullable(),
  /** Supports (nearest first), then resistances (nearest first); at most `maxPerSide` of each. */
  zones: z.array(ZoneSchema),
  /** Which inputs this cycle had: a missing one contributes no candidates and no trap check. */
  inputs: z.object({
    trades: InputAvailabilitySchema,
    book: InputAvailabilitySchema,
    levels: InputAvailabilitySchema,
    clusters: InputAvailabilitySchema,
  }),
  model: z.object({
    /** Candidates closer than this merge into one zone: clamp(k·σ₁ₘ, min, max). */
    mergeBps: nonNegative,
    /** Stdev of 1-minute log returns over the bar ring, bps; null with fewer than 2 returns. */
    sigma1mBps: nonNegative.nullable(),
    profileWindowMs: count,
    zonesTracked: count,
  }),
});
export type Zones = z.infer<typeof ZonesSchema>;
