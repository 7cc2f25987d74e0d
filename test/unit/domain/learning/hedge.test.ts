import { describe, expect, it } from "vitest";
import { CATEGORY_IDS } from "../../../../src/domain/cards/categories.js";
import { categoryLoss, defaultLearningRate, HedgeLearner, type LearnerOutcome } from "../../../../src/domain/learning/hedge.js";
import { mulberry32, normal } from "../../../../src/domain/learning/prng.js";

type Cat = LearnerOutcome["categories"][number];
const out = (outcome: number, categories: Cat[], ts = 0): LearnerOutcome => ({ mode: "day", ts, outcome, categories });
const cat = (category: string, score: number, confidence: number): Cat => ({ category, score, confidence });

describe("categoryLoss", () => {
  it("maps −s·c·y/Y, clipped to [−1, 1], onto [0, 1]", () => {
    // s = 1, c = 1, y = +1, Y = 2: raw = −0.5 → ℓ = 0.25 (right call, half saturated).
    expect(categoryLoss(1, 1, 1, 2)).toBe(0.25);
    // s = −0.5, c = 0.5, y = 1, Y = 1: raw = 0.25 → ℓ = 0.625.
    expect(categoryLoss(-0.5, 0.5, 1, 1)).toBe(0.625);
    // A 5 σ outcome saturates: raw = −2.5 clipped to −1 → ℓ = 0; wrong way → 1.
    expect(categoryLoss(1, 1, 5, 2)).toBe(0);
    expect(categoryLoss(1, 1, -5, 2)).toBe(1);
    // No view (c = 0) is exactly ½.
    expect(categoryLoss(0.8, 0, 3, 2)).toBe(0.5);
  });
});

