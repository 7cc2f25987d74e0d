/** Scripted events for the liquidation-map tests: explicit timestamps, no clocks. */
import type { CanonicalEvent, Level, Venue } from "../../../../src/domain/events.js";
import { SymbolEngine, type SymbolEngineOptions } from "../../../../src/domain/engine.js";
import { LiquidationLevelsSchema, type LiquidationLevels } from "../../../../src/protocol/liquidation.js";
import { liq as cardLiq } from "../cards/helpers.js";

export const S = "BTCUSDT";

export const trade = (ts: number, price: number, qty = 1, side: "buy" | "sell" = "buy", venue: Venue = "binance"): CanonicalEvent => ({
  venue,
  symbol: S,
  ts,
  kind: "trade",
  price,
  qty,
  side,
  tradeId: `t${ts}-${price}`,
});

/** A liquidation of `notionalUsd` at `price` (the cards' helper, price first). */
export const liq = (ts: number, side: "long" | "short", price: number, notionalUsd: number, venue: Venue = "binance"): CanonicalEvent =>
  cardLiq(ts, side, notionalUsd, price, venue);

export const oi = (ts: number, oiBase: number, venue: Venue = "bybit"): CanonicalEvent => ({ venue, symbol: S, ts, kind: "oi", oiBase });

export const mark = (ts: number, markPrice: number): CanonicalEvent => ({ venue: "binance", symbol: S, ts, kind: "mark", markPrice });

export const book = (ts: number, bids: Level[], asks: Level[], seq = 1, venue: Venue = "binance"): CanonicalEvent => ({
  venue,
  symbol: S,
  ts,
  kind: "book",
  type: "snapshot",
  seq,
  bids,
  asks,
});

/** A one-bracket table (mmr, cum 0, up to 125x) for round numbers, as a config override for every venue. */
export function flatBrackets(mmr: number) {
  return [{ id: `flat-${mmr}`, venue: "*" as const, symbol: "*", source: "test", asOf: "2026", assumed: true, brackets: [{ maxNotionalUsd: null, maxLeverage: 125, mmr, cumUsd: 0 }] }];
}

/** A levels answer checked against the wire schema; throws with the reason when unavailable. */
export function available(l: LiquidationLevels) {
  LiquidationLevelsSchema.parse(l);
  if (!l.available) throw new Error(`levels unavailable: ${l.reason}`);
  return l;
}

/** 10 BTC of new OI on Bybit in bucket [0, 60 s) at a VWAP of 100,000; closed by the OI event at 61 s. */
export function withCohort(options: SymbolEngineOptions): SymbolEngine {
  const engine = new SymbolEngine(S, options);
  engine.ingest([trade(1_000, 100_000, 1), oi(1_000, 1_000), trade(30_000, 100_000, 1), oi(30_000, 1_010), oi(61_000, 1_010)]);
  return engine;
}
