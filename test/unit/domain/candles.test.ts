import { describe, expect, it } from "vitest";
import { aggregateCandles } from "../../../src/domain/candles.js";
import { BarRing } from "../../../src/domain/inputs/bar-ring.js";
import { DerivativeMinutes } from "../../../src/domain/inputs/derivative-minutes.js";

const M = 60_000;
/** 2025-12-28T00:00:00Z, a multiple of an hour: minute ids from here line up with every timeframe. */
const T0 = Date.UTC(2025, 11, 28);
const m0 = T0 / M;

/** A ring fed with trades `[minuteOffset, secondInMinute, price, qty, isBuy]` and liquidations. */
function ring(trades: [number, number, number, number, boolean][], liqs: [number, boolean, number][] = []): BarRing {
  const r = new BarRing(1_440);
  for (const [min, sec, price, qty, isBuy] of trades) r.addTrade(T0 + min * M + sec * 1000, price, qty, isBuy);
  for (const [min, isLong, usd] of liqs) r.addLiquidation(T0 + min * M + 30_000, isLong, usd / 100, usd);
  return r;
}

/** A candle's open interest and funding without any update in it. */
const NO_DERIVATIVES = { openInterestUsd: null, oiVenues: 0, funding8h: null, fundingVenues: 0 };

describe("aggregateCandles", () => {
  it("keeps one-minute bars as they are, newest last, with the forming minute incomplete", () => {
    const r = ring([
      [0, 1, 100, 1, true],
      [0, 30, 104, 2, false],
      [0, 50, 99, 1, true],
      [0, 59, 101, 1, true],
      [1, 10, 102, 3, true],
    ]);
    const s = aggregateCandles(r.rows(), r.headMinute, "1m", 10);
    expect(s.tfMs).toBe(60_000);
    expect(s.headTs).toBe(T0 + M);
    expect(s.lastTradeTs).toBe(T0 + M + 10_000);
    expect(s.candles).toEqual([
      { ts: T0, open: 100, high: 104, low: 99, close: 101, volume: 5, volumeUsd: 100 + 208 + 99 + 101, trades: 4, longLiqUsd: 0, shortLiqUsd: 0, ...NO_DERIVATIVES, complete: true },
      { ts: T0 + M, open: 102, high: 102, low: 102, close: 102, volume: 3, volumeUsd: 306, trades: 1, longLiqUsd: 0, shortLiqUsd: 0, ...NO_DERIVATIVES, complete: false },
    ]);
  });

  it("aggregates 5m candles on 5-minute event-time boundaries: first open, last close, extreme high and low, summed volume", () => {
    // Minutes 3, 4 (candle :00), 5, 7 (candle :05), 10 (candle :10, forming).
    const r = ring([
      [3, 0, 100, 1, true],
      [4, 0, 103, 1, false],
      [5, 0, 102, 1, true],
      [5, 20, 108, 2, true],
      [7, 0, 97, 1, false],
      [7, 40, 99, 1, true],
      [10, 0, 98, 1, true],
    ]);
    const s = aggregateCandles(r.rows(), r.headMinute, "5m", 10);
    expect(s.candles.map((c) => [c.ts - T0, c.open, c.high, c.low, c.close, c.volume, c.trades, c.complete])).toEqual([
      [0, 100, 103, 100, 103, 2, 2, true],
      [5 * M, 102, 108, 97, 99, 5, 4, true],
      [10 * M, 98, 98, 98, 98, 1, 1, false],
    ]);
  });

  it("aligns 1h and 15m candles to the UTC hour and quarter whatever minute the ring starts at", () => {
    const r = ring([
      [50, 0, 100, 1, true],
      [59, 0, 101, 1, true],
      [60, 0, 102, 1, true],
      [74, 0, 103, 1, true],
      [75, 0, 104, 1, true],
    ]);
    expect(aggregateCandles(r.rows(), r.headMinute, "1h", 10).candles.map((c) => [c.ts - T0, c.open, c.close, c.complete])).toEqual([
      [0, 100, 101, true],
      [60 * M, 102, 104, false],
    ]);
    expect(aggregateCandles(r.rows(), r.headMinute, "15m", 10).candles.map((c) => [c.ts - T0, c.open, c.close])).toEqual([
      [45 * M, 100, 101],
      [60 * M, 102, 103],
      [75 * M, 104, 104],
    ]);
  });

  it("sums liquidations per side, and a candle with liquidations but no trade has null prices rather than the last close", () => {
    const r = ring(
      [
        [0, 0, 100, 1, true],
        [2, 0, 105, 1, true],
      ],
      [
        [0, true, 1_000],
        [1, true, 250],
        [1, false, 40],
        [2, false, 60],
      ],
    );
    const s = aggregateCandles(r.rows(), r.headMinute, "1m", 10);
    expect(s.candles.map((c) => [c.ts - T0, c.close, c.longLiqUsd, c.shortLiqUsd])).toEqual([
      [0, 100, 1_000, 0],
      [M, null, 250, 40],
      [2 * M, 105, 0, 60],
    ]);
    expect(s.candles[1]).toMatchObject({ open: null, high: null, low: null, volume: 0, trades: 0 });
    expect(aggregateCandles(r.rows(), r.headMinute, "5m", 10).candles).toMatchObject([{ open: 100, close: 105, longLiqUsd: 1_250, shortLiqUsd: 100 }]);
  });

  it("leaves a gap where no minute is held instead of a flat bar, and returns the newest `limit` candles", () => {
    const r = ring([
      [0, 0, 100, 1, true],
      [1, 0, 101, 1, true],
      [30, 0, 110, 1, true],
    ]);
    const all = aggregateCandles(r.rows(), r.headMinute, "1m", 100);
    expect(all.candles.map((c) => (c.ts - T0) / M)).toEqual([0, 1, 30]);
    expect(aggregateCandles(r.rows(), r.headMinute, "1m", 2).candles.map((c) => (c.ts - T0) / M)).toEqual([1, 30]);
  });

  it("has no candle and no last trade for an empty ring", () => {
    expect(aggregateCandles([], -1, "1m", 10)).toEqual({ tf: "1m", tfMs: M, headTs: -M, lastTradeTs: null, candles: [] });
  });

  it("ignores a row newer than the head it is given", () => {
    const r = ring([
      [0, 0, 100, 1, true],
      [1, 0, 101, 1, true],
    ]);
    expect(aggregateCandles(r.rows(), m0, "1m", 10).candles.map((c) => [c.ts - T0, c.complete])).toEqual([[0, false]]);
  });
});

