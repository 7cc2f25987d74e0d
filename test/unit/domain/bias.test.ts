import { describe, expect, it } from "vitest";
import { computeBias, parseCategoryWeights } from "../../../src/domain/bias.js";
import { available, unavailable } from "../../../src/domain/cards/card.js";
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

const bias = (cards: Card[], weights = {}) =>
  computeBias({ mode: "scalp", ts: 30_000, timeframe: "1m", cards, weights, neutralBand: 0.1 });

describe("computeBias", () => {
  it("weights category scores by confidence: score Σw·c·s/Σw·c, confidence mean(c)·agreement", () => {
    const b = bias([card("flow.cvd", "order-flow", 0.5, 1), card("liq.imbalance", "liquidation", 0.5, 0.5)]);
    // num = 0.5 + 0.25, den = 1.5 → 0.5; agreement 1; mean confidence 1.5 / 2
    expect(b).toEqual({
      mode: "scalp",
      ts: 30_000,
      score: 0.5,
      confidence: 0.75,
      direction: "long",
      timeframe: "1m",
      components: [
        { category: "liquidation", weight: 1, score: 0.5, confidence: 0.5 },
        { category: "order-flow", weight: 1, score: 0.5, confidence: 1 },
      ],
    });
  });

  it("loses all confidence when equally trusted categories cancel out", () => {
    const b = bias([card("flow.cvd", "order-flow", 1), card("liq.imbalance", "liquidation", -1)]);
    expect(b).toMatchObject({ score: 0, confidence: 0, direction: "neutral" });
  });

  it("applies the mode's category weights and lowers confidence by disagreement", () => {
    const b = bias([card("flow.cvd", "order-flow", 1), card("liq.imbalance", "liquidation", -1)], { scalp: { "order-flow": 3 } });
    // num = 3 − 1 = 2, den = 4 → 0.5; agreement 2/4; mean confidence 4/4
    expect(b).toMatchObject({ score: 0.5, confidence: 0.5, direction: "long" });
    expect(b.components).toEqual([
      { category: "liquidation", weight: 1, score: -1, confidence: 1 },
      { category: "order-flow", weight: 3, score: 1, confidence: 1 },
    ]);
  });

  it("ignores weights of other modes", () => {
    const b = bias([card("flow.cvd", "order-flow", 1), card("liq.imbalance", "liquidation", -1)], { day: { "order-flow": 3 } });
    expect(b.score).toBe(0);
  });

  it("averages cards of one category by confidence into one component", () => {
    const b = bias([card("flow.cvd", "order-flow", 1, 1), card("flow.other", "order-flow", -0.5, 0.5)]);
    // s = (1 − 0.25) / 1.5 = 0.5, c = 0.75
    expect(b.components).toEqual([{ category: "order-flow", weight: 1, score: 0.5, confidence: 0.75 }]);
    expect(b).toMatchObject({ score: 0.5, confidence: 0.75, direction: "long" });
  });

  it("does not read stress cards: a score-0 stress card at full confidence leaves its category as it was", () => {
    const alone = bias([card("liq.imbalance", "liquidation", 0.6, 0.5)]);
    const withStress = bias([card("liq.imbalance", "liquidation", 0.6, 0.5), card("liq.insurance-fund", "liquidation", 0, 1, "stress")]);
    expect(withStress).toEqual(alone);
    expect(withStress.components).toEqual([{ category: "liquidation", weight: 1, score: 0.6, confidence: 0.5 }]);
  });

  it("is neutral with zero confidence when no card is available", () => {
    expect(bias([card("flow.cvd", "order-flow", null)])).toMatchObject({ score: 0, confidence: 0, direction: "neutral", components: [] });
  });

  it("gives direction short below −band and neutral inside the band", () => {
    expect(bias([card("flow.cvd", "order-flow", -0.3)]).direction).toBe("short");
    expect(bias([card("flow.cvd", "order-flow", 0.1)]).direction).toBe("neutral");
  });

  it("is neutral with zero confidence when every weight is 0", () => {
    expect(bias([card("flow.cvd", "order-flow", 1)], { scalp: { "order-flow": 0 } })).toMatchObject({ score: 0, confidence: 0, direction: "neutral" });
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

describe("bias cadence in the engine", () => {
  const S = "BTCUSDT";
  const trade = (ts: number, side: "buy" | "sell"): CanonicalEvent => ({ venue: "binance", symbol: S, ts, kind: "trade", price: 100, qty: 1, side, tradeId: `${ts}` });

  it("computes every mode at the first cycle, then scalp every 30 s, day every 60 s and swing every 300 s, carrying the last bias between", () => {
    const engine = new SymbolEngine(S, { registry: REGISTRY });
    const snaps: SymbolSnapshot[] = engine.ingest([trade(1_000, "buy")]);
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
    expect(snaps[2].bias.scalp).toMatchObject({ mode: "scalp", timeframe: "1m", direction: "long" });
    expect(snaps[29].bias.swing).toMatchObject({ mode: "swing", timeframe: "1h", direction: "long" });
    // carried, not recomputed: the very same values
    expect(snaps[4].bias.scalp).toEqual(snaps[2].bias.scalp);
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
