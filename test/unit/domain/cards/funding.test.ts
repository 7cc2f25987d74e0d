import { describe, expect, it } from "vitest";
import type { CanonicalEvent, Venue } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { CARDS } from "../../../../src/domain/cards/funding/index.js";
import { fundingRate } from "../../../../src/domain/cards/funding/rate.js";
import { fundingDrift } from "../../../../src/domain/cards/funding/drift.js";
import { fundingImplied } from "../../../../src/domain/cards/funding/implied.js";
import { fundingSettlement } from "../../../../src/domain/cards/funding/settlement.js";
import { fundingBreadth } from "../../../../src/domain/cards/funding/breadth.js";
import { fundingFastSlow } from "../../../../src/domain/cards/funding/fast-slow.js";
import { fundingSpread } from "../../../../src/domain/cards/funding/spread.js";
import { impliedFunding8h } from "../../../../src/domain/cards/funding/funding-terms.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

const BASELINE = 0.0001;
const HOUR = 3_600_000;

/** A mark carrying funding `rate` on `venue` (Hyperliquid: its hourly interval, as its mapper sends it). */
function fm(ts: number, rate: number, venue: Venue = "binance", extra: Parameters<typeof mark>[1] = {}): CanonicalEvent {
  return mark(ts, { fundingRate: rate, venue, ...(venue === "hyperliquid" ? { fundingIntervalMs: HOUR } : {}), ...extra });
}

describe("funding cards", () => {
  it("registers seven cards with the funding prefix", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "funding.rate",
      "funding.drift",
      "funding.implied",
      "funding.settlement",
      "funding.breadth",
      "funding.fast-slow",
      "funding.spread",
    ]);
  });

  it.each(CARDS.map((c) => [c.id, c] as [string, CardDefinition]))("%s is unavailable without a mark feed", (_id, card) => {
    const v = valuesAt(card, [trade(1_000, "buy", 1)], 10_000);
    expectUnavailable(v["1m"], "no mark feed");
    expectUnavailable(v["1h"], "no mark feed");
  });

  it.each(CARDS.filter((c) => c.id !== "funding.settlement").map((c) => [c.id, c] as [string, CardDefinition]))(
    "%s is unavailable when marks never carried a funding rate",
    (_id, card) => {
      const v = valuesAt(card, [mark(1_000, { markPrice: 100, indexPrice: 100 })], 10_000);
      expectUnavailable(v["5m"], "no funding rate in mark feed");
    },
  );
});

