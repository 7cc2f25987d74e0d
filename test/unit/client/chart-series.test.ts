import { describe, expect, it } from "vitest";
import type { Candle } from "../../../src/client/http.js";
import type { SymbolSnapshot } from "../../../src/client/types.js";
import { chartRequests, chartSeries, currentPriceLine, isStreamedHeatmap, logicalOf, STREAMED_HEATMAP } from "../../../src/client/ui/chart-series.js";

const candle = (ts: number, ohlc: [number, number, number, number] | null, longLiqUsd = 0, shortLiqUsd = 0, oiUsd: number | null = null, funding8h: number | null = null): Candle => ({
  ts,
  open: ohlc?.[0] ?? null,
  high: ohlc?.[1] ?? null,
  low: ohlc?.[2] ?? null,
  close: ohlc?.[3] ?? null,
  volume: 0,
  volumeUsd: 0,
  trades: ohlc ? 1 : 0,
  longLiqUsd,
  shortLiqUsd,
  openInterestUsd: oiUsd,
  oiVenues: oiUsd === null ? 0 : 1,
  funding8h,
  fundingVenues: funding8h === null ? 0 : 2,
  complete: true,
});

describe("chartSeries", () => {
  const candles = [candle(60_000, [100, 102, 99, 101], 1_000, 0), candle(120_000, null, 500, 250), candle(240_000, [101, 103, 100, 102], 0, 4_000)];

  it("gives candles in seconds, a candle without a trade as whitespace (never a flat bar at the last close)", () => {
    const s = chartSeries(candles, 60_000);
    expect(s.candles).toEqual([{ time: 60, open: 100, high: 102, low: 99, close: 101 }, { time: 120 }, { time: 240, open: 101, high: 103, low: 100, close: 102 }]);
    expect(s.times).toEqual([60_000, 120_000, 240_000]);
    expect(s.tfMs).toBe(60_000);
  });

  it("gives the liquidated notional per candle per side (longs below zero) and each side's running total", () => {
    const s = chartSeries(candles, 60_000);
    expect(s.longLiq.map((b) => b.value)).toEqual([-1_000, -500, -0]);
    expect(s.shortLiq.map((b) => b.value)).toEqual([0, 250, 4_000]);
    expect(s.longCumulative).toEqual([{ time: 60, value: 1_000 }, { time: 120, value: 1_500 }, { time: 240, value: 1_500 }]);
    expect(s.shortCumulative).toEqual([{ time: 60, value: 0 }, { time: 120, value: 250 }, { time: 240, value: 4_250 }]);
  });

  it("gives open interest (USD) and funding (% per 8 h) per candle, whitespace where a candle had no update", () => {
    const s = chartSeries([candle(60_000, [1, 1, 1, 1], 0, 0, 2.5e9, 0.0001), candle(120_000, [1, 1, 1, 1]), candle(180_000, null, 0, 0, 2.6e9, null)], 60_000);
    expect(s.openInterest).toEqual([{ time: 60, value: 2.5e9 }, { time: 120 }, { time: 180, value: 2.6e9 }]);
    expect(s.funding).toEqual([{ time: 60, value: 0.01 }, { time: 120 }, { time: 180 }]);
    expect([s.oiPoints, s.fundingPoints]).toEqual([2, 1]);
  });

  it("is empty without candles", () => {
    expect(chartSeries([], 300_000)).toEqual({
      candles: [],
      longLiq: [],
      shortLiq: [],
      longCumulative: [],
      shortCumulative: [],
      openInterest: [],
      funding: [],
      oiPoints: 0,
      fundingPoints: 0,
      times: [],
      tfMs: 300_000,
    });
  });
});

