import { describe, expect, it } from "vitest";
import {
  addRoundGains,
  cardCategory,
  CoordinatorLearning,
  emptyGain,
  gainVersusUniform,
  MODE_OVERLAP,
  modeScorecard,
  scorecardRow,
  type CoordinatorLearningState,
} from "../../../../src/domain/learning/coordinator-learning.js";
import { OutcomeStats } from "../../../../src/domain/learning/outcome-stats.js";
import type { ScoredOutcome } from "../../../../src/domain/learning/predictions.js";
import { mulberry32, normal } from "../../../../src/domain/learning/prng.js";
import { RunningStats } from "../../../../src/domain/learning/running-stats.js";
import { spearmanInterval, wilsonInterval } from "../../../../src/domain/learning/scorecard.js";
import type { Mode } from "../../../../src/protocol/snapshot.js";

const T0 = 1_700_000_000_000;
const CYCLE = 10_000;

type Cat = ScoredOutcome["categories"][number];

/** A scored outcome of a prediction made at `ts` (only the fields the Coordinator reads matter). */
function scored(mode: Mode, ts: number, outcome: number, categories: Cat[] = [{ category: "momentum", score: 0.5, confidence: 1 }], cards: ScoredOutcome["cards"] = []): ScoredOutcome {
  return {
    mode,
    ts,
    dueTs: ts + 300_000,
    horizonMs: 300_000,
    price: 100,
    exitPrice: 100,
    exitTs: ts + 300_000,
    ret: 0,
    sigma: 0.01,
    outcome,
    clipped: false,
    bias: { score: categories[0]?.score ?? 0, confidence: 1 },
    categories,
    cards,
    weightsVersion: null,
  };
}

const roundTrip = (l: CoordinatorLearning): CoordinatorLearning => CoordinatorLearning.fromJSON(JSON.parse(JSON.stringify(l.toJSON())) as CoordinatorLearningState);

describe("CoordinatorLearning rounds", () => {
  it("buffers a cycle's outcomes and applies them when a later cycle reports", () => {
    const l = new CoordinatorLearning();
    const r1 = l.report("BTCUSDT", T0, [scored("scalp", T0 - 300_000, 1)]);
    expect(r1).toMatchObject({ closed: null, duplicate: 0, stale: 0, invalid: 0 });
    expect(r1.accepted).toHaveLength(1);
    // Same cycle from another symbol: still the open round.
    expect(l.report("ETHUSDT", T0, [scored("scalp", T0 - 300_000, -1)]).closed).toBeNull();
    expect(l.buffered).toBe(2);
    expect(l.publishedWeights()).toBeNull();
    expect(l.outcomeStats().mode("scalp").bias.n).toBe(0);

    // The next cycle closes the round: one Hedge round over both outcomes, both recorded.
    const r3 = l.report("BTCUSDT", T0 + CYCLE, []);
    expect(r3.closed).toEqual(["scalp"]);
    expect(l.buffered).toBe(0);
    const w = l.weightsReport();
    expect(w.modes.scalp).toMatchObject({ version: 1, rounds: 1, outcomes: 2 });
    expect(w.modes.day.version).toBe(0);
    expect(w.version).toBe(1);
    expect(w.counters).toEqual({ reports: 3, accepted: 2, duplicate: 0, stale: 0, invalid: 0, rounds: 1 });
    expect(l.outcomeStats().mode("scalp").bias.n).toBe(2);
  });

  it("puts a report older than the open round into the open round", () => {
    const l = new CoordinatorLearning();
    l.report("BTCUSDT", T0 + CYCLE, [scored("day", T0, 1)]);
    // A lagging symbol's cycle T0 arrives after T0 + 10 s: it neither closes nor reopens a round.
    expect(l.report("ETHUSDT", T0, [scored("day", T0, 1)]).closed).toBeNull();
    expect(l.buffered).toBe(2);
    expect(l.report("ETHUSDT", T0 + 2 * CYCLE).closed).toEqual(["day"]);
    expect(l.weightsReport().modes.day).toMatchObject({ rounds: 1, outcomes: 2 });
  });

  it("a round without outcomes changes nothing", () => {
    const l = new CoordinatorLearning();
    l.report("BTCUSDT", T0);
    expect(l.report("BTCUSDT", T0 + CYCLE).closed).toEqual([]);
    expect(l.version()).toBe(0);
    expect(l.weightsReport().counters.rounds).toBe(0);
  });

  it("rejects a non-finite cycle ts and counts malformed outcomes without recording them", () => {
    const l = new CoordinatorLearning();
    expect(() => l.report("BTCUSDT", Number.NaN)).toThrow(/cycle ts must be finite/);
    const bad = [
      scored("day", T0, Number.NaN),
      scored("day", Number.POSITIVE_INFINITY, 1),
      { ...scored("day", T0, 1), mode: "weekly" } as unknown as ScoredOutcome,
      { ...scored("day", T0, 1), categories: undefined } as unknown as ScoredOutcome,
    ];
    expect(l.report("BTCUSDT", T0, bad)).toMatchObject({ invalid: 4, accepted: [] });
    l.report("BTCUSDT", T0 + CYCLE);
    expect(l.version()).toBe(0);
    expect(l.weightsReport().counters.invalid).toBe(4);
  });
});

