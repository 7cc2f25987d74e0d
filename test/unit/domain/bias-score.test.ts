import { describe, expect, it } from "vitest";
import { computeBias, type BiasInput } from "../../../src/domain/bias.js";
import { available, unavailable } from "../../../src/domain/cards/card.js";
import { CATEGORY_IDS } from "../../../src/domain/cards/categories.js";
import type { Bias, Card, CardValue, Timeframe } from "../../../src/protocol/snapshot.js";

const SCALP = { "1m": 0.6, "5m": 0.3, "1h": 0.1 } as const;
const DAY = { "1m": 0.2, "5m": 0.6, "1h": 0.2 } as const;
const SWING = { "1m": 0.1, "5m": 0.3, "1h": 0.6 } as const;

type Reading = [score: number, confidence: number] | null;

/** A directional card; one reading for every timeframe, or one per timeframe (null: unavailable). */
function card(id: string, category: string, r: Reading | Record<Timeframe, Reading>): Card {
  const per = r === null || Array.isArray(r) ? { "1m": r, "5m": r, "1h": r } : r;
  const v = (x: Reading): CardValue => (x === null ? unavailable("no trade feed") : available(x[0], Math.abs(x[0]), x[1], x[0]));
  return { id, category, kind: "directional", timeframes: { "1m": v(per["1m"]), "5m": v(per["5m"]), "1h": v(per["1h"]) }, state: "neutral", transition: "none" };
}

const bias = (cards: Card[], extra: Partial<BiasInput> = {}): Bias =>
  computeBias({ mode: "scalp", ts: 30_000, timeframe: "1m", timeframeWeights: SCALP, cards, weights: {}, neutralBand: 0.1, ...extra });

/** Rounds every number to 12 decimals so hand-checked values compare exactly (0.6 + 0.3 + 0.1 ≠ 1 in binary). */
function r12<T>(x: T): T {
  if (typeof x === "number") return (Math.round(x * 1e12) / 1e12 + 0) as T;
  if (Array.isArray(x)) return x.map(r12) as T;
  if (x !== null && typeof x === "object") return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, r12(v)])) as T;
  return x;
}

