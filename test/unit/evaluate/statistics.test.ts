import { describe, expect, it } from "vitest";
import { differenceSummary, fewClustersFactor, signalSummary, tQuantile975, utcDay, verdictOf, type BootstrapSettings } from "../../../scripts/lib/evaluate/statistics.js";
import { mulberry32, normal, randomIndex } from "../../../src/domain/learning/prng.js";
import { quantileSorted, spearmanWithCounts, type ScorePair } from "../../../src/domain/learning/scorecard.js";

const SETTINGS: BootstrapSettings = { B: 200, seed: 7, minGroups: 10, overlap: 1 };
const DAY = 86_400_000;

/** 12 identical days of 4 pairs: (0.5, +1) twice, (−0.5, +1), (0.01, −1). */
function sameDays(days = 12): ScorePair[] {
  const out: ScorePair[] = [];
  for (let d = 0; d < days; d++) {
    const group = utcDay(Date.UTC(2026, 1, 1) + d * DAY);
    for (const [score, outcome] of [[0.5, 1], [0.5, 1], [-0.5, 1], [0.01, -1]]) out.push({ score, confidence: 1, outcome, group });
  }
  return out;
}

describe("signalSummary (one signal, bootstrap over UTC days)", () => {
  it("gives the hand-checked hit rate, IC and mean s·y, with intervals collapsed when every day is the same", () => {
    // Hit: |0.01| ≤ 0.05 is no call, so 3 calls a day, 2 hits → 2/3.
    // IC (mid-ranks of 48 pairs): x ranks 36.5 (0.5), 6.5 (−0.5), 18.5 (0.01); y ranks 30.5 (+1),
    // 6.5 (−1); deviations from 24.5: (12, 6)×24, (−18, 6)×12, (−6, −18)×12 → Σdxdy = 1728,
    // Σdx² = 7776, Σdy² = 5184, ρ = 1728 / √(7776·5184) = √(2/27) = 0.272166.
    // Mean s·y: (0.5 + 0.5 − 0.5 − 0.01) / 4 = 0.1225.
    const s = signalSummary(sameDays(), SETTINGS);
    expect(s.status).toBe("ok");
    if (s.status !== "ok" || s.hitRate.status !== "ok" || s.ic.status !== "ok" || s.meanScoreOutcome.status !== "ok") throw new Error("unreachable");
    expect(s).toMatchObject({ n: 48, days: 12, calls: 36 });
    expect(s.hitRate.value).toBeCloseTo(2 / 3, 12);
    expect(s.hitRate.lo).toBeCloseTo(2 / 3, 12);
    expect(s.hitRate.hi).toBeCloseTo(2 / 3, 12);
    expect(s.hitRate.significant).toBe(true);
    expect(s.ic.value).toBeCloseTo(Math.sqrt(2 / 27), 12);
    expect(s.ic.lo).toBeCloseTo(0.272166, 6);
    expect(s.meanScoreOutcome.value).toBeCloseTo(0.1225, 12);
  });

  it("equals a direct day bootstrap of the signal alone, draw for draw (the mirror-image identity)", () => {
    const rng = mulberry32(11);
    const pairs: ScorePair[] = [];
    for (let d = 0; d < 14; d++) {
      const dayShock = normal(rng);
      for (let j = 0; j < 30; j++) {
        const score = Math.tanh(normal(rng));
        pairs.push({ score, confidence: 1, outcome: 0.2 * score + 0.5 * dayShock + normal(rng), group: `d${d}` });
      }
    }
    const s = signalSummary(pairs, SETTINGS);
    if (s.status !== "ok" || s.hitRate.status !== "ok" || s.ic.status !== "ok") throw new Error("expected ok");
    // The same resampling written out: groups in order of first appearance, G draws per replicate.
    const groups = [...new Set(pairs.map((p) => p.group))].map((g) => pairs.flatMap((p, i) => (p.group === g ? [i] : [])));
    const draw = mulberry32(SETTINGS.seed);
    const xs = pairs.map((p) => p.score);
    const ys = pairs.map((p) => p.outcome);
    const ics: number[] = [];
    const hits: number[] = [];
    for (let r = 0; r < SETTINGS.B; r++) {
      const m = new Array<number>(pairs.length).fill(0);
      for (let g = 0; g < groups.length; g++) for (const i of groups[randomIndex(draw, groups.length)]) m[i]++;
      ics.push(spearmanWithCounts(xs, ys, m));
      let calls = 0;
      let h = 0;
      pairs.forEach((p, i) => {
        if (Math.abs(p.score) > 0.05 && p.outcome !== 0) {
          calls += m[i];
          if (Math.sign(p.score) === Math.sign(p.outcome)) h += m[i];
        }
      });
      hits.push(h / calls);
    }
    ics.sort((a, b) => a - b);
    hits.sort((a, b) => a - b);
    // Then widened about the estimate by the few-clusters factor (14 days: 1.144).
    const k = fewClustersFactor(14);
    const wide = (e: number, q: number) => e + k * (q - e);
    expect(s.ic.lo).toBeCloseTo(wide(s.ic.value, quantileSorted(ics, 0.025)), 10);
    expect(s.ic.hi).toBeCloseTo(wide(s.ic.value, quantileSorted(ics, 0.975)), 10);
    expect(s.hitRate.lo).toBeCloseTo(wide(s.hitRate.value, quantileSorted(hits, 0.025)), 10);
    expect(s.hitRate.hi).toBeCloseTo(wide(s.hitRate.value, quantileSorted(hits, 0.975)), 10);
  });

  it("widens by the few-clusters factor k = √(G/(G−1))·t_{G−1}/z: hand-checked t quantiles", () => {
    // Student t 0.975 quantiles from tables: ν = 9: 2.2622, ν = 13: 2.1604, ν = 30: 2.0423.
    expect(tQuantile975(9)).toBeCloseTo(2.2622, 3);
    expect(tQuantile975(13)).toBeCloseTo(2.1604, 3);
    expect(tQuantile975(30)).toBeCloseTo(2.0423, 4);
    // G = 10: √(10/9) · 2.2622 / 1.96 = 1.0541 · 1.1542 = 1.2166.
    expect(fewClustersFactor(10)).toBeCloseTo(1.2166, 3);
    expect(fewClustersFactor(14)).toBeCloseTo(1.1436, 3);
    expect(fewClustersFactor(100_000)).toBeCloseTo(1, 4);
    expect(() => fewClustersFactor(1)).toThrow(/groups/);
  });

  it("says not enough data, with counts, below 10 UTC days or 30 effective outcomes", () => {
    const few = signalSummary(sameDays(9), SETTINGS);
    expect(few).toMatchObject({ status: "not enough data", n: 36, days: 9, needed: 1 });
    expect(few.status === "not enough data" && few.reason).toBe("9 UTC day(s) of test outcomes, 10 needed");
    const overlapping = signalSummary(sameDays(12), { ...SETTINGS, overlap: 5 });
    expect(overlapping).toMatchObject({ status: "not enough data", n: 48 });
    expect(overlapping.status === "not enough data" && overlapping.reason).toMatch(/9\.6 effective/);
    expect(signalSummary([], SETTINGS)).toMatchObject({ status: "not enough data", n: 0, days: 0 });
  });

  it("drops non-finite pairs rather than reading them as zero", () => {
    const pairs = [...sameDays(), { score: NaN, confidence: 1, outcome: 1, group: "2026-02-01" }, { score: 0.5, confidence: 1, outcome: Infinity, group: "2026-02-01" }];
    const s = signalSummary(pairs, SETTINGS);
    expect(s.status === "ok" && s.n).toBe(48);
  });
});

