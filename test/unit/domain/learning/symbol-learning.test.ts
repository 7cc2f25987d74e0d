import { describe, expect, it } from "vitest";
import { MAX_QUEUED, SymbolLearning } from "../../../../src/domain/learning/symbol-learning.js";
import type { Bias, Card } from "../../../../src/protocol/snapshot.js";

/** The fields of a bias a prediction reads. */
function bias(mode: Bias["mode"], ts: number, score: number, confidence: number, weightsVersion: number | null = null): Bias {
  return {
    mode,
    ts,
    score,
    confidence,
    weightsVersion,
    components: [{ category: "order-flow", weight: 1, score: 0.5, confidence: 0.8, contribution: score, cards: [] }],
  } as unknown as Bias;
}

function card(id: string, kind: "directional" | "stress", tf: { "1m"?: [number, number]; "5m"?: [number, number] }): Card {
  const view = (v?: [number, number]) => (v ? { available: true, score: v[0], confidence: v[1] } : { available: false, reason: "warming up" });
  return { id, category: "order-flow", kind, timeframes: { "1m": view(tf["1m"]), "5m": view(tf["5m"]), "1h": view() } } as unknown as Card;
}

const MIN = 60_000;

describe("SymbolLearning", () => {
  it("scores a scalp prediction 5 minutes on in σ units, records it per category and card, and queues it once", () => {
    const l = SymbolLearning.create();
    const t0 = 1_700_000_000_000;
    l.onPrice(t0 - 1_000, 100);
    const cards = [card("flow.cvd", "directional", { "1m": [0.4, 0.9], "5m": [0.1, 0.5] }), card("spread.level", "stress", { "1m": [0, 1] }), card("flow.x", "directional", {})];
    l.predict(bias("scalp", t0, 0.3, 0.6), cards, 100, 0.001);
    // a trade every 30 s up to 101 at the horizon
    for (let t = t0 + 30_000; t <= t0 + 5 * MIN; t += 30_000) l.onPrice(t, t === t0 + 5 * MIN ? 101 : 100.5);
    l.atBoundary(t0 + 5 * MIN); // due exactly now: waits one cycle
    expect(l.takeOutcomes()).toEqual([]);
    l.atBoundary(t0 + 5 * MIN + 10_000);
    const [o, ...rest] = l.takeOutcomes();
    expect(rest).toEqual([]);
    // ln(101/100) / (0.001 · √5) = 0.00995033 / 0.00223607 = 4.44992
    expect(o.outcome).toBeCloseTo(4.44992, 4);
    // the 1m card only, the stress card and the unavailable one left out
    expect(o.cards).toEqual([{ id: "flow.cvd", score: 0.4, confidence: 0.9 }]);
    expect(o.categories).toEqual([{ category: "order-flow", score: 0.5, confidence: 0.8 }]);
    expect(l.takeOutcomes()).toEqual([]);
    const stats = l.outcomeStats().mode("scalp");
    expect(stats.bias.summary().n).toBe(1);
    expect(stats.cards.get("flow.cvd")?.summary().n).toBe(1);
    expect(stats.categories.get("order-flow")?.summary().n).toBe(1);
  });

  it("voids a prediction a skipped jump in event time spans, and skips one without volatility", () => {
    const l = SymbolLearning.create();
    const t0 = 1_700_000_000_000;
    l.onPrice(t0, 100);
    l.predict(bias("scalp", t0, 0.3, 0.6), [], 100, 0.001);
    l.predict(bias("day", t0, 0.3, 0.6), [], 100, null);
    l.onGap(t0 + MIN, t0 + 3 * MIN);
    for (let t = t0 + 30_000; t <= t0 + 6 * MIN; t += 30_000) l.onPrice(t, 101);
    l.atBoundary(t0 + 6 * MIN);
    expect(l.takeOutcomes()).toEqual([]);
    const c = l.counters();
    expect(c.modes.scalp.voided.gap).toBe(1);
    expect(c.modes.day.skipped["no-volatility"]).toBe(1);
  });

  it("checkpoints mid-horizon and continues identically; requeued outcomes go first; the queue is bounded", () => {
    const t0 = 1_700_000_000_000;
    const run = (checkpointAt: number | null) => {
      let l = SymbolLearning.create();
      const out: unknown[] = [];
      for (let i = 0; i < 120; i++) {
        const t = t0 + i * 30_000;
        l.onPrice(t, 100 + Math.sin(i / 5));
        l.atBoundary(t);
        l.predict(bias("scalp", t, Math.cos(i / 3), 0.5, 7), [], 100 + Math.sin(i / 5), 0.001);
        if (i === checkpointAt) l = SymbolLearning.fromJSON(JSON.parse(JSON.stringify(l.toJSON())));
        out.push(...l.takeOutcomes());
      }
      return { out, state: JSON.stringify(l.toJSON()) };
    };
    const straight = run(null);
    expect(straight.out.length).toBeGreaterThan(90);
    expect(run(57)).toEqual(straight);
    expect((straight.out[0] as { weightsVersion: number }).weightsVersion).toBe(7);

    const l = SymbolLearning.create();
    l.onPrice(t0, 100);
    for (let i = 1; i <= 12; i++) l.predict(bias("scalp", t0 + i * 30_000, 0.1, 0.5), [], 100, 0.001);
    for (let t = t0 + 30_000; t <= t0 + 12 * MIN; t += 30_000) l.onPrice(t, 100.1);
    l.atBoundary(t0 + 12 * MIN);
    const taken = l.takeOutcomes();
    expect(taken.length).toBe(12);
    l.requeue(taken.slice(0, 2));
    expect(l.takeOutcomes().map((o) => o.ts)).toEqual(taken.slice(0, 2).map((o) => o.ts));
    l.requeue(Array.from({ length: MAX_QUEUED + 5 }, () => taken[0]));
    expect(l.counters().queued).toBe(MAX_QUEUED);
    expect(l.counters().droppedOutcomes).toBe(5);
  });
});
