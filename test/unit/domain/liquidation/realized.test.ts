import { describe, expect, it } from "vitest";
import { SymbolEngine } from "../../../../src/domain/engine.js";
import type { LiquidationEvent } from "../../../../src/domain/events.js";
import { getMapper, normalizeLine } from "../../../../src/exchanges/registry.js";
import { LiquidationQueryError } from "../../../../src/domain/liquidation/query.js";
import { RealizedStore } from "../../../../src/domain/liquidation/realized.js";
import { LiquidationHeatmapSchema, LiquidationClustersSchema } from "../../../../src/protocol/liquidation.js";
import { recordingLines } from "../../exchanges/helpers.js";
import { S, liq, trade } from "./helpers.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function recordedLiquidations(file: string): Promise<LiquidationEvent[]> {
  const mapper = getMapper("binance");
  const out: LiquidationEvent[] = [];
  for (const line of await recordingLines(file)) {
    for (const ev of normalizeLine(mapper, line).events) if (ev.kind === "liquidation") out.push(ev);
  }
  return out;
}

describe("realized heatmap on the recorded Binance forceOrder streams", () => {
  for (const file of ["forceorder_20250126-20250206.jsonl.gz", "forceorder_20251227-20251228.jsonl.gz"]) {
    it(`${file}: per symbol and side, heatmap totals equal a direct sum (counts exact, notional within rounding)`, async () => {
      const events = await recordedLiquidations(file);
      expect(events.length).toBeGreaterThan(50);
      const bySymbol = new Map<string, LiquidationEvent[]>();
      for (const ev of events) bySymbol.set(ev.symbol, [...(bySymbol.get(ev.symbol) ?? []), ev]);
      let checked = 0;
      for (const [symbol, evs] of bySymbol) {
        const engine = new SymbolEngine(symbol);
        // Runs separated by more than 6 h (each run is far shorter than the 24 h retention).
        const runs: LiquidationEvent[][] = [];
        for (const ev of evs) {
          const run = runs.at(-1);
          if (run === undefined || Math.abs(ev.ts - run[run.length - 1].ts) > 6 * HOUR) runs.push([ev]);
          else run.push(ev);
        }
        for (const run of runs) {
          engine.ingest(run);
          const hm = engine.heatmap({ windowMs: DAY, timeBinMs: 60_000 });
          LiquidationHeatmapSchema.parse(hm);
          const inWindow = evs.filter((e) => e.ts >= hm.fromTs && e.ts < hm.toTs);
          for (const side of ["long", "short"] as const) {
            const direct = inWindow.filter((e) => e.side === side);
            const usd = direct.reduce((s, e) => s + e.notionalUsd, 0);
            expect(hm.totals[side].count).toBe(direct.length);
            expect(Math.abs(hm.totals[side].notionalUsd - usd)).toBeLessThanOrEqual(1e-9 * Math.max(1, usd));
            expect(Math.abs(hm.totals[side].qty - direct.reduce((s, e) => s + e.qty, 0))).toBeLessThanOrEqual(1e-9 * Math.max(1, usd));
          }
          // cells partition the window's liquidations
          expect(hm.cells.reduce((s, c) => s + c[4], 0)).toBe(inWindow.length);
          expect(hm.cells.reduce((s, c) => s + c[2], 0)).toBeCloseTo(hm.totals.long.notionalUsd, 6);
          expect(hm.cells.reduce((s, c) => s + c[3], 0)).toBeCloseTo(hm.totals.short.notionalUsd, 6);
          expect(hm.sampling).toBe(inWindow.length > 0 ? "sampled-1s" : "none");
          expect(hm.venues.map((v) => [v.venue, v.sampling])).toEqual(inWindow.length > 0 ? [["binance", "sampled-1s"]] : []);
          expect(hm.correction).toMatchObject({ available: false });
          // every liquidation of the run is inside the window just checked, so each one is checked at least once
          for (const ev of run) expect(ev.ts >= hm.fromTs && ev.ts < hm.toTs).toBe(true);
          checked++;
        }
        expect(engine.liquidationTotals().long.count + engine.liquidationTotals().short.count).toBe(evs.length);
      }
      expect(checked).toBeGreaterThan(5);
    });
  }
});

