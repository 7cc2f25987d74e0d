/**
 * What a card is and what it reads. Kept apart from `registry.ts` so card files import
 * only types and helpers from here, and the registry imports the cards without a cycle.
 */
import type { EventKind, Venue } from "../events.js";
import type { BandDepth } from "../book.js";
import type { CardParams } from "../config.js";
import type { WindowSums } from "../window.js";
import type { CardValue, Timeframe } from "../../protocol/snapshot.js";
import type { CategoryId } from "./categories.js";
import type { LiquidationCardView } from "../liquidation/maps.js";

/** The engine's books, read-only, across venues. */
export interface BookView {
  /** True when at least one venue's book is synced. */
  readonly synced: boolean;
  /**
   * Depth within ±`bandPct` % of each synced venue book's own mid, summed over venues in
   * `VENUES` order (`mid` is the first synced book's). Null when no book is synced.
   */
  depthWithin(bandPct: number): BandDepth | null;
}

/** Latest mark of the engine's primary venue (first in `VENUES` order that sent one). */
export interface MarkView {
  readonly markPrice: number;
  readonly indexPrice: number | null;
  readonly fundingRate: number | null;
  readonly nextFundingTs: number | null;
}

/** One venue's insurance pool backing this symbol, as the engine holds it at a cycle boundary. */
export interface InsurancePoolView {
  readonly venue: Venue;
  readonly poolId: string;
  readonly asset: string;
  /** The pool backs other contracts too. */
  readonly shared: boolean;
  /** `[ts, balanceUsd]` at the venue's update times, oldest first, all at or before the boundary. */
  readonly samples: readonly (readonly [number, number])[];
}

/** Read-only view of the engine state for one timeframe at one cycle boundary. */
export interface CardInput {
  readonly timeframe: Timeframe;
  /** Window length, ms; the window is `[ts − windowMs, ts)`. */
  readonly windowMs: number;
  /** Cycle boundary (event time, ms). */
  readonly ts: number;
  readonly window: Readonly<WindowSums>;
  readonly book: BookView;
  /** Last trade price (by event time), null before the first trade. */
  readonly price: number | null;
  readonly mark: MarkView | null;
  /** Whether each feed has ever delivered an event for this symbol. */
  readonly feeds: Readonly<Record<EventKind, boolean>>;
  /** Whether any mark event has ever carried a funding rate. */
  readonly fundingSeen: boolean;
  readonly params: Readonly<CardParams>;
  /** Liquidation maps at the boundary: estimated levels, sweeps, realized clusters, intensity history. */
  readonly liq: LiquidationCardView;
  /** Insurance pools per venue that sent balances (`VENUES` order); empty before any. */
  readonly insurance: readonly InsurancePoolView[];
}

/**
 * A card: one signal. `compute` is pure and only runs when every feed in `feeds` has
 * delivered at least once (the framework answers `unavailable` otherwise); it may still
 * answer `unavailable` itself (e.g. book not synced).
 */
export interface CardDefinition {
  /** `prefix.name`, prefix = category id or alias, e.g. `liq.imbalance`; equals the file name. */
  readonly id: string;
  readonly category: CategoryId;
  /** What it measures, its formula and the units of `value`. */
  readonly description: string;
  readonly feeds: readonly EventKind[];
  /** The reason given when a feed never delivered, where the card can say more than `no <feed> feed`. */
  readonly missingFeedReason?: Partial<Record<EventKind, string>>;
  compute(input: CardInput, timeframe: Timeframe): CardValue;
}

/** `x` limited to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** An unavailable card value: no score is invented. */
export function unavailable(reason: string): CardValue {
  return { available: false, score: 0, strength: 0, confidence: 0, value: null, reason };
}

/**
 * An available card value, clamped to the schema ranges; `-0` is written as `0` so that
 * equal states serialise and compare equal.
 */
export function available(score: number, strength: number, confidence: number, value: number): CardValue {
  return {
    available: true,
    score: clamp(score, -1, 1) + 0,
    strength: clamp(strength, 0, 1) + 0,
    confidence: clamp(confidence, 0, 1) + 0,
    value: value + 0,
  };
}

/** (a − b) / (a + b), 0 when both are 0. */
export function imbalance(a: number, b: number): number {
  const total = a + b;
  return total > 0 ? (a - b) / total : 0;
}
