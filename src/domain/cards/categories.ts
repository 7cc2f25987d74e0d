/**
 * The 25 signal categories. Every card belongs to one; composite-bias weights and the
 * coordinator's learning are per category, so the list is the unit of trust.
 *
 * A card id is `prefix.name` where `prefix` is the category id or its short `alias`
 * (`liq.imbalance` belongs to `liquidation`).
 */
import { MODES, type Mode } from "../../protocol/snapshot.js";

export interface Category {
  readonly id: string;
  /** Shorter id prefix accepted for card ids of this category. */
  readonly alias?: string;
  readonly description: string;
}

export const CATEGORIES = [
  { id: "liquidation", alias: "liq", description: "Forced liquidations: which side is being liquidated and how much notional." },
  { id: "cascade", description: "Cascade risk: liquidation notional near price against the book depth that could absorb it." },
  { id: "levels", description: "Estimated liquidation levels of open positions that price may be drawn towards." },
  { id: "flow", description: "Taker (aggressor) order flow: buy minus sell volume, cumulative volume delta." },
  { id: "whale", description: "Large single prints and their side, against the typical trade size." },
  { id: "absorption", description: "Aggressive flow absorbed by resting liquidity without moving price." },
  { id: "orderbook", description: "Resting depth imbalance between bids and asks near the price." },
  { id: "liquidity", description: "Depth being added or pulled near price (book resilience)." },
  { id: "spread", description: "Bid-ask spread and top-of-book quality as a stress indicator." },
  { id: "funding", description: "Perpetual funding rate: the cost of holding longs versus shorts." },
  { id: "open-interest", alias: "oi", description: "Open interest level and change: new positions opening or closing." },
  { id: "basis", description: "Mark or perpetual price against the index: premium or discount." },
  { id: "positioning", description: "Crowding of longs or shorts inferred from open interest, funding and price together." },
  { id: "sentiment", description: "Crowd mood proxies from flow, funding and liquidation extremes." },
  { id: "momentum", description: "Price return over the window." },
  { id: "trend", description: "Direction of price structure across timeframes (moving averages, highs and lows)." },
  { id: "mean-reversion", alias: "mr", description: "Stretch of price from its recent mean, expecting a pull back." },
  { id: "vwap", description: "Price relative to the volume-weighted average price of the window." },
  { id: "volatility", alias: "vol", description: "Realized volatility and range expansion or compression." },
  { id: "volume", description: "Traded volume against its recent baseline." },
  { id: "regime", description: "Trending versus ranging market state, which decides how other signals are read." },
  { id: "exhaustion", description: "Climactic volume or liquidation spikes after an extended move." },
  { id: "divergence", description: "Price disagreeing with flow, open interest or momentum." },
  { id: "cross-venue", alias: "xv", description: "Price and flow dispersion between venues, lead and lag." },
  { id: "microstructure", alias: "micro", description: "Trade arrival intensity, trade size mix and quote updates." },
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

/** Non-negative weight per category per mode (composite bias); a missing entry weighs 1. */
export type CategoryWeights = Partial<Record<Mode, Partial<Record<CategoryId, number>>>>;

/** Every category weighs 1 in every mode (the default until weights are learned). */
export function uniformWeights(): CategoryWeights {
  const out: CategoryWeights = {};
  for (const mode of MODES) out[mode] = Object.fromEntries(CATEGORY_IDS.map((id) => [id, 1])) as Record<CategoryId, number>;
  return out;
}