describe("realized heatmap binning", () => {
  it("bins a scripted sequence into price × time cells a person can check", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([
      trade(0, 100),
      liq(10_000, "long", 99.5, 1_000), // t bin 0 (0..60 s), price bin floor(99.5/1)=99
      liq(20_000, "long", 99.9, 500), //   t bin 0, price 99
      liq(70_000, "short", 100.2, 300), // t bin 1, price 100
      liq(130_000, "short", 101.0, 200, "bybit"), // t bin 2, price 101
      liq(150_000, "long", 100.99, 100, "bybit"), // t bin 2, price 100
      trade(170_000, 100),
    ]);
    // 1 % of the reference price 100 → width 1.0; window 3 min of 1-min bins ending after 170 s
    const hm = engine.heatmap({ windowMs: 180_000, timeBinMs: 60_000, priceBinBps: 100 });
    expect(hm.fromTs).toBe(0);
    expect(hm.toTs).toBe(180_000);
    expect(hm.time.starts).toEqual([0, 60_000, 120_000]);
    expect(hm.price).toEqual({ mode: "bps", bin: 100, binWidth: 1, referencePrice: 100, edges: [99, 100, 101, 102], centers: [99.5, 100.5, 101.5] });
    expect(hm.cells).toEqual([
      [0, 0, 1_500, 0, 2],
      [1, 1, 0, 300, 1],
      [2, 1, 100, 0, 1],
      [2, 2, 0, 200, 1],
    ]);
    expect(hm.totals.long).toMatchObject({ count: 3, notionalUsd: 1_600 });
    expect(hm.totals.short).toMatchObject({ count: 2, notionalUsd: 500 });
    expect(hm.sampling).toBe("mixed");
    expect(hm.venues.map((v) => [v.venue, v.sampling, v.long.count, v.short.count])).toEqual([
      ["binance", "sampled-1s", 2, 1],
      ["bybit", "complete", 1, 1],
    ]);

    // A venue filter: only Bybit's two liquidations, in the same bins; totals and venues say so.
    const bybit = engine.heatmap({ windowMs: 180_000, timeBinMs: 60_000, priceBinBps: 100, venues: ["bybit"] });
    expect(bybit.cells).toEqual([
      [2, 0, 100, 0, 1],
      [2, 1, 0, 200, 1],
    ]);
    expect(bybit.price.edges).toEqual([100, 101, 102]);
    expect(bybit.totals.long).toMatchObject({ count: 1, notionalUsd: 100 });
    expect(bybit.totals.short).toMatchObject({ count: 1, notionalUsd: 200 });
    expect(bybit.venues.map((v) => v.venue)).toEqual(["bybit"]);
    expect(bybit.sampling).toBe("complete");
    expect(bybit.venueFilter).toEqual(["bybit"]);
    expect(hm.venueFilter).toBeUndefined();
    // Both venues named, in any order: the unfiltered cells, and the filter listed in VENUES order.
    const both = engine.heatmap({ windowMs: 180_000, timeBinMs: 60_000, priceBinBps: 100, venues: ["bybit", "binance"] });
    expect(both.cells).toEqual(hm.cells);
    expect(both.venueFilter).toEqual(["binance", "bybit"]);
    // A venue with nothing in the window: an empty map, not an error.
    expect(engine.heatmap({ windowMs: 180_000, timeBinMs: 60_000, priceBinBps: 100, venues: ["okx"] }).cells).toEqual([]);

    const ticked = engine.heatmap({ windowMs: 180_000, timeBinMs: 180_000, priceBinTick: 0.5 });
    expect(ticked.price.edges).toEqual([99.5, 100, 100.5, 101, 101.5]);
    expect(ticked.cells).toEqual([
      [0, 0, 1_500, 0, 2],
      [0, 1, 0, 300, 1],
      [0, 2, 100, 0, 1],
      [0, 3, 0, 200, 1],
    ]);
  });

  it("rejects bad queries naming the field and its bound", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([liq(1_000, "long", 100, 10)]);
    const err = (q: object) => {
      try {
        engine.heatmap(q);
      } catch (e) {
        return e instanceof LiquidationQueryError ? `${e.field}: ${e.message}` : String(e);
      }
      return "no error";
    };
    expect(err({ windowMs: 2 * DAY })).toBe("windowMs: heatmap query: windowMs must be <= 86400000 (got 172800000)");
    expect(err({ windowMs: 90_000, timeBinMs: 60_000 })).toBe("windowMs: heatmap query: windowMs must be a multiple of timeBinMs (60000) (got 90000)");
    expect(err({ timeBinMs: 500 })).toBe("timeBinMs: heatmap query: timeBinMs must be >= 1000 (got 500)");
    expect(err({ venues: ["ftx"] })).toBe('venues: heatmap query: venues: unknown venue "ftx" (known: binance, bybit, okx, hyperliquid)');
    expect(err({ venues: [] })).toBe("venues: heatmap query: venues must name at least one venue");
    expect(err({ windowMs: DAY, timeBinMs: 1_000 })).toBe("timeBinMs: heatmap query: windowMs / timeBinMs must be <= 1440 bins (got 86400)");
    expect(err({ priceBinBps: 0 })).toBe("priceBinBps: heatmap query: priceBinBps must be >= 0.1 (got 0)");
    expect(err({ priceBinBps: 10, priceBinTick: 1 })).toBe("priceBinTick: heatmap query: give priceBinBps or priceBinTick, not both");
    expect(err({ priceBinTick: -1 })).toBe("priceBinTick: heatmap query: priceBinTick must be > 0 (got -1)");
    expect(err({ window: 5 })).toBe("window: heatmap query: window is not a known field");
    engine.ingest([liq(2_000, "long", 200, 10)]);
    expect(err({ priceBinTick: 0.001 })).toMatch(/^priceBinTick: heatmap query: priceBinTick gives 100001 price bins .* at most 10000/);
  });
});

