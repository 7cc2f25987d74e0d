import { describe, expect, it } from "vitest";
import { BarRing } from "../../../../src/domain/inputs/bar-ring.js";
import { daySigma, logReturns, meanClose, returnStdev, vwapOf } from "../../../../src/domain/cards/price-series.js";

/** Four traded minutes closing 100, 101, 99, 99 (the last one quiet, carrying 99), then read at 5 min. */
function series() {
  const bars = new BarRing(1_440);
  bars.addTrade(10_000, 100, 1, true);
  bars.addTrade(70_000, 101, 2, false);
  bars.addTrade(130_000, 99, 1, true);
  return bars.series(240_000);
}

describe("price-series helpers", () => {
  it("compute minute log returns close to close, NaN before the first price, 0 over a quiet minute", () => {
    const s = series();
    const r = logReturns(s);
    const last = s.length - 1; // minute 3 (180 000..240 000), quiet
    expect(r[last]).toBe(0);
    expect(r[last - 1]).toBeCloseTo(Math.log(99 / 101), 15);
    expect(r[last - 2]).toBeCloseTo(Math.log(101 / 100), 15);
    expect(Number.isNaN(r[last - 3])).toBe(true);
  });

  it("give the sample σ of returns, the mean close and the VWAP of a span", () => {
    const s = series();
    const n = s.length;
    const xs = [Math.log(101 / 100), Math.log(99 / 101), 0];
    const m = xs.reduce((a, b) => a + b) / 3;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / 2);
    expect(returnStdev(s, n - 3, n).sigma).toBeCloseTo(sd, 15);
    expect(daySigma(s).sigma).toBeCloseTo(sd, 15);
    expect(meanClose(s, n - 4, n)).toEqual({ mean: (100 + 101 + 99 + 99) / 4, n: 4 });
    // VWAP: (100·1 + 101·2 + 99·1) / 4
    expect(vwapOf(s, 0, n).vwap).toBeCloseTo(401 / 4, 12);
  });
});
