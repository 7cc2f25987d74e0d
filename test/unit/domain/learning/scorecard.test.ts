import { describe, expect, it } from "vitest";
import { mulberry32, normal } from "../../../../src/domain/learning/prng.js";
import {
  bootstrapDiff,
  quantileSorted,
  scorecard,
  scorecardFromSums,
  spearman,
  spearmanInterval,
  spearmanWithCounts,
  wilsonInterval,
  type ScorePair,
} from "../../../../src/domain/learning/scorecard.js";

const pair = (score: number, outcome: number, confidence = 1): ScorePair => ({ score, confidence, outcome });

/** n pairs with y = beta·s + N(0, 1), s = tanh(N(0, 1)). */
function noisy(seed: number, n: number, beta: number): ScorePair[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const s = Math.tanh(normal(rng));
    return pair(s, beta * s + normal(rng), 0.5 + 0.5 * rng());
  });
}

describe("wilsonInterval", () => {
  it("gives [0.3968, 0.8922] for 7 of 10, worked by hand", () => {
    // p̂ = 0.7, z² = 3.841459, z²/n = 0.3841459, denominator 1.3841459.
    // centre = (0.7 + 0.1920729) / 1.3841459 = 0.6444934
    // half = 1.959964 · √(0.021 + 0.0096037) / 1.3841459 = 1.959964 · 0.1749390 / 1.3841459 = 0.2477153
    // → [0.3967781, 0.8922087]
    const { lo, hi } = wilsonInterval(7, 10);
    expect(lo).toBeCloseTo(0.3967781, 6);
    expect(hi).toBeCloseTo(0.8922087, 6);
  });

  it("stays inside [0, 1] at 0 and n hits and refuses an empty count", () => {
    const none = wilsonInterval(0, 20);
    // 0 hits: centre = half, so [0, z²/(n + z²)] = [0, 3.8415/23.8415] = [0, 0.16113].
    expect(none.lo).toBeCloseTo(0, 12);
    expect(none.hi).toBeCloseTo(0.16113, 4);
    const all = wilsonInterval(20, 20);
    expect(all.hi).toBeCloseTo(1, 12);
    expect(all.lo).toBeCloseTo(1 - 0.16113, 4);
    expect(() => wilsonInterval(0, 0)).toThrow(/n > 0/);
    expect(() => wilsonInterval(5, 4)).toThrow(/hits <= n/);
  });
});

describe("spearman", () => {
  it("is 0.6 on a five-point example, worked by hand", () => {
    // scores  −0.5 −0.1 0.2 0.4 0.9 → ranks 1 2 3 4 5
    // outcomes 0.3 −1.2 2.0 0.5 1.1 → ranks 2 1 5 3 4
    // d = −1 1 −2 1 1, Σd² = 8, ρ = 1 − 6·8 / (5·24) = 0.6
    expect(spearman([-0.5, -0.1, 0.2, 0.4, 0.9], [0.3, -1.2, 2.0, 0.5, 1.1])).toBeCloseTo(0.6, 12);
  });

  it("gives ties their mean rank", () => {
    // x ranks 1.5 1.5 3 4, y ranks 1 2 3 4: deviations (−1, −1, .5, 1.5) and (−1.5, −.5, .5, 1.5);
    // Σdxdy = 4.5, Σdx² = 4.5, Σdy² = 5 → ρ = 4.5 / √22.5 = 0.9486833
    expect(spearman([1, 1, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9486833, 7);
  });

  it("is NaN for a constant series or fewer than two points, and checks lengths", () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [1])).toBeNaN();
    expect(spearman([], [])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/lengths differ/);
  });

  it("with counts equals the Spearman of the expanded sample", () => {
    const xs = [0.3, -0.2, 0.3, 0.9, -1, 0.1];
    const ys = [1, 0.5, -2, 0.5, 0, 3];
    const counts = [2, 0, 1, 3, 1, 2];
    const ex: number[] = [];
    const ey: number[] = [];
    counts.forEach((c, i) => {
      for (let k = 0; k < c; k++) {
        ex.push(xs[i]);
        ey.push(ys[i]);
      }
    });
    expect(spearmanWithCounts(xs, ys, counts)).toBeCloseTo(spearman(ex, ey), 12);
  });

  it("has a Fisher-z interval with variance 1.06 / (n − 3)", () => {
    // ρ = 0.3, n = 103: atanh 0.3 = 0.3095196, half = 1.959964·√(1.06/100) = 0.2017912
    // → [tanh 0.1077284, tanh 0.5113108] = [0.1073141, 0.4709655]
    const { lo, hi } = spearmanInterval(0.3, 103);
    expect(lo).toBeCloseTo(0.1073141, 6);
    expect(hi).toBeCloseTo(0.4709655, 6);
    expect(() => spearmanInterval(0.3, 3)).toThrow(/nEff must be > 3/);
  });
});

