import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/trend/index.js";
import { trendMaCross } from "../../../../src/domain/cards/trend/ma-cross.js";
import { trendRegression } from "../../../../src/domain/cards/trend/regression.js";
import { trendAroon } from "../../../../src/domain/cards/trend/aroon.js";
import { trendStructure } from "../../../../src/domain/cards/trend/structure.js";
import { trendBreakout } from "../../../../src/domain/cards/trend/breakout.js";
import { trendFailedBreakout } from "../../../../src/domain/cards/trend/failed-breakout.js";
import { trendInsideRange } from "../../../../src/domain/cards/trend/inside-range.js";
import { spanStats, tradedMinutes } from "../../../../src/domain/cards/trend/span.js";
import { BarRing } from "../../../../src/domain/inputs/bar-ring.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

// ── helpers of this file ──

const MIN = 60_000;

/** One buy of 1 per minute at second 1 of minute m, at `prices[m]` (a minute's high = low = close). */
function closes(prices: readonly number[], from = 0): TradeEvent[] {
  return prices.map((p, k) => trade((from + k) * MIN + 1_000, "buy", 1, p));
}

/** Trades in minute m at `prices` in order (seconds 1, 2, …): its high, low and close follow. */
function minute(m: number, ...prices: number[]): TradeEvent[] {
  return prices.map((p, k) => trade(m * MIN + 1_000 * (k + 1), k % 2 === 0 ? "buy" : "sell", 1, p));
}

const mirror = (events: readonly TradeEvent[]) => events.map((t) => ({ ...t, price: 10_000 / t.price }));

/** 20 minutes oscillating 100, 101, 100, 99, …: the prior range of a 1m window at minute 20 is [99, 101]. */
const RANGE = closes(Array.from({ length: 20 }, (_, m) => [100, 101, 100, 99][m % 4]));
const R = Math.log(101 / 99);

describe("trend cards", () => {
  it("register seven cards in output order; trend.inside-range is the stress card", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "trend.ma-cross",
      "trend.regression",
      "trend.aroon",
      "trend.structure",
      "trend.breakout",
      "trend.failed-breakout",
      "trend.inside-range",
    ]);
    expect(CARDS.filter((c) => c.kind === "stress").map((c) => c.id)).toEqual(["trend.inside-range"]);
  });

  it.each(CARDS.map((c) => [c.id, c] as const))("%s is unavailable without a trade feed", (_, card) => {
    expectUnavailable(valuesAt(card, [mark(1_000)], 10_000)["5m"], "no trade feed");
  });
});

describe("trend span helpers", () => {
  it("find the latest minute at the span's extremes, and count traded minutes", () => {
    const ring = new BarRing(1_440);
    // minutes 0–4: 100, 102, 99, 102, 99; minute 5 quiet (carries 99)
    [100, 102, 99, 102, 99].forEach((p, m) => ring.addTrade(m * MIN + 1_000, p, 1, true));
    const bars = ring.series(6 * MIN);
    const s = spanStats(bars, 0, 6);
    // the high of 102 was printed in minutes 1 and 3: the latest, 3, is 2 minutes before the last (5)
    expect([s.high, s.low, s.sinceHigh, s.sinceLow, s.priced]).toEqual([102, 99, 2, 0, 6]);
    expect(s.meanClose).toBeCloseTo((100 + 102 + 99 + 102 + 99 + 99) / 6, 12);
    expect(tradedMinutes(bars, 0, 6)).toBe(5);
    expect(tradedMinutes(bars, 4, 99)).toBe(1);
    expect(spanStats(bars, 0, 6)).toBe(s); // computed once per series and span
  });
});

describe("trend.ma-cross", () => {
  it("reads the 5-minute average against the 20-minute one on 1m: 10⁴ · ln(117 / 109.5)", () => {
    // closes 100, 101, …, 119: SMA_5 = 117, SMA_20 = 109.5
    const v = valuesAt(trendMaCross, closes(Array.from({ length: 20 }, (_, m) => 100 + m)), 20 * MIN);
    const x = 1e4 * Math.log(117 / 109.5);
    expectValue(v["1m"], { score: firstScore(x, 25), strength: firstScore(x, 25), confidence: 1, value: x });
    expectUnavailable(v["5m"], "warming up: 20 of 60 minutes of bars");
  });

  it("is bearish on a falling span and counts quiet minutes against its confidence", () => {
    const down = valuesAt(trendMaCross, closes(Array.from({ length: 20 }, (_, m) => 200 - m)), 20 * MIN);
    // SMA_5 = 183, SMA_20 = 190.5
    expectValue(down["1m"], { score: firstScore(1e4 * Math.log(183 / 190.5), 25) });
    // closes 100 … 109 in minutes 0–9, then 10 quiet minutes at 109: SMA_5 = 109, SMA_20 = (1 045 + 1 090) / 20
    const half = valuesAt(trendMaCross, closes(Array.from({ length: 10 }, (_, m) => 100 + m)), 20 * MIN);
    const x = 1e4 * Math.log(109 / 106.75);
    expectValue(half["1m"], { score: firstScore(x, 25), confidence: 0.5, value: x });
  });

  it("reads 5m over 60 minutes: SMA_15 against SMA_60", () => {
    // closes 100 + m for m = 0 … 59: SMA_15 = 152, SMA_60 = 129.5
    const v = valuesAt(trendMaCross, closes(Array.from({ length: 60 }, (_, m) => 100 + m)), 60 * MIN);
    expectValue(v["5m"], { score: firstScore(1e4 * Math.log(152 / 129.5), 45), confidence: 1 });
  });
});