describe("HedgeLearner", () => {
  it("defaults η to √(8 ln K / T) for a 10,000-round horizon", () => {
    // √(8 · ln 25 / 10,000) = √(8 · 3.218876 / 10,000) = √0.00257510 = 0.0507454.
    expect(defaultLearningRate(25, 10_000)).toBeCloseTo(0.0507454, 6);
    const learner = new HedgeLearner({ mode: "day" });
    expect(learner.learningRate).toBeCloseTo(0.0507454, 6);
    expect(learner.categories).toEqual(CATEGORY_IDS);
    expect(learner.share).toBe(0.001);
    expect(learner.floor).toBe(200);
  });

  it("takes one Hedge step with fixed share as worked by hand", () => {
    // K = 2, η = 0.5, α = 0.1, Y = 1, floor 1; p = (½, ½).
    // Outcome y = +1: a (s = 1, c = 1): raw = −1 → ℓ_a = 0; b (s = −0.5, c = 0.5): raw = 0.25 → ℓ_b = 0.625.
    // v_a = ½·e⁰ = 0.5, v_b = ½·e^(−0.3125) = 0.5 · 0.7316156 = 0.3658078; awake mass 1 is kept:
    // p_a = 0.5 / 0.8658078 = 0.5774954, p_b = 0.4225046.
    // Fixed share: p ← 0.9·p + 0.05: p_a = 0.5697458, p_b = 0.4302542.
    // Both past the floor (n = 1): w = 2·p / 1 → w_a = 1.1394917, w_b = 0.8605083.
    const learner = new HedgeLearner({ mode: "day", categories: ["a", "b"], learningRate: 0.5, share: 0.1, outcomeScale: 1, floor: 1 });
    const r = learner.update([out(1, [cat("a", 1, 1), cat("b", -0.5, 0.5)])]);
    // The record is taken before the update: both weights 1 (below the floor) → learned = uniform = (1 − 0.25)/2.
    expect(r.records).toEqual([{ ts: 0, outcome: 1, learned: 0.375, uniform: 0.375 }]);
    expect(r.version).toBe(1);
    const w = learner.weights();
    expect(w.categories[0].p).toBeCloseTo(0.5697458, 7);
    expect(w.categories[1].p).toBeCloseTo(0.4302542, 7);
    expect(w.weights.a).toBeCloseTo(1.1394917, 7);
    expect(w.weights.b).toBeCloseTo(0.8605083, 7);
    // Second outcome y = −1, a long, b short, both full confidence:
    // learned = (1.1394917 − 0.8605083)/2 = 0.1394917, uniform = 0 → gain = 0.1394917 · (−1).
    const r2 = learner.update([out(-1, [cat("a", 1, 1), cat("b", -1, 1)])]);
    expect(r2.records[0].learned).toBeCloseTo(0.1394917, 7);
    expect(r2.records[0].uniform).toBe(0);
    expect(learner.toJSON().gain.sum).toBeCloseTo(-0.1394917, 7);
  });

  it("leaves a category without data this round where it was (sleeping expert)", () => {
    // K = 3, uniform: c is absent; a and b share its complement, c keeps ⅓ through the Hedge step,
    // and fixed share maps ⅓ to (1 − α)/3 + α/3 = ⅓.
    const learner = new HedgeLearner({ mode: "day", categories: ["a", "b", "c"], learningRate: 1, share: 0.01, floor: 0 });
    learner.update([out(2, [cat("a", 1, 1), cat("b", -1, 1)])]);
    const p = learner.weights().categories.map((x) => x.p);
    expect(p[2]).toBeCloseTo(1 / 3, 12);
    expect(p[0]).toBeGreaterThan(p[1]);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 12);
    expect(learner.weights().categories.map((x) => x.n)).toEqual([1, 1, 0]);
  });

  it("averages the losses of a batch into one round and bumps the version once", () => {
    const a = new HedgeLearner({ mode: "day", categories: ["a", "b"], learningRate: 0.5, share: 0.1, floor: 0 });
    const b = new HedgeLearner({ mode: "day", categories: ["a", "b"], learningRate: 0.5, share: 0.1, floor: 0 });
    // Two outcomes in one batch: ℓ_a = mean(0.25, 0.75) = 0.5 = ℓ_b → nothing moves but the counts.
    const r = a.update([out(1, [cat("a", 1, 1), cat("b", 0, 1)], 1), out(-1, [cat("a", 1, 1), cat("b", 0, 1)], 2)]);
    expect(r).toMatchObject({ version: 1, applied: 2 });
    expect(a.weights().weights).toEqual({ a: 1, b: 1 });
    expect(a.weights()).toMatchObject({ rounds: 1, outcomes: 2 });
    // One at a time they are two rounds, and the weights move.
    b.update([out(1, [cat("a", 1, 1), cat("b", 0, 1)], 1)]);
    b.update([out(-1, [cat("a", 1, 1), cat("b", 0, 1)], 2)]);
    expect(b.weights().version).toBe(2);
    expect(b.weights().weights.a).not.toBe(1);
  });

  it("keeps weight 1 and says not enough data below the floor, and normalizes over the rest", () => {
    // a and b are in every outcome, c only in every tenth: after 50 outcomes c has n = 5 < 20.
    const learner = new HedgeLearner({ mode: "day", categories: ["a", "b", "c"], floor: 20, learningRate: 0.5 });
    const rng = mulberry32(7);
    for (let i = 0; i < 50; i++) {
      const y = normal(rng);
      const cats = [cat("a", Math.sign(y) * 0.8, 1), cat("b", 0.5, 0.5)];
      if (i % 10 === 0) cats.push(cat("c", 1, 1));
      learner.update([out(y, cats, i)]);
    }
    const w = learner.weights();
    const c = w.categories[2];
    expect(c).toMatchObject({ category: "c", weight: 1, n: 5, status: "not enough data", needed: 15 });
    expect(w.categories[0]).toMatchObject({ status: "learned", n: 50, needed: 0 });
    // Over F = {a, b}: w_k = 2·p_k / (p_a + p_b), mean 1; a (always right) above b.
    expect(w.weights.a + w.weights.b).toBeCloseTo(2, 12);
    expect(w.weights.a).toBeGreaterThan(1);
    expect(w.weights.a).toBeCloseTo((2 * w.categories[0].p) / (w.categories[0].p + w.categories[1].p), 12);
  });

  it("reports learned versus uniform only from 30 outcomes on, with n", () => {
    const learner = new HedgeLearner({ mode: "day", categories: ["a", "b"], floor: 0 });
    for (let i = 0; i < 29; i++) learner.update([out(i % 2 ? 1 : -1, [cat("a", 1, 1), cat("b", -1, 1)], i)]);
    expect(learner.weights().vsUniform).toEqual({ status: "not enough data", n: 29, needed: 1 });
    learner.update([out(1, [cat("a", 1, 1), cat("b", -1, 1)], 29)]);
    const v = learner.weights().vsUniform;
    expect(v.status).toBe("ok");
    expect(v.n).toBe(30);
  });

  it("rejects and counts bad outcomes and category entries, never applying a default", () => {
    const learner = new HedgeLearner({ mode: "day", categories: ["a", "b"], floor: 0 });
    const r = learner.update([
      out(Number.NaN, [cat("a", 1, 1)]),
      out(Infinity, [cat("a", 1, 1)]),
      out(1, [cat("zzz", 1, 1)]),
      out(1, [cat("a", 2, 1), cat("b", 0.5, Number.NaN)]),
      { mode: "swing", ts: 0, outcome: 1, categories: [cat("a", 1, 1)] },
    ]);
    expect(r).toEqual({ version: 0, applied: 0, otherMode: 1, records: [] });
    expect(learner.rejected()).toEqual({ invalidOutcome: 2, noCategories: 2, unknownCategory: 1, invalidCategory: 2, duplicateCategory: 0 });
    expect(learner.weights().weights).toEqual({ a: 1, b: 1 });
    learner.update([out(1, [cat("a", 1, 1), cat("a", -1, 1)])]);
    expect(learner.rejected().duplicateCategory).toBe(1);
    expect(learner.weights().categories[0].n).toBe(1);
  });

  it("checks its options, naming the field", () => {
    expect(() => new HedgeLearner({ mode: "day", share: 0 })).toThrow(/share must be in \(0, 1\)/);
    expect(() => new HedgeLearner({ mode: "day", share: 1 })).toThrow(/share/);
    expect(() => new HedgeLearner({ mode: "day", learningRate: Number.NaN })).toThrow(/learningRate/);
    expect(() => new HedgeLearner({ mode: "day", floor: -1 })).toThrow(/floor/);
    expect(() => new HedgeLearner({ mode: "day", outcomeScale: 0 })).toThrow(/outcomeScale/);
    expect(() => new HedgeLearner({ mode: "day", categories: [] })).toThrow(/empty/);
    expect(() => new HedgeLearner({ mode: "day", categories: ["a", "a"] })).toThrow(/distinct/);
  });

  it("does not underflow with a very large learning rate", () => {
    const learner = new HedgeLearner({ mode: "day", categories: ["a", "b"], learningRate: 1e6, floor: 0 });
    learner.update([out(3, [cat("a", 0.9, 0.9), cat("b", 0.8, 0.9)])]);
    const p = learner.weights().categories.map((c) => c.p);
    expect(p.every(Number.isFinite)).toBe(true);
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
  });
});

