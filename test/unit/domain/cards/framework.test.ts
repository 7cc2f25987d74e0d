import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { CanonicalEvent, Level } from "../../../src/domain/events.js";
import { CATEGORIES, CATEGORY_IDS, uniformWeights } from "../../../src/domain/cards/categories.js";
import {
  cardState,
  cardTransition,
  CardRegistry,
  DEFAULT_CARDS,
  DEFAULT_REGISTRY,
  type CardDefinition,
} from "../../../src/domain/cards/registry.js";
import { available, unavailable } from "../../../src/domain/cards/card.js";
import type { CardValue, SymbolSnapshot, Timeframe } from "../../../src/protocol/snapshot.js";

const S = "BTCUSDT";

const trade = (ts: number, side: "buy" | "sell", qty: number, price = 100): CanonicalEvent => ({
  venue: "binance",
  symbol: S,
  ts,
  kind: "trade",
  price,
  qty,
  side,
  tradeId: `t${ts}`,
});

const liq = (ts: number, side: "long" | "short", notionalUsd: number, price = 100): CanonicalEvent => ({
  venue: "binance",
  symbol: S,
  ts,
  kind: "liquidation",
  side,
  price,
  qty: notionalUsd / price,
  notionalUsd,
  sampling: "sampled-1s",
});

const mark = (ts: number, fundingRate?: number): CanonicalEvent => {
  const ev: CanonicalEvent = { venue: "binance", symbol: S, ts, kind: "mark", markPrice: 100, indexPrice: 99.9 };
  if (fundingRate !== undefined) ev.fundingRate = fundingRate;
  return ev;
};

const bookSnapshot = (ts: number, seq: number, bids: Level[], asks: Level[]): CanonicalEvent => ({
  venue: "binance",
  symbol: S,
  ts,
  kind: "book",
  type: "snapshot",
  seq,
  bids,
  asks,
});

function card(snapshot: SymbolSnapshot | null | undefined, id: string) {
  const c = snapshot?.cards.find((x) => x.id === id);
  if (c === undefined) throw new Error(`no card ${id}`);
  return c;
}

/** Runs events, then advances to `at` and returns the snapshot of that boundary. */
function snapshotAt(events: CanonicalEvent[], at: number, engine = new SymbolEngine(S)): SymbolSnapshot {
  engine.ingest(events);
  engine.advanceTo(at);
  const s = engine.latest();
  if (s === null || s.ts !== at) throw new Error(`no snapshot at ${at}`);
  return s;
}

describe("categories", () => {
  it("lists 25 distinct categories, each described", () => {
    expect(CATEGORIES).toHaveLength(25);
    expect(new Set(CATEGORY_IDS).size).toBe(25);
    for (const c of CATEGORIES) expect(c.description.length).toBeGreaterThan(20);
  });

  it("gives uniform weights of 1 for every category in every mode", () => {
    const w = uniformWeights();
    expect(Object.keys(w)).toEqual(["scalp", "day", "swing"]);
    expect(Object.values(w.day ?? {})).toEqual(new Array(25).fill(1));
  });
});

describe("cards without their feed", () => {
  it("are unavailable with a reason and no invented value", () => {
    const s = snapshotAt([trade(1_000, "buy", 1)], 10_000);
    const expected = (reason: string): CardValue => ({ available: false, score: 0, strength: 0, confidence: 0, value: null, reason });
    for (const tf of ["1m", "5m", "1h"] as Timeframe[]) {
      expect(card(s, "liq.imbalance").timeframes[tf]).toEqual(expected("no liquidation feed"));
      expect(card(s, "orderbook.imbalance").timeframes[tf]).toEqual(expected("no book feed"));
      expect(card(s, "funding.rate").timeframes[tf]).toEqual(expected("no mark feed"));
      expect(card(s, "flow.cvd").timeframes[tf].available).toBe(true);
    }
    expect(card(s, "liq.imbalance").state).toBe("neutral");
    expect(card(s, "liq.imbalance").transition).toBe("none");
  });
});