describe("logicalOf: event time → the chart's bar index", () => {
  // Bars 0, 1, 2 open at 1, 2 and 4 min: a gap (no candle) at 3 min.
  const times = [60_000, 120_000, 240_000];

  it("places a time inside a candle by its fraction of the candle, bar i spanning [i − 0.5, i + 0.5)", () => {
    expect(logicalOf(60_000, times, 60_000)).toBe(-0.5);
    expect(logicalOf(90_000, times, 60_000)).toBe(0);
    expect(logicalOf(120_000, times, 60_000)).toBe(0.5);
    expect(logicalOf(270_000, times, 60_000)).toBe(2);
  });

  it("puts a time in a gap between candles at the gap's edge, and extrapolates outside the candles", () => {
    expect(logicalOf(200_000, times, 60_000)).toBe(1.5);
    expect(logicalOf(0, times, 60_000)).toBe(-1.5);
    expect(logicalOf(360_000, times, 60_000)).toBe(3.5);
  });

  it("is null without candles", () => {
    expect(logicalOf(1, [], 60_000)).toBeNull();
  });
});

describe("currentPriceLine", () => {
  const carried = (value: number, ts: number, stale: boolean) => ({ value, ts, ageMs: 2 * 86_400_000, limitMs: 60_000, stale });

  it("draws the snapshot's price while it is current", () => {
    expect(currentPriceLine({ price: 87_500, ts: 1_000, carried: { price: carried(87_500, 900, false) } as SymbolSnapshot["carried"] })).toEqual({ price: 87_500, ts: 1_000 });
  });

  it("never draws a stale price as current: none, with the last trade's value and date as the reason", () => {
    const line = currentPriceLine({ price: 105_051, ts: 1_765_000_000_000, carried: { price: carried(105_051, Date.UTC(2025, 0, 26, 23, 59, 58), true) } as SymbolSnapshot["carried"] });
    expect(line.price).toBeNull();
    expect(line).toMatchObject({ reason: expect.stringMatching(/^price stale: last trade .*105.*051.* at 2025-01-26 23:59:58 UTC, 2 days before the newest cycle$/) });
  });

  it("draws none before the first trade", () => {
    expect(currentPriceLine({ price: null, ts: 1_000, carried: { price: null } as unknown as SymbolSnapshot["carried"] })).toEqual({ price: null, reason: "no trade yet" });
  });
});

describe("the chart's controls and the requests they make", () => {
  it("asks the stream's heatmap at the engine defaults, and /heatmap with the controls' window, time bin and price bin otherwise", () => {
    expect(isStreamedHeatmap(STREAMED_HEATMAP)).toBe(true);
    expect(isStreamedHeatmap({ ...STREAMED_HEATMAP, priceBin: "25bps" })).toBe(false);
    expect(chartRequests({ window: "4h", timeBin: "5m", priceBin: "25bps", venue: "all", tier: "all" }).heatmap).toEqual({ window: "4h", timeBin: "5m", priceBin: "25bps" });
    // A venue filter goes to the heatmap request, and the stream's heatmap (every venue) no longer serves.
    expect(chartRequests({ ...STREAMED_HEATMAP, venue: "bybit" }).heatmap).toEqual({ window: "24h", timeBin: "1m", priceBin: "10bps", venue: "bybit" });
    expect(isStreamedHeatmap({ ...STREAMED_HEATMAP, venue: "bybit" })).toBe(false);
  });

  it("asks one candle per time bin over the window, at most a day of minutes", () => {
    expect(chartRequests(STREAMED_HEATMAP).candles).toEqual({ tf: "1m", limit: 1_440 });
    expect(chartRequests({ window: "4h", timeBin: "1m", priceBin: "10bps", venue: "all", tier: "all" }).candles).toEqual({ tf: "1m", limit: 240 });
    expect(chartRequests({ window: "4h", timeBin: "5m", priceBin: "10bps", venue: "all", tier: "all" }).candles).toEqual({ tf: "5m", limit: 48 });
    expect(chartRequests({ window: "1h", timeBin: "1h", priceBin: "10bps", venue: "all", tier: "all" }).candles).toEqual({ tf: "1h", limit: 1 });
  });
});