describe("funding.rate", () => {
  it("reads positive funding above the baseline as bearish (crowded longs), time-weighted", () => {
    // 1m window [−50 000, 10 000): 0.0003 over [1 000, 2 000), 0.0004 over [2 000, 10 000)
    const v = valuesAt(fundingRate, [fm(1_000, 0.0003), fm(2_000, 0.0004)], 10_000);
    const r = (0.0003 * 1_000 + 0.0004 * 8_000) / 9_000;
    expectValue(v["1m"], { value: r, score: firstScore(BASELINE - r, 0.0005), strength: -firstScore(BASELINE - r, 0.0005), confidence: 9_000 / 60_000 });
    expect(v["1m"].score).toBeLessThan(0);
    expectValue(v["1h"], { value: r, score: firstScore(BASELINE - r, 0.0005), confidence: 9_000 / 3_600_000 });
  });

  it("reads negative funding as bullish (tanh, no longer a clamp at 1)", () => {
    const v = valuesAt(fundingRate, [fm(1_000, -0.001)], 10_000);
    expectValue(v["5m"], { value: -0.001, score: Math.tanh(0.0011 / 0.0005), confidence: 9_000 / 300_000 });
    expect(v["5m"].score).toBeGreaterThan(0.97);
    expect(v["5m"].score).toBeLessThan(1);
  });

  it("reads Hyperliquid's hourly 0.0000125 as 0.0001 per 8 h: neutral against the baseline, stated interval or not", () => {
    for (const extra of [{ fundingIntervalMs: HOUR }, {}]) {
      const v = valuesAt(fundingRate, [mark(1_000, { venue: "hyperliquid", fundingRate: 0.0000125, ...extra })], 10_000);
      expectValue(v["1m"], { value: 0.0001, score: 0, strength: 0, confidence: 9_000 / 60_000 });
    }
  });

  it("reads the same raw 0.0000125 on Binance (8 h) as far below the baseline: bullish", () => {
    const v = valuesAt(fundingRate, [fm(1_000, 0.0000125)], 10_000);
    expectValue(v["1m"], { value: 0.0000125, score: firstScore(BASELINE - 0.0000125, 0.0005), confidence: 9_000 / 60_000 });
    expect(v["1m"].score).toBeGreaterThan(0.17);
  });

  it("learns a 4 h interval from the step of nextFundingTs and doubles the rate to its 8 h equivalent", () => {
    const step = [fm(0, 0.0003, "binance", { nextFundingTs: 4 * HOUR }), fm(10_000, 0.0003, "binance", { nextFundingTs: 8 * HOUR })];
    // 1m window [20 000, 80 000): the rate set at 10 000 with the learned 4 h interval, 0.0006 per 8 h
    const learned = valuesAt(fundingRate, step, 80_000);
    expectValue(learned["1m"], { value: 0.0006, score: Math.tanh((BASELINE - 0.0006) / 0.0005), confidence: 1 });
    // a step that is no settlement interval (5 000 s) is not learned: the 8 h default holds
    const odd = [fm(0, 0.0003, "binance", { nextFundingTs: 4 * HOUR }), fm(10_000, 0.0003, "binance", { nextFundingTs: 4 * HOUR + 5_000_000 })];
    expectValue(valuesAt(fundingRate, odd, 80_000)["1m"], { value: 0.0003 });
  });

  it("weighs a rate held 50 s and one held 10 s 5:1, however many messages repeat the second", () => {
    const events = [fm(0, 0.0002)];
    for (let ts = 50_000; ts < 60_000; ts += 1_000) events.push(fm(ts, 0.0008));
    const v = valuesAt(fundingRate, events, 60_000);
    // (0.0002 · 50 + 0.0008 · 10) / 60 = 0.0003; a message mean would be (0.0002 + 10 · 0.0008) / 11
    expectValue(v["1m"], { value: 0.0003, score: Math.tanh((BASELINE - 0.0003) / 0.0005), confidence: 1 });
  });

  it("averages venues weighted by how much of the window each covered", () => {
    // binance 0.0003 over the whole 1m window [10 000, 70 000); bybit 0.0000 from 40 000 (30 s)
    const v = valuesAt(fundingRate, [fm(5_000, 0.0003), fm(40_000, 0, "bybit")], 70_000);
    const r = (0.0003 * 60_000 + 0 * 30_000) / 90_000;
    expectValue(v["1m"], { value: r, score: firstScore(BASELINE - r, 0.0005), confidence: 90_000 / 120_000 });
  });

  it("is unavailable when no rate is known within the window (older than the 300 s hold)", () => {
    const v = valuesAt(fundingRate, [fm(1_000, 0.0003)], 400_000);
    expectUnavailable(v["1m"], "no funding rate known within the window");
    // 5m window [100 000, 400 000) still holds the rate over [100 000, 301 000)
    expectValue(v["5m"], { value: 0.0003, confidence: 201_000 / 300_000 });
  });
});