describe("CoordinatorLearning dedupe", () => {
  it("never scores an outcome twice: a re-sent report in the same round or a later one is a duplicate", () => {
    const l = new CoordinatorLearning();
    const o = scored("scalp", T0, 1);
    l.report("BTCUSDT", T0 + 300_000, [o]);
    // The reply was lost; the symbol re-sends with its next report (same round here).
    expect(l.report("BTCUSDT", T0 + 300_000, [o]).duplicate).toBe(1);
    l.report("BTCUSDT", T0 + 310_000, [o, scored("scalp", T0 + 30_000, -1)]);
    // Same ts from another symbol or another mode is a different outcome.
    const r = l.report("ETHUSDT", T0 + 310_000, [scored("scalp", T0, 1), scored("day", T0, 1)]);
    expect(r.duplicate).toBe(0);
    expect(r.accepted).toHaveLength(2);
    l.report("BTCUSDT", T0 + 320_000);
    expect(l.outcomeStats().mode("scalp").bias.n).toBe(3);
    expect(l.outcomeStats().mode("day").bias.n).toBe(1);
    expect(l.weightsReport().counters).toMatchObject({ accepted: 4, duplicate: 2 });
  });

  it("drops an outcome older than the window of its (symbol, mode) as stale", () => {
    const l = new CoordinatorLearning({ dedupeWindowMs: 60_000 });
    l.report("BTCUSDT", T0, [scored("scalp", T0, 1)]);
    l.report("BTCUSDT", T0 + 90_000, [scored("scalp", T0 + 90_000, 1)]);
    // T0 + 30 s ≤ newest (T0 + 90 s) − 60 s: cannot be told from an applied one.
    const r = l.report("BTCUSDT", T0 + 90_000, [scored("scalp", T0 + 30_000, 1), scored("scalp", T0 + 40_000, 1)]);
    expect(r).toMatchObject({ stale: 1, duplicate: 0 });
    expect(r.accepted.map((b) => b.outcome.ts)).toEqual([T0 + 40_000]);
    // The window pruned T0: the state keeps only ts within 60 s of the newest.
    expect(l.toJSON().meta.recent["BTCUSDT|scalp"]).toEqual([T0 + 40_000, T0 + 90_000]);
  });
});

