/**
 * Seeded synthetic markets that keep the learner and the scorecard honest: one where a single
 * category truly leads the outcome, one where nothing does. Each round is one cycle with a few
 * symbols' outcomes; every category has a score s = tanh(N(0, 1)) and a confidence in [0.3, 1].
 */
import { describe, expect, it } from "vitest";
import { CATEGORY_IDS } from "../../../../src/domain/cards/categories.js";
import { HedgeLearner, type LearnerOutcome, type OutcomeRecord } from "../../../../src/domain/learning/hedge.js";
import { mulberry32, normal } from "../../../../src/domain/learning/prng.js";
import { bootstrapDiff, scorecard, type ScorePair } from "../../../../src/domain/learning/scorecard.js";

const PLANTED = "order-flow";
const ANTI = "momentum";

interface Market {
  batches: LearnerOutcome[][];
}

/** y = Σ β_k·s_k + N(0, 1), clipped to ±5 σ as the predictions module does. */
function market(seed: number, rounds: number, perRound: number, beta: Record<string, number>): Market {
  const rng = mulberry32(seed);
  const batches: LearnerOutcome[][] = [];
  for (let t = 0; t < rounds; t++) {
    const batch: LearnerOutcome[] = [];
    for (let j = 0; j < perRound; j++) {
      const categories = CATEGORY_IDS.map((category) => ({ category, score: Math.tanh(normal(rng)), confidence: 0.3 + 0.7 * rng() }));
      let y = normal(rng);
      for (const c of categories) y += (beta[c.category] ?? 0) * c.score;
      batch.push({ mode: "day", ts: t * 60_000, outcome: Math.max(-5, Math.min(5, y)), categories });
    }
    batches.push(batch);
  }
  return { batches };
}

function run(m: Market): { learner: HedgeLearner; records: OutcomeRecord[] } {
  const learner = new HedgeLearner({ mode: "day" });
  const records = m.batches.flatMap((b) => learner.update(b).records);
  return { learner, records };
}

const asPairs = (records: readonly OutcomeRecord[], key: "learned" | "uniform"): ScorePair[] =>
  records.map((r) => ({ score: r[key], confidence: 1, outcome: r.outcome, group: Math.floor(r.ts / 3_600_000) }));

describe("planted signal", () => {
  // 2,000 rounds of 3 outcomes; order-flow leads (y = 0.3·s + noise), momentum points the wrong
  // way (y gets −0.2·s), the other 23 categories are noise.
  const m = market(2026, 2_000, 3, { [PLANTED]: 0.3, [ANTI]: -0.2 });
  const { learner, records } = run(m);

  it("raises the leading category above every other and above 1, and turns the wrong-way one down", () => {
    const w = learner.weights();
    const others = w.categories.filter((c) => c.category !== PLANTED);
    expect(w.categories.every((c) => c.status === "learned" && c.n === 6_000)).toBe(true);
    expect(w.weights[PLANTED]).toBeGreaterThan(1);
    expect(w.weights[PLANTED]).toBeGreaterThan(Math.max(...others.map((c) => c.weight)));
    // Not a coin toss: about twice the next best (2.24 against 1.10 for this seed; noise
    // categories wander within 0.8–1.2 with the default α, see hedge.ts).
    expect(w.weights[PLANTED]).toBeGreaterThan(1.5 * Math.max(...others.map((c) => c.weight)));
    expect(w.weights[ANTI]).toBeLessThan(1);
    expect(w.weights[ANTI]).toBe(Math.min(...w.categories.map((c) => c.weight)));
    // Fixed share: no category dies (p ≥ α/K = 0.001/25).
    expect(Math.min(...w.categories.map((c) => c.p))).toBeGreaterThanOrEqual(0.001 / 25);
    expect(w.version).toBe(2_000);
  });

  it("beats the uniform bias out of sample, with a bootstrap interval excluding no gain", () => {
    // Records are scored before the update that uses them: every one is out of sample.
    const late = records.slice(1_500); // past the first 500 rounds of warm-up
    const diff = bootstrapDiff(asPairs(late, "learned"), asPairs(late, "uniform"), { B: 400, seed: 13 });
    expect(diff.status).toBe("ok");
    if (diff.status !== "ok" || diff.ic.status !== "ok" || diff.gain.status !== "ok") throw new Error("ok");
    expect(diff.method).toBe("group");
    expect(diff.ic.lo).toBeGreaterThan(0);
    expect(diff.gain.lo).toBeGreaterThan(0);
    const v = learner.weights().vsUniform;
    expect(v.status).toBe("ok");
    if (v.status === "ok") expect(v.meanGain).toBeGreaterThan(2 * v.se);
  });

  it("marks the leading category significant on the scorecard", () => {
    const pairs = m.batches.flat().map((o) => {
      const c = o.categories.find((x) => x.category === PLANTED)!;
      return { score: c.score, confidence: c.confidence, outcome: o.outcome };
    });
    const card = scorecard(pairs);
    expect(card.ic).toMatchObject({ status: "ok", significant: true });
    expect(card.hitRate).toMatchObject({ status: "ok", significant: true });
  });
});