describe("scorecard", () => {
  it("computes the slope through the origin by hand and holds back a hit rate below its floor", () => {
    // s = 1, .5, −1, .5; y = 2, 1, −1, 0. Σsy = 3.5, Σs² = 2.5 → b = 1.4.
    // Σy² = 6, σ̂² = (6 − 1.4·3.5)/3 = 0.3666667, SE = √(0.3666667/2.5) = 0.3829708.
    // Hit rate: the y = 0 pair is not counted → 3 of 3, below the floor of 4.
    const card = scorecard([pair(1, 2), pair(0.5, 1), pair(-1, -1), pair(0.5, 0)], { floor: 4 });
    expect(card.status).toBe("ok");
    expect(card.slope).toMatchObject({ status: "ok", n: 4, value: 1.4 });
    if (card.slope.status !== "ok") throw new Error("slope");
    expect(card.slope.se).toBeCloseTo(0.3829708, 6);
    expect(card.slope.lo).toBeCloseTo(1.4 - 1.959964 * 0.3829708, 5);
    expect(card.slope.significant).toBe(true);
    expect(card.hitRate).toEqual({ status: "not enough data", n: 3, nEff: 3, needed: 1 });
  });

  it("says not enough data with counts below 30, and no statistic", () => {
    const card = scorecard(noisy(1, 29, 1));
    expect(card.status).toBe("not enough data");
    expect(card.ic).toEqual({ status: "not enough data", n: 29, nEff: 29, needed: 1 });
    expect(card.slope.status).toBe("not enough data");
    expect(card.hitRate.status).toBe("not enough data");
    expect(scorecard([]).n).toBe(0);
  });

  it("leaves out pairs without confidence and rejects non-finite ones, counting both", () => {
    const card = scorecard([...noisy(2, 40, 0.5), pair(0.5, 1, 0), pair(Number.NaN, 1), pair(0.5, Infinity)]);
    expect(card.n).toBe(40);
    expect(card.excluded).toEqual({ invalid: 2, noConfidence: 1 });
  });

  it("counts hits only above the score threshold and on non-zero outcomes", () => {
    const pairs = [...Array.from({ length: 30 }, (_, i) => pair(i % 3 === 0 ? -0.5 : 0.5, 1)), pair(0.01, -1), pair(0.5, 0)];
    const card = scorecard(pairs);
    // 30 counted: 20 hits (s = +0.5), 10 misses; the 0.01 score and the zero outcome are not counted.
    expect(card.hitRate).toMatchObject({ status: "ok", n: 30, hits: 20 });
    if (card.hitRate.status !== "ok") throw new Error("hit");
    expect(card.hitRate.value).toBeCloseTo(2 / 3, 12);
    const w = wilsonInterval(20, 30);
    expect([card.hitRate.lo, card.hitRate.hi]).toEqual([w.lo, w.hi]);
    expect(card.hitRate.significant).toBe(w.lo > 0.5);
  });

  it("finds a real effect significant and reads constant scores as undefined", () => {
    const card = scorecard(noisy(3, 2_000, 0.5));
    expect(card.ic).toMatchObject({ status: "ok", significant: true });
    expect(card.slope).toMatchObject({ status: "ok", significant: true });
    if (card.slope.status !== "ok") throw new Error("slope");
    // y = 0.5·s + noise: the slope through the origin estimates 0.5.
    expect(card.slope.lo).toBeLessThan(0.5);
    expect(card.slope.hi).toBeGreaterThan(0.5);
    const flat = scorecard(Array.from({ length: 40 }, (_, i) => pair(0.3, i % 2 ? 1 : -1)));
    expect(flat.ic).toEqual({ status: "undefined", n: 40, reason: "a constant score or outcome" });
  });

  it("widens every interval by the overlap and applies the floor to n / overlap", () => {
    const pairs = noisy(4, 90, 0.3);
    const one = scorecard(pairs);
    const three = scorecard(pairs, { overlap: 3 });
    expect(three.nEff).toBe(30);
    expect(scorecard(pairs, { overlap: 4 }).status).toBe("not enough data");
    if (one.slope.status !== "ok" || three.slope.status !== "ok" || one.ic.status !== "ok" || three.ic.status !== "ok") throw new Error("ok");
    expect(three.slope.se).toBeCloseTo(one.slope.se * Math.sqrt(3), 12);
    expect(three.ic.value).toBe(one.ic.value);
    const i3 = spearmanInterval(one.ic.value, 30);
    expect([three.ic.lo, three.ic.hi]).toEqual([i3.lo, i3.hi]);
    if (three.hitRate.status === "ok" && one.hitRate.status === "ok") {
      const w = wilsonInterval(one.hitRate.hits / 3, one.hitRate.n / 3);
      expect([three.hitRate.lo, three.hitRate.hi]).toEqual([w.lo, w.hi]);
    }
  });

  it("gives the same hit rate and slope from running sums, and the IC from a rank sample", () => {
    const pairs = noisy(5, 100, 0.4);
    const card = scorecard(pairs);
    const sums = { n: 0, hitN: 0, hits: 0, sumXX: 0, sumXY: 0, sumYY: 0 };
    for (const p of pairs) {
      sums.n++;
      sums.sumXX += p.score * p.score;
      sums.sumXY += p.score * p.outcome;
      sums.sumYY += p.outcome * p.outcome;
      if (Math.abs(p.score) > 0.05 && p.outcome !== 0) {
        sums.hitN++;
        if (Math.sign(p.score) === Math.sign(p.outcome)) sums.hits++;
      }
    }
    const fromSums = scorecardFromSums(sums);
    expect(fromSums.hitRate).toEqual(card.hitRate);
    expect(fromSums.slope.status).toBe("ok");
    if (fromSums.slope.status !== "ok" || card.slope.status !== "ok") throw new Error("ok");
    expect(fromSums.slope.value).toBeCloseTo(card.slope.value, 12);
    expect(fromSums.slope.se).toBeCloseTo(card.slope.se, 12);
    expect(fromSums.ic).toEqual({ status: "undefined", n: 0, reason: "no rank sample" });
    expect(scorecardFromSums({ ...sums, rankSample: pairs }).ic).toEqual(card.ic);
  });

  it("checks its options", () => {
    expect(() => scorecard([], { floor: 3 })).toThrow(/floor must be/);
    expect(() => scorecard([], { overlap: 0.5 })).toThrow(/overlap must be/);
    expect(() => scorecard([], { minAbsScore: -1 })).toThrow(/minAbsScore/);
  });
});