describe("CardRegistry", () => {
  const base: CardDefinition = {
    id: "flow.test",
    category: "flow",
    description: "test card",
    feeds: ["trade"],
    compute: () => available(0, 0, 0, 0),
  };

  it("holds the shipped cards in order with ids matching their categories", () => {
    expect(DEFAULT_REGISTRY.cards.map((c) => c.id)).toEqual([
      "liq.imbalance",
      "liq.cascade-risk-up",
      "liq.cascade-risk-down",
      "liq.magnet",
      "liq.sweep",
      "liq.cluster-proximity",
      "liq.intensity",
      "liq.distance",
      "liq.insurance-fund",
      "flow.cvd",
      "orderbook.imbalance",
      "funding.rate",
      "momentum.return",
    ]);
    expect(DEFAULT_REGISTRY.get("liq.imbalance")?.category).toBe("liquidation");
  });

  it("rejects a duplicate card id", () => {
    expect(() => new CardRegistry([...DEFAULT_CARDS, { ...base, id: "flow.cvd" }])).toThrow('duplicate card id "flow.cvd"');
  });

  it("rejects an unknown category", () => {
    expect(() => new CardRegistry([{ ...base, id: "astro.moon", category: "astrology" as never }])).toThrow('unknown category "astrology"');
  });

  it("rejects an id whose prefix is not the category id or alias", () => {
    expect(() => new CardRegistry([{ ...base, id: "funding.cvd" }])).toThrow('must start with "flow"');
    expect(() => new CardRegistry([{ ...base, id: "Flow_CVD" }])).toThrow('"prefix.name"');
    expect(new CardRegistry([{ ...base, id: "liq.x", category: "liquidation" }]).cards).toHaveLength(1);
  });

  it("rejects an unknown or missing feed", () => {
    expect(() => new CardRegistry([{ ...base, feeds: ["candles" as never] }])).toThrow('unknown feed "candles"');
    expect(() => new CardRegistry([{ ...base, feeds: [] }])).toThrow("at least one feed");
  });
});

describe("card state and transition", () => {
  const values = (a: CardValue, b: CardValue, c: CardValue): Record<Timeframe, CardValue> => ({ "1m": a, "5m": b, "1h": c });
  const v = (score: number) => available(score, Math.abs(score), 1, score);
  const off = unavailable("no trade feed");

  it("is conflicted when available timeframes point opposite ways beyond the band", () => {
    expect(cardState(values(v(0.5), v(0), v(-0.2)), 0.1)).toEqual({ state: "conflicted", score: (0.5 + 0 - 0.2) / 3 });
  });

  it("ignores unavailable timeframes and treats scores inside the band as neutral", () => {
    expect(cardState(values(v(0.1), off, v(-0.1)), 0.1)).toEqual({ state: "neutral", score: 0 });
    expect(cardState(values(off, v(-0.4), off), 0.1)).toEqual({ state: "bearish", score: -0.4 });
    expect(cardState(values(off, off, off), 0.1)).toEqual({ state: "neutral", score: 0 });
  });

  it("names emerging, flipped, decelerating and none", () => {
    const m = (state: "bullish" | "bearish" | "neutral" | "conflicted", score: number) => ({ state, score });
    expect(cardTransition(undefined, m("bullish", 0.5))).toBe("emerging");
    expect(cardTransition(m("neutral", 0), m("bearish", -0.5))).toBe("emerging");
    expect(cardTransition(m("conflicted", 0.1), m("bullish", 0.5))).toBe("emerging");
    expect(cardTransition(m("bullish", 0.5), m("bearish", -0.2))).toBe("flipped");
    expect(cardTransition(m("bearish", -0.6), m("bearish", -0.3))).toBe("decelerating");
    expect(cardTransition(m("bearish", -0.3), m("bearish", -0.6))).toBe("none");
    expect(cardTransition(m("bullish", 0.5), m("neutral", 0))).toBe("none");
    expect(cardTransition(m("bullish", 0.5), m("conflicted", 0))).toBe("none");
  });
});
