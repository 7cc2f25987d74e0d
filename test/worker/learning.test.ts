/**
 * The Coordinator learns in the real runtime: scripted cycle reports carry scored outcomes over
 * RPC, a round closes when the next cycle reports, the reply carries the learned weights, and
 * `/v1/weights` and `/v1/scorecard` publish the record (shapes, errors, "not enough data"). A
 * Coordinator rebuilt on the same storage holds the same learners, statistics and open round.
 */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { symbolStub, trade } from "./helpers.js";
import { describe, expect, it } from "vitest";
import type { ScoredOutcome } from "../../src/domain/learning/predictions.js";
import { mulberry32, normal } from "../../src/domain/learning/prng.js";
import type { Coordinator, CycleReport } from "../../src/objects/coordinator.js";
import { ScorecardResponseSchema, WeightsResponseSchema } from "../../src/protocol/http.js";
import type { Mode } from "../../src/protocol/snapshot.js";

const T0 = 1_700_000_000_000;
const CYCLE = 10_000;
const SYMBOLS = ["BTCUSDT", "ETHUSDT"] as const;
/** Rounds scripted: 160 × 2 symbols = 320 scalp outcomes, n_eff = 32 at overlap 10 (past the floor of 30). */
const ROUNDS = 160;

const coordinator = () => env.COORDINATOR.get(env.COORDINATOR.idFromName("coordinator"));
const url = (path: string) => `https://liqflow.test${path}`;

/** momentum calls the move (score tanh y), trend calls it backwards, volume is noise. */
function outcome(mode: Mode, ts: number, y: number, noise: number): ScoredOutcome {
  const m = Math.tanh(y);
  return {
    mode,
    ts,
    dueTs: ts + 300_000,
    horizonMs: 300_000,
    price: 100,
    exitPrice: 100 * Math.exp(y * 0.002),
    exitTs: ts + 300_000,
    ret: y * 0.002,
    sigma: 0.002,
    outcome: y,
    clipped: false,
    bias: { score: m / 3, confidence: 1 },
    categories: [
      { category: "momentum", score: m, confidence: 1 },
      { category: "trend", score: -m, confidence: 1 },
      { category: "volume", score: Math.tanh(noise), confidence: 1 },
    ],
    cards: [
      { id: "momentum.return", score: m, confidence: 1 },
      { id: "trend.slope", score: -m, confidence: 1 },
    ],
    weightsVersion: null,
  };
}

function cycleReport(symbol: string, ts: number, outcomes: ScoredOutcome[] = []): CycleReport {
  return { symbol, ts, price: 100, bias: { scalp: null, day: null, swing: null }, liquidations: [], outcomes };
}

/** Per round and symbol one scalp and one day outcome, seeded. */
function script(): CycleReport[] {
  const rng = mulberry32(42);
  const reports: CycleReport[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const ts = T0 + r * CYCLE;
    for (const symbol of SYMBOLS) {
      reports.push(cycleReport(symbol, ts, [outcome("scalp", ts - 300_000, normal(rng), normal(rng)), outcome("day", ts - 3_600_000, normal(rng), normal(rng))]));
    }
  }
  return reports;
}