describe("realized retention and memory", () => {
  it("drops liquidations older than 24 h at the next cycle, keeping the totals since start", () => {
    const engine = new SymbolEngine(S);
    engine.ingest([liq(1_000, "long", 100, 10), liq(15_000, "short", 100, 20)]);
    engine.ingest([liq(DAY + 1_500, "long", 101, 30)]);
    // the cycle at DAY + 10 s drops what is older than 10 s: the first liquidation only
    engine.advanceTo(DAY + 10_000);
    expect(engine.heatmap().retention).toMatchObject({ held: 2, oldestTs: 15_000, evictedEarly: 0, retentionMs: DAY });
    engine.advanceTo(DAY + 20_000);
    expect(engine.heatmap().retention).toMatchObject({ held: 1, oldestTs: DAY + 1_500 });
    expect(engine.liquidationTotals().long.count).toBe(2);
  });

  it("holds at most realizedMaxEntries and says how many left early", () => {
    const engine = new SymbolEngine(S, { config: { liquidation: { realizedMaxEntries: 100 } } });
    const evs = Array.from({ length: 250 }, (_, i) => liq(1_000 + i * 10, i % 2 ? "long" : "short", 100 + (i % 7), 10));
    engine.ingest(evs);
    const hm = engine.heatmap();
    expect(hm.retention).toMatchObject({ held: 100, capacity: 100, evictedEarly: 150, oldestTs: 1_000 + 150 * 10 });
    expect(hm.totals.long.count + hm.totals.short.count).toBe(100);
    expect(engine.clusters().clusters.reduce((s, c) => s + c.count, 0)).toBe(100);
  });

  it("saves its records apart: a state without them plus the rows of its range restores the same store", () => {
    const options = { retentionMs: DAY, capacity: 300, profileBinBps: 10, smoothingBins: 2, correctionMinEvents: 20 };
    const store = new RealizedStore(options);
    const add = (i: number) =>
      store.add({ venue: i % 3 === 0 ? "bybit" : "binance", symbol: S, ts: 1_000 + i * 500, kind: "liquidation", side: i % 2 ? "long" : "short", price: 100 + (i % 13), qty: 1 + (i % 5), notionalUsd: (100 + (i % 13)) * (1 + (i % 5)), sampling: i % 3 === 0 ? "complete" : "sampled-1s" });
    for (let i = 0; i < 1_000; i++) add(i);
    // 1,000 added, 300 held: global indexes 700..999
    expect(store.heldRange()).toEqual({ from: 700, to: 1_000 });
    const light = store.toJSON({ records: false });
    expect(light.ts).toEqual([]);
    expect(light.external).toEqual({ from: 700, to: 1_000 });
    // Saved in chunks of 128 global indexes, as a caller would; the rows come back in order.
    const chunks = new Map<number, ReturnType<RealizedStore["rowsBetween"]>>();
    for (let c = Math.floor(700 / 128); c * 128 < 1_000; c++) chunks.set(c, store.rowsBetween(c * 128, (c + 1) * 128));
    const rows = [...chunks.values()].flat();
    expect(rows).toHaveLength(300);
    const restored = RealizedStore.fromJSON(JSON.parse(JSON.stringify(light)), options, rows);
    expect(restored.toJSON()).toEqual(store.toJSON());
    // The restored store goes on exactly like the original.
    for (let i = 1_000; i < 1_050; i++) {
      add(i);
      restored.add({ venue: i % 3 === 0 ? "bybit" : "binance", symbol: S, ts: 1_000 + i * 500, kind: "liquidation", side: i % 2 ? "long" : "short", price: 100 + (i % 13), qty: 1 + (i % 5), notionalUsd: (100 + (i % 13)) * (1 + (i % 5)), sampling: i % 3 === 0 ? "complete" : "sampled-1s" });
    }
    expect(restored.toJSON()).toEqual(store.toJSON());
    expect(restored.heldRange()).toEqual({ from: 750, to: 1_050 });
    expect(() => RealizedStore.fromJSON(light, options, rows.slice(1))).toThrow(/300 records were saved apart; 299 given/);
    expect(() => RealizedStore.fromJSON(light, options)).toThrow(/saved apart/);
  });

  it("keeps memory constant over 1,000,000 liquidations: the ring and profile stay capped", () => {
    const store = new RealizedStore({ retentionMs: DAY, capacity: 5_000, profileBinBps: 10, smoothingBins: 2, correctionMinEvents: 20 });
    const shape = () => {
      const st = store.toJSON();
      return { records: st.ts.length, profileBins: st.profile.length, minutes: st.minutes.length };
    };
    let atHalf = shape();
    for (let i = 0; i < 1_000_000; i++) {
      store.add({ venue: i % 3 === 0 ? "bybit" : "binance", symbol: S, ts: i * 200, kind: "liquidation", side: i % 2 ? "long" : "short", price: 100 + (i % 997) / 10, qty: 1, notionalUsd: 100, sampling: i % 3 === 0 ? "complete" : "sampled-1s" });
      if (i % 10_000 === 0) store.advance(i * 200);
      if (i === 500_000) atHalf = shape();
    }
    expect(store.held).toBe(5_000);
    expect(store.profileBins).toBeLessThanOrEqual(5_000);
    // what is held is the same at 500k and at 1M events: 5,000 records, ≤ 997 price bins, ≤ 1,440 minutes
    expect(shape()).toEqual(atHalf);
    expect(atHalf.records).toBe(5_000);
    expect(atHalf.minutes).toBe(1_440);
  });
});