describe("bootstrapDiff", () => {
  it("is deterministic for a seed and differs with the seed", () => {
    const a = noisy(6, 300, 0.4);
    const b = a.map((p, i) => ({ ...p, score: i % 2 ? p.score : -p.score }));
    const r1 = bootstrapDiff(a, b, { B: 200, seed: 42 });
    const r2 = bootstrapDiff(a, b, { B: 200, seed: 42 });
    const r3 = bootstrapDiff(a, b, { B: 200, seed: 43 });
    expect(r1).toEqual(r2);
    expect(r1).not.toEqual(r3);
    if (r1.status !== "ok") throw new Error("ok");
    // Default block = max(overlap 1, ⌈300^(1/3)⌉ = 7).
    expect(r1).toMatchObject({ method: "block", block: 7, B: 200, n: 300 });
    expect(r1.ic).toMatchObject({ status: "ok", excludesZero: true });
    if (r1.ic.status !== "ok") throw new Error("ic");
    expect(r1.ic.estimate).toBeCloseTo(spearman(a.map((p) => p.score), a.map((p) => p.outcome)) - spearman(b.map((p) => p.score), b.map((p) => p.outcome)), 12);
  });

  it("is exactly zero for identical signals and the full-sample value when one block is the sample", () => {
    const a = noisy(7, 100, 0.3);
    const same = bootstrapDiff(a, a, { B: 50 });
    if (same.status !== "ok" || same.gain.status !== "ok") throw new Error("ok");
    expect([same.gain.estimate, same.gain.lo, same.gain.hi]).toEqual([0, 0, 0]);
    const zero = a.map((p) => ({ ...p, score: 0.2 }));
    const whole = bootstrapDiff(a, zero, { B: 50, block: 100 });
    if (whole.status !== "ok" || whole.gain.status !== "ok") throw new Error("ok");
    expect(whole.gain.lo).toBeCloseTo(whole.gain.estimate, 12);
    expect(whole.gain.hi).toBeCloseTo(whole.gain.estimate, 12);
    // A constant score has no rank correlation.
    expect(whole.ic).toMatchObject({ status: "undefined" });
  });

  it("resamples whole groups when every pair has one", () => {
    const a = noisy(8, 200, 0.3).map((p, i) => ({ ...p, group: `d${Math.floor(i / 10)}` }));
    const b = a.map((p) => ({ ...p, score: -p.score }));
    const r = bootstrapDiff(a, b, { B: 100 });
    expect(r).toMatchObject({ status: "ok", method: "group", groups: 20, block: 0 });
    expect(bootstrapDiff(a.slice(0, 90), b.slice(0, 90), { B: 100, floor: 4 })).toMatchObject({ status: "not enough data", needed: 1 });
  });

  it("says not enough data below the effective floor, drops non-finite pairs, checks inputs", () => {
    const a = noisy(9, 59, 0.3);
    expect(bootstrapDiff(a, a, { overlap: 2 })).toEqual({ status: "not enough data", n: 59, nEff: 29.5, needed: 1, invalid: 0 });
    const bad = [...a, pair(Number.NaN, 1)];
    const r = bootstrapDiff(bad, bad, { B: 20 });
    expect(r).toMatchObject({ status: "ok", n: 59, invalid: 1 });
    expect(() => bootstrapDiff(a, a.slice(1))).toThrow(/aligned/);
    expect(() => bootstrapDiff(a, a, { B: 5 })).toThrow(/B must be/);
    expect(() => bootstrapDiff(a, a, { block: 0 })).toThrow(/block must be/);
  });

  it("takes percentiles by linear interpolation", () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantileSorted([0, 10], 0.025)).toBeCloseTo(0.25, 12);
    expect(quantileSorted([7], 0.975)).toBe(7);
  });
});