/** (0.0001 + 0.0003) / 2 is 0.00019999999999999998 in doubles: compared at 12 digits. */
const round = (x: number | null) => (x === null ? null : Number(x.toPrecision(12)));

describe("aggregateCandles with open interest and funding per minute", () => {
  // Trades in minutes 0..6; open interest updated in minutes 1, 2 (twice), 6; funding in minute 2 only.
  const r = ring([0, 1, 2, 3, 4, 5, 6].map((min) => [min, 5, 100 + min, 1, true] as [number, number, number, number, boolean]));
  const d = new DerivativeMinutes(1_440);
  d.onOi(T0 + 1 * M + 10_000, { usd: 1_000, base: 10, venues: 1 });
  d.onOi(T0 + 2 * M + 40_000, { usd: 2_200, base: 22, venues: 2 });
  // an update older than the minute's newest (another venue's late message) does not replace it
  d.onOi(T0 + 2 * M + 20_000, { usd: 9_999, base: 99, venues: 1 });
  d.onFunding(T0 + 2 * M + 1_000, [0.0001, null, 0.0003]);
  d.onOi(T0 + 6 * M + 1_000, { usd: 2_500, base: 25, venues: 2 });

  it("gives each one-minute candle the minute's newest update, null (never carried) where there was none", () => {
    const s = aggregateCandles(r.rows(), r.headMinute, "1m", 10, d.rows());
    expect(s.candles.map((c) => [c.ts - T0, c.openInterestUsd, c.oiVenues, round(c.funding8h), c.fundingVenues])).toEqual([
      [0, null, 0, null, 0],
      [M, 1_000, 1, null, 0],
      [2 * M, 2_200, 2, 0.0002, 2],
      [3 * M, null, 0, null, 0],
      [4 * M, null, 0, null, 0],
      [5 * M, null, 0, null, 0],
      [6 * M, 2_500, 2, null, 0],
    ]);
  });

  it("gives a five-minute candle the newest update of its span", () => {
    const s = aggregateCandles(r.rows(), r.headMinute, "5m", 10, d.rows());
    expect(s.candles.map((c) => [c.ts - T0, c.openInterestUsd, round(c.funding8h)])).toEqual([
      [0, 2_200, 0.0002],
      [5 * M, 2_500, null],
    ]);
  });

  it("survives the rows round trip a Durable Object makes (saved apart, NaN as null)", () => {
    const back = DerivativeMinutes.fromRows(1_440, JSON.parse(JSON.stringify(d.rows())), d.headMinute);
    expect(back.rows()).toEqual(d.rows());
    expect(d.dirtyFrom()).toBe(m0 + 1);
    d.markSaved();
    expect(d.dirtyFrom()).toBe(Number.POSITIVE_INFINITY);
  });
});