describe("trend.regression", () => {
  it("is ρ = 1 on log closes rising in a straight line, the slope 10 bps a minute", () => {
    const v = valuesAt(trendRegression, closes(Array.from({ length: 20 }, (_, m) => 100 * Math.exp(0.001 * m))), 20 * MIN);
    expectValue(v["1m"], { score: firstScore(1, 0.65), confidence: 1, value: 10 });
    expectUnavailable(v["5m"], "warming up: 20 of 60 minutes of bars");
  });

  it("reads a step of +1 % halfway as ρ = 50 / √(665 · 5)", () => {
    // ln close = 0 for minutes 0–9, ln 1.01 for 10–19: Σ(t − 9.5)(d − ½) = 50, Σ(t − 9.5)² = 665, Σ(d − ½)² = 5
    const v = valuesAt(trendRegression, closes([...new Array(10).fill(100), ...new Array(10).fill(101)]), 20 * MIN);
    const rho = 50 / Math.sqrt(665 * 5);
    // slope = ln(1.01) · 50 / 665 per minute
    expectValue(v["1m"], { score: firstScore(rho, 0.65), confidence: 1, value: (1e4 * Math.log(1.01) * 50) / 665 });
    const down = valuesAt(trendRegression, closes([...new Array(10).fill(101), ...new Array(10).fill(100)]), 20 * MIN);
    expectValue(down["1m"], { score: firstScore(-rho, 0.65) });
  });

  it("reads a symmetric V and a flat span as 0", () => {
    const v = valuesAt(trendRegression, closes(Array.from({ length: 20 }, (_, m) => 100 * Math.exp(0.001 * Math.abs(m - 9.5)))), 20 * MIN);
    expectValue(v["1m"], { score: 0, confidence: 1, value: 0 });
    const flat = valuesAt(trendRegression, closes(new Array(20).fill(100)), 20 * MIN);
    expectValue(flat["1m"], { score: 0, confidence: 1, value: 0 });
  });
});

describe("trend.aroon and trend.inside-range", () => {
  /** 20 closes at 100 with a high of 103 at minute `hi` and a low of 98 at minute `lo`. */
  const extremes = (hi: number, lo: number) => closes(Array.from({ length: 20 }, (_, m) => (m === hi ? 103 : m === lo ? 98 : 100)));

  it("aroon: a recent high and an old low are bullish: (16 − 2) / 20", () => {
    const v = valuesAt(trendAroon, extremes(17, 3), 20 * MIN);
    // the last minute is 19: t_H = 2, t_L = 16
    expectValue(v["1m"], { score: firstScore(0.7, 0.6), confidence: 1, value: 14 });
    expectUnavailable(v["5m"], "warming up: 20 of 60 minutes of bars");
    expectValue(valuesAt(trendAroon, extremes(3, 17), 20 * MIN)["1m"], { score: firstScore(-0.7, 0.6), value: -14 });
  });

  it("aroon: counts from the latest of equal highs", () => {
    // highs of 103 at minutes 5 and 12, low 98 at minute 2: t_H = 7, t_L = 17
    const prices = Array.from({ length: 20 }, (_, m) => (m === 5 || m === 12 ? 103 : m === 2 ? 98 : 100));
    expectValue(valuesAt(trendAroon, closes(prices), 20 * MIN)["1m"], { score: firstScore(0.5, 0.6), value: 10 });
  });

  it("inside-range: a high and a low both long past read stress: min(17, 14) / 20 against the prior center 0.2", () => {
    const v = valuesAt(trendInsideRange, extremes(2, 5), 20 * MIN);
    expectValue(v["1m"], { score: 0, strength: Math.tanh((0.7 - 0.2) / 0.2), confidence: 1, value: 14 });
    expectUnavailable(v["5m"], "warming up: 20 of 60 minutes of bars");
  });

  it("inside-range: a fresh extreme gives no stress", () => {
    // t_H = 2, t_L = 16: x = 0.1, below the center 0.2
    expectValue(valuesAt(trendInsideRange, extremes(17, 3), 20 * MIN)["1m"], { score: 0, strength: 0, confidence: 1, value: 2 });
  });
});