describe("null market", () => {
  // Nothing predicts y. Same shape as the planted market, another seed.
  const m = market(4242, 2_000, 3, {});
  const { learner, records } = run(m);

  it("claims no gain: the learned-minus-uniform interval includes 0", () => {
    const late = records.slice(1_500);
    const diff = bootstrapDiff(asPairs(late, "learned"), asPairs(late, "uniform"), { B: 400, seed: 13 });
    if (diff.status !== "ok" || diff.ic.status !== "ok" || diff.gain.status !== "ok") throw new Error("ok");
    expect(diff.ic.lo).toBeLessThan(0);
    expect(diff.ic.hi).toBeGreaterThan(0);
    expect(diff.gain.lo).toBeLessThan(0);
    expect(diff.gain.hi).toBeGreaterThan(0);
    // And the weights stay near uniform: no category earns more than a modest tilt.
    const w = learner.weights();
    for (const c of w.categories) expect(Math.abs(c.weight - 1)).toBeLessThan(0.5);
  });

  it("flags no more categories significant than chance allows", () => {
    // 25 independent tests at 95 %: the false-positive count is Binomial(25, 0.05), mean 1.25;
    // P(X ≥ 4) = 0.034, so ≤ 3 holds for all but about one seed in thirty. The seed is fixed,
    // so this is a deterministic check that the intervals are not too narrow, not a coin toss.
    const outcomes = m.batches.flat();
    const flagged = { ic: 0, hit: 0, slope: 0 };
    for (const id of CATEGORY_IDS) {
      const pairs = outcomes.map((o) => {
        const c = o.categories.find((x) => x.category === id)!;
        return { score: c.score, confidence: c.confidence, outcome: o.outcome };
      });
      const card = scorecard(pairs);
      expect(card.status).toBe("ok");
      if (card.ic.status === "ok" && card.ic.significant) flagged.ic++;
      if (card.hitRate.status === "ok" && card.hitRate.significant) flagged.hit++;
      if (card.slope.status === "ok" && card.slope.significant) flagged.slope++;
    }
    expect(flagged.ic).toBeLessThanOrEqual(3);
    expect(flagged.hit).toBeLessThanOrEqual(3);
    expect(flagged.slope).toBeLessThanOrEqual(3);
  });
});

describe("data floor in a market", () => {
  it("keeps a rarely available category at weight 1 with not enough data while the rest learn", () => {
    const rng = mulberry32(99);
    const learner = new HedgeLearner({ mode: "day" });
    const RARE = "funding";
    for (let t = 0; t < 300; t++) {
      // funding is available in one outcome in five: 60 of the 200 needed.
      const categories = CATEGORY_IDS.filter((id) => id !== RARE || t % 5 === 0).map((category) => ({ category, score: Math.tanh(normal(rng)), confidence: 0.5 }));
      learner.update([{ mode: "day", ts: t * 60_000, outcome: normal(rng), categories }]);
    }
    const w = learner.weights();
    expect(w.categories.find((c) => c.category === RARE)).toMatchObject({ weight: 1, n: 60, status: "not enough data", needed: 140 });
    expect(w.categories.filter((c) => c.status === "learned")).toHaveLength(24);
    const learned = w.categories.filter((c) => c.status === "learned");
    expect(learned.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(24, 9);
  });
});
