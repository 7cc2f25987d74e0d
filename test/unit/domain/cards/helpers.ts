/**
 * Scripted event sequences for card tests: explicit timestamps, no timers, one symbol.
 *
 * A card test builds events with these helpers, runs them through a real `SymbolEngine` whose
 * registry holds only the card(s) under test (`engineFor`), and reads the card's values at a
 * cycle boundary (`valuesAt`). `engineFor` freezes the scaling at each card's prior
 * (`cards.scaleAdapt: false`) unless the options say otherwise, so however many cycles a scripted
 * sequence spans, a card's score is `tanh((x − center) / prior)` (`firstScore`): what hand-checked
 * expectations use. Tests of the adaptation itself pass `{ config: { cards: { scaleAdapt: true } } }`.
 */
import { expect } from "vitest";
import { SymbolEngine, type SymbolEngineOptions } from "../../../../src/domain/engine.js";
import type { BookEvent, CanonicalEvent, Level, LiquidationEvent, MarkEvent, OiEvent, QuoteEvent, TradeEvent, Venue } from "../../../../src/domain/events.js";
import { CardRegistry, type CardDefinition } from "../../../../src/domain/cards/registry.js";
import type { Card, CardValue, SymbolSnapshot, Timeframe } from "../../../../src/protocol/snapshot.js";

export const S = "BTCUSDT";

let tradeSeq = 0;

export function trade(ts: number, side: "buy" | "sell", qty: number, price = 100, venue: Venue = "binance"): TradeEvent {
  return { venue, symbol: S, ts, kind: "trade", price, qty, side, tradeId: `t${ts}-${tradeSeq++}` };
}

export function liq(ts: number, side: "long" | "short", notionalUsd: number, price = 100, venue: Venue = "binance"): LiquidationEvent {
  return { venue, symbol: S, ts, kind: "liquidation", side, price, qty: notionalUsd / price, notionalUsd, sampling: venue === "bybit" || venue === "hyperliquid" ? "complete" : "sampled-1s" };
}

export function mark(
  ts: number,
  o: { markPrice?: number; indexPrice?: number; fundingRate?: number; nextFundingTs?: number; fundingIntervalMs?: number; venue?: Venue } = {},
): MarkEvent {
  const ev: MarkEvent = { venue: o.venue ?? "binance", symbol: S, ts, kind: "mark", markPrice: o.markPrice ?? 100 };
  if (o.indexPrice !== undefined) ev.indexPrice = o.indexPrice;
  if (o.fundingRate !== undefined) ev.fundingRate = o.fundingRate;
  if (o.nextFundingTs !== undefined) ev.nextFundingTs = o.nextFundingTs;
  if (o.fundingIntervalMs !== undefined) ev.fundingIntervalMs = o.fundingIntervalMs;
  return ev;
}

export function oi(ts: number, oiBase: number, venue: Venue = "binance", oiUsd?: number): OiEvent {
  const ev: OiEvent = { venue, symbol: S, ts, kind: "oi", oiBase };
  if (oiUsd !== undefined) ev.oiUsd = oiUsd;
  return ev;
}

export function quote(ts: number, bidPrice: number, bidQty: number, askPrice: number, askQty: number, venue: Venue = "binance"): QuoteEvent {
  return { venue, symbol: S, ts, kind: "quote", bidPrice, bidQty, askPrice, askQty };
}

export function bookSnapshot(ts: number, seq: number, bids: Level[], asks: Level[], venue: Venue = "binance"): BookEvent {
  return { venue, symbol: S, ts, kind: "book", type: "snapshot", seq, bids, asks };
}

/** A delta chaining onto `seq − 1` (Binance `pu`). */
export function bookDelta(ts: number, seq: number, bids: Level[], asks: Level[], venue: Venue = "binance"): BookEvent {
  return { venue, symbol: S, ts, kind: "book", type: "delta", seq, firstSeq: seq, prevSeq: seq - 1, bids, asks };
}

/** An engine running only `cards` (plus options), its scaling frozen at the priors unless `options.config.cards.scaleAdapt` says otherwise. */
export function engineFor(cards: CardDefinition | readonly CardDefinition[], options: Omit<SymbolEngineOptions, "registry"> = {}): SymbolEngine {
  const config = { ...options.config, cards: { scaleAdapt: false, ...options.config?.cards } };
  return new SymbolEngine(S, { ...options, config, registry: new CardRegistry(Array.isArray(cards) ? cards : [cards as CardDefinition]) });
}

/** Ingests `events`, advances to boundary `at` and returns that boundary's snapshot. */
export function snapshotAt(engine: SymbolEngine, events: readonly CanonicalEvent[], at: number): SymbolSnapshot {
  engine.ingest(events);
  engine.advanceTo(at);
  const s = engine.latest();
  if (s === null || s.ts !== at) throw new Error(`no snapshot at ${at}`);
  return s;
}

export function cardOf(snapshot: SymbolSnapshot, id: string): Card {
  const c = snapshot.cards.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no card ${id}`);
  return c;
}

/** The card's values at boundary `at` after `events`, on a fresh engine running only it. */
export function valuesAt(card: CardDefinition, events: readonly CanonicalEvent[], at: number, engine = engineFor(card)): Record<Timeframe, CardValue> {
  return cardOf(snapshotAt(engine, events, at), card.id).timeframes as Record<Timeframe, CardValue>;
}

/** The score of `x` on a fresh symbol: tanh((x − center) / prior). */
export function firstScore(x: number, prior: number, center = 0): number {
  return Math.tanh((x - center) / prior);
}

/** Expects an available value close to the given figures (12 significant digits). */
export function expectValue(v: CardValue, expected: { score?: number; strength?: number; confidence?: number; value?: number; sampling?: CardValue["sampling"] }): void {
  expect(v.available, v.reason).toBe(true);
  for (const key of ["score", "strength", "confidence", "value"] as const) {
    const want = expected[key];
    if (want !== undefined) expect(v[key] as number, key).toBeCloseTo(want, 12);
  }
  if (expected.sampling !== undefined) expect(v.sampling).toBe(expected.sampling);
}

/** Expects an unavailable value whose reason contains `reason`. */
export function expectUnavailable(v: CardValue, reason: string | RegExp): void {
  expect(v.available).toBe(false);
  expect(v.value).toBeNull();
  expect(v.score).toBe(0);
  expect(v.reason ?? "").toMatch(typeof reason === "string" ? new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : reason);
}
