/**
 * The 25 signal categories. Every card belongs to one; composite-bias weights and the
 * coordinator's learning are per category, so the list is the unit of trust.
 *
 * A card id is `prefix.name` where `prefix` is the category's short `alias` when it has one,
 * else its id (`liq.imbalance` belongs to `liquidation`, `cascade.risk-up` to `cascade`); the
 * card's file is `src/domain/cards/<category id>/<name>.ts`.
 *
 * Renamed in 0.2: `flow` → `order-flow` (cards keep the `flow.` prefix), `whale` →
 * `smart-money`, `basis` → `derivatives`; `sentiment` gave its place to `market-context`
 * (why: docs/signals.md, "Categories").
 */
import { MODES, type Mode } from "../vocabulary.js";

export interface Category {
  readonly id: string;
  /** Shorter prefix of the card ids of this category. */
  readonly alias?: string;
  /** One line: what the category measures. */
  readonly description: string;
}

export const CATEGORIES = [
  { id: "liquidation", alias: "liq", description: "Realized forced liquidations: which side is being liquidated, how much, how fast and where." },
  { id: "cascade", description: "Cascade risk: estimated liquidation notional near price against the book depth that could absorb it." },
  { id: "levels", description: "Estimated liquidation levels of open positions that price may be drawn towards or pushed away from." },
  { id: "order-flow", alias: "flow", description: "Taker (aggressor) order flow: buy minus sell volume, its persistence and its agreement across venues." },
  { id: "smart-money", description: "Large prints against the symbol's own trade-size distribution: what size is doing versus the crowd." },
  { id: "absorption", description: "Aggressive flow absorbed by resting liquidity without moving price." },
  { id: "orderbook", description: "Resting depth near the price: imbalance at several depths, microprice, walls." },
  { id: "liquidity", description: "Depth being added or pulled near price, and how the book recovers after sweeps." },
  { id: "spread", description: "Bid-ask spread and top-of-book quality: a stress indicator, and its change." },
  { id: "funding", description: "Perpetual funding as an 8-hour-equivalent rate: the cost of holding longs versus shorts." },
  { id: "open-interest", alias: "oi", description: "Open interest level and change with price: positions opening or closing, and where." },
  { id: "derivatives", description: "Premium of mark over index (basis) per venue, its level and its change." },
  { id: "positioning", description: "Crowding of longs or shorts inferred from open interest, funding and price together." },
  { id: "market-context", alias: "mkt", description: "The symbol against the market of 21 symbols: breadth, beta and correlation to BTC, relative strength." },
  { id: "momentum", description: "Price return over the window, scaled by the symbol's own volatility." },
  { id: "trend", description: "Direction of price structure across timeframes (moving averages, highs and lows)." },
  { id: "mean-reversion", alias: "mr", description: "Stretch of price from its recent mean, expecting a pull back." },
  { id: "vwap", description: "Price relative to the volume-weighted average price of the window and the session." },
  { id: "volatility", alias: "vol", description: "Realized volatility and range expansion or compression." },
  { id: "volume", description: "Traded volume against its recent baseline." },
  { id: "regime", description: "Trending versus ranging market state, which decides how other signals are read." },
  { id: "exhaustion", description: "Climactic volume or liquidation spikes after an extended move." },
  { id: "divergence", description: "Price disagreeing with flow, open interest or momentum." },
  { id: "cross-venue", alias: "xv", description: "Price and flow dispersion between venues, lead and lag." },
  { id: "microstructure", alias: "micro", description: "Trade arrival intensity, trade size mix and price impact per notional." },
] as const satisfies readonly Category[];

export type CategoryId = (typeof CATEGORIES)[number]["id"];

export const CATEGORY_IDS: readonly CategoryId[] = CATEGORIES.map((c) => c.id);

const BY_ID = new Map<string, Category>(CATEGORIES.map((c) => [c.id, c]));

export function isCategoryId(id: string): id is CategoryId {
  return BY_ID.has(id);
}

export function category(id: string): Category | undefined {
  return BY_ID.get(id);
}

/** The id prefix of a category's cards: its alias, else its id. */
export function cardPrefix(c: Category): string {
  return c.alias ?? c.id;
}

/** Non-negative weight per category per mode (composite bias); a missing entry weighs 1. */
export type CategoryWeights = Partial<Record<Mode, Partial<Record<CategoryId, number>>>>;

/** Every category weighs 1 in every mode (the default until weights are learned). */
export function uniformWeights(): CategoryWeights {
  const out: CategoryWeights = {};
  for (const mode of MODES) out[mode] = Object.fromEntries(CATEGORY_IDS.map((id) => [id, 1])) as Record<CategoryId, number>;
  return out;
}