describe("CoordinatorLearning determinism and restarts", () => {
  /** Four cycles of three symbols, each reporting one day outcome per cycle with two categories. */
  function script(seed: number): { symbol: string; ts: number; outcomes: ScoredOutcome[] }[] {
    const rng = mulberry32(seed);
    const out: { symbol: string; ts: number; outcomes: ScoredOutcome[] }[] = [];
    for (let c = 0; c < 4; c++) {
      for (const symbol of ["BTCUSDT", "ETHUSDT", "SOLUSDT"]) {
        const y = normal(rng);
        const cats: Cat[] = [
          { category: "momentum", score: Math.tanh(y + normal(rng)), confidence: 0.8 },
          { category: "trend", score: Math.tanh(normal(rng)), confidence: 0.5 },
        ];
        out.push({ symbol, ts: T0 + c * CYCLE, outcomes: [scored("day", T0 - 3_600_000 + c * CYCLE, y, cats, [{ id: "momentum.return", score: cats[0].score, confidence: 1 }])] });
      }
    }
    return out;
  }

  it("gives the same state whatever order the symbols of a cycle report in", () => {
    const a = new CoordinatorLearning({ hedge: { floor: 1 } });
    const b = new CoordinatorLearning({ hedge: { floor: 1 } });
    const reports = script(7);
    for (const r of reports) a.report(r.symbol, r.ts, r.outcomes);
    // Within each cycle, reverse the arrival order.
    for (let c = 0; c < 4; c++) for (const r of reports.slice(c * 3, c * 3 + 3).reverse()) b.report(r.symbol, r.ts, r.outcomes);
    a.report("BTCUSDT", T0 + 10 * CYCLE);
    b.report("BTCUSDT", T0 + 10 * CYCLE);
    const strip = (s: CoordinatorLearningState) => ({ ...s, meta: { ...s.meta, recent: undefined } });
    expect(JSON.stringify(strip(b.toJSON()))).toBe(JSON.stringify(strip(a.toJSON())));
    expect(a.version()).toBe(4);
  });

  it("continues after a restart mid-round exactly as without one, and still knows what it applied", () => {
    const straight = new CoordinatorLearning({ hedge: { floor: 1 } });
    const restarted = new CoordinatorLearning({ hedge: { floor: 1 } });
    const reports = script(11);
    let current = restarted;
    reports.forEach((r, i) => {
      straight.report(r.symbol, r.ts, r.outcomes);
      current.report(r.symbol, r.ts, r.outcomes);
      // Restart after the first report of cycle 2 (a round open, one outcome buffered).
      if (i === 6) {
        expect(current.buffered).toBe(1);
        current = roundTrip(current);
        expect(current.buffered).toBe(1);
      }
    });
    expect(JSON.stringify(current.toJSON())).toBe(JSON.stringify(straight.toJSON()));
    // Re-sent outcomes after the restart: applied ones and buffered ones are both duplicates.
    const again = current.report("BTCUSDT", T0 + 3 * CYCLE, [...reports[0].outcomes, ...reports[9].outcomes]);
    expect(again.duplicate).toBe(2);
    current.report("BTCUSDT", T0 + 10 * CYCLE);
    straight.report("BTCUSDT", T0 + 10 * CYCLE);
    expect(current.toJSON().modes).toEqual(straight.toJSON().modes);
    expect(current.weightsReport().modes.day.weights).toEqual(straight.weightsReport().modes.day.weights);
    // A mode's row is exactly that mode's part of the statistics' own checkpoint.
    expect(current.modeJSON("day").stats).toEqual(current.outcomeStats().toJSON().modes.day);
    expect(current.outcomeStats().mode("day").bias.n).toBe(12);
  });

  it("restores a buffer that the stored window already lists (the report that opened the round)", () => {
    const l = new CoordinatorLearning();
    l.report("BTCUSDT", T0, [scored("day", T0 - 3_600_000, 1)]);
    const state = JSON.parse(JSON.stringify(l.toJSON())) as CoordinatorLearningState;
    // The buffer row and the window both hold the outcome; a duplicated row is kept once.
    state.buffer.push(state.buffer[0]);
    const back = CoordinatorLearning.fromJSON(state);
    expect(back.buffered).toBe(1);
    back.report("BTCUSDT", T0 + CYCLE);
    expect(back.outcomeStats().mode("day").bias.n).toBe(1);
  });

  it("rejects a malformed checkpoint naming the part", () => {
    const state = new CoordinatorLearning().toJSON();
    expect(() => CoordinatorLearning.fromJSON({ ...state, v: 2 } as unknown as CoordinatorLearningState)).toThrow(/not a v1 state/);
    const { day: _day, ...noDay } = state.modes;
    expect(() => CoordinatorLearning.fromJSON({ ...state, modes: noDay } as unknown as CoordinatorLearningState)).toThrow(/modes.day is missing/);
    const swapped = { ...state, modes: { ...state.modes, day: state.modes.scalp } };
    expect(() => CoordinatorLearning.fromJSON(swapped)).toThrow(/modes.day holds a scalp learner/);
    const badBuffer = { ...state, buffer: [{ symbol: "BTCUSDT", outcome: { mode: "day" } }] } as unknown as CoordinatorLearningState;
    expect(() => CoordinatorLearning.fromJSON(badBuffer)).toThrow(/buffered outcome is malformed/);
  });
});

