/**
 * The evaluation core on seeded synthetic outcome streams: 3 symbols, a prediction every 5 min
 * with a 5 min horizon (overlap 1), 8 categories with score tanh(N(0, 1)) and confidence in
 * [0.3, 1], outcome y = Σ β_k·s_k + N(0, 1) clipped to ±5. 20 days, the last 10 are the test
 * part (10 UTC days: the bootstrap's minimum). The learned bias is the engine's `computeBias`
 * over one card per category (learned-bias.ts), the published one the same with weights 1.
 */
import { describe, expect, it } from "vitest";
import { Evaluation, type ModeReport } from "../../../scripts/lib/evaluate/evaluation.js";
import { categoryCards, learnedBias } from "../../../scripts/lib/evaluate/learned-bias.js";
import { DEFAULT_ENGINE_CONFIG } from "../../../src/domain/config.js";
import { mulberry32, normal } from "../../../src/domain/learning/prng.js";
import type { CategoryPrediction, ScoredOutcome } from "../../../src/domain/learning/predictions.js";
import type { Mode } from "../../../src/protocol/snapshot.js";

const H = 300_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 1, 1);
const CATS = ["order-flow", "momentum", "trend", "mean-reversion", "vwap", "volume", "absorption", "divergence"];
const SYMBOLS = ["AAA", "BBB", "CCC"];
const PER_MODE: Record<Mode, number> = { scalp: H, day: H, swing: H };

function outcome(ts: number, y: number, categories: CategoryPrediction[]): ScoredOutcome {
  const bias = learnedBias("scalp", ts, categoryCards(categories), DEFAULT_ENGINE_CONFIG, {});
  return { mode: "scalp", ts, dueTs: ts + H, horizonMs: H, price: 1, exitPrice: 1, exitTs: ts + H, ret: 0, sigma: 1, outcome: y, clipped: false, bias, categories, cards: [], weightsVersion: null };
}

interface Options {
  seed: number;
  beta: Record<string, number>;
  days?: number;
  /** Feed each ts's symbols in reverse order (the report must not care). */
  reversed?: boolean;
  floor?: number;
}

function evaluate({ seed, beta, days = 20, reversed = false, floor }: Options): ModeReport {
  const rng = mulberry32(seed);
  const ev = new Evaluation({ modes: ["scalp"], splitTs: START + (days / 2) * DAY, cadenceMs: PER_MODE, horizonMs: PER_MODE, hedge: floor === undefined ? undefined : { floor } });
  for (let ts = START; ts < START + days * DAY; ts += H) {
    const made = SYMBOLS.map((symbol) => {
      const categories = CATS.map((category) => ({ category, score: Math.tanh(normal(rng)), confidence: 0.3 + 0.7 * rng() }));
      let y = normal(rng);
      for (const c of categories) y += (beta[c.category] ?? 0) * c.score;
      return { symbol, categories, y: Math.max(-5, Math.min(5, y)) };
    });
    if (reversed) made.reverse();
    for (const { symbol, categories, y } of made) {
      const { weights } = ev.weightsAt("scalp", ts);
      ev.predicted(symbol, "scalp", ts, learnedBias("scalp", ts, categoryCards(categories), DEFAULT_ENGINE_CONFIG, weights));
      // Scored at once: the learner must still hold it until its horizon has passed.
      ev.scored(symbol, outcome(ts, y, categories));
    }
  }
  return ev.report().modes[0];
}

