import { describe, expect, it } from "vitest";
import { computeBias, parseCategoryWeights } from "../../../src/domain/bias.js";
import { available, unavailable } from "../../../src/domain/cards/card.js";
import { DEFAULT_ENGINE_CONFIG, parseEngineConfig } from "../../../src/domain/config.js";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import type { Card, CardValue, SymbolSnapshot } from "../../../src/protocol/snapshot.js";
import { CardRegistry } from "../../../src/domain/cards/registry.js";
import { flowCvd } from "../../../src/domain/cards/order-flow/cvd.js";
import { liqImbalance } from "../../../src/domain/cards/liquidation/imbalance.js";
import { momentumReturn } from "../../../src/domain/cards/momentum/return.js";

/** Three cards in three categories: the engine-level tests read their components. */
const REGISTRY = new CardRegistry([liqImbalance, flowCvd, momentumReturn]);

/** A card with the same value on every timeframe. */
function card(id: string, category: string, score: number | null, confidence = 1, kind: Card["kind"] = "directional"): Card {
  const v: CardValue = score === null ? unavailable("no trade feed") : available(score, Math.abs(score), confidence, score);
  return { id, category, kind, timeframes: { "1m": v, "5m": v, "1h": v }, state: "neutral", transition: "none" };
}

const SCALP = { "1m": 0.6, "5m": 0.3, "1h": 0.1 } as const;
const bias = (cards: Card[], weights = {}) =>
  computeBias({ mode: "scalp", ts: 30_000, timeframe: "1m", timeframeWeights: SCALP, cards, weights, neutralBand: 0.1 });

/** Rounds every number to 12 decimals so hand-checked values compare exactly (0.6 + 0.3 + 0.1 ≠ 1 in binary). */
function r12<T>(x: T): T {
  if (typeof x === "number") return (Math.round(x * 1e12) / 1e12 + 0) as T;
  if (Array.isArray(x)) return x.map(r12) as T;
  if (x !== null && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, r12(v)])) as T;
  return x;
}

