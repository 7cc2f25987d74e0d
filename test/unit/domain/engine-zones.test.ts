import { beforeAll, describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../src/domain/engine.js";
import type { CanonicalEvent } from "../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import { ZonesSchema } from "../../../src/protocol/zones.js";
import { recordingLines } from "../exchanges/helpers.js";

const S = "BTCUSDT";

/**
 * The real Binance BTCUSDT recording (trades + depth, about 6 minutes) through the collector's
 * normalizer, with open interest rising once a second (synthetic: no public recording has OI on
 * the same clock) so the estimated level map, and with it the zones' level candidates and trap
 * checks, are available.
 */
let events: CanonicalEvent[] = [];
beforeAll(async () => {
  const mapper = getMapper("binance");
  const base = (await recordingLines("hftbacktest_btcusdt_20240808.gz")).flatMap((l) => normalizeLine(mapper, l, { instrument: S }).events);
  let nextOi = -1;
  let oi = 80_000;
  for (const ev of base) {
    if (nextOi < 0) nextOi = ev.ts;
    while (ev.ts >= nextOi) {
      oi += 3;
      events.push({ venue: "bybit", symbol: S, ts: nextOi, kind: "oi", oiBase: oi });
      nextOi += 1_000;
    }
    events.push(ev);
  }
});

function run(batch: number, engine = new SymbolEngine(S), from = 0, to = events.length): SymbolEngine {
  for (let i = from; i < to; i += batch) engine.ingest(events.slice(i, Math.min(to, i + batch)));
  return engine;
}

describe("SymbolEngine zones on the recorded BTCUSDT stream", () => {
  it("computes zones at each cycle from the book, trades and level map, valid against the wire schema", () => {
    const engine = new SymbolEngine(S);
    expect(engine.zones()).toBeNull();
    let cycles = 0;
    for (let i = 0; i < events.length; i += 500) {
      const snapshots = engine.ingest(events.slice(i, i + 500));
      cycles += snapshots.length;
      if (snapshots.length === 0) continue;
      const zones = ZonesSchema.parse(engine.zones());
      // The zones belong to the last cycle of the batch and are classified against its price.
      expect(zones.ts).toBe(snapshots[snapshots.length - 1].ts);
      expect(zones.price).toBe(snapshots[snapshots.length - 1].price);
      for (const z of zones.zones) {
        expect(z.low).toBeLessThanOrEqual(z.high);
        // Shown to 6 significant digits: one decimal at BTC's ~61,000.
        for (const p of [z.low, z.mid, z.high, ...z.sources.map((s) => s.price)]) expect(String(p)).toMatch(/^\d+(\.\d)?$/);
        if (z.kind === "support") expect(z.low).toBeLessThanOrEqual(zones.price!);
        else expect(z.high).toBeGreaterThanOrEqual(zones.price!);
      }
    }
    expect(cycles).toBeGreaterThan(30);
    const last = engine.zones()!;
    expect(last.symbol).toBe(S);
    expect(last.inputs).toMatchObject({ trades: "available", book: "available", levels: "available" });
    expect(last.zones.length).toBeGreaterThan(0);
  });

  it("does not depend on how events are batched, and survives a checkpoint mid-stream byte for byte", () => {
    const whole = JSON.stringify(run(events.length).toJSON().zones);
    expect(JSON.stringify(run(1).toJSON().zones)).toBe(whole);
    expect(JSON.stringify(run(997).toJSON().zones)).toBe(whole);
    const half = Math.floor(events.length / 2);
    const first = run(300, new SymbolEngine(S), 0, half);
    const restored = SymbolEngine.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    expect(JSON.stringify(run(300, restored, half).toJSON().zones)).toBe(whole);
  });

  it("restores an engine from a checkpoint written before zones existed, with zones starting empty", () => {
    const engine = run(1_000, new SymbolEngine(S), 0, 5_000);
    const state = JSON.parse(JSON.stringify(engine.toJSON()));
    delete state.zones;
    const restored = SymbolEngine.fromJSON(state);
    expect(restored.zones()).toBeNull();
    run(1_000, restored, 5_000);
    expect(ZonesSchema.parse(restored.zones()).ts).toBe(restored.latest()!.ts);
  });
});
