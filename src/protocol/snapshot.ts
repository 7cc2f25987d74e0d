/**
 * Wire shapes of what the engine computes: DataCards, composite bias and the per-cycle
 * symbol snapshot. The HTTP API, the WebSocket stream and the `replay` command all emit
 * exactly these objects.
 */
import { z } from "zod";
import { CARD_STATES, CARD_TRANSITIONS, MODES, TIMEFRAMES, type CardValue, type Mode, type Timeframe } from "../domain/vocabulary.js";

export { CARD_STATES, CARD_TRANSITIONS, MODES, TIMEFRAMES, type CardState, type CardTransition, type CardValue, type Mode, type Timeframe } from "../domain/vocabulary.js";

export const TimeframeSchema = z.enum(TIMEFRAMES);
export const ModeSchema = z.enum(MODES);

/** One card on one timeframe (`CardValue`, src/domain/vocabulary.ts, documents each field). */
export const CardValueSchema = z.object({
  available: z.boolean(),
  score: z.number().min(-1).max(1),
  strength: z.number().min(0).max(1),
  confidence: z.number().min(0).max(1),
  value: z.number().nullable(),
  reason: z.string().optional(),
  sampling: z.enum(["sampled", "complete"]).optional(),
});

export const CardStateSchema = z.enum(CARD_STATES);
export const CardTransitionSchema = z.enum(CARD_TRANSITIONS);

/** True when A and B are the same type; the constants below fail to compile when a schema drifts from the domain's type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const cardValueMatches: Same<z.infer<typeof CardValueSchema>, CardValue> = true;
const timeframeMatches: Same<z.infer<typeof TimeframeSchema>, Timeframe> = true;
const modeMatches: Same<z.infer<typeof ModeSchema>, Mode> = true;
void [cardValueMatches, timeframeMatches, modeMatches];

export const CardSchema = z.object({
  id: z.string(),
  category: z.string(),
  /** `directional`: the score is a direction; `stress`: a magnitude in `strength`, score always 0, never read by the bias. */
  kind: z.enum(["directional", "stress"]),
  timeframes: z.record(TimeframeSchema, CardValueSchema),
  state: CardStateSchema,
  transition: CardTransitionSchema,
});
export type Card = z.infer<typeof CardSchema>;

/** One card's share of a bias (an available directional card of the component's category). */
export const BiasCardSchema = z.object({
  id: z.string(),
  /** Present when the card was available on only one of the mode's timeframes: the one it was read on. */
  timeframe: TimeframeSchema.optional(),
  /** Confidence-weighted mean score over the mode's timeframes where the card was available. */
  score: z.number().min(-1).max(1),
  /** Timeframe-weighted mean confidence over those timeframes. */
  confidence: z.number().min(0).max(1),
  /** Its part of the bias score (the parts of all cards sum to the score). */
  contribution: z.number().min(-1).max(1),
});
export type BiasCard = z.infer<typeof BiasCardSchema>;

/** One category in a bias (formulas: src/domain/bias/compute.ts). */
export const BiasComponentSchema = z.object({
  category: z.string(),
  /** The mode's weight of the category (1 until learned). */
  weight: z.number().min(0),
  score: z.number().min(-1).max(1),
  confidence: z.number().min(0).max(1),
  /** Its part of the bias score (the parts of all components sum to the score). */
  contribution: z.number().min(-1).max(1),
  cards: z.array(BiasCardSchema),
});
export type BiasComponent = z.infer<typeof BiasComponentSchema>;

/** One timeframe of a mode: its weight and the bias the mode would give reading it alone (null: nothing available on it). */
export const BiasTimeframeSchema = z.object({
  weight: z.number().min(0).max(1),
  score: z.number().min(-1).max(1).nullable(),
});

/** A category among the top contributing or opposing ones. */
export const BiasTopEntrySchema = z.object({ category: z.string(), contribution: z.number().min(-1).max(1) });