describe("computeBias", () => {
  it("counts missing confidence toward 0: score Σω·c·s/Σω·√coverage, confidence (Σω·c/Σw)·agreement", () => {
    const b = r12(bias([card("flow.cvd", "order-flow", 0.5, 1), card("liq.imbalance", "liquidation", 0.5, 0.5)]));
    // Σ ω·c·s = 0.25 + 0.5 = 0.75 over Σ ω = 2 → raw 0.375; coverage 2/2; confidence 1.5/2 · 1
    // (the old Σ w·c·s / Σ w·c divided the confidence back out and gave 0.5). Contributions ω·c·s / 2.
    expect(b).toEqual({
      mode: "scalp",
      ts: 30_000,
      score: 0.375,
      strength: 0.375,
      confidence: 0.75,
      direction: "long",
      state: "bullish",
      transition: "emerging",
      timeframe: "1m",
      timeframes: { "1m": { weight: 0.6, score: 0.375 }, "5m": { weight: 0.3, score: 0.375 }, "1h": { weight: 0.1, score: 0.375 } },
      raw: 0.375,
      coverage: 1,
      available: { categories: 2, of: 2, cards: 2, invalid: 0 },
      agreeing: 2,
      top: {
        contributing: [
          { category: "order-flow", contribution: 0.25 },
          { category: "liquidation", contribution: 0.125 },
        ],
        opposing: [],
      },
      weightsVersion: null,
      components: [
        { category: "liquidation", weight: 1, score: 0.5, confidence: 0.5, contribution: 0.125, cards: [{ id: "liq.imbalance", score: 0.5, confidence: 0.5, contribution: 0.125 }] },
        { category: "order-flow", weight: 1, score: 0.5, confidence: 1, contribution: 0.25, cards: [{ id: "flow.cvd", score: 0.5, confidence: 1, contribution: 0.25 }] },
      ],
    });
  });

  it("loses all confidence when equally trusted categories cancel out", () => {
    const b = bias([card("flow.cvd", "order-flow", 1), card("liq.imbalance", "liquidation", -1)]);
    expect(b).toMatchObject({ score: 0, confidence: 0, direction: "neutral", state: "neutral", agreeing: 0, top: { contributing: [], opposing: [] } });
  });

  it("applies the mode's category weights and lowers confidence by disagreement", () => {
    const b = r12(bias([card("flow.cvd", "order-flow", 1), card("liq.imbalance", "liquidation", -1)], { scalp: { "order-flow": 3 } }));
    // Σ ω·c·s = 3 − 1 = 2 over Σ ω = 4 → 0.5; agreement 2/4; Σ ω·c / Σ w = 4/4
    expect(b).toMatchObject({ score: 0.5, confidence: 0.5, direction: "long", agreeing: 1 });
    expect(b.components.map(({ cards: _, ...c }) => c)).toEqual([
      { category: "liquidation", weight: 1, score: -1, confidence: 1, contribution: -0.25 },
      { category: "order-flow", weight: 3, score: 1, confidence: 1, contribution: 0.75 },
    ]);
    expect(b.top).toEqual({ contributing: [{ category: "order-flow", contribution: 0.75 }], opposing: [{ category: "liquidation", contribution: -0.25 }] });
  });

  it("ignores weights of other modes", () => {
    const b = bias([card("flow.cvd", "order-flow", 1), card("liq.imbalance", "liquidation", -1)], { day: { "order-flow": 3 } });
    expect(b.score).toBe(0);
  });

  it("averages cards of one category by confidence into one component and splits it over its cards", () => {
    const b = r12(bias([card("flow.cvd", "order-flow", 1, 1), card("flow.other", "order-flow", -0.5, 0.5)]));
    // c = 0.75, s = (1 − 0.25) / 1.5 = 0.5, c·s = 0.375 = raw = score (one category, covered);
    // card shares c_j·s_j / n: 1/2 and −0.25/2
    expect(b.components).toEqual([
      {
        category: "order-flow",
        weight: 1,
        score: 0.5,
        confidence: 0.75,
        contribution: 0.375,
        cards: [
          { id: "flow.cvd", score: 1, confidence: 1, contribution: 0.5 },
          { id: "flow.other", score: -0.5, confidence: 0.5, contribution: -0.125 },
        ],
      },
    ]);
    expect(b).toMatchObject({ score: 0.375, confidence: 0.75, direction: "long" });
  });

  it("does not read stress cards: a score-0 stress card at full confidence leaves its category as it was", () => {
    const alone = bias([card("liq.imbalance", "liquidation", 0.6, 0.5)]);
    const withStress = bias([card("liq.imbalance", "liquidation", 0.6, 0.5), card("liq.insurance-fund", "liquidation", 0, 1, "stress")]);
    expect(withStress).toEqual(alone);
    expect(r12(withStress.components)).toEqual([
      { category: "liquidation", weight: 1, score: 0.6, confidence: 0.5, contribution: 0.3, cards: [{ id: "liq.imbalance", score: 0.6, confidence: 0.5, contribution: 0.3 }] },
    ]);
  });

  it("is neutral with zero confidence when no card is available", () => {
    expect(bias([card("flow.cvd", "order-flow", null)])).toMatchObject({ score: 0, confidence: 0, direction: "neutral", components: [], available: { categories: 0, of: 1, cards: 0, invalid: 0 } });
  });

  it("gives direction short below −band and neutral inside the band", () => {
    expect(bias([card("flow.cvd", "order-flow", -0.3)]).direction).toBe("short");
    expect(bias([card("flow.cvd", "order-flow", 0.1)]).direction).toBe("neutral");
  });

  it("is neutral with zero confidence when every weight is 0", () => {
    expect(bias([card("flow.cvd", "order-flow", 1)], { scalp: { "order-flow": 0 } })).toMatchObject({ score: 0, confidence: 0, coverage: 0, direction: "neutral" });
  });
});

