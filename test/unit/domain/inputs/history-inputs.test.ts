import { describe, expect, it } from "vitest";
import { BarRing } from "../../../../src/domain/inputs/bar-ring.js";
import { OiHistory } from "../../../../src/domain/inputs/oi-history.js";
import { PremiumTracker } from "../../../../src/domain/inputs/premium.js";
import { PrintRuns } from "../../../../src/domain/inputs/print-runs.js";
import { VenueWindows } from "../../../../src/domain/inputs/venue-windows.js";
import type { OiEvent, Venue } from "../../../../src/domain/events.js";

const oiEv = (venue: Venue, ts: number, oiBase: number, oiUsd?: number): OiEvent => ({ venue, symbol: "BTCUSDT", ts, kind: "oi", oiBase, ...(oiUsd === undefined ? {} : { oiUsd }) });

describe("BarRing", () => {
  it("builds complete minutes only, carrying the last close over empty minutes", () => {
    const bars = new BarRing(1_440);
    bars.addTrade(60_500, 100, 1, true);
    bars.addTrade(61_000, 103, 2, false);
    bars.addTrade(62_000, 101, 1, true);
    bars.addLiquidation(62_500, true, 1, 101);
    bars.addTrade(185_000, 104, 1, true); // minute 3, still forming at 190 000
    const s = bars.series(190_000);
    const last = s.length - 1; // minute 2 (120 000..180 000): empty
    expect(s.t0 + last * 60_000).toBe(120_000);
    expect([s.open[last - 1], s.high[last - 1], s.low[last - 1], s.close[last - 1]]).toEqual([100, 103, 100, 101]);
    expect([s.buyQty[last - 1], s.sellQty[last - 1], s.trades[last - 1], s.longLiqUsd[last - 1]]).toEqual([2, 2, 3, 101]);
    expect(s.close[last]).toBe(101);
    expect(s.trades[last]).toBe(0);
    expect(s.minutesWithData).toBe(1);
    expect(s.firstDataTs).toBe(60_000);
    expect(Number.isNaN(s.close[0])).toBe(true);
  });

  it("tracks the oldest minute changed since the last save, and restores from saved rows", () => {
    const bars = new BarRing(1_440);
    bars.addTrade(60_500, 100, 1, true);
    bars.addTrade(125_000, 101, 1, true);
    expect(bars.dirtyFrom()).toBe(1);
    bars.markSaved();
    expect(bars.dirtyFrom()).toBe(Infinity);
    bars.addTrade(126_000, 102, 1, false);
    expect(bars.dirtyFrom()).toBe(2);
    const r = BarRing.fromJSON({ ...bars.toJSON(), buckets: bars.rows(0) });
    expect(r.series(200_000)).toEqual(bars.series(200_000));
  });
});

describe("OiHistory", () => {
  it("sums venues current at the boundary and compares only venues known at both ends", () => {
    const h = new OiHistory(10_000, 400, 900_000);
    h.onOi(oiEv("binance", 1_000, 100), 50_000);
    h.onOi(oiEv("bybit", 1_000, 10, 600_000), null);
    h.onOi(oiEv("binance", 45_000, 110), 51_000);
    h.onOi(oiEv("okx", 50_000, 7), 52_000); // appears mid-window
    const v = h.view(60_000, 50_000);
    expect(v.base).toBe(127);
    expect(v.usd).toBe(110 * 51_000 + 600_000 + 7 * 52_000);
    expect(v.matched).toEqual({ startBase: 110, base: 120, startUsd: 100 * 50_000 + 600_000, usd: 110 * 51_000 + 600_000, venues: 2 });
    expect(v.usdAt(50_000)).toBe(100 * 50_000 + 600_000);
  });

  it("leaves a venue not refreshed within the hold limit out of the sums", () => {
    const h = new OiHistory(10_000, 400, 60_000);
    h.onOi(oiEv("binance", 1_000, 100), 1);
    expect(h.view(70_000, 60_000)).toMatchObject({ base: null, usd: null, matched: null });
  });
});

describe("PremiumTracker", () => {
  it("keeps mark − index in bps per venue, its window mean and the value at the window start", () => {
    const p = new PremiumTracker(10_000, 400, 300_000);
    p.onMark({ venue: "bybit", symbol: "BTCUSDT", ts: 1_000, kind: "mark", markPrice: 100.1, indexPrice: 100 });
    p.onMark({ venue: "bybit", symbol: "BTCUSDT", ts: 31_000, kind: "mark", markPrice: 99.95, indexPrice: 100 });
    p.onMark({ venue: "binance", symbol: "BTCUSDT", ts: 2_000, kind: "mark", markPrice: 100 }); // no index: no premium
    const [v] = p.view(61_000, 60_000);
    expect(v.venue).toBe("bybit");
    expect(v.bps).toBeCloseTo(-5, 9);
    expect(v.startBps).toBeCloseTo(10, 9);
    expect(v.window.mean).toBeCloseTo((10 * 30 - 5 * 30) / 60, 9);
  });
});

describe("PrintRuns", () => {
  it("counts prints from the run's minRun-th on, and each run once", () => {
    const r = new PrintRuns(10_000, 360, 3);
    for (let i = 0; i < 5; i++) r.add("binance", 1_000 + i, 100, 10, true); // run of 5
    r.add("binance", 2_000, 100, 10, false); // side changes: new run
    r.add("bybit", 2_001, 100, 10, false);
    r.add("binance", 2_002, 100, 10, false);
    r.add("binance", 2_003, 100, 10, false); // run of 3 sells on binance (bybit's print does not break it)
    expect(r.view(10_000, 10_000)).toEqual({ buyPrints: 5, buyUsd: 50, buyRuns: 1, sellPrints: 3, sellUsd: 30, sellRuns: 1, minRun: 3 });
  });
});

describe("VenueWindows", () => {
  it("keeps one window per venue and merges them into the symbol's window", () => {
    const w = new VenueWindows(10_000, 360);
    w.addTrade("bybit", 2_000, 101, 1, true);
    w.addTrade("binance", 1_000, 100, 2, false);
    w.addTrade("binance", 3_000, 102, 1, true);
    w.addLiquidation("bybit", 4_000, true, 1, 101, "complete");
    const venues = w.venueSums(10_000, 10_000);
    expect(venues.map((v) => [v.venue, v.window.buyQty, v.window.sellQty, v.last?.price, v.liquidationSampling])).toEqual([
      ["binance", 1, 2, 102, null],
      ["bybit", 1, 0, 101, "complete"],
    ]);
    const sum = VenueWindows.merge(venues, 0, 10_000);
    expect([sum.open, sum.high, sum.low, sum.close, sum.buyQty, sum.sellQty, sum.longLiqNotionalUsd]).toEqual([100, 102, 100, 102, 2, 2, 101]);
  });
});