describe("funding.drift", () => {
  it("reads funding rising within the window as bearish: 0.0001 → 0.00012 at mid-window is D = 0.00001", () => {
    const v = valuesAt(fundingDrift, [fm(5_000, 0.0001), fm(40_000, 0.00012)], 70_000);
    // 1m [10 000, 70 000): mean (0.0001 · 30 + 0.00012 · 30) / 60 = 0.00011; D = 0.00012 − 0.00011
    const d1 = 0.00012 - (0.0001 * 30_000 + 0.00012 * 30_000) / 60_000;
    expectValue(v["1m"], { value: d1, score: firstScore(-d1, 0.00002), confidence: 1 });
    expect(v["1m"].score).toBeLessThan(0);
    // 5m [−230 000, 70 000): covered 65 s
    const d5 = 0.00012 - (0.0001 * 35_000 + 0.00012 * 30_000) / 65_000;
    expectValue(v["5m"], { value: d5, score: firstScore(-d5, 0.00005), confidence: 65_000 / 300_000 });
  });

  it("reads falling funding as bullish and weighs a flat venue in by coverage (8-hour equivalents)", () => {
    // binance 0.0003 → 0.0001; Hyperliquid flat at hourly 0.0000125 (0.0001 per 8 h): d = 0
    const v = valuesAt(fundingDrift, [fm(5_000, 0.0003), fm(5_000, 0.0000125, "hyperliquid"), fm(40_000, 0.0001)], 70_000);
    const dBinance = 0.0001 - (0.0003 * 30_000 + 0.0001 * 30_000) / 60_000;
    const d = (dBinance * 60_000 + 0 * 60_000) / 120_000;
    expectValue(v["1m"], { value: d, score: firstScore(-d, 0.00002), confidence: 1 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is unavailable when no venue has a current rate", () => {
    const v = valuesAt(fundingDrift, [fm(1_000, 0.0003)], 400_000);
    expectUnavailable(v["5m"], "no venue has a current funding rate");
  });
});

describe("funding.implied", () => {
  it("reads a 10 bps premium as funding heading to 0.05 % per 8 h: G = 0.0005 − 0.0001, bearish; a venue without an index halves confidence", () => {
    const events = [mark(1_000, { markPrice: 100.1, indexPrice: 100, fundingRate: 0.0001 }), fm(1_000, 0.0001, "okx")];
    const v = valuesAt(fundingImplied, events, 10_000);
    const p = ((100.1 - 100) / 100) * 1e4; // 10 bps = 0.001: beyond the clamp band, g = 0.001 − 0.0005
    const g = impliedFunding8h(p / 1e4, BASELINE) - 0.0001;
    expect(g).toBeCloseTo(0.0004, 12);
    expectValue(v["1m"], { value: g, score: firstScore(-g, 0.0002), confidence: 9_000 / (2 * 60_000) });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads a discount beyond the band with funding still at the baseline as bullish: g = −0.001 + 0.0005", () => {
    const v = valuesAt(fundingImplied, [mark(1_000, { markPrice: 99.9, indexPrice: 100, fundingRate: 0.0001 })], 10_000);
    const g = ((99.9 - 100) / 100) + 0.0005 - 0.0001; // −0.0006
    expectValue(v["1m"], { value: g, score: firstScore(-g, 0.0002), confidence: 9_000 / 60_000 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is zero while the premium stays inside the clamp band and funding is pinned at the baseline", () => {
    const v = valuesAt(fundingImplied, [mark(1_000, { markPrice: 100.03, indexPrice: 100, fundingRate: 0.0001 })], 10_000);
    expectValue(v["1m"], { value: 0, score: 0, confidence: 9_000 / 60_000 });
  });

  it("compares Hyperliquid's funding as its 8-hour equivalent", () => {
    // hourly 0.0000625 = 0.0005 per 8 h, premium 10 bps implies 0.0005: nothing left to move
    const v = valuesAt(fundingImplied, [mark(1_000, { venue: "hyperliquid", markPrice: 100.1, indexPrice: 100, fundingRate: 0.0000625, fundingIntervalMs: HOUR })], 10_000);
    expectValue(v["1m"], { value: 0, score: 0, confidence: 9_000 / 60_000 });
  });

  it("is unavailable without an index, and when no venue has both a rate and a premium", () => {
    expectUnavailable(valuesAt(fundingImplied, [fm(1_000, 0.0001, "okx")], 10_000)["1m"], "no index price in mark feed (no premium to imply funding from)");
    // binance sends funding without an index; bybit an index without funding
    const events = [fm(1_000, 0.0001), mark(1_000, { venue: "bybit", markPrice: 100.1, indexPrice: 100 })];
    expectUnavailable(valuesAt(fundingImplied, events, 10_000)["1m"], "no venue has both a current funding rate and a premium in the window");
  });
});

describe("funding.settlement", () => {
  it("reads longs about to pay 0.03 % (0.02 % above the baseline) 30 s before settlement as bearish, by proximity per timeframe", () => {
    const v = valuesAt(fundingSettlement, [fm(1_000, 0.0003, "binance", { nextFundingTs: 40_000 })], 10_000);
    // τ = 30 000; 1m: w = 1 − 30/60 = 0.5; 5m: w = 1 − 30/300 = 0.9; 1h: w = 1 − 30/3600
    const excess = 0.0003 - 0.0001;
    expectValue(v["1m"], { value: excess * 0.5, score: firstScore(-excess * 0.5, 0.0002), confidence: 1 });
    expectValue(v["5m"], { value: excess * 0.9, score: firstScore(-excess * 0.9, 0.0002), confidence: 1 });
    expectValue(v["1h"], { value: excess * (1 - 30_000 / HOUR), score: firstScore(-excess * (1 - 30_000 / HOUR), 0.0002), confidence: 1 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads shorts about to pay as bullish, with the baseline scaled to the venue's 4 h interval", () => {
    // bybit states a 4 h interval: the neutral payment is 0.0001 · 4/8 = 0.00005
    const v = valuesAt(fundingSettlement, [fm(1_000, -0.0001, "bybit", { nextFundingTs: 40_000, fundingIntervalMs: 4 * HOUR })], 10_000);
    const excess = -0.0001 - 0.00005;
    expectValue(v["1m"], { value: excess * 0.5, score: firstScore(-excess * 0.5, 0.0002), confidence: 1 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads the primary venue: binance gone stale, bybit's mark and rate are used", () => {
    const events = [fm(1_000, 0.0009, "binance", { nextFundingTs: 8 * HOUR }), fm(350_000, 0.0002, "bybit", { nextFundingTs: 380_000 })];
    const v = valuesAt(fundingSettlement, events, 360_000);
    const excess = 0.0002 - 0.0001; // bybit, 8 h default
    expectValue(v["1m"], { value: excess * (1 - 20_000 / 60_000), confidence: 1 });
  });

  it("is a measured zero with no settlement within the window ahead", () => {
    const v = valuesAt(fundingSettlement, [fm(1_000, 0.0003, "binance", { nextFundingTs: 8 * HOUR })], 10_000);
    expectValue(v["1m"], { value: 0, score: 0, confidence: 0 });
    expectValue(v["1h"], { value: 0, score: 0, confidence: 0 });
  });

  it("is unavailable without a rate, a next funding time (Hyperliquid sends none), a fresh mark, or with a passed settlement", () => {
    expectUnavailable(valuesAt(fundingSettlement, [mark(1_000, { nextFundingTs: 40_000 })], 10_000)["1m"], "the primary venue's mark carries no funding rate");
    expectUnavailable(valuesAt(fundingSettlement, [fm(1_000, 0.0000125, "hyperliquid")], 10_000)["1m"], "the primary venue's mark carries no next funding time");
    expectUnavailable(valuesAt(fundingSettlement, [fm(1_000, 0.0003, "binance", { nextFundingTs: 5_000 })], 10_000)["1m"], "the next funding time has passed");
    expectUnavailable(valuesAt(fundingSettlement, [fm(1_000, 0.0003, "binance", { nextFundingTs: 40_000 })], 400_000)["1m"], "no fresh mark");
  });
});

describe("funding.breadth", () => {
  it("counts two venues above the baseline and Hyperliquid's hourly 0.0000125 as pinned: B = 2/3, bearish", () => {
    const events = [fm(1_000, 0.0003), fm(1_000, 0.00015, "bybit"), fm(1_000, 0.0000125, "hyperliquid")];
    const v = valuesAt(fundingBreadth, events, 10_000);
    expectValue(v["1m"], { value: 2 / 3, score: firstScore(-2 / 3, 0.5), confidence: (3 * 9_000) / (3 * 60_000) });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads venues below the baseline as bullish; one within the 0.001 % tolerance counts neither way", () => {
    const events = [fm(1_000, -0.0001), fm(1_000, 0.000105, "bybit")];
    const v = valuesAt(fundingBreadth, events, 10_000);
    expectValue(v["5m"], { value: -1 / 2, score: firstScore(1 / 2, 0.5), confidence: (2 * 9_000) / (2 * 300_000) });
  });

  it("is unavailable when no rate is known within the window", () => {
    expectUnavailable(valuesAt(fundingBreadth, [fm(1_000, 0.0003)], 400_000)["1m"], "no funding rate known within the window");
  });
});

describe("funding.fast-slow", () => {
  it("reads hourly funding above 8-hourly funding as bearish: 0.00005/h = 0.0004 per 8 h against 0.0001", () => {
    const v = valuesAt(fundingFastSlow, [fm(1_000, 0.0001), fm(1_000, 0.00005, "hyperliquid")], 10_000);
    const k = 0.00005 * 8 - 0.0001;
    expectValue(v["1m"], { value: k, score: firstScore(-k, 0.0002), confidence: (2 * 9_000) / (2 * 60_000) });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("averages each group by coverage and leaves middle intervals out; hourly below 8-hourly is bullish", () => {
    const events = [
      fm(5_000, 0.0003), // binance 8 h, whole 1m window [10 000, 70 000)
      fm(40_000, 0.0001, "okx"), // okx 8 h, 30 s
      fm(5_000, 0.0002, "bybit", { fundingIntervalMs: 4 * HOUR }), // 4 h: neither fastest nor slowest
      fm(5_000, 0.0000125, "hyperliquid"), // 1 h: 0.0001 per 8 h
    ];
    const v = valuesAt(fundingFastSlow, events, 70_000);
    const slow = (0.0003 * 60_000 + 0.0001 * 30_000) / 90_000;
    const k = 0.0000125 * 8 - slow;
    expectValue(v["1m"], { value: k, score: firstScore(-k, 0.0002), confidence: (60_000 + 90_000) / (4 * 60_000) });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is unavailable when every venue settles at the same interval", () => {
    const v = valuesAt(fundingFastSlow, [fm(1_000, 0.0001), fm(1_000, 0.0003, "bybit")], 10_000);
    expectUnavailable(v["1m"], "fewer than two settlement intervals among the venues with funding in the window");
  });
});

describe("funding.spread", () => {
  it("is stress on 0.0004 − 0.0001 per 8 h between Hyperliquid (0.00005/h) and Binance, against center 0.0001, σ 0.0001", () => {
    const v = valuesAt(fundingSpread, [fm(1_000, 0.0001), fm(1_000, 0.00005, "hyperliquid")], 10_000);
    const s = 0.00005 * 8 - 0.0001;
    expectValue(v["1m"], { value: s, score: 0, strength: Math.tanh((s - 0.0001) / 0.0001), confidence: (2 * 9_000) / (2 * 60_000) });
  });

  it("has no strength within the usual spread", () => {
    const v = valuesAt(fundingSpread, [fm(1_000, 0.0001), fm(1_000, 0.00015, "bybit")], 10_000);
    expectValue(v["1m"], { value: 0.00015 - 0.0001, score: 0, strength: 0 });
  });

  it("is unavailable below two venues with funding in the window", () => {
    expectUnavailable(valuesAt(fundingSpread, [fm(1_000, 0.0001)], 10_000)["1m"], "fewer than two venues deliver funding in the window");
  });
});