describe("realized clusters", () => {
  it("finds the two scripted liquidation bands, largest first, with side, venues and last time", () => {
    const engine = new SymbolEngine(S, { config: { liquidation: { clusterBinBps: 10, clusterSmoothingBins: 1 } } });
    engine.ingest([
      trade(0, 105),
      // band A around 100 (longs, binance), 3 liquidations, 6,000 USD
      liq(1_000, "long", 100.0, 2_000),
      liq(2_000, "long", 100.05, 3_000),
      liq(3_000, "long", 100.1, 1_000),
      // band B around 110 (shorts on two venues), 2 liquidations, 9,000 USD
      liq(4_000, "short", 110.0, 4_000, "bybit"),
      liq(5_000, "short", 110.02, 5_000),
      // a lone one far away
      liq(6_000, "long", 120, 100),
    ]);
    const out = engine.clusters(2);
    LiquidationClustersSchema.parse(out);
    expect(out.clusters.map((c) => [c.side, c.count, c.notionalUsd, c.venues, c.sampling, c.lastTs])).toEqual([
      ["short", 2, 9_000, ["binance", "bybit"], "mixed", 5_000],
      ["long", 3, 6_000, ["binance"], "sampled-1s", 3_000],
    ]);
    const [b, a] = out.clusters;
    expect(b.priceLow).toBeLessThanOrEqual(110);
    expect(b.priceHigh).toBeGreaterThan(110.02);
    expect(a.priceLow).toBeLessThanOrEqual(100);
    expect(a.priceHigh).toBeGreaterThan(100.1);
    expect(a.pricePeak).toBeGreaterThan(99.9);
    expect(a.pricePeak).toBeLessThan(100.2);
    expect(engine.clusters(10).clusters).toHaveLength(3);
    expect(() => engine.clusters(0)).toThrow("clusters query: limit must be >= 1 (got 0)");
  });
});