describe("differenceSummary and verdicts", () => {
  it("is zero with a zero-width interval for a signal against itself, and says noise", () => {
    const p = sameDays();
    const d = differenceSummary(p, p, SETTINGS);
    if (d.status !== "ok" || d.ic.status !== "ok") throw new Error("expected ok");
    expect(d.ic.estimate).toBe(0);
    expect(d.ic.verdict).toBe("not distinguishable from noise");
  });

  it("names the side only when the interval excludes zero", () => {
    const base = { status: "ok" as const, estimate: 0.1, replicates: 100 };
    expect(verdictOf({ ...base, lo: 0.01, hi: 0.2, excludesZero: true })).toBe("learned better");
    expect(verdictOf({ ...base, estimate: -0.1, lo: -0.2, hi: -0.01, excludesZero: true })).toBe("learned worse");
    expect(verdictOf({ ...base, lo: -0.01, hi: 0.2, excludesZero: false })).toBe("not distinguishable from noise");
    expect(verdictOf({ status: "undefined", n: 0, reason: "no pairs" })).toBe("undefined");
  });

  it("groups by the UTC date of the prediction", () => {
    expect(utcDay(Date.UTC(2026, 1, 14, 23, 59, 59, 999))).toBe("2026-02-14");
    expect(utcDay(Date.UTC(2026, 1, 15))).toBe("2026-02-15");
  });
});