describe("CoordinatorLearning reply weights", () => {
  it("publishes per-mode weights with version = Σ mode versions, raising a category that leads returns", () => {
    const l = new CoordinatorLearning({ hedge: { floor: 20 } });
    const rng = mulberry32(3);
    let ts = T0;
    for (let round = 0; round < 400; round++) {
      const outcomes: ScoredOutcome[] = [];
      for (const mode of ["day", "swing"] as const) {
        const y = normal(rng);
        outcomes.push(
          scored(mode, ts - 1, y, [
            // momentum calls the move, trend calls it backwards, volume is noise.
            { category: "momentum", score: Math.tanh(y), confidence: 1 },
            { category: "trend", score: -Math.tanh(y), confidence: 1 },
            { category: "volume", score: Math.tanh(normal(rng)), confidence: 1 },
          ]),
        );
      }
      l.report("BTCUSDT", ts, outcomes);
      ts += CYCLE;
    }
    l.report("BTCUSDT", ts);
    const reply = l.publishedWeights();
    expect(reply).not.toBeNull();
    // 400 rounds each for day and swing, none for scalp.
    expect(reply!.version).toBe(800);
    const day = reply!.weights.day!;
    expect(day.momentum!).toBeGreaterThan(1.2);
    expect(day.trend!).toBeLessThan(0.8);
    // Categories never seen stay at 1 (below the floor, "not enough data").
    expect(day.funding).toBe(1);
    expect(reply!.weights.scalp!.momentum).toBe(1);
    const report = l.weightsReport().modes.day;
    expect(report.categories.find((c) => c.category === "funding")).toMatchObject({ status: "not enough data", n: 0, needed: 20 });
    expect(report.categories.find((c) => c.category === "momentum")).toMatchObject({ status: "learned", n: 400, needed: 0 });
    // 400 rounds / overlap 60 = 6.7 < 30: the gain has no interval yet, and says how many rounds it needs.
    expect(report.versusUniform).toEqual({ status: "not enough data", n: 400, rounds: 400, overlap: 60, needed: 1_400, neededUnit: "rounds" });
  });
});

describe("gainVersusUniform", () => {
  it("gives the cluster-robust interval inflated by the overlap, worked by hand", () => {
    // Rounds: gains [1, 3], [2], [−1, 0, 4]: S = 4, 2, 3; n = 2, 1, 3; N = 6, ḡ = 9/6 = 1.5.
    // S − n·ḡ = 1, 0.5, −1.5 → Σ² = 3.5; V = 3/2 · 3.5 / 36 = 0.1458333; overlap 2 → SE = √0.2916667 = 0.5400617.
    // 95 %: 1.5 ± 1.959964 · 0.5400617 = [0.441499, 2.558501].
    const g = emptyGain();
    addRoundGains(g, [1, 3]);
    addRoundGains(g, [2]);
    addRoundGains(g, [-1, 0, 4]);
    expect(g).toEqual({ rounds: 3, n: 6, sum: 9, sumS2: 29, sumSN: 19, sumN2: 14 });
    const v = gainVersusUniform(g, 2, 0.4, 1.5);
    if (v.status !== "ok") throw new Error("expected ok");
    expect(v.meanGain).toBe(1.5);
    expect(v.se).toBeCloseTo(0.5400617, 6);
    expect(v.lo).toBeCloseTo(0.441499, 5);
    expect(v.hi).toBeCloseTo(2.558501, 5);
    expect(v.significant).toBe(true);
    expect(v.seNaive).toBe(0.4);
    // With overlap 4 the floor 1.5 needs 6 rounds: 3 more.
    expect(gainVersusUniform(g, 4, null, 1.5)).toEqual({ status: "not enough data", n: 6, rounds: 3, overlap: 4, needed: 3, neededUnit: "rounds" });
    expect(gainVersusUniform(emptyGain(), 1, null, 0.5)).toMatchObject({ status: "not enough data", rounds: 0 });
  });
});