describe("bias score shrinks with evidence", () => {
  it("reads one category at 9 % confidence among 25 as weak and neutral, not +1.00", () => {
    const cards = CATEGORY_IDS.map((id) => card(`${id}.probe`, id, id === "funding" ? [1, 0.09] : null));
    const b = r12(bias(cards));
    // raw = 0.09·1 / 1 = 0.09; coverage = 1/25; score = 0.09·√0.04 = 0.018 (the old Σw·c·s/Σw·c gave 1);
    // confidence = (0.09 / 25)·1 = 0.0036
    expect(b).toMatchObject({ score: 0.018, strength: 0.018, raw: 0.09, coverage: 0.04, confidence: 0.0036, direction: "neutral", state: "neutral", transition: "none" });
    expect(b.available).toEqual({ categories: 1, of: 25, cards: 1, invalid: 0 });
    expect(b.agreeing).toBe(1);
    expect(b.top).toEqual({ contributing: [{ category: "funding", contribution: 0.018 }], opposing: [] });
    expect(b.timeframes).toEqual({ "1m": { weight: 0.6, score: 0.018 }, "5m": { weight: 0.3, score: 0.018 }, "1h": { weight: 0.1, score: 0.018 } });
  });

  it("reads a strong consensus of every category at full confidence as its mean score", () => {
    const ids = ["liquidation", "order-flow", "orderbook", "momentum", "trend"];
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5];
    const b = r12(bias(ids.map((id, i) => card(`${id}.x`, id, [scores[i], 1]))));
    // raw = (0.9 + 0.8 + 0.7 + 0.6 + 0.5) / 5 = 0.7; coverage 1; confidence 1·1; contributions s/5
    expect(b).toMatchObject({ score: 0.7, strength: 0.7, raw: 0.7, coverage: 1, confidence: 1, direction: "long", state: "bullish", transition: "emerging", agreeing: 5 });
    expect(b.top).toEqual({
      contributing: [
        { category: "liquidation", contribution: 0.18 },
        { category: "order-flow", contribution: 0.16 },
        { category: "orderbook", contribution: 0.14 },
      ],
      opposing: [],
    });
  });

  it("shrinks a partial, partly opposed consensus by confidence, coverage and agreement (hand-checked)", () => {
    const b = bias([
      card("liq.imbalance", "liquidation", [0.8, 1]),
      card("flow.cvd", "order-flow", [0.5, 0.8]),
      card("momentum.return", "momentum", [-0.2, 0.5]),
      card("trend.ema", "trend", null),
    ]);
    // x = 0.8, 0.4, −0.1 → Σ = 1.1; Σ_A ω = 3; raw = 1.1/3 = 0.366667; coverage 3/4; score = raw·√0.75
    // agreement = 1.1 / 1.3; confidence = (1 + 0.8 + 0.5)/4 · 1.1/1.3 = 0.486538; f = √0.75 / 3
    expect(b.raw).toBeCloseTo(0.366667, 6);
    expect(b.coverage).toBeCloseTo(0.75, 12);
    expect(b.score).toBeCloseTo(0.317543, 6);
    expect(b.confidence).toBeCloseTo(0.486538, 6);
    expect(b).toMatchObject({ direction: "long", state: "bullish", agreeing: 2, available: { categories: 3, of: 4, cards: 3, invalid: 0 } });
    expect(r12(b.top)).toEqual(
      r12({
        contributing: [
          { category: "liquidation", contribution: (0.8 * Math.sqrt(0.75)) / 3 },
          { category: "order-flow", contribution: (0.4 * Math.sqrt(0.75)) / 3 },
        ],
        opposing: [{ category: "momentum", contribution: (-0.1 * Math.sqrt(0.75)) / 3 }],
      }),
    );
  });

  it("is 0 with zero confidence and null timeframe scores when nothing is available, counting what could speak", () => {
    const b = bias([card("flow.cvd", "order-flow", null), card("liq.imbalance", "liquidation", null)]);
    expect(b).toMatchObject({ score: 0, strength: 0, raw: 0, coverage: 0, confidence: 0, direction: "neutral", state: "neutral", transition: "none", agreeing: 0, components: [] });
    expect(b.available).toEqual({ categories: 0, of: 2, cards: 0, invalid: 0 });
    expect(b.timeframes).toEqual({ "1m": { weight: 0.6, score: null }, "5m": { weight: 0.3, score: null }, "1h": { weight: 0.1, score: null } });
    expect(bias([])).toMatchObject({ score: 0, confidence: 0, coverage: 0, available: { categories: 0, of: 0, cards: 0, invalid: 0 } });
  });

  it("leaves a non-finite card value out and counts it, never reading it as 0", () => {
    const nan = card("flow.cvd", "order-flow", [0.5, 1]);
    nan.timeframes["1m"] = { available: true, score: Number.NaN, strength: 0, confidence: 1, value: 0 };
    const inf = card("liq.imbalance", "liquidation", [0.5, 1]);
    inf.timeframes["5m"] = { available: true, score: 0.5, strength: 0.5, confidence: Number.POSITIVE_INFINITY, value: 0 };
    const b = bias([nan, inf]);
    // Σ_A ω = (0.3 + 0.1) + (0.6 + 0.1) = 1.1 of 2; Σ ω·cs = 0.4·0.5 + 0.7·0.5 = 0.55; raw 0.5; score 0.5·√0.55
    expect(b.available).toEqual({ categories: 2, of: 2, cards: 2, invalid: 2 });
    expect(b.raw).toBeCloseTo(0.5, 12);
    expect(b.coverage).toBeCloseTo(0.55, 12);
    expect(b.score).toBeCloseTo(0.5 * Math.sqrt(0.55), 12);
    expect(Number.isFinite(b.confidence)).toBe(true);
    expect(b.timeframes["1m"].score).toBeCloseTo(0.5 * Math.sqrt(0.5), 12);
  });
});

