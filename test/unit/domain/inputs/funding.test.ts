import { describe, expect, it } from "vitest";
import { FundingTracker } from "../../../../src/domain/inputs/funding.js";
import type { MarkEvent, Venue } from "../../../../src/domain/events.js";

const m = (venue: Venue, ts: number, fundingRate: number, extra: Partial<MarkEvent> = {}): MarkEvent => ({ venue, symbol: "BTCUSDT", ts, kind: "mark", markPrice: 100, fundingRate, ...extra });

describe("FundingTracker", () => {
  it("turns Hyperliquid's hourly rate into its 8-hour equivalent (0.00125 % per hour = 0.01 % per 8 h)", () => {
    const t = new FundingTracker(10_000, 400, 300_000);
    t.onMark(m("hyperliquid", 1_000, 0.0000125));
    t.onMark(m("binance", 1_000, 0.0000125));
    const [binance, hyper] = t.view(61_000, 60_000);
    expect(hyper).toMatchObject({ venue: "hyperliquid", intervalMs: 3_600_000, intervalSource: "default" });
    expect(hyper.rate8h).toBeCloseTo(0.0001, 15);
    expect(binance).toMatchObject({ venue: "binance", intervalMs: 28_800_000 });
    expect(binance.rate8h).toBeCloseTo(0.0000125, 15);
  });

  it("takes the venue's stated interval first, then an observed nextFundingTs step, else the default", () => {
    const t = new FundingTracker(10_000, 400, 300_000);
    t.onMark(m("bybit", 1_000, 0.0002, { fundingIntervalMs: 14_400_000 }));
    t.onMark(m("binance", 1_000, 0.0002, { nextFundingTs: 28_800_000 }));
    t.onMark(m("binance", 2_000, 0.0002, { nextFundingTs: 28_800_000 }));
    expect(t.view(10_000, 10_000).map((f) => [f.venue, f.intervalMs, f.intervalSource])).toEqual([
      ["binance", 28_800_000, "default"],
      ["bybit", 14_400_000, "venue"],
    ]);
    // settlement: the next funding time steps by 4 h
    t.onMark(m("binance", 3_000, 0.0002, { nextFundingTs: 43_200_000 }));
    const [binance] = t.view(10_000, 10_000);
    expect(binance).toMatchObject({ intervalMs: 14_400_000, intervalSource: "observed" });
    expect(binance.rate8h).toBeCloseTo(0.0004, 15);
  });

  it("time-weights the window: 0.01 % held 50 s and 0.07 % held 10 s mean 0.02 %", () => {
    const t = new FundingTracker(10_000, 400, 300_000);
    t.onMark(m("binance", 1_000, 0.0001));
    for (let ts = 2_000; ts < 51_000; ts += 1_000) t.onMark(m("binance", ts, 0.0001));
    t.onMark(m("binance", 51_000, 0.0007));
    const [f] = t.view(61_000, 60_000);
    expect(f.window8h.coveredMs).toBe(60_000);
    expect(f.window8h.mean).toBeCloseTo((0.0001 * 50 + 0.0007 * 10) / 60, 15);
  });
});
