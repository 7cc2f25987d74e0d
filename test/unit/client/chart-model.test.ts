import { describe, expect, it } from "vitest";
import type { LiquidationHeatmap, LiquidationLevels, Zones } from "../../../src/client/types.js";
import { appendPrice, cellFill, heatmapCells, layoutChart, levelBins, MAX_PRICE_GAP_MS, zoneBands } from "../../../src/client/ui/chart-model.js";

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

  it("appends cycle prices in order, ignores repeats, and starts afresh after a jump in event time", () => {
    let line = appendPrice([], { ts: 10_000, price: 100 });
    line = appendPrice(line, { ts: 20_000, price: 101 });
    line = appendPrice(line, { ts: 20_000, price: 999 });
    line = appendPrice(line, { ts: 15_000, price: 999 });
    expect(line).toEqual([{ ts: 10_000, price: 100 }, { ts: 20_000, price: 101 }]);
    expect(appendPrice(line, { ts: 20_000 + MAX_PRICE_GAP_MS + 1, price: 61_000 })).toEqual([{ ts: 20_000 + MAX_PRICE_GAP_MS + 1, price: 61_000 }]);
  });

  it("colours cells by side share and intensity", () => {
    // The colour follows the word: liquidated longs green (--long), liquidated shorts red (--short).
    expect(cellFill(1, 0, 1)).toBe("rgba(47,209,122,0.98)");
    expect(cellFill(0, 1, 0)).toBe("rgba(255,90,79,0.18)");
    expect(cellFill(1, 1, 0.5)).toBe("rgba(151,150,101,0.58)");
  });
});

describe("layoutChart", () => {
  const plot = { width: 400, height: 300, left: 0, right: 100, top: 0, bottom: 0 };

  it("places heatmap cells in a price domain with 8 % headroom and alpha by √(notional / largest)", () => {
    const layout = layoutChart({ prices: [], cells: heatmapCells(heatmap), levels: [] }, plot);
    expect(layout.timeDomain).toEqual([0, 180_000]);
    expect(layout.priceDomain[0]).toBeCloseTo(89.2, 9);
    expect(layout.priceDomain[1]).toBeCloseTo(110.8, 9);
    const [a, b] = layout.cells;
    expect(a.x).toBeCloseTo(0, 9);
    expect(a.w).toBeCloseTo(100, 9);
    expect(a.y).toBeCloseTo(300 - (20.8 / 21.6) * 300, 9);
    expect(a.h).toBeCloseTo((10 / 21.6) * 300, 9);
    expect(a.fill).toBe("rgba(47,209,122,0.58)");
    expect(b.x).toBeCloseTo(200, 9);
    expect(b.fill).toBe("rgba(255,90,79,0.98)");
  });

  it("draws the price line, its last value, and the level profile against the right edge", () => {
    const prices = [
      { ts: 0, price: 100 },
      { ts: 60_000, price: 104 },
      { ts: 120_000, price: 102 },
    ];
    const levels = [
      { p0: 99, p1: 101, longUsd: 500, shortUsd: 0 },
      { p0: 104, p1: 106, longUsd: 0, shortUsd: 1_000 },
      { p0: 200, p1: 210, longUsd: 0, shortUsd: 9_999 }, // outside the price domain: not drawn
    ];
    const layout = layoutChart({ prices, cells: [], levels }, plot);
    expect(layout.path).toHaveLength(3);
    expect(layout.path[0][0]).toBeCloseTo(0, 9);
    expect(layout.path[2][0]).toBeCloseTo(300, 9);
    expect(layout.last?.price).toBe(102);
    expect(layout.path[1][1]).toBeLessThan(layout.path[0][1]); // higher price, higher on screen
    expect(layout.levels).toHaveLength(2);
    expect(layout.levels[1].w).toBeCloseTo(300 * 0.18, 9);
    expect(layout.levels[0].w).toBeCloseTo(300 * 0.18 * 0.5, 9);
    expect(layout.levels[1].x + layout.levels[1].w).toBeCloseTo(300, 9);
    const at = layout.invert(layout.path[1][0], layout.path[1][1]);
    expect(at.ts).toBeCloseTo(60_000, 6);
    expect(at.price).toBeCloseTo(104, 9);
    expect(layout.timeTicks.map((t) => t.label)).toEqual(["00:00:00", "00:00:30", "00:01:00", "00:01:30", "00:02:00"]);
  });

  it("shows a lone first price with a sensible window around it", () => {
    const layout = layoutChart({ prices: [{ ts: 1_000_000, price: 61_702.7 }], cells: [], levels: [] }, plot);
    expect(layout.timeDomain).toEqual([880_000, 1_000_000]);
    expect(layout.priceDomain[1] - layout.priceDomain[0]).toBeCloseTo(61_702.7 * 0.002 * 1.08, 6);
    expect(layout.last).toMatchObject({ x: 300, price: 61_702.7 });
  });
});

describe("zones on the chart", () => {
  const plot = { width: 500, height: 300, left: 10, right: 90, top: 10, bottom: 20 };
  const prices = [
    { ts: 0, price: 100 },
    { ts: 120_000, price: 110 },
  ];
  const zones = {
    zones: [
      { id: "z1", kind: "support", low: 101, high: 102, strength: 1, trap: false },
      { id: "z2", kind: "resistance", low: 108, high: 109, strength: 0, trap: true },
      { id: "z3", kind: "resistance", low: 150, high: 151, strength: 0.5, trap: false },
    ],
  } as unknown as Zones;

  it("draws each zone in the price domain as a full-width band, traps dashed; a far zone is left off without widening the domain", () => {
    const withZones = layoutChart({ prices, cells: [], levels: [], zones: zoneBands(zones) }, plot);
    const without = layoutChart({ prices, cells: [], levels: [], zones: [] }, plot);
    expect(withZones.priceDomain).toEqual(without.priceDomain);
    expect(withZones.zones.map((z) => z.id)).toEqual(["z1", "z2"]);
    const [support, trap] = withZones.zones;
    expect(support).toMatchObject({ x: 10, w: 400, dashed: false });
    expect(support.fill).toBe("rgba(106, 168, 255, 0.300)");
    expect(trap).toMatchObject({ dashed: true, stroke: "rgb(245, 185, 74)", fill: "rgba(190, 130, 255, 0.080)" });
    // Bands sit at their prices: the support (101–102) is below the resistance (108–109) on screen.
    expect(support.y).toBeGreaterThan(trap.y + trap.h);
    const [pLo, pHi] = withZones.priceDomain;
    const yOf = (p: number) => plot.height - plot.bottom - ((p - pLo) / (pHi - pLo)) * (plot.height - plot.bottom - plot.top);
    expect(support.y).toBeCloseTo(yOf(102), 9);
    expect(support.y + support.h).toBeCloseTo(yOf(101), 9);
  });
});
