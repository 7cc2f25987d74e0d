import { describe, expect, it } from "vitest";
import { splitTime } from "../../../scripts/lib/evaluate/evaluation.js";
import { WalkForwardLearner, type WalkForwardOutcome } from "../../../scripts/lib/evaluate/walk-forward.js";

const CATS = ["order-flow", "momentum"];

/** order-flow called the move in full (+1 at confidence 1), momentum called it wrong. */
function outcome(symbol: string, ts: number, dueTs: number, y = 2): WalkForwardOutcome {
  return {
    symbol,
    mode: "day",
    ts,
    dueTs,
    outcome: y,
    categories: [
      { category: "order-flow", score: 1, confidence: 1 },
      { category: "momentum", score: -1, confidence: 1 },
    ],
  };
}

function learner(splitTs = 1e12, settleMs = 0): WalkForwardLearner {
  return new WalkForwardLearner({ mode: "day", splitTs, settleMs, hedge: { categories: CATS, learningRate: 1, share: 1e-9, floor: 0 } });
}

describe("WalkForwardLearner", () => {
  it("trains a batch only for predictions made after its horizon ended (plus settleMs)", () => {
    const l = learner();
    l.add(outcome("AAA", 0, 300));
    expect(l.weightsAt(300).version).toBe(0); // due at 300: not yet known at 300
    expect(l.weightsAt(301).version).toBe(1);
    const settled = learner(1e12, 60);
    settled.add(outcome("AAA", 0, 300));
    expect(settled.weightsAt(360).version).toBe(0);
    expect(settled.weightsAt(361).version).toBe(1);
  });

  it("moves the weights by Hedge's hand-checked step: one round, η = 1, losses 0 and 1", () => {
    // y = 2 = Y: order-flow's loss (1 + clip(−1·1·2/2)) / 2 = 0, momentum's (1 + 1) / 2 = 1.
    // p ∝ ½·e^0, ½·e^−1 → p = 1/(1 + e^−1) = 0.731059 and 0.268941; published w = 2·p.
    const l = learner();
    l.add(outcome("AAA", 0, 300));
    const w = l.weightsAt(301).weights;
    expect(w["order-flow"]).toBeCloseTo(2 / (1 + Math.exp(-1)), 6);
    expect(w["order-flow"]).toBeCloseTo(1.462117, 6);
    expect(w.momentum).toBeCloseTo(0.537883, 6);
  });

  it("makes one round of all symbols' outcomes of a prediction ts, whatever their arrival order", () => {
    const a = learner();
    a.add(outcome("BBB", 0, 300, 1));
    a.add(outcome("AAA", 0, 300, 2));
    a.add(outcome("AAA", 60, 360, -1));
    const b = learner();
    b.add(outcome("AAA", 60, 360, -1));
    b.add(outcome("AAA", 0, 300, 2));
    b.add(outcome("BBB", 0, 300, 1));
    expect(a.weightsAt(1_000)).toEqual(b.weightsAt(1_000));
    expect(a.stats()).toMatchObject({ outcomes: 3, trained: 3, rounds: 2, purged: 0, late: 0 });
  });

  it("drops from training an outcome made before the split whose horizon ends at or after it", () => {
    const l = learner(200);
    l.add(outcome("AAA", -200, 100)); // all train: trained
    l.add(outcome("AAA", 0, 300)); // straddles the split: purged
    l.add(outcome("AAA", 200, 500)); // test part: trained online
    l.finish();
    expect(l.stats()).toMatchObject({ outcomes: 3, trained: 2, purged: 1, rounds: 2 });
  });

  it("trains an outcome arriving after its batch was applied in a round of its own, counted late, never lost", () => {
    const l = learner();
    l.add(outcome("AAA", 0, 300));
    expect(l.weightsAt(301).version).toBe(1);
    l.add(outcome("BBB", 0, 300));
    expect(l.stats().late).toBe(1);
    expect(l.weightsAt(302).version).toBe(2);
    expect(l.stats()).toMatchObject({ trained: 2, rounds: 2 });
  });

  it("rejects an outcome of another mode and bad options", () => {
    const l = learner();
    expect(() => l.add({ ...outcome("AAA", 0, 300), mode: "scalp" })).toThrow(/mode scalp/);
    expect(() => new WalkForwardLearner({ mode: "day", splitTs: NaN })).toThrow(/splitTs/);
    expect(() => new WalkForwardLearner({ mode: "day", splitTs: 0, settleMs: -1 })).toThrow(/settleMs/);
  });
});

describe("splitTime", () => {
  it("puts the split at first + train · span, in whole ms", () => {
    expect(splitTime(1_000, 2_000, 0.5)).toBe(1_500);
    expect(splitTime(0, 10, 0.3)).toBe(3); // 0.3 · 10 = 3.0000000000000004, floored
    expect(splitTime(5, 5, 0.5)).toBe(5);
  });

  it("rejects a train share outside (0, 1) and a bad span", () => {
    for (const t of [0, 1, -0.1, 1.5, NaN, Infinity]) expect(() => splitTime(0, 10, t)).toThrow(/train must be in \(0, 1\)/);
    expect(() => splitTime(10, 0, 0.5)).toThrow(/span/);
    expect(() => splitTime(0, Infinity, 0.5)).toThrow(/span/);
  });
});