export const BiasSchema = z.object({
  mode: ModeSchema,
  /** Event time of the cycle that computed it. */
  ts: z.number(),
  /** raw · √coverage: shrinks when few categories are available, when they are unsure and when they disagree. */
  score: z.number().min(-1).max(1),
  /** |score|. */
  strength: z.number().min(0).max(1),
  /** Share of all the evidence the mode could read that is present and confident, times agreement. */
  confidence: z.number().min(0).max(1),
  /** `long` / `short` / `neutral`, from the score and the neutral band. */
  direction: z.enum(["long", "short", "neutral"]),
  /** `conflicted` when the mode's timeframes lean opposite ways beyond the band, else from the direction. */
  state: CardStateSchema,
  /** Against the previous bias of the same mode, as a card's transition. */
  transition: CardTransitionSchema,
  /** The mode's leading (heaviest) timeframe. */
  timeframe: TimeframeSchema,
  /** Every timeframe's weight in the mode and its own score. */
  timeframes: z.record(TimeframeSchema, BiasTimeframeSchema),
  /** Σ ω·c·s / Σ ω over the available (category, timeframe) pairs, before the coverage shrink. */
  raw: z.number().min(-1).max(1),
  /** Weight share of the categories that could speak (have a directional card) that did. */
  coverage: z.number().min(0).max(1),
  /** Categories read (of those with a directional card), cards read, card values left out as non-finite. */
  available: z.object({ categories: z.number().int(), of: z.number().int(), cards: z.number().int(), invalid: z.number().int() }),
  /** Categories whose contribution has the sign of the score (0 when the score is 0). */
  agreeing: z.number().int(),
  /** Up to 3 categories each, largest |contribution| first: with the score's sign, and against it. */
  top: z.object({ contributing: z.array(BiasTopEntrySchema), opposing: z.array(BiasTopEntrySchema) }),
  /** Version of the learned category weights used; null: defaults (uniform). */
  weightsVersion: z.number().int().min(0).nullable(),
  /** The available categories in `CATEGORIES` order. */
  components: z.array(BiasComponentSchema),
});
export type Bias = z.infer<typeof BiasSchema>;

export const SideTotalsSchema = z.object({
  count: z.number().int(),
  qty: z.number(),
  notionalUsd: z.number(),
});
export const LiquidationTotalsSchema = z.object({ long: SideTotalsSchema, short: SideTotalsSchema });
export type LiquidationTotals = z.infer<typeof LiquidationTotalsSchema>;

export const BookSummarySchema = z.object({
  synced: z.boolean(),
  bestBid: z.number().nullable(),
  bestAsk: z.number().nullable(),
  bidLevels: z.number().int(),
  askLevels: z.number().int(),
  /** Deltas applied since the last (re)sync, gaps detected and resyncs since start. */
  gaps: z.number().int(),
  resyncs: z.number().int(),
});

/**
 * A carried-forward input (src/domain/inputs/carried.ts): the engine's newest value of it, its event
 * time and age at the snapshot. `stale` past `limitMs` (the documented limit of that input, in event
 * time): a stale input is shown, never read as current (no card, level map, cascade or zone uses it).
 */
export const CarriedInputSchema = z.object({
  /** The value it stands for where it has one (`price`: last trade; `mark`: mark price); null for the others. */
  value: z.number().nullable(),
  /** Event time of its newest update (epoch ms). */
  ts: z.number(),
  /** Snapshot time − `ts` (ms, event time). */
  ageMs: z.number().min(0),
  /** Its staleness limit (ms). */
  limitMs: z.number(),
  /** `ageMs > limitMs`. */
  stale: z.boolean(),
});
export type CarriedInput = z.infer<typeof CarriedInputSchema>;

/**
 * The carried-forward inputs of a snapshot; null: never received. `price`: the last trade (or closed
 * bar); `mark`: the newest mark of any venue (with it the index price and funding); `book`: the
 * newest book event or quote of any venue; `oi`: the newest open-interest update of any venue.
 */
export const CarriedInputsSchema = z.object({
  price: CarriedInputSchema.nullable(),
  mark: CarriedInputSchema.nullable(),
  book: CarriedInputSchema.nullable(),
  oi: CarriedInputSchema.nullable(),
});
export type CarriedInputs = z.infer<typeof CarriedInputsSchema>;

export const SymbolSnapshotSchema = z.object({
  symbol: z.string(),
  /** Event time of the cycle boundary (a multiple of the 10 s cycle). */
  ts: z.number(),
  /** Newest event time applied before this snapshot (≤ `ts`); -1 before any. The data's own time, with its date. */
  eventTs: z.number(),
  /**
   * Last trade price, while current: null before the first trade and when stale (older than
   * `carried.price.limitMs` at `ts`; the last value and its time stay in `carried.price`).
   */
  price: z.number().nullable(),
  /** The primary venue's mark while current (null before any and when stale: see `carried.mark`). */
  mark: z
    .object({
      markPrice: z.number(),
      indexPrice: z.number().nullable(),
      fundingRate: z.number().nullable(),
      nextFundingTs: z.number().nullable(),
    })
    .nullable(),
  book: BookSummarySchema,
  cards: z.array(CardSchema),
  bias: z.record(ModeSchema, BiasSchema.nullable()),
  /** Cumulative count, qty (base) and notional (USD) per liquidated position side. */
  liquidations: LiquidationTotalsSchema,
  /** Events ingested by kind since start. */
  events: z.record(z.string(), z.number().int()),
  /** Each carried-forward input with its event time, age and stale flag. */
  carried: CarriedInputsSchema,
});
export type SymbolSnapshot = z.infer<typeof SymbolSnapshotSchema>;
