/**
 * What a card is and what it reads. Kept apart from `registry.ts` so card files import only
 * types and helpers from here, and the registry imports the cards without a cycle.
 *
 * A card is a pure function of a read-only view of the symbol at one cycle boundary
 * (`CardInput`, one per timeframe) and of its own past (`CardSelf`). Every input is computed
 * at most once per cycle however many cards read it (see src/domain/inputs/cycle-input.ts).
 *
 * Scaling (one convention for every card; docs/signals.md, "Scaling"): a card measures one
 * statistic `x` in stated units and turns it into a score with `score = tanh(z)`, where
 * `z = (x − center) / σ` and `σ` is the symbol's own rolling dispersion of `x` on that timeframe
 * (`self.z(x)`, see `scale.ts`). `directional()` and `stress()` below are the only two ways a
 * card makes an available value from `z`.
 */
import type { EventKind, Venue } from "../events.js";
import type { BandDepth } from "../book.js";
import type { CardParams } from "../config.js";
import type { WindowSums } from "../window.js";
import type { CardValue, Timeframe } from "../vocabulary.js";
import type { CategoryId } from "./categories.js";
import type { LiquidationCardView } from "../liquidation/maps.js";
import type { VenueWindow } from "../inputs/venue-windows.js";
import type { VenueTop } from "../inputs/top-of-book.js";
import type { BandChange } from "../inputs/book-change.js";
import type { OpenInterestView } from "../inputs/oi-history.js";
import type { VenueFunding } from "../inputs/funding.js";
import type { VenuePremium } from "../inputs/premium.js";
import type { TradeSizeView } from "../inputs/trade-sizes.js";
import type { BarSeries } from "../inputs/bar-ring.js";
import type { PrintRunsView } from "../inputs/print-runs.js";
import type { MarketContext } from "../market/memory.js";
import type { VenueLeadView } from "../inputs/venue-lead.js";

import type { BookView } from "../book.js";

/** Latest mark of the engine's primary venue (first in `VENUES` order with a fresh one). */
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

/**
 * The market around the symbol: the Coordinator's context of the symbol's previous reported
 * boundary (src/domain/market/memory.ts), or why there is none (never answered, or older than two
 * cycles: a stale context is not carried).
 */
export type MarketView = { readonly available: true; readonly context: MarketContext } | { readonly available: false; readonly reason: string };

/** Read-only view of the symbol for one timeframe at one cycle boundary. */
export interface CardInput {
  readonly timeframe: Timeframe;
  /** Window length, ms; the window is `[ts − windowMs, ts)`. */
  readonly ts: number;
  readonly windowMs: number;
  /** Trades, liquidations and funding samples of the window, all venues summed. */
  readonly window: Readonly<WindowSums>;
  /** The same window per venue that sent trades or liquidations, with its last trade. */
  readonly venues: readonly VenueWindow[];
  /** Books across venues (depth within a band, cached per band per cycle). */
  readonly book: BookView;
  /** Top of book per venue: time-weighted spread, updates, microprice. */
  readonly top: readonly VenueTop[];
  /** Depth added and removed near mid per band, summed over venues. */
  readonly bookChange: readonly BandChange[];
  /** Last trade price (by event time) while current: null before the first trade and when stale (src/domain/inputs/carried.ts). */
  readonly price: number | null;
  /** Why `price` is null (`no trade price yet`, or stale since when); null when it is not. */
  readonly priceReason: string | null;
  readonly mark: MarkView | null;
  /** Open interest per venue and summed, with its value at the window start. */
  readonly oi: OpenInterestView;
  /** Funding per venue as an 8-hour-equivalent rate, time-weighted over the window. */
  readonly funding: readonly VenueFunding[];
  /** Mark − index per venue, bps. */
  readonly premium: readonly VenuePremium[];
  /** Trade-size distribution and large prints of the window. */
  readonly sizes: TradeSizeView;
  /** Runs of prints at one price and side (iceberg-like refills) in the window. */
  readonly runs: PrintRunsView;
  /** Lead and lag between venues from one-second returns of their trades (1h: complete minutes). */
  readonly lead: VenueLeadView;
  /** Complete one-minute bars of the last 24 h (shared by the three timeframes). */
  readonly bars: BarSeries;
  /** Whether each feed has ever delivered an event for this symbol (bars satisfy a card's `trade` feed: registry.ts). */
  readonly feeds: Readonly<Record<EventKind, boolean>>;
  /** Whether any mark event has ever carried a funding rate. */
  readonly fundingSeen: boolean;
  readonly params: Readonly<CardParams>;
  /** Liquidation maps at the boundary: estimated levels, sweeps, realized clusters, intensity history. */
  readonly liq: LiquidationCardView;
  /** Insurance pools per venue that sent balances (`VENUES` order); empty before any. */
  readonly insurance: readonly InsurancePoolView[];
  /** The market across the tracked symbols (shared by the three timeframes). */
  readonly market: MarketView;
  /** The three timeframes' views at this boundary (this one included). */
  readonly timeframes: Readonly<Record<Timeframe, CardInput>>;
}

/** A card's own past on one timeframe. */
export interface CardSelf {
  readonly timeframe: Timeframe;
  /**
   * The card's `value` on this timeframe in the previous cycles, newest first (`params.historyCycles`
   * long at most); null for a cycle where it was unavailable. Kept only for cards that declare
   * `history: true` (empty otherwise: it is part of every checkpoint).
   */
  readonly previous: readonly (number | null)[];
  /**
   * `z = (x − center) / σ` against this card's own rolling distribution of `x` on this timeframe
   * (docs/signals.md, "Scaling"). The `x` of the last call is this cycle's sample: it joins the
   * distribution after the cycle when the card is available with confidence above 0.
   */
  z(x: number): number;
}

