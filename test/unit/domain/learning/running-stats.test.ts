import { describe, expect, it } from "vitest";
import { OUTCOME_BIN_EDGES, RunningStats, SCORE_BIN_EDGES, binOf } from "../../../../src/domain/learning/running-stats.js";
import { OutcomeStats, type OutcomeForStats } from "../../../../src/domain/learning/outcome-stats.js";
import { mulberry32 } from "../../../../src/domain/learning/prng.js";

/** Seeded draws in [0, 1) (mulberry32, the domain's one PRNG). */
const rng = mulberry32;

/** Standard normal draws (Box–Muller) from a seeded uniform source. */
function normal(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

type Triple = [x: number, c: number, y: number];

/** Scores tanh(z), outcomes 0.3·z + noise clipped to ±5, like a weakly predictive card. */
function triples(seed: number, n: number): Triple[] {
  const r = rng(seed);
  const g = normal(r);
  const out: Triple[] = [];
  for (let i = 0; i < n; i++) {
    const z = g();
    const x = r() < 0.1 ? 0 : Math.tanh(z);
    out.push([x, r(), Math.max(-5, Math.min(5, 0.3 * z + g()))]);
  }
  return out;
}

function statsOf(rows: Triple[], minAbsScore?: number): RunningStats {
  const s = new RunningStats({ minAbsScore });
  for (const [x, c, y] of rows) s.add(x, c, y);
  return s;
}

/** Mid-ranks (1-based; ties share their mean rank). */
function midRanks(v: number[]): number[] {
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(v.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const spearman = (a: number[], b: number[]) => pearson(midRanks(a), midRanks(b));

describe("RunningStats", () => {
  it("matches a hand-worked five-row example", () => {
    const s = statsOf([
      [0.5, 1, 1],
      [-0.2, 0.5, 0.5],
      [0.01, 1, -1],
      [0.3, 1, 0],
      [-0.6, 0.8, -2],
    ]);
    const m = s.summary();
    // Σx = 0.5 − 0.2 + 0.01 + 0.3 − 0.6 = 0.01; Σy = 1 + 0.5 − 1 + 0 − 2 = −1.5
    // Σxy = 0.5 − 0.1 − 0.01 + 0 + 1.2 = 1.59; Σc·x·y = 0.5 − 0.05 − 0.01 + 0 + 0.96 = 1.40
    // Σ y·sign(x) = 1 − 0.5 − 1 + 0 + 2 = 1.5; Σc = 4.3
    // calls (|x| > 0.05, y ≠ 0): rows 1, 2, 5; hits: rows 1 and 5
    expect(m.n).toBe(5);
    expect(m.sumX).toBeCloseTo(0.01, 12);
    expect(m.sumY).toBeCloseTo(-1.5, 12);
    expect(m.sumXX).toBeCloseTo(0.25 + 0.04 + 0.0001 + 0.09 + 0.36, 12);
    expect(m.sumYY).toBeCloseTo(1 + 0.25 + 1 + 0 + 4, 12);
    expect(m.sumXY).toBeCloseTo(1.59, 12);
    expect(m.sumCXY).toBeCloseTo(1.4, 12);
    expect(m.sumYSignX).toBeCloseTo(1.5, 12);
    expect(m.sumC).toBeCloseTo(4.3, 12);
    expect([m.calls, m.hits]).toEqual([3, 2]);
    // Every row falls in its own bin on both axes, in the raw order, so the binned Spearman is
    // the exact one: ranks x (5, 2, 3, 4, 1), y (5, 4, 2, 3, 1), Σd² = 0 + 4 + 1 + 1 + 0 = 6,
    // ρ = 1 − 6·6 / (5·24) = 0.7.
    expect(s.rankIC()).toBeCloseTo(0.7, 12);
  });

  it("ranks pairs in one bin as ties (mid-ranks)", () => {
    // x 0.01 and 0.02 share bin 10 → ranks 1.5, 1.5, 3; y ranks 2, 1, 3.
    // Centred: (−0.5, −0.5, 1) and (0, −1, 1): ρ = 1.5 / √(1.5 · 2) = 0.866025
    const s = statsOf([
      [0.01, 1, 1],
      [0.02, 1, -1],
      [0.5, 1, 2],
    ]);
    expect(binOf(0.01, SCORE_BIN_EDGES)).toBe(binOf(0.02, SCORE_BIN_EDGES));
    expect(s.rankIC()).toBeCloseTo(Math.sqrt(3) / 2, 12);
  });

  it("bins at the edges: a value equal to an edge goes to the upper bin", () => {
    expect(binOf(-10, OUTCOME_BIN_EDGES)).toBe(0);
    expect(binOf(0, OUTCOME_BIN_EDGES)).toBe(10);
    expect(binOf(-0.1257, OUTCOME_BIN_EDGES)).toBe(9);
    expect(binOf(5, OUTCOME_BIN_EDGES)).toBe(19);
    expect(binOf(1, SCORE_BIN_EDGES)).toBe(19);
    expect(binOf(-1, SCORE_BIN_EDGES)).toBe(0);
  });

  it("counts every x ≠ 0 as a call with minAbsScore 0, and excludes zero outcomes", () => {
    const s = statsOf(
      [
        [0.01, 1, -1],
        [0, 1, 1],
        [0.2, 1, 0],
        [-0.03, 1, -0.5],
      ],
      0,
    );
    expect([s.summary().calls, s.summary().hits]).toEqual([2, 1]);
  });

  it("agrees with direct computation on seeded data", () => {
    const rows = triples(11, 3_000);
    const s = statsOf(rows);
    const m = s.summary();
    const sum = (f: (t: Triple) => number) => rows.reduce((a, t) => a + f(t), 0);
    expect(m.n).toBe(3_000);
    expect(m.sumX).toBeCloseTo(sum(([x]) => x), 9);
    expect(m.sumY).toBeCloseTo(sum(([, , y]) => y), 9);
    expect(m.sumXX).toBeCloseTo(sum(([x]) => x * x), 9);
    expect(m.sumYY).toBeCloseTo(sum(([, , y]) => y * y), 9);
    expect(m.sumXY).toBeCloseTo(sum(([x, , y]) => x * y), 9);
    expect(m.sumC).toBeCloseTo(sum(([, c]) => c), 9);
    expect(m.sumCXY).toBeCloseTo(sum(([x, c, y]) => c * x * y), 9);
    expect(m.sumYSignX).toBeCloseTo(sum(([x, , y]) => Math.sign(x) * y), 9);
    const calls = rows.filter(([x, , y]) => Math.abs(x) > 0.05 && y !== 0);
    expect(m.calls).toBe(calls.length);
    expect(m.hits).toBe(calls.filter(([x, , y]) => Math.sign(x) === Math.sign(y)).length);
    // Exactly the Spearman of the bin indices …
    const xb = rows.map(([x]) => binOf(x, SCORE_BIN_EDGES));
    const yb = rows.map(([, , y]) => binOf(y, OUTCOME_BIN_EDGES));
    const ic = s.rankIC() as number;
    expect(ic).toBeCloseTo(spearman(xb, yb), 12);
    // rankCells() holds the same binned pairs, for a consumer computing its own rank statistics.
    const cells = s.rankCells();
    expect(cells.reduce((a, c) => a + c.count, 0)).toBe(3_000);
    const expanded = cells.flatMap((c) => Array.from({ length: c.count }, () => [c.xBin, c.yBin] as const));
    expect(spearman(expanded.map((p) => p[0]), expanded.map((p) => p[1]))).toBeCloseTo(ic, 12);
    // … and close to the Spearman of the raw values (ties within bins cost little).
    const exact = spearman(
      rows.map(([x]) => x),
      rows.map(([, , y]) => y),
    );
    expect(exact).toBeGreaterThan(0.2);
    expect(Math.abs(ic - exact)).toBeLessThan(0.01);
  });

  it("tracks a negative rank IC and one near zero on null data", () => {
    const flipped = statsOf(triples(5, 2_000).map(([x, c, y]) => [-x, c, y]));
    expect(flipped.rankIC() as number).toBeLessThan(-0.2);
    const r = rng(9);
    const g = normal(r);
    const noise = new RunningStats();
    for (let i = 0; i < 2_000; i++) noise.add(Math.tanh(g()), 1, g());
    // 95 % of |ρ| under the null stay below 1.96 / √2000 ≈ 0.044
    expect(Math.abs(noise.rankIC() as number)).toBeLessThan(0.044);
  });

  it("merges to the statistics of the union, in any order", () => {
    const a = triples(1, 1_200);
    const b = triples(2, 800);
    const union = statsOf([...a, ...b]);
    const ab = statsOf(a).merge(statsOf(b));
    const ba = statsOf(b).merge(statsOf(a));
    for (const merged of [ab, ba]) {
      const m = merged.summary();
      const u = union.summary();
      expect([m.n, m.calls, m.hits, m.rejected]).toEqual([u.n, u.calls, u.hits, u.rejected]);
      for (const f of ["sumX", "sumY", "sumXX", "sumYY", "sumXY", "sumC", "sumCXY", "sumYSignX"] as const) expect(m[f]).toBeCloseTo(u[f], 9);
      // Counts are exact, so the rank IC is identical.
      expect(merged.toJSON().hist).toEqual(union.toJSON().hist);
      expect(merged.rankIC()).toBe(union.rankIC());
    }
  });

  it("handles empty, one pair, constant scores and non-finite input", () => {
    const s = new RunningStats();
    expect(s.n).toBe(0);
    expect(s.rankIC()).toBeNull();
    s.add(0.5, 1, 1);
    expect(s.rankIC()).toBeNull();
    s.add(0.5, 1, -1); // same score bin: no rank variance in x
    expect(s.rankIC()).toBeNull();
    expect(s.add(Number.NaN, 1, 1)).toBe(false);
    expect(s.add(0.1, Number.POSITIVE_INFINITY, 1)).toBe(false);
    expect(s.add(0.1, 1, Number.NEGATIVE_INFINITY)).toBe(false);
    expect(s.add(0.1, -0.5, 1)).toBe(false);
    expect(s.add(0.9, 0, 1)).toBe(false); // zero confidence: no prediction
    expect(s.summary()).toMatchObject({ n: 2, rejected: 4, noConfidence: 1 });
    expect(s.merge(new RunningStats()).n).toBe(2);
  });

  it("refuses a bad threshold, a merge across thresholds and a malformed checkpoint", () => {
    expect(() => new RunningStats({ minAbsScore: 1 })).toThrow("minAbsScore must be in [0, 1) (got 1)");
    expect(() => new RunningStats({ minAbsScore: Number.NaN })).toThrow("minAbsScore");
    expect(() => new RunningStats({ minAbsScore: 0 }).merge(new RunningStats())).toThrow("minAbsScore differs");
    const state = statsOf(triples(3, 10)).toJSON();
    expect(() => RunningStats.fromJSON({ ...state, sumX: Number.NaN })).toThrow("sumX must be a finite number");
    expect(() => RunningStats.fromJSON({ ...state, hist: [400, 1] })).toThrow("hist cell 400");
    expect(() => RunningStats.fromJSON({ ...state, version: 2 } as unknown as typeof state)).toThrow("version");
  });

  it("round-trips through JSON exactly and continues identically", () => {
    const rows = triples(4, 500);
    const straight = statsOf(rows);
    const first = statsOf(rows.slice(0, 321));
    const restored = RunningStats.fromJSON(JSON.parse(JSON.stringify(first)));
    for (const [x, c, y] of rows.slice(321)) restored.add(x, c, y);
    expect(JSON.stringify(restored)).toBe(JSON.stringify(straight));
    expect(restored.rankIC()).toBe(straight.rankIC());
  });
});

describe("OutcomeStats", () => {
  function outcomes(seed: number, n: number): OutcomeForStats[] {
    const r = rng(seed);
    const modes = ["scalp", "day", "swing"] as const;
    return Array.from({ length: n }, () => {
      const s = r() * 2 - 1;
      const cards = [{ id: "flow.cvd", score: s, confidence: r() }];
      if (r() < 0.5) cards.push({ id: "mr.zscore", score: -s, confidence: r() });
      return {
        mode: modes[Math.floor(r() * 3)],
        outcome: s + (r() - 0.5) * 4,
        bias: { score: s / 2, confidence: r() },
        categories: [{ category: "order-flow", score: s, confidence: r() }],
        cards,
      };
    });
  }

  it("records the bias, each category and each card present, per mode", () => {
    const t = new OutcomeStats();
    t.record({ mode: "day", outcome: 1.5, bias: { score: 0.2, confidence: 0.4 }, categories: [{ category: "funding", score: -0.5, confidence: 1 }], cards: [{ id: "funding.rate", score: -0.5, confidence: 1 }] });
    const day = t.mode("day");
    expect(day.bias.summary()).toMatchObject({ n: 1, sumXY: 0.30000000000000004, calls: 1, hits: 1 });
    expect(day.categories.get("funding")?.summary()).toMatchObject({ n: 1, sumXY: -0.75, calls: 1, hits: 0 });
    expect([...day.cards.keys()]).toEqual(["funding.rate"]);
    expect(t.mode("scalp").bias.n).toBe(0);
  });

  it("merges per-symbol tables into the table of all outcomes, with equal JSON keys whatever the order", () => {
    const a = outcomes(21, 600);
    const b = outcomes(22, 400);
    const all = new OutcomeStats();
    for (const o of [...a, ...b]) all.record(o);
    const ta = new OutcomeStats();
    for (const o of a) ta.record(o);
    const tb = new OutcomeStats();
    for (const o of b) tb.record(o);
    const merged = new OutcomeStats().merge(tb).merge(ta);
    for (const mode of ["scalp", "day", "swing"] as const) {
      const m = merged.mode(mode);
      const u = all.mode(mode);
      expect(m.bias.rankIC()).toBe(u.bias.rankIC());
      for (const key of u.cards.keys()) {
        expect(m.cards.get(key)?.toJSON().hist).toEqual(u.cards.get(key)?.toJSON().hist);
        expect(m.cards.get(key)?.summary().sumXY).toBeCloseTo(u.cards.get(key)?.summary().sumXY as number, 9);
      }
      expect(Object.keys(merged.toJSON().modes[mode].cards)).toEqual(Object.keys(all.toJSON().modes[mode].cards));
    }
    const restored = OutcomeStats.fromJSON(JSON.parse(JSON.stringify(all)));
    expect(JSON.stringify(restored)).toBe(JSON.stringify(all));
  });
});