describe("parseCategoryWeights", () => {
  it("names the bad field and its bound", () => {
    expect(() => parseCategoryWeights({ scalp: { "order-flow": -1 } })).toThrow("weights.scalp.order-flow must be >= 0 (got -1)");
    expect(() => parseCategoryWeights({ day: { astrology: 1 } })).toThrow("weights.day.astrology is not a known category");
    expect(() => parseCategoryWeights({ hodl: {} })).toThrow("weights.hodl is not a known mode");
    expect(() => parseCategoryWeights({ swing: { "order-flow": Number.POSITIVE_INFINITY } })).toThrow("weights.swing.order-flow must be a finite number (got Infinity)");
  });

  it("accepts partial weights", () => {
    expect(parseCategoryWeights({ day: { "order-flow": 2 } })).toEqual({ day: { "order-flow": 2 } });
  });
});

describe("bias config", () => {
  it("defaults to scalp leaning 1m, day 5m and swing 1h, each mode's weights summing to 1", () => {
    expect(DEFAULT_ENGINE_CONFIG.modeTimeframeWeights).toEqual({
      scalp: { "1m": 0.6, "5m": 0.3, "1h": 0.1 },
      day: { "1m": 0.2, "5m": 0.6, "1h": 0.2 },
      swing: { "1m": 0.1, "5m": 0.3, "1h": 0.6 },
    });
    expect(DEFAULT_ENGINE_CONFIG.modeTimeframe).toEqual({ scalp: "1m", day: "5m", swing: "1h" });
  });

  it("names the field when a mode's timeframe weights do not sum to 1 or its leading timeframe is not the heaviest", () => {
    expect(() => parseEngineConfig({ modeTimeframeWeights: { day: { "1m": 0.5 } } })).toThrow("modeTimeframeWeights.day must sum to 1 (got 1.3)");
    expect(() => parseEngineConfig({ modeTimeframeWeights: { day: { "1m": -0.1, "5m": 0.9 } } })).toThrow("modeTimeframeWeights.day.1m must be >= 0 (got -0.1)");
    expect(() => parseEngineConfig({ modeTimeframe: { scalp: "1h" } })).toThrow("modeTimeframe.scalp must be a timeframe with the largest weight in modeTimeframeWeights.scalp (got 1h)");
    const swapped = parseEngineConfig({ modeTimeframe: { scalp: "5m" }, modeTimeframeWeights: { scalp: { "1m": 0.3, "5m": 0.6 } } });
    expect(swapped.modeTimeframeWeights.scalp).toEqual({ "1m": 0.3, "5m": 0.6, "1h": 0.1 });
  });
});