describe("HedgeLearner restart", () => {
  /** 25 categories; category 3 leads (y = 0.3·s + noise); availability varies; batches of 1–3 outcomes. */
  function batches(seed: number, rounds: number): LearnerOutcome[][] {
    const rng = mulberry32(seed);
    const list: LearnerOutcome[][] = [];
    for (let t = 0; t < rounds; t++) {
      const batch: LearnerOutcome[] = [];
      const size = 1 + Math.floor(rng() * 3);
      for (let j = 0; j < size; j++) {
        const cats = CATEGORY_IDS.filter(() => rng() < 0.8).map((id) => cat(id, Math.tanh(normal(rng)), 0.2 + 0.8 * rng()));
        const lead = cats.find((c) => c.category === CATEGORY_IDS[3])?.score ?? 0;
        batch.push({ mode: "day", ts: t * 60_000, outcome: Math.max(-5, Math.min(5, 0.3 * lead + normal(rng))), categories: cats });
      }
      list.push(batch);
    }
    return list;
  }

  it("continues after toJSON → JSON text → fromJSON to the identical final state", () => {
    const all = batches(11, 400);
    const straight = new HedgeLearner({ mode: "day", floor: 50 });
    const recordsStraight = all.flatMap((b) => straight.update(b).records);

    let first = new HedgeLearner({ mode: "day", floor: 50 });
    const recordsSplit = all.slice(0, 173).flatMap((b) => first.update(b).records);
    const text = JSON.stringify(first.toJSON());
    first = HedgeLearner.fromJSON(JSON.parse(text));
    recordsSplit.push(...all.slice(173).flatMap((b) => first.update(b).records));

    expect(first.toJSON()).toEqual(straight.toJSON());
    expect(JSON.stringify(first.toJSON())).toBe(JSON.stringify(straight.toJSON()));
    expect(first.weights()).toEqual(straight.weights());
    expect(recordsSplit).toEqual(recordsStraight);
  });

  it("refuses a state that is not its own", () => {
    const good = new HedgeLearner({ mode: "day", categories: ["a", "b"] }).toJSON();
    expect(() => HedgeLearner.fromJSON(null)).toThrow(/v1/);
    expect(() => HedgeLearner.fromJSON({ ...good, p: [1] })).toThrow(/p must be 2/);
    expect(() => HedgeLearner.fromJSON({ ...good, seen: [0, -1] })).toThrow(/seen/);
    expect(() => HedgeLearner.fromJSON({ ...good, version: 1.5 })).toThrow(/version/);
    expect(() => HedgeLearner.fromJSON({ ...good, rejected: {} })).toThrow(/rejected.invalidOutcome/);
    expect(() => HedgeLearner.fromJSON({ ...good, share: 2 })).toThrow(/share/);
  });
});
