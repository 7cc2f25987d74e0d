import { describe, expect, it } from "vitest";
import type { HeatCell } from "../../../src/client/ui/chart-model.js";
import { bandRects, cellRects, cellsInSpan, LEVEL_PROFILE_SHARE, levelRects, logicalToX, timeToX, type PaneScales } from "../../../src/client/ui/liquidation-layout.js";

/** A pane 600 px wide: 1 px per second from t = 0, and price 100 at y = 300 rising 10 px per unit (y grows downwards). */
const scales: PaneScales = { width: 600, x: (ts) => ts / 1000, y: (price) => 300 - (price - 100) * 10 };

const cell = (t0: number, p0: number, longUsd: number, shortUsd: number): HeatCell => ({ t0, t1: t0 + 60_000, p0, p1: p0 + 1, longUsd, shortUsd, count: 1 });

describe("heatmap cells → layer rectangles", () => {
  it("spans each cell's time bin and price bin: top at the high edge's row, height down to the low edge's", () => {
    const { rects } = cellRects([cell(60_000, 101, 400, 0), cell(120_000, 98, 0, 100)], scales);
    expect(rects.map(({ x, y, w, h }) => ({ x, y, w, h }))).toEqual([
      { x: 60, y: 280, w: 60, h: 10 },
      { x: 120, y: 310, w: 60, h: 10 },
    ]);
  });

  it("paints the long share green and the short share red, alpha by √(notional / largest), and names the largest", () => {
    const { rects, largest } = cellRects([cell(0, 100, 400, 0), cell(60_000, 100, 0, 100)], scales);
    expect(rects[0].fill).toBe("rgba(47,209,122,0.98)");
    expect(rects[1].fill).toBe("rgba(255,90,79,0.58)");
    expect(largest?.cell.longUsd).toBe(400);
    expect(largest).toBe(rects[0]);
  });

  it("leaves out cells the scales cannot place or that lie wholly off the pane; a sliver is at least 1 px", () => {
    const unplaced: PaneScales = { ...scales, y: (p) => (p > 150 ? null : scales.y(p)) };
    const { rects, largest } = cellRects([cell(-120_000, 100, 1, 0), cell(700_000, 100, 1, 0), cell(0, 200, 9, 9), { ...cell(0, 100, 1, 0), t1: 100, p1: 100.01 }], unplaced);
    expect(rects).toHaveLength(1);
    expect(rects[0]).toMatchObject({ x: 0, w: 1, h: 1 });
    expect(largest).toBe(rects[0]);
    expect(cellRects([], scales)).toEqual({ rects: [], largest: null });
  });
});

describe("estimated levels → the right-edge profile", () => {
  it("grows leftwards from the right edge, the largest bin LEVEL_PROFILE_SHARE of the width, the others by their notional", () => {
    const rects = levelRects(
      [
        { p0: 99, p1: 100, longUsd: 500, shortUsd: 0 },
        { p0: 104, p1: 105, longUsd: 0, shortUsd: 1_000 },
      ],
      scales,
    );
    expect(rects.map(({ x, y, w, h }) => ({ x, y, w, h }))).toEqual([
      { x: 600 - 600 * LEVEL_PROFILE_SHARE * 0.5, y: 300, w: 600 * LEVEL_PROFILE_SHARE * 0.5, h: 10 },
      { x: 600 - 600 * LEVEL_PROFILE_SHARE, y: 250, w: 600 * LEVEL_PROFILE_SHARE, h: 10 },
    ]);
  });
});

describe("zones and clusters → bands", () => {
  it("spans the pane's width at the band's prices: supports blue, resistances violet, a trap dashed amber, a cluster dotted in its side's colour", () => {
    const bands = bandRects(
      [
        { id: "z1", kind: "support", low: 101, high: 102, strength: 1, trap: false },
        { id: "z2", kind: "resistance", low: 108, high: 109, strength: 0, trap: true },
      ],
      [{ low: 95, high: 96, side: "long", notionalUsd: 1 }],
      scales,
    );
    expect(bands).toEqual([
      { x: 0, y: 280, w: 600, h: 10, fill: "rgba(106,168,255,0.220)", stroke: "rgba(106,168,255,0.55)", dash: [], kind: "zone" },
      { x: 0, y: 210, w: 600, h: 10, fill: "rgba(190,130,255,0.060)", stroke: "rgb(245,185,74)", dash: [5, 4], kind: "zone" },
      { x: 0, y: 340, w: 600, h: 10, fill: "rgba(47,209,122,0.07)", stroke: "rgba(200,200,200,0.35)", dash: [2, 3], kind: "cluster" },
    ]);
  });
});

describe("event time → x on the candles' bar axis", () => {
  // Like lightweight-charts' logicalToCoordinate: bar i's centre at 100 + 10·i px, and 0 for a fractional index.
  const libraryX = (i: number) => (Number.isInteger(i) ? 100 + 10 * i : 0);
  // Candles open at 1, 2 and 4 min (no candle at 3 min).
  const times = [60_000, 120_000, 240_000];

  it("interpolates a fractional bar index between the whole bars around it (the library answers 0 for one)", () => {
    expect(libraryX(1.5)).toBe(0);
    expect(logicalToX(1.5, libraryX)).toBe(115);
    expect(logicalToX(-0.5, libraryX)).toBe(95);
    expect(logicalToX(2, libraryX)).toBe(120);
    expect(logicalToX(0.25, () => null)).toBeNull();
  });

  it("puts a 1-minute cell over its candle: from the candle's left edge to its right edge", () => {
    expect(timeToX(120_000, times, 60_000, libraryX)).toBe(105);
    expect(timeToX(180_000, times, 60_000, libraryX)).toBe(115);
    expect(timeToX(240_000, times, 60_000, libraryX)).toBe(115);
    expect(timeToX(300_000, times, 60_000, libraryX)).toBe(125);
    expect(timeToX(1, [], 60_000, libraryX)).toBeNull();
  });
});

describe("heatmap cells against the candles' span", () => {
  const times = [60_000, 120_000, 240_000];
  const at = (t0: number) => cell(t0, 100, 1, 0);

  it("draws only the cells wholly inside [first open, last open + tf) and says when both agree", () => {
    const r = cellsInSpan([at(60_000), at(240_000)], times, 60_000);
    expect(r.inside.map((c) => c.t0)).toEqual([60_000, 240_000]);
    expect(r.state).toBe("same");
  });

  it("says the candles are behind when a cell is newer than the last candle, and keeps the cells inside", () => {
    const r = cellsInSpan([at(240_000), at(300_000)], times, 60_000);
    expect(r.inside.map((c) => c.t0)).toEqual([240_000]);
    expect(r.state).toBe("candles-behind");
  });

  it("draws nothing from a heatmap of an older span (a replay loop moved the candles on), and says so", () => {
    expect(cellsInSpan([at(0)], times, 60_000)).toEqual({ inside: [], state: "heatmap-behind" });
    expect(cellsInSpan([at(0)], [], 60_000)).toEqual({ inside: [], state: "no-candles" });
    expect(cellsInSpan([], times, 60_000)).toEqual({ inside: [], state: "no-cells" });
  });
});