/** How a card's statistic is standardized (docs/signals.md, "Scaling"). */
export interface CardScale {
  /**
   * Neutral point of `x`: a number where the statistic has a meaning of its own (an imbalance of
   * 0, a premium of 0 bps), or `"rolling"`: the symbol's own mean of `x` (for levels that differ by
   * symbol, such as a spread), which starts at `priorCenter`.
   */
  readonly center: number | "rolling";
  readonly priorCenter?: number;
  /** Prior dispersion of `x` around the center, in `x`'s units, per timeframe or one for all. */
  readonly prior: number | Readonly<Record<Timeframe, number>>;
}

/**
 * `directional`: the score is a direction (bullish > 0). `stress`: the card measures a
 * magnitude with no direction (a spread, a falling insurance fund): its score is always 0 and
 * its reading is `strength`; the composite bias never reads it, so it cannot dilute its
 * category.
 */
export type CardKind = "directional" | "stress";

/**
 * A card: one signal. `compute` is pure and only runs when every feed in `feeds` has delivered
 * at least once (the framework answers `unavailable` otherwise); it may still answer
 * `unavailable` itself, always with a reason.
 */
export interface CardDefinition {
  /** `prefix.name`: prefix = its category's alias or id; the file is `cards/<category>/<name>.ts`. */
  readonly id: string;
  readonly category: CategoryId;
  readonly kind?: CardKind;
  /** One line: the statistic `x` with its units, and how score, strength and confidence follow. */
  readonly formula: string;
  /** Units of `value`. */
  readonly units: string;
  /** What makes it a different signal from its neighbours (the cards it could be confused with). */
  readonly differs: string;
  readonly scale: CardScale;
  /** True when the card reads its own past values (`self.previous`); the framework keeps them only then. */
  readonly history?: boolean;
  /**
   * True when the card reads single trades (trade sizes, runs of prints), which one-minute bars do
   * not carry: its `trade` feed is then not satisfied by bars alone.
   */
  readonly singleTrades?: boolean;
  readonly feeds: readonly EventKind[];
  /** The reason given when a feed never delivered, where the card can say more than `no <feed> feed`. */
  readonly missingFeedReason?: Partial<Record<EventKind, string>>;
  compute(input: CardInput, self: CardSelf): CardValue;
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
export function available(score: number, strength: number, confidence: number, value: number, sampling?: CardValue["sampling"]): CardValue {
  const out: CardValue = {
    available: true,
    score: clamp(score, -1, 1) + 0,
    strength: clamp(strength, 0, 1) + 0,
    confidence: clamp(confidence, 0, 1) + 0,
    value: value + 0,
  };
  if (sampling !== undefined) out.sampling = sampling;
  return out;
}

/**
 * A directional reading of statistic `x`: `score = tanh(z(x))`, `strength = |score|`.
 * `value` defaults to `x`.
 */
export function directional(self: CardSelf, x: number, confidence: number, value = x, sampling?: CardValue["sampling"]): CardValue {
  const score = Math.tanh(self.z(x));
  return available(score, Math.abs(score), confidence, value, sampling);
}

/**
 * A stress reading of statistic `x` (a `stress` card): `score = 0`, `strength = tanh(max(z(x), 0))`
 * (only above-usual stress is a reading). `value` defaults to `x`.
 */
export function stress(self: CardSelf, x: number, confidence: number, value = x, sampling?: CardValue["sampling"]): CardValue {
  return available(0, Math.tanh(Math.max(self.z(x), 0)), confidence, value, sampling);
}

/** Trades in a window: taker buys and sells, and the prints of bars (whose sides are not known). */
export function prints(w: Readonly<WindowSums>): number {
  return w.buyCount + w.sellCount + w.unsidedCount;
}

/**
 * Why a card that reads the taker split of a window cannot: part of its volume came from bars of
 * a venue whose candles have no taker split (Bybit, OKX, Hyperliquid REST). Null when every unit of
 * volume has a known side.
 */
export function sideUnknown(w: Readonly<WindowSums>): string | null {
  return w.unsidedQty > 0 ? "taker side unknown for part of the window (bars without a taker split)" : null;
}

/** (a − b) / (a + b), 0 when both are 0. */
export function imbalance(a: number, b: number): number {
  const total = a + b;
  return total > 0 ? (a - b) / total : 0;
}

/** `n / full` limited to [0, 1]: the usual confidence from a count of observations. */
export function support(n: number, full: number): number {
  return clamp(n / full, 0, 1);
}

/**
 * The sampling label of a window's liquidation figures: `sampled` when a venue with liquidations
 * in the window publishes at most one per symbol per second, `complete` when all of them publish
 * every one, undefined when the window has none.
 */
export function liquidationSampling(venues: readonly { window: Readonly<WindowSums>; liquidationSampling: string | null }[]): CardValue["sampling"] {
  let label: CardValue["sampling"];
  for (const v of venues) {
    if (v.window.longLiqCount + v.window.shortLiqCount === 0) continue;
    if (v.liquidationSampling !== "complete") return "sampled";
    label = "complete";
  }
  return label;
}