describe("trend.structure", () => {
  // four sub-spans of 5 minutes: highs 101, 102, 103, 102.5 and lows 99, 99.5, 100, 99
  const STEPS = closes([100, 101, 99, 100, 100, 100, 102, 99.5, 100, 100, 101, 103, 100, 101, 101, 102, 102.5, 99, 101, 101]);

  it("votes each step's high and low: (+1 +1) + (+1 +1) + (−1 −1) = 2 of 6", () => {
    const v = valuesAt(trendStructure, STEPS, 20 * MIN);
    expectValue(v["1m"], { score: firstScore(2 / 6, 0.5), confidence: 1, value: 2 });
    expectUnavailable(v["5m"], "warming up: 20 of 60 minutes of bars");
  });

  it("is bearish on the mirror, and an equal high votes 0", () => {
    expectValue(valuesAt(trendStructure, mirror(STEPS), 20 * MIN)["1m"], { score: firstScore(-2 / 6, 0.5), value: -2 });
    // the last sub-span's high equals the third's (103): its votes are 0 and −1
    const equal = closes([100, 101, 99, 100, 100, 100, 102, 99.5, 100, 100, 101, 103, 100, 101, 101, 102, 103, 99, 101, 101]);
    expectValue(valuesAt(trendStructure, equal, 20 * MIN)["1m"], { score: firstScore(3 / 6, 0.5), value: 3 });
  });
});

describe("trend.breakout", () => {
  it("measures a close above the prior range in units of it: ln(101.5/101) / ln(101/99)", () => {
    const v = valuesAt(trendBreakout, [...RANGE, ...closes([101.5], 20)], 21 * MIN);
    const beyond = Math.log(101.5 / 101);
    // confidence = 21 traded minutes / (20 + 1)
    expectValue(v["1m"], { score: firstScore(beyond / R, 0.07), confidence: 1, value: 1e4 * beyond });
    expectUnavailable(v["5m"], "warming up: 21 of 65 minutes of bars");
  });

  it("is 0 inside the range and bearish below it", () => {
    expectValue(valuesAt(trendBreakout, [...RANGE, ...closes([100.5], 20)], 21 * MIN)["1m"], { score: 0, confidence: 1, value: 0 });
    const below = Math.log(98 / 99);
    expectValue(valuesAt(trendBreakout, [...RANGE, ...closes([98], 20)], 21 * MIN)["1m"], { score: firstScore(below / R, 0.07), value: 1e4 * below });
  });

  it("reads 5m: the last close of the window's five minutes against the 60 before them", () => {
    // minutes 0–59 oscillate in [99, 101]; minutes 60–64 close 100.5, 101, 101.2, 100.8, 101.4
    const prior = closes(Array.from({ length: 60 }, (_, m) => [100, 101, 100, 99][m % 4]));
    const v = valuesAt(trendBreakout, [...prior, ...closes([100.5, 101, 101.2, 100.8, 101.4], 60)], 65 * MIN);
    expectValue(v["5m"], { score: firstScore(Math.log(101.4 / 101) / R, 0.1), confidence: 1, value: 1e4 * Math.log(101.4 / 101) });
  });

  it("floors a range that never moved at 0.1 bp, and counts quiet minutes against confidence", () => {
    // 10 trades at 100 in minutes 0–9, quiet 10–19, then 100.01 at minute 20: 11 of 21 minutes traded
    const v = valuesAt(trendBreakout, [...closes(new Array(10).fill(100)), ...closes([100.01], 20)], 21 * MIN);
    const beyond = Math.log(100.01 / 100);
    expectValue(v["1m"], { score: firstScore(beyond / 1e-5, 0.07), confidence: 11 / 21, value: 1e4 * beyond });
  });
});

describe("trend.failed-breakout", () => {
  it("fades a window that broke the prior high and closed back inside: −ln(101.8/101) / ln(101/99)", () => {
    const v = valuesAt(trendFailedBreakout, [...RANGE, ...minute(20, 100.5, 101.8, 100.5)], 21 * MIN);
    const up = Math.log(101.8 / 101);
    expectValue(v["1m"], { score: firstScore(-up / R, 0.035), confidence: 1, value: -1e4 * up });
    expectUnavailable(v["5m"], "warming up: 21 of 65 minutes of bars");
  });

  it("is bullish for a failed break of the low, 0 for a break that held, and nets a window that failed both ways", () => {
    const down = Math.log(99 / 98.2);
    expectValue(valuesAt(trendFailedBreakout, [...RANGE, ...minute(20, 99.5, 98.2, 99.5)], 21 * MIN)["1m"], { score: firstScore(down / R, 0.035), value: 1e4 * down });
    // broke above 101 and closed at 101.5, still above: a breakout, not a failure
    expectValue(valuesAt(trendFailedBreakout, [...RANGE, ...minute(20, 100.5, 101.8, 101.5)], 21 * MIN)["1m"], { score: 0, confidence: 1, value: 0 });
    const both = Math.log(99 / 98.5) - Math.log(101.8 / 101);
    expectValue(valuesAt(trendFailedBreakout, [...RANGE, ...minute(20, 100, 101.8, 98.5, 100)], 21 * MIN)["1m"], { score: firstScore(both / R, 0.035), value: 1e4 * both });
  });
});