describe("bias across the mode's timeframes", () => {
  const split = card("flow.cvd", "order-flow", { "1m": [0.6, 1], "5m": [0.2, 1], "1h": [-0.9, 1] });

  it("weighs the timeframes by mode and is conflicted when they lean opposite ways beyond the band", () => {
    // scalp 0.6·0.6 + 0.3·0.2 − 0.1·0.9 = 0.33; day 0.12 + 0.12 − 0.18 = 0.06; swing 0.06 + 0.06 − 0.54 = −0.42
    const scalp = r12(bias([split]));
    const day = r12(bias([split], { mode: "day", timeframe: "5m", timeframeWeights: DAY }));
    const swing = r12(bias([split], { mode: "swing", timeframe: "1h", timeframeWeights: SWING }));
    expect([scalp.score, day.score, swing.score]).toEqual([0.33, 0.06, -0.42]);
    expect([scalp.direction, day.direction, swing.direction]).toEqual(["long", "neutral", "short"]);
    expect([scalp.state, day.state, swing.state]).toEqual(["conflicted", "conflicted", "conflicted"]);
    expect(swing.timeframe).toBe("1h");
    expect(swing.timeframes).toEqual({ "1m": { weight: 0.1, score: 0.6 }, "5m": { weight: 0.3, score: 0.2 }, "1h": { weight: 0.6, score: -0.9 } });
  });

  it("does not let a timeframe the mode does not weigh make it conflicted", () => {
    const b = r12(bias([split], { timeframeWeights: { "1m": 0.7, "5m": 0.3, "1h": 0 } }));
    expect(b).toMatchObject({ score: 0.48, state: "bullish", direction: "long" });
    expect(b.timeframes["1h"]).toEqual({ weight: 0, score: -0.9 });
    expect(b.components[0].cards).toEqual([{ id: "flow.cvd", score: 0.48, confidence: 1, contribution: 0.48 }]);
  });

  it("counts a category available on one timeframe by that timeframe's weight, and names the timeframe of a card read on it alone", () => {
    const hourOnly = card("flow.cvd", "order-flow", { "1m": null, "5m": null, "1h": [1, 1] });
    const flat = card("flow.delta", "order-flow", [0, 1]);
    const b = r12(bias([hourOnly, flat]));
    // 1h cell: n 2, c 1, cs 0.5; 1m and 5m cells: n 1, c 1, cs 0. Σ_A ω = 1, Σ ω·cs = 0.1·0.5 → raw 0.05
    expect(b).toMatchObject({ raw: 0.05, score: 0.05, coverage: 1, direction: "neutral" });
    expect(b.components).toEqual([
      {
        category: "order-flow",
        weight: 1,
        score: 0.05,
        confidence: 1,
        contribution: 0.05,
        cards: [
          { id: "flow.cvd", timeframe: "1h", score: 1, confidence: 1, contribution: 0.05 },
          { id: "flow.delta", score: 0, confidence: 1, contribution: 0 },
        ],
      },
    ]);
    // Alone, the hour-only card covers 0.1 of the scalp mode: raw 0.1/0.1 = 1, score √0.1
    const alone = bias([hourOnly]);
    expect(alone.coverage).toBeCloseTo(0.1, 12);
    expect(alone.score).toBeCloseTo(Math.sqrt(0.1), 12);
  });
});

describe("bias explanation", () => {
  const eight = (sign: 1 | -1) =>
    [
      ["liquidation", 0.3],
      ["cascade", 0.9],
      ["levels", -0.1],
      ["order-flow", 0.5],
      ["smart-money", -0.6],
      ["absorption", 0.5],
      ["orderbook", -0.4],
      ["liquidity", -0.2],
    ].map(([id, s]) => card(`${id}.x`, id as string, [sign * (s as number), 1]));

  it("lists the top 3 contributing and opposing categories by |contribution| (ties in category order) and counts the agreeing ones", () => {
    const b = r12(bias(eight(1)));
    // Σ s = 0.9 over 8 categories at c = 1: score 0.1125; contributions s/8
    expect(b).toMatchObject({ score: 0.1125, direction: "long", agreeing: 4 });
    expect(b.top).toEqual({
      contributing: [
        { category: "cascade", contribution: 0.1125 },
        { category: "order-flow", contribution: 0.0625 },
        { category: "absorption", contribution: 0.0625 },
      ],
      opposing: [
        { category: "smart-money", contribution: -0.075 },
        { category: "orderbook", contribution: -0.05 },
        { category: "liquidity", contribution: -0.025 },
      ],
    });
  });

  it("mirrors the sides when the score is negative", () => {
    const b = r12(bias(eight(-1)));
    expect(b).toMatchObject({ score: -0.1125, direction: "short", agreeing: 4 });
    expect(b.top.contributing.map((t) => t.category)).toEqual(["cascade", "order-flow", "absorption"]);
    expect(b.top.opposing.map((t) => [t.category, t.contribution])).toEqual([
      ["smart-money", 0.075],
      ["orderbook", 0.05],
      ["liquidity", 0.025],
    ]);
  });

  it("splits the score exactly over categories and cards", () => {
    // A seeded scatter of cards over 6 categories with random availability per timeframe.
    let s = 7; // mulberry32
    const rnd = () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const cats = ["liquidation", "order-flow", "orderbook", "funding", "momentum", "trend"];
    for (let round = 0; round < 20; round++) {
      const cards: Card[] = [];
      for (let i = 0; i < 12; i++) {
        const reading = (): Reading => (rnd() < 0.25 ? null : [2 * rnd() - 1, rnd()]);
        cards.push(card(`c${i}.x`, cats[i % cats.length], { "1m": reading(), "5m": reading(), "1h": reading() }));
      }
      const b = bias(cards, { weights: { scalp: { funding: 2.5, trend: 0.3 } } });
      expect(b.components.length).toBeGreaterThan(0);
      const byComponent = b.components.reduce((acc, c) => acc + c.contribution, 0);
      expect(Math.abs(byComponent - b.score)).toBeLessThan(1e-12);
      for (const c of b.components) expect(Math.abs(c.cards.reduce((acc, x) => acc + x.contribution, 0) - c.contribution)).toBeLessThan(1e-12);
      expect(b.agreeing).toBe(b.components.filter((c) => Math.sign(c.contribution) === Math.sign(b.score) && b.score !== 0).length);
    }
  });
});