describe("the Coordinator learns from cycle reports", () => {
  it("replies with null weights until a round closes, then with the learned weights at version Σ modes", async () => {
    const stub = coordinator();
    const reports = script();
    const first = await stub.report(reports[0]);
    expect(first.weights).toBeNull();
    expect((await stub.report(reports[1])).weights).toBeNull();
    let last = first;
    for (const r of reports.slice(2)) last = await stub.report(r);
    // Rounds 0 … 158 closed (the last is open): scalp and day each 159 versions.
    expect(last.weights?.version).toBe(318);
    const day = last.weights!.weights.day!;
    // 318 outcomes per category: past the floor of 200, momentum earned weight, trend lost it.
    expect(day.momentum!).toBeGreaterThan(1);
    expect(day.trend!).toBeLessThan(1);
    // Never seen: weight 1, flagged below.
    expect(day.funding).toBe(1);
    expect(last.weights!.weights.swing!.momentum).toBe(1);

    // A re-sent report (its reply was lost) changes nothing: every outcome is a duplicate.
    const again = await stub.report(reports[10]);
    expect(again.weights?.version).toBe(318);
    const counters = (await stub.learnedWeights()).counters;
    expect(counters).toMatchObject({ accepted: 640, duplicate: 2, stale: 0, invalid: 0, rounds: 159 });
  });

  it("a SymbolObject's next bias reads the weights the Coordinator replied with, and records their version", async () => {
    const stub = coordinator();
    let version = 0;
    for (const r of script()) version = (await stub.report(r)).weights?.version ?? version;
    expect(version).toBeGreaterThan(0);
    const symbol = "SOLUSDT";
    const sol = symbolStub(symbol);
    const t = (ts: number, price: number) => trade(symbol, ts, price, 1, "buy");
    // A trade, then one past the first boundary: a cycle, its report, the reply's weights.
    await sol.ingest(symbol, { source: "s", events: [t(T0 + 1_000, 100), t(T0 + 11_000, 101)], seqs: [1, 2] });
    const inObject = runInDurableObject as unknown as (stub: unknown, fn: (instance: any) => Promise<number | null>) => Promise<number | null>;
    const held = () => inObject(sol, async (instance) => instance.engine.toJSON({ learning: false }).weightsVersion);
    for (let i = 0; i < 50 && (await held()) === null; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await held()).toBe(version);
    // The next scalp recompute (every 30 s of event time: T0 + 40 s, as T0 ≡ 20 s mod 30 s) uses them.
    await sol.ingest(symbol, { source: "s", events: [t(T0 + 41_000, 102)], seqs: [3] });
    const snap = await sol.snapshot();
    expect(snap?.bias.scalp?.weightsVersion).toBe(version);
  });

  it("publishes /v1/weights with outcomes and status per category, and learned versus uniform not yet measurable", async () => {
    const res = await SELF.fetch(url("/v1/weights"));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=10");
    const body = WeightsResponseSchema.parse(await res.json());
    expect(body.version).toBe(318);
    const day = body.modes.day;
    expect(day).toMatchObject({ mode: "day", version: 159, rounds: 159, outcomes: 318 });
    expect(day.parameters).toMatchObject({ share: 0.001, floor: 200, outcomeScale: 2 });
    expect(day.categories.find((c) => c.category === "momentum")).toMatchObject({ status: "learned", n: 318, needed: 0 });
    expect(day.categories.find((c) => c.category === "funding")).toMatchObject({ status: "not enough data", n: 0, needed: 200, weight: 1 });
    // 159 rounds against 30 × overlap 60 = 1,800 needed.
    expect(day.versusUniform).toEqual({ status: "not enough data", n: 318, rounds: 159, overlap: 60, needed: 1_641, neededUnit: "rounds" });
    expect(body.modes.swing).toMatchObject({ version: 0, outcomes: 0 });
  });

  it("publishes the aggregate scorecard: intervals past the floor in scalp, not enough data in day", async () => {
    const res = await SELF.fetch(url("/v1/scorecard"));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=10");
    const body = ScorecardResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ scope: "aggregate", symbol: null, category: null });
    expect(body.intervals).toContain("n / overlap");
    expect(body.modes.map((m) => [m.mode, m.overlap])).toEqual([
      ["scalp", 10],
      ["day", 60],
      ["swing", 48],
    ]);
    const [scalp, day] = body.modes;
    expect(scalp.categories).toHaveLength(25);
    // 159 closed rounds × 2 symbols = 318 scalp outcomes: n_eff 31.8 ≥ 30.
    const momentum = scalp.categories.find((c) => c.id === "momentum")!;
    expect(momentum).toMatchObject({ n: 318, nEff: 31.8, status: "ok", needed: 0 });
    if (momentum.ic.status !== "ok" || momentum.hitRate.status !== "ok") throw new Error("expected intervals");
    expect(momentum.ic.value).toBeGreaterThan(0.95);
    expect(momentum.ic.significant).toBe(true);
    expect(momentum.hitRate.value).toBe(1);
    const trend = scalp.categories.find((c) => c.id === "trend")!;
    expect(trend.ic.status === "ok" && trend.ic.hi < 0).toBe(true);
    expect(scalp.categories.find((c) => c.id === "funding")).toMatchObject({ n: 0, status: "not enough data", needed: 300 });
    expect(scalp.cards.map((c) => [c.id, c.category])).toEqual([
      ["momentum.return", "momentum"],
      ["trend.slope", "trend"],
    ]);
    // Day: 318 outcomes at overlap 60 is n_eff 5.3: every statistic says so.
    const dayMomentum = day.categories.find((c) => c.id === "momentum")!;
    expect(dayMomentum).toMatchObject({ n: 318, status: "not enough data", needed: 1_482 });
    expect(dayMomentum.ic).toEqual({ status: "not enough data", n: 318, nEff: 5.3, needed: 1_482 });
  });

  it("filters the scorecard to one mode and one category with its cards", async () => {
    const res = await SELF.fetch(url("/v1/scorecard?mode=scalp&category=momentum"));
    expect(res.status).toBe(200);
    const body = ScorecardResponseSchema.parse(await res.json());
    expect(body.category).toBe("momentum");
    expect(body.modes).toHaveLength(1);
    expect(body.modes[0].categories.map((c) => c.id)).toEqual(["momentum"]);
    expect(body.modes[0].cards.map((c) => c.id)).toEqual(["momentum.return"]);
  });

  it("answers one symbol's own record from its object, not enough data when it has none", async () => {
    const res = await SELF.fetch(url("/v1/scorecard?symbol=solusdt&mode=scalp"));
    expect(res.status).toBe(200);
    const body = ScorecardResponseSchema.parse(await res.json());
    expect(body).toMatchObject({ scope: "symbol", symbol: "SOLUSDT" });
    expect(body.modes[0].bias).toMatchObject({ n: 0, status: "not enough data", needed: 300 });
    expect(body.modes[0].cards).toEqual([]);
  });

  it("rejects a bad mode, category or symbol naming the field, and an unknown symbol with 404", async () => {
    const cases: [string, number, string, string][] = [
      ["/v1/scorecard?mode=weekly", 400, "bad_parameter", "mode:"],
      ["/v1/scorecard?category=astrology", 400, "bad_parameter", "category:"],
      ["/v1/scorecard?symbol=BTC-USDT", 400, "bad_parameter", "symbol:"],
      ["/v1/scorecard?symbols=BTCUSDT", 400, "bad_parameter", ""],
      ["/v1/scorecard?symbol=FOOUSDT", 404, "unknown_symbol", "FOOUSDT"],
    ];
    for (const [path, status, code, message] of cases) {
      const res = await SELF.fetch(url(path));
      expect(res.status, path).toBe(status);
      const body = await res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code, path).toBe(code);
      expect(body.error.message.startsWith(message) || body.error.message.includes(message), path).toBe(true);
    }
  });

  it("documents both routes in OpenAPI", async () => {
    const doc = await (await SELF.fetch(url("/openapi.json"))).json<any>();
    const scorecard = doc.paths["/v1/scorecard"].get;
    expect(scorecard.parameters.map((p: any) => p.name)).toEqual(["mode", "symbol", "category"]);
    expect(scorecard.parameters.find((p: any) => p.name === "category").schema.enum).toContain("liquidation");
    expect(Object.keys(scorecard.responses).sort()).toEqual(["200", "304", "400", "404", "429"]);
    expect(doc.paths["/v1/weights"].get.responses[200].headers["Cache-Control"].description).toBe("public, max-age=10");
  });

  it("a Coordinator rebuilt on its storage holds the same learners, statistics and open round, and goes on identically", async () => {
    const stub = coordinator();
    const result = await runInDurableObject(stub, async (instance: Coordinator, state) => {
      const { Coordinator: Fresh } = await import("../../src/objects/coordinator.js");
      const fresh = new Fresh(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const learning = (c: Coordinator) => (c as unknown as { learning: { toJSON(): any; buffered: number } }).learning;
      const before = { live: learning(instance).toJSON(), fresh: learning(fresh).toJSON(), buffered: [learning(instance).buffered, learning(fresh).buffered] };
      // The next cycle closes the open round in both.
      const closing = cycleReport("BTCUSDT", T0 + ROUNDS * CYCLE);
      const a = await instance.report(closing);
      const b = await fresh.report(closing);
      return { before, a: a.weights, b: b.weights, liveModes: learning(instance).toJSON().modes, freshModes: learning(fresh).toJSON().modes };
    });
    expect(result.before.buffered).toEqual([4, 4]);
    expect(result.before.fresh.modes).toEqual(result.before.live.modes);
    expect(result.before.fresh.meta.recent).toEqual(result.before.live.meta.recent);
    expect(result.before.fresh.meta.gain).toEqual(result.before.live.meta.gain);
    expect(result.b).toEqual(result.a);
    expect(result.a?.version).toBe(320);
    expect(result.freshModes).toEqual(result.liveModes);
  });
});
