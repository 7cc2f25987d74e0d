/**
 * The engine's half of the learning loop on real data: twelve hours of the AVAXUSDT month of
 * one-minute bars, as `npm run replay -- --cycle 60s` runs them. Every bias recompute is a
 * prediction, scored when its horizon has passed, in units of the symbol's σ; the learned weights
 * and their version reach the bias; the state survives a checkpoint.
 */
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import type { ScoredOutcome } from "../../../../src/domain/learning/predictions.js";
import { getMapper, normalizeLine } from "../../../../src/exchanges/registry.js";
import { readLines } from "../../../../src/replay/lines.js";
import { binanceData } from "../../exchanges/helpers.js";

const bars: CanonicalEvent[] = [];
beforeAll(async () => {
  const mapper = getMapper("binance");
  const stream = Readable.toWeb(createReadStream(binanceData("klines/AVAXUSDT-1m-2026-02.csv.gz"))) as unknown as ReadableStream<Uint8Array>;
  for await (const line of readLines(stream)) {
    bars.push(...normalizeLine(mapper, line, { instrument: "AVAXUSDT" }).events);
    if (bars.length >= 720) break;
  }
});

const CONFIG = { cycleMs: 60_000, biasCadenceMs: { scalp: 60_000, day: 60_000, swing: 300_000 }, catchUpMs: 300_000 };

function run(engine: SymbolEngine, from: number, to: number, batch = 60): ScoredOutcome[] {
  const out: ScoredOutcome[] = [];
  for (let i = from; i < to; i += batch) {
    engine.ingest(bars.slice(i, Math.min(to, i + batch)));
    out.push(...engine.takeOutcomes());
  }
  return out;
}

describe("the engine's predictions on twelve hours of real one-minute bars", { timeout: 60_000 }, () => {
  it("scores each mode's bias after its horizon against the close then, in σ units", () => {
    const engine = new SymbolEngine("AVAXUSDT", { config: CONFIG });
    const outcomes = run(engine, 0, bars.length);
    const byMode = (m: string) => outcomes.filter((o) => o.mode === m);
    // σ needs an hour of minute returns: the first predictions are skipped, not scored as zero.
    const c = engine.learningRecord().counters();
    expect(c.modes.scalp.skipped["no-volatility"]).toBeGreaterThanOrEqual(59);
    expect(byMode("scalp").length).toBeGreaterThan(500);
    expect(byMode("day").length).toBeGreaterThan(500);
    expect(byMode("swing").length).toBeGreaterThan(80);
    for (const o of outcomes) {
      expect(o.dueTs - o.ts).toBe(o.horizonMs);
      // the outcome is the log return over the horizon in σ_h, clipped at ±5
      expect(o.outcome).toBeCloseTo(Math.max(-5, Math.min(5, o.ret / o.sigma)), 9);
      expect(o.ret).toBeCloseTo(Math.log(o.exitPrice / o.price), 12);
      expect(o.weightsVersion).toBeNull();
    }
    // A scalp outcome by hand: the bar closing at its due time gives the exit price.
    const o = byMode("scalp")[100];
    const exit = bars.filter((b) => b.ts <= o.dueTs).at(-1);
    expect(exit?.kind === "bar" && exit.close).toBe(o.exitPrice);
    // The record holds every scored outcome.
    expect(engine.learningRecord().outcomeStats().mode("scalp").bias.summary().n).toBe(byMode("scalp").length);
    // Cards at the mode's leading timeframe: the scalp prediction carries 1m readings.
    expect(o.cards.length).toBeGreaterThan(20);
  });

  it("continues identically across a checkpoint, and scores nothing twice", () => {
    const straight = run(new SymbolEngine("AVAXUSDT", { config: CONFIG }), 0, bars.length);
    const first = new SymbolEngine("AVAXUSDT", { config: CONFIG });
    const before = run(first, 0, 420);
    const restored = SymbolEngine.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    const after = run(restored, 420, bars.length);
    expect(JSON.stringify([...before, ...after])).toBe(JSON.stringify(straight));
    // Saved apart (as the SymbolObject does), the same.
    const apart = new SymbolEngine("AVAXUSDT", { config: CONFIG });
    const b2 = run(apart, 0, 420);
    const state = JSON.parse(JSON.stringify(apart.toJSON({ learning: false })));
    expect(state.learning).toBeUndefined();
    const again = SymbolEngine.fromJSON(state, { learning: JSON.parse(JSON.stringify(apart.learningJSON())) });
    expect(JSON.stringify([...b2, ...run(again, 420, bars.length)])).toBe(JSON.stringify(straight));
  });

  it("reads learned weights with their version from the next recompute on, never an older version", () => {
    const engine = new SymbolEngine("AVAXUSDT", { config: CONFIG });
    run(engine, 0, 120);
    engine.setWeights({ scalp: { momentum: 3 } }, 4);
    run(engine, 120, 130);
    const bias = engine.latest()?.bias.scalp;
    expect(bias?.weightsVersion).toBe(4);
    expect(bias?.components.find((c) => c.category === "momentum")?.weight).toBe(3);
    engine.setWeights({ scalp: { momentum: 9 } }, 3);
    run(engine, 130, 140);
    expect(engine.latest()?.bias.scalp?.components.find((c) => c.category === "momentum")?.weight).toBe(3);
    // 2 h later the predictions made with version 4 come back carrying it.
    const later = run(engine, 140, 300);
    expect(later.some((o) => o.weightsVersion === 4)).toBe(true);
  });

  it("voids the predictions a jump in event time spans", () => {
    const engine = new SymbolEngine("AVAXUSDT", { config: CONFIG });
    run(engine, 0, 200);
    // three hours of bars missing: the engine skips them (catch-up)
    run(engine, 380, 500);
    const c = engine.learningRecord().counters();
    expect(c.modes.scalp.voided.gap + c.modes.day.voided.gap + c.modes.swing.voided.gap).toBeGreaterThan(10);
  });
});