describe("scorecard rows", () => {
  function fivePairs(): RunningStats {
    const s = new RunningStats();
    for (const [x, y] of [
      [0.5, 1],
      [-0.5, -1],
      [0.5, -1],
      [1, 2],
      [-1, -2],
    ]) {
      s.add(x, 1, y);
    }
    return s;
  }

  it("computes hit rate, rank IC and slope with intervals, worked by hand", () => {
    // Hits 4 of 5 calls. Slope Σxy / Σx² = 4.5 / 2.75 = 1.636364.
    // Ranks x: 1, 2, 3.5, 3.5, 5 and y: 1, 2.5, 2.5, 4, 5 (each value in its own bin): ρ = 8.75 / 9.5 = 0.921053;
    // Fisher: atanh ρ = 1.595925 ± 1.959964·√(1.06 / 2) = ±1.426877 → [tanh 0.169048, tanh 3.022802] = [0.16746, 0.99529].
    const row = scorecardRow("momentum", "momentum", fivePairs(), 1, 4);
    expect(row).toMatchObject({ id: "momentum", n: 5, nEff: 5, status: "ok", needed: 0 });
    if (row.hitRate.status !== "ok" || row.ic.status !== "ok" || row.slope.status !== "ok") throw new Error("expected ok");
    expect(row.hitRate.value).toBe(0.8);
    expect([row.hitRate.lo, row.hitRate.hi]).toEqual(Object.values(wilsonInterval(4, 5)));
    expect(row.hitRate.lo).toBeCloseTo(0.3755, 4);
    expect(row.ic.value).toBeCloseTo(0.921053, 6);
    expect(row.ic.lo).toBeCloseTo(0.16746, 4);
    expect(row.ic.hi).toBeCloseTo(0.99529, 4);
    expect(row.ic.significant).toBe(true);
    expect(row.slope.value).toBeCloseTo(1.636364, 6);
  });

  it("says not enough data below the floor of effective outcomes, with how many more are needed", () => {
    // overlap 2: n_eff = 2.5 < 4; needed = ⌈4·2 − 5⌉ = 3.
    const row = scorecardRow("momentum", "momentum", fivePairs(), 2, 4);
    expect(row).toMatchObject({ status: "not enough data", nEff: 2.5, needed: 3 });
    expect(row.ic).toEqual({ status: "not enough data", n: 5, nEff: 2.5, needed: 3 });
    expect(row.hitRate.status).toBe("not enough data");
    expect(row.slope.status).toBe("not enough data");
    // Overlap 1.25: n_eff = 4 clears the floor, and the IC interval is the one of 4 pairs, not 5 (wider).
    const wide = scorecardRow("momentum", "momentum", fivePairs(), 1.25, 4);
    if (wide.ic.status !== "ok") throw new Error("expected ok");
    expect(wide.ic.lo).toBeCloseTo(spearmanInterval(8.75 / 9.5, 4).lo, 12);
    expect(wide.ic.lo).toBeLessThan(0.16746);
  });

  it("lists every category, the cards seen, and filters to one category and its cards", () => {
    const stats = new OutcomeStats();
    stats.record({
      mode: "day",
      outcome: 1,
      bias: { score: 0.3, confidence: 1 },
      categories: [{ category: "liquidation", score: 0.4, confidence: 1 }],
      cards: [
        { id: "liq.imbalance", score: 0.4, confidence: 1 },
        { id: "flow.delta", score: -0.2, confidence: 1 },
      ],
    });
    const all = modeScorecard(stats, "day");
    expect(all).toMatchObject({ mode: "day", horizonMs: 3_600_000, cadenceMs: 60_000, overlap: 60, floor: 30 });
    expect(all.categories).toHaveLength(25);
    expect(all.categories.find((c) => c.id === "funding")).toMatchObject({ n: 0, status: "not enough data", needed: 1_800 });
    expect(all.cards.map((c) => [c.id, c.category])).toEqual([
      ["flow.delta", "order-flow"],
      ["liq.imbalance", "liquidation"],
    ]);
    expect(all.bias).toMatchObject({ id: "bias", n: 1, status: "not enough data", needed: 1_799 });
    const liq = modeScorecard(stats, "day", "liquidation");
    expect(liq.categories.map((c) => c.id)).toEqual(["liquidation"]);
    expect(liq.cards.map((c) => c.id)).toEqual(["liq.imbalance"]);
  });

  it("maps card ids to categories by prefix and overlaps to horizon / cadence", () => {
    expect(cardCategory("liq.imbalance")).toBe("liquidation");
    expect(cardCategory("cascade.risk-up")).toBe("cascade");
    expect(cardCategory("nope.x")).toBeNull();
    expect(cardCategory("noprefix")).toBeNull();
    expect(MODE_OVERLAP).toEqual({ scalp: 10, day: 60, swing: 48 });
  });
});
