/**
 * The engine's own vocabulary: the timeframes a card is computed on, the trading modes a bias is
 * composed for, and what one card says on one timeframe. The domain owns these; the wire schemas
 * (src/protocol/snapshot.ts) are derived from them, and a compile-time check there keeps the
 * schema's inferred type equal to `CardValue`.
 */

/** Windows every card is computed on, shortest first. */
export const TIMEFRAMES = ["1m", "5m", "1h"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** Trading modes a composite bias is built for: scalp (30 s cycle), day (60 s), swing (300 s). */
export const MODES = ["scalp", "day", "swing"] as const;
export type Mode = (typeof MODES)[number];

/** A card's reading across timeframes. */
export const CARD_STATES = ["bullish", "bearish", "neutral", "conflicted"] as const;
export type CardState = (typeof CARD_STATES)[number];

/** How a card's reading changed since its last cycles. */
export const CARD_TRANSITIONS = ["emerging", "flipped", "decelerating", "none"] as const;
export type CardTransition = (typeof CARD_TRANSITIONS)[number];

/** One card on one timeframe. `available: false` means its input feed had no data: no score is invented. */
export interface CardValue {
  available: boolean;
  /** Direction in [-1, +1]; 0 when unavailable. */
  score: number;
  /** Magnitude of the signal in [0, 1]. */
  strength: number;
  /** How much data backs the score, in [0, 1]; 0 when unavailable. */
  confidence: number;
  /** The card's raw measured value (units in the card's description), null when unavailable. */
  value: number | null;
  /** Why the card is unavailable (e.g. `no liquidations in window`). */
  reason?: string;
  /**
   * Cards that read liquidation counts or notionals: `sampled` when a venue in the window publishes
   * at most one liquidation per symbol per second (Binance, OKX), so the figure is a sample;
   * `complete` when every venue in it publishes all of them.
   */
  sampling?: "sampled" | "complete";
}