describe("bias cadence in the engine", () => {
  const S = "BTCUSDT";
  const trade = (ts: number, side: "buy" | "sell"): CanonicalEvent => ({ venue: "binance", symbol: S, ts, kind: "trade", price: 100, qty: 1, side, tradeId: `${ts}` });

  /** `n` buys 5 ms apart from 1 s on, each a cent above the last: full trade confidence (100 trades) when n ≥ 100. */
  const buys = (n: number): CanonicalEvent[] =>
    Array.from({ length: n }, (_, i) => ({ venue: "binance", symbol: S, ts: 1_000 + i * 5, kind: "trade", price: 100 + i * 0.01, qty: 1, side: "buy", tradeId: `b${i}` }));

  it("computes every mode at the first cycle, then scalp every 30 s, day every 60 s and swing every 300 s, carrying the last bias between", () => {
    const engine = new SymbolEngine(S, { registry: REGISTRY });
    const snaps: SymbolSnapshot[] = engine.ingest(buys(100));
    for (let t = 10_000; t <= 300_000; t += 10_000) snaps.push(...engine.advanceTo(t));
    expect(snaps.map((s) => s.ts)).toEqual(Array.from({ length: 30 }, (_, i) => (i + 1) * 10_000));
    const biasTs = (s: SymbolSnapshot) => [s.bias.scalp?.ts ?? null, s.bias.day?.ts ?? null, s.bias.swing?.ts ?? null];
    expect(snaps.slice(0, 7).map(biasTs)).toEqual([
      [10_000, 10_000, 10_000], // 10 s: the first cycle computes all three
      [10_000, 10_000, 10_000], // 20 s
      [30_000, 10_000, 10_000],
      [30_000, 10_000, 10_000],
      [30_000, 10_000, 10_000],
      [60_000, 60_000, 10_000],
      [60_000, 60_000, 10_000], // 70 s
    ]);
    expect(biasTs(snaps[28])).toEqual([270_000, 240_000, 10_000]);
    expect(biasTs(snaps[29])).toEqual([300_000, 300_000, 300_000]);
    expect(snaps[2].bias.scalp).toMatchObject({ mode: "scalp", timeframe: "1m", direction: "long", state: "bullish", weightsVersion: null });
    expect(snaps[29].bias.swing).toMatchObject({ mode: "swing", timeframe: "1h", direction: "long", state: "bullish", weightsVersion: null });
    // carried, not recomputed: the very same values
    expect(snaps[4].bias.scalp).toEqual(snaps[2].bias.scalp);
  });

  it("reads every timeframe with the mode's weights and passes the mode's previous bias for the transition", () => {
    const engine = new SymbolEngine(S, { registry: REGISTRY });
    const snaps: SymbolSnapshot[] = engine.ingest(buys(100));
    for (let t = 10_000; t <= 300_000; t += 10_000) snaps.push(...engine.advanceTo(t));
    const weights = (m: "scalp" | "day" | "swing", i: number) => Object.values(snaps[i].bias[m]?.timeframes ?? {}).map((t) => t.weight);
    expect([weights("scalp", 0), weights("day", 0), weights("swing", 0)]).toEqual([
      [0.6, 0.3, 0.1],
      [0.2, 0.6, 0.2],
      [0.1, 0.3, 0.6],
    ]);
    // The first bias of each mode emerges from nothing; by 300 s the 1m window is empty (the buys
    // are at 1 s), so every mode still leans long but less: decelerating.
    expect([snaps[0].bias.scalp?.transition, snaps[0].bias.day?.transition, snaps[0].bias.swing?.transition]).toEqual(["emerging", "emerging", "emerging"]);
    expect([snaps[29].bias.scalp?.transition, snaps[29].bias.day?.transition, snaps[29].bias.swing?.transition]).toEqual(["decelerating", "decelerating", "decelerating"]);
    expect(snaps[29].bias.scalp?.timeframes["1m"].score).toBe(0);
    expect(Math.abs(snaps[29].bias.scalp?.score ?? 1)).toBeLessThan(Math.abs(snaps[0].bias.scalp?.score ?? 0));
  });

  it("reads one trade as too little evidence: a neutral bias near 0, not a strong one", () => {
    const engine = new SymbolEngine(S, { registry: REGISTRY });
    const b = engine.ingest([trade(1_000, "buy")]).concat(engine.advanceTo(10_000)).at(-1)?.bias.scalp;
    // order-flow at confidence 1/100 with s ≈ 1, momentum at 1/100 with s = 0, liquidation silent:
    // raw ≈ 0.01 / 2, coverage 2/3 → score ≈ 0.005·√(2/3) ≈ 0.00408 (the old formula read ≈ +1 from order-flow)
    expect(b?.score).toBeCloseTo(0.00408, 4);
    expect(b).toMatchObject({ direction: "neutral", state: "neutral", transition: "none", available: { categories: 2, of: 3, cards: 2, invalid: 0 } });
  });

  it("uses weights set with setWeights from the next computation on", () => {
    const engine = new SymbolEngine(S, { registry: REGISTRY });
    engine.ingest([trade(1_000, "buy"), trade(2_000, "buy"), { venue: "binance", symbol: S, ts: 3_000, kind: "liquidation", side: "short", price: 100, qty: 1, notionalUsd: 100, sampling: "complete" }]);
    const before = engine.advanceTo(30_000).at(-1)?.bias.scalp;
    engine.setWeights({ scalp: { momentum: 0, "order-flow": 0 } });
    const after = engine.advanceTo(60_000).at(-1)?.bias.scalp;
    expect(before?.components.map((c) => [c.category, c.weight])).toEqual([
      ["liquidation", 1],
      ["order-flow", 1],
      ["momentum", 1],
    ]);
    expect(after?.components.map((c) => [c.category, c.weight])).toEqual([
      ["liquidation", 1],
      ["order-flow", 0],
      ["momentum", 0],
    ]);
    expect(() => engine.setWeights({ scalp: { "order-flow": -2 } })).toThrow("weights.scalp.order-flow must be >= 0 (got -2)");
  });
});
