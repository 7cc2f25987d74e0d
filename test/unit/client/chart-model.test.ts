import { describe, expect, it } from "vitest";
import type { LiquidationHeatmap, LiquidationLevels, Zones } from "../../../src/client/types.js";
import { cellFill, heatmapCells, levelBins, zoneBands } from "../../../src/client/ui/chart-model.js";

const heatmap = {
  symbol: "BTCUSDT",
  kind: "realized-heatmap",
  measured: true,
  ts: 180_000,
  fromTs: 0,
  toTs: 180_000,
  time: { binMs: 60_000, starts: [0, 60_000, 120_000] },
  price: { mode: "tick", bin: 10, binWidth: 10, referencePrice: 100, edges: [90, 100, 110, 120], centers: [95, 105, 115] },
  cells: [
    [0, 1, 1_000, 0, 2],
    [2, 0, 0, 4_000, 1],
    [5, 0, 1, 1, 1], // a time index past the axis: skipped, not drawn at a made-up place
  ],
  totals: { long: { count: 2, qty: 0, notionalUsd: 1_000 }, short: { count: 1, qty: 0, notionalUsd: 4_000 } },
  venues: [],
  sampling: "complete",
  correction: { available: false, reason: "one venue" },
  retention: { oldestTs: 0, retentionMs: 86_400_000, capacity: 10, held: 3, evictedEarly: 0 },
} as unknown as LiquidationHeatmap;

describe("chart data", () => {
  it("turns sparse heatmap cells into time × price boxes", () => {
    expect(heatmapCells(heatmap)).toEqual([
      { t0: 0, t1: 60_000, p0: 100, p1: 110, longUsd: 1_000, shortUsd: 0, count: 2 },
      { t0: 120_000, t1: 180_000, p0: 90, p1: 100, longUsd: 0, shortUsd: 4_000, count: 1 },
    ]);
  });

  it("keeps the non-empty level bins of an available map, none of an unavailable one", () => {
    const levels = {
      available: true,
      price: { binBps: 50, binWidth: 5, rangePct: 10, edges: [90, 95, 100, 105], centers: [92.5, 97.5, 102.5] },
      longUsd: [5, 0, 0],
      shortUsd: [0, 0, 7],
    } as unknown as LiquidationLevels;
    expect(levelBins(levels)).toEqual([
      { p0: 90, p1: 95, longUsd: 5, shortUsd: 0 },
      { p0: 100, p1: 105, longUsd: 0, shortUsd: 7 },
    ]);
    expect(levelBins({ available: false, reason: "no open-interest feed" } as unknown as LiquidationLevels)).toEqual([]);
  });

  it("colours cells by side share and intensity", () => {
    // The colour follows the word: liquidated longs green (--long), liquidated shorts red (--short).
    expect(cellFill(1, 0, 1)).toBe("rgba(47,209,122,0.98)");
    expect(cellFill(0, 1, 0)).toBe("rgba(255,90,79,0.18)");
    expect(cellFill(1, 1, 0.5)).toBe("rgba(151,150,101,0.58)");
  });
});

describe("zones on the chart", () => {
  it("are bands of the zones' ranges with kind, trap and strength (laid out in liquidation-layout.test.ts)", () => {
    const zones = {
      zones: [
        { id: "z1", kind: "support", low: 101, high: 102, strength: 1, trap: false, sources: [] },
        { id: "z2", kind: "resistance", low: 108, high: 109, strength: 0, trap: true, sources: [] },
      ],
    } as unknown as Zones;
    expect(zoneBands(zones)).toEqual([
      { id: "z1", kind: "support", low: 101, high: 102, strength: 1, trap: false },
      { id: "z2", kind: "resistance", low: 108, high: 109, strength: 0, trap: true },
    ]);
  });
});