describe("bias transition", () => {
  const up = [card("flow.cvd", "order-flow", [0.5, 1])]; // score 0.5, bullish
  const at = (previous: BiasInput["previous"]) => bias(up, { previous }).transition;

  it("uses the cards' rule against the previous bias of the mode", () => {
    expect(at(null)).toBe("emerging");
    expect(at({ score: 0, direction: "neutral", state: "neutral" })).toBe("emerging");
    expect(at({ score: 0.2, direction: "long", state: "conflicted" })).toBe("emerging");
    expect(at({ score: -0.3, direction: "short", state: "bearish" })).toBe("flipped");
    expect(at({ score: 0.6, direction: "long", state: "bullish" })).toBe("decelerating");
    expect(at({ score: 0.4, direction: "long", state: "bullish" })).toBe("none");
    expect(bias([card("flow.cvd", "order-flow", [0.05, 1])], { previous: { score: 0.5, direction: "long", state: "bullish" } }).transition).toBe("none");
  });

  it("reads a previous bias without a state (a checkpoint written before it) by its direction", () => {
    expect(at({ score: 0.6, direction: "long" })).toBe("decelerating");
    expect(at({ score: -0.6, direction: "short" })).toBe("flipped");
  });
});

describe("bias input checks and weights version", () => {
  it("records the weights version it was given, null without one", () => {
    expect(bias([]).weightsVersion).toBeNull();
    expect(bias([], { weightsVersion: 7 }).weightsVersion).toBe(7);
  });

  it("rejects timeframe weights that are not finite, negative or do not sum to 1, and a bad version", () => {
    expect(() => bias([], { timeframeWeights: { "1m": 0.5, "5m": 0.3, "1h": 0.1 } })).toThrow("computeBias: timeframeWeights must sum to 1 (got 0.9)");
    expect(() => bias([], { timeframeWeights: { "1m": 1.2, "5m": -0.2, "1h": 0 } })).toThrow("timeframeWeights.5m must be a finite number >= 0 (got -0.2)");
    expect(() => bias([], { timeframeWeights: { "1m": Number.NaN, "5m": 0.5, "1h": 0.5 } })).toThrow("timeframeWeights.1m must be a finite number >= 0 (got NaN)");
    expect(() => bias([], { weightsVersion: 1.5 })).toThrow("weightsVersion must be an integer >= 0 or null (got 1.5)");
    expect(() => bias([], { timeframe: "2m" as Timeframe })).toThrow('unknown timeframe "2m"');
  });

  it("keeps a fixed key order in its JSON", () => {
    const b = bias([card("flow.cvd", "order-flow", { "1m": null, "5m": null, "1h": [1, 1] })]);
    expect(Object.keys(b)).toEqual([
      "mode", "ts", "score", "strength", "confidence", "direction", "state", "transition", "timeframe", "timeframes",
      "raw", "coverage", "available", "agreeing", "top", "weightsVersion", "components",
    ]);
    expect(Object.keys(b.timeframes)).toEqual(["1m", "5m", "1h"]);
    expect(Object.keys(b.components[0])).toEqual(["category", "weight", "score", "confidence", "contribution", "cards"]);
    expect(Object.keys(b.components[0].cards[0])).toEqual(["id", "timeframe", "score", "confidence", "contribution"]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(bias([card("flow.cvd", "order-flow", { "1m": null, "5m": null, "1h": [1, 1] })])));
  });

  it("publishes no −0 (a negative score at zero confidence)", () => {
    const b = bias([card("flow.cvd", "order-flow", [-0.5, 0])]);
    for (const x of [b.score, b.strength, b.raw, b.components[0].score, b.components[0].contribution, b.components[0].cards[0].contribution]) expect(Object.is(x, -0)).toBe(false);
  });
});
