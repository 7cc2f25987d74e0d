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

describe("liq.imbalance", () => {
  it("is exactly 0 for 3 long liquidations of 1000 USD against 1 short of 3000", () => {
    const s = snapshotAt([liq(1_000, "long", 1_000), liq(2_000, "long", 1_000), liq(3_000, "long", 1_000), liq(4_000, "short", 3_000)], 10_000);
    expect(card(s, "liq.imbalance").timeframes["1m"]).toEqual({ available: true, score: 0, strength: 0, confidence: 0.4, value: 0 });
    expect(card(s, "liq.imbalance").state).toBe("neutral");
  });

  it("leans bullish when more short notional is liquidated (forced buys)", () => {
    const s = snapshotAt([liq(1_000, "long", 1_000), liq(4_000, "short", 3_000)], 10_000);
    const c = card(s, "liq.imbalance");
    expect(c.timeframes["5m"]).toEqual({ available: true, score: 0.5, strength: 0.5, confidence: 0.2, value: 2_000 });
    expect(c.state).toBe("bullish");
    expect(c.transition).toBe("emerging");
  });

  it("leans bearish on long liquidations and reaches full confidence at liqFullConfidenceCount", () => {
    const events = Array.from({ length: 12 }, (_, i) => liq(1_000 + i * 100, "long", 500));
    const s = snapshotAt(events, 10_000);
    expect(card(s, "liq.imbalance").timeframes["1h"]).toEqual({ available: true, score: -1, strength: 1, confidence: 1, value: -6_000 });
  });

  it("is available with value 0 and confidence 0 when the feed delivered but the window has none", () => {
    const engine = new SymbolEngine(S);
    const s = snapshotAt([liq(1_000, "long", 1_000), trade(65_000, "buy", 1)], 70_000, engine);
    const c = card(s, "liq.imbalance");
    // 1m window is [10000, 70000): the liquidation at 1000 is outside it, inside 5m and 1h
    expect(c.timeframes["1m"]).toEqual({ available: true, score: 0, strength: 0, confidence: 0, value: 0 });
    expect(c.timeframes["5m"]).toEqual({ available: true, score: -1, strength: 1, confidence: 0.1, value: -1_000 });
  });
});

describe("flow.cvd", () => {
  it("is buy minus sell quantity with score (buy − sell)/(buy + sell) and confidence from trade count", () => {
    const s = snapshotAt([trade(1_000, "buy", 1.5), trade(2_000, "sell", 1), trade(3_000, "buy", 1.5)], 10_000);
    expect(card(s, "flow.cvd").timeframes["1m"]).toEqual({ available: true, score: 0.5, strength: 0.5, confidence: 0.03, value: 2 });
  });

  it("steps through emerging, decelerating, none, flipped and emerging again across cycles", () => {
    const engine = new SymbolEngine(S);
    const steps: [CanonicalEvent, number][] = [
      [trade(1_000, "buy", 1), 10_000], // 1 vs 0: +1
      [trade(11_000, "sell", 0.5), 20_000], // 1 vs 0.5: +1/3
      [trade(21_000, "buy", 1), 30_000], // 2 vs 0.5: +0.6
      [trade(31_000, "sell", 3.5), 40_000], // 2 vs 4: −1/3
      [trade(41_000, "buy", 2), 50_000], // 4 vs 4: 0
      [trade(51_000, "sell", 1), 60_000], // 4 vs 5: −1/9 (just outside the 0.1 band)
    ];
    const seen = steps.map(([ev, at]) => {
      const c = card(snapshotAt([ev], at, engine), "flow.cvd");
      return [c.state, c.transition, c.timeframes["1m"].score];
    });
    expect(seen).toEqual([
      ["bullish", "emerging", 1],
      ["bullish", "decelerating", 0.5 / 1.5],
      ["bullish", "none", 1.5 / 2.5],
      ["bearish", "flipped", -2 / 6],
      ["neutral", "none", 0],
      ["bearish", "emerging", -1 / 9],
    ]);
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

describe("orderbook.imbalance", () => {
  it("compares bid and ask depth within each timeframe's band around mid", () => {
    const s = snapshotAt([bookSnapshot(1_000, 7, [[99.95, 3], [99.5, 1], [90, 50]], [[100.05, 1], [100.6, 1], [110, 50]])], 10_000);
    const c = card(s, "orderbook.imbalance");
    // mid 100; 1m ±0.1 % and 5m ±0.25 % hold 99.95 / 100.05; 1h ±1 % adds 99.5 / 100.6
    expect(c.timeframes["1m"]).toEqual({ available: true, score: 0.5, strength: 0.5, confidence: 0.1, value: 2 });
    expect(c.timeframes["5m"]).toEqual({ available: true, score: 0.5, strength: 0.5, confidence: 0.1, value: 2 });
    expect(c.timeframes["1h"]).toEqual({ available: true, score: 1 / 3, strength: 1 / 3, confidence: 0.2, value: 2 });
  });

  it("is unavailable while the book has only deltas and no snapshot", () => {
    const delta: CanonicalEvent = { venue: "binance", symbol: S, ts: 1_000, kind: "book", type: "delta", seq: 10, firstSeq: 5, prevSeq: 4, bids: [[99, 1]], asks: [] };
    const s = snapshotAt([delta], 10_000);
    expect(card(s, "orderbook.imbalance").timeframes["1m"]).toMatchObject({ available: false, value: null, reason: "book not synced" });
  });
});

describe("funding.rate", () => {
  it("reads positive funding above the baseline as bearish (crowded longs)", () => {
    const s = snapshotAt([mark(1_000, 0.0003), mark(2_000, 0.0004)], 10_000);
    const v = card(s, "funding.rate").timeframes["1m"];
    // mean 0.00035; score = −(0.00035 − 0.0001) / 0.0005 = −0.5; confidence 2/10
    expect(v.available).toBe(true);
    expect(v.value).toBeCloseTo(0.00035, 15);
    expect(v.score).toBeCloseTo(-0.5, 12);
    expect(v.strength).toBeCloseTo(0.5, 12);
    expect(v.confidence).toBe(0.2);
  });

  it("reads negative funding as bullish, capped at 1", () => {
    const s = snapshotAt([mark(1_000, -0.001)], 10_000);
    expect(card(s, "funding.rate").timeframes["5m"]).toEqual({ available: true, score: 1, strength: 1, confidence: 0.1, value: -0.001 });
  });

  it("is unavailable when marks never carried a funding rate", () => {
    const s = snapshotAt([mark(1_000)], 10_000);
    expect(card(s, "funding.rate").timeframes["1h"]).toMatchObject({ available: false, reason: "no funding rate in mark feed" });
  });
});

describe("momentum.return", () => {
  it("is the first-to-last trade return scaled per timeframe", () => {
    const s = snapshotAt([trade(1_000, "buy", 1, 100), trade(2_000, "sell", 1, 100.5), trade(3_000, "buy", 1, 100.1)], 10_000);
    const c = card(s, "momentum.return");
    // return 0.001: 1m scale 0.002 → 0.5, 1h scale 0.02 → 0.05
    expect(c.timeframes["1m"].value).toBeCloseTo(0.001, 12);
    expect(c.timeframes["1m"].score).toBeCloseTo(0.5, 10);
    expect(c.timeframes["1h"].score).toBeCloseTo(0.05, 10);
    expect(c.timeframes["1m"].confidence).toBe(0.03);
    expect(c.state).toBe("bullish");
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