describe("evaluate core, planted signal: order-flow leads the outcome (y gets 0.3·s), 7 categories are noise", () => {
  const m = evaluate({ seed: 1, beta: { "order-flow": 0.3 } });

  it("raises the leading category's weight above every other", () => {
    const w = Object.fromEntries(m.weights.categories.map((c) => [c.category, c.weight]));
    expect(w["order-flow"]).toBeGreaterThan(2);
    for (const c of CATS.slice(1)) expect(w[c]).toBeLessThan(1);
  });

  it("shows learned above uniform out of sample, with day-bootstrap intervals excluding no gain", () => {
    expect(m.counts).toMatchObject({ test: 8_640, unmatched: 0, purged: 3, late: 0 });
    expect(m.test.days).toBe(10);
    const d = m.bias.learnedMinusUniform;
    if (d.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(d)}`);
    expect(d.ic.verdict).toBe("learned better");
    expect(d.hitRate.verdict).toBe("learned better");
    expect(d.meanScoreOutcome.verdict).toBe("learned better");
    if (d.ic.status !== "ok") throw new Error("unreachable");
    expect(d.ic.lo).toBeGreaterThan(0);
    const u = m.bias.uniform;
    const l = m.bias.learned;
    if (u.status !== "ok" || l.status !== "ok" || u.ic.status !== "ok" || l.ic.status !== "ok") throw new Error("expected ok");
    expect(l.ic.value).toBeGreaterThan(u.ic.value);
  });

  it("gives the leading category a significant scorecard and lists every category with its counts", () => {
    expect(m.categories.map((c) => c.id)).toEqual(["order-flow", "absorption", "momentum", "trend", "mean-reversion", "vwap", "volume", "divergence"]);
    const lead = m.categories[0];
    expect(lead.n).toBe(8_640);
    expect(lead.ic.status === "ok" && lead.ic.significant && lead.ic.value > 0).toBe(true);
    expect(lead.hitRate.status === "ok" && lead.hitRate.significant).toBe(true);
  });
});

describe("evaluate core, null market: nothing predicts the outcome", () => {
  // A 95 % interval excludes 0 in 1 run of 20 by construction. Measured on seeds 1–30 of this
  // stream (B = 500): each learned − uniform interval excluded 0 in 2–4 runs (seed 1 among them),
  // after the few-days widening (statistics.ts); seeds 2 and 3 are two of the runs that did not.
  for (const seed of [2, 3]) {
    it(`claims no gain (every learned − uniform interval includes 0), seed ${seed}`, () => {
      const m = evaluate({ seed, beta: {} });
      const d = m.bias.learnedMinusUniform;
      if (d.status !== "ok") throw new Error("expected ok");
      for (const s of [d.hitRate, d.ic, d.meanScoreOutcome]) expect(s.verdict).toBe("not distinguishable from noise");
      // 8 noise categories × 2 statistics at 95 %: at most a couple may look significant by chance.
      const flagged = m.categories.filter((c) => c.ic.status === "ok" && c.ic.significant).length + m.categories.filter((c) => c.hitRate.status === "ok" && c.hitRate.significant).length;
      expect(flagged).toBeLessThanOrEqual(2);
    });
  }
});

describe("evaluate core, bookkeeping", () => {
  it("recomputes exactly the published bias while every weight is still 1 (the same formula, imported)", () => {
    const m = evaluate({ seed: 3, beta: { "order-flow": 0.3 }, floor: 1e9 });
    const d = m.bias.learnedMinusUniform;
    if (d.status !== "ok" || d.ic.status !== "ok" || d.meanScoreOutcome.status !== "ok") throw new Error("expected ok");
    expect([d.ic.estimate, d.ic.lo, d.ic.hi, d.meanScoreOutcome.estimate]).toEqual([0, 0, 0, 0]);
    expect(m.weights.categories.every((c) => c.weight === 1 && c.status === "not enough data")).toBe(true);
  });

  it("gives the same report whatever order a ts's symbols arrive in", () => {
    const a = evaluate({ seed: 4, beta: { "order-flow": 0.3 }, days: 12 });
    const b = evaluate({ seed: 4, beta: { "order-flow": 0.3 }, days: 12, reversed: true });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("counts a test outcome without a recorded learned bias and leaves it out of the comparison, never filled in", () => {
    const ev = new Evaluation({ modes: ["scalp"], splitTs: START, cadenceMs: PER_MODE, horizonMs: PER_MODE });
    const cats = [{ category: "order-flow", score: 0.5, confidence: 1 }];
    ev.predicted("AAA", "scalp", START, { score: 0.2, confidence: 1 });
    ev.predicted("AAA", "scalp", START + H, { score: 0.3, confidence: 1 }); // voided by the engine: never scored
    ev.scored("AAA", outcome(START, 1, cats));
    ev.scored("AAA", outcome(START + 2 * H, 1, cats)); // no learned bias recorded for it
    ev.scored("AAA", { ...outcome(START, 1, cats), mode: "day" }); // a mode not evaluated: ignored
    const m = ev.report().modes[0];
    expect(m.counts).toMatchObject({ outcomes: 2, test: 2, unmatched: 1, train: 0 });
    expect(m.bias.uniform).toMatchObject({ status: "not enough data", n: 1 });
    expect(() => ev.weightsAt("day", START)).toThrow(/not evaluated/);
  });

  it("rejects bad options", () => {
    expect(() => new Evaluation({ modes: [], splitTs: 0, cadenceMs: PER_MODE })).toThrow(/modes/);
    expect(() => new Evaluation({ modes: ["day", "day"], splitTs: 0, cadenceMs: PER_MODE })).toThrow(/modes/);
    expect(() => new Evaluation({ modes: ["day"], splitTs: 0, cadenceMs: { ...PER_MODE, day: 0 } })).toThrow(/cadenceMs.day/);
  });
});
