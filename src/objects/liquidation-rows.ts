/**
 * A liquidation as the objects' SQLite tables hold it (`notional_usd`), and its wire shape.
 * SymbolObject lists its own rows; the Coordinator lists the largest across symbols.
 */
import type { StoredLiquidation } from "../protocol/stream.js";

export interface LiquidationRow extends Record<string, SqlStorageValue> {
  ts: number;
  venue: string;
  side: string;
  price: number;
  qty: number;
  notional_usd: number;
  sampling: string;
}

/** The columns to select for `storedLiquidation`. */
export const LIQUIDATION_COLUMNS = "ts, venue, side, price, qty, notional_usd, sampling";

export function storedLiquidation(r: LiquidationRow): StoredLiquidation {
  return { ts: r.ts, venue: r.venue, side: r.side as "long" | "short", price: r.price, qty: r.qty, notionalUsd: r.notional_usd, sampling: r.sampling };
}
