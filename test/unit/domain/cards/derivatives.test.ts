import { describe, expect, it } from "vitest";
import type { CanonicalEvent, Venue } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { CARDS } from "../../../../src/domain/cards/derivatives/index.js";
import { derivativesPremium } from "../../../../src/domain/cards/derivatives/premium.js";
import { derivativesPremiumChange } from "../../../../src/domain/cards/derivatives/premium-change.js";
import { derivativesPremiumAcceleration } from "../../../../src/domain/cards/derivatives/premium-acceleration.js";
import { derivativesMarkGap } from "../../../../src/domain/cards/derivatives/mark-gap.js";
import { derivativesPerpLed } from "../../../../src/domain/cards/derivatives/perp-led.js";
import { derivativesPremiumDispersion } from "../../../../src/domain/cards/derivatives/premium-dispersion.js";
import { derivativesIndexDispersion } from "../../../../src/domain/cards/derivatives/index-dispersion.js";
import { expectUnavailable, expectValue, firstScore, mark, trade, valuesAt } from "./helpers.js";

/** Premium of `markPrice` over `indexPrice` in bps, as src/domain/inputs/premium.ts computes it. */
function bps(markPrice: number, indexPrice = 100): number {
  return ((markPrice - indexPrice) / indexPrice) * 1e4;
}

/** A mark with an index of 100 (so `markPrice` sets the premium). */
function pm(ts: number, markPrice: number, venue: Venue = "binance", indexPrice = 100): CanonicalEvent {
  return mark(ts, { markPrice, indexPrice, venue });
}

describe("derivatives cards", () => {
  it("registers seven cards with the derivatives prefix", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "derivatives.premium",
      "derivatives.premium-change",
      "derivatives.premium-acceleration",
      "derivatives.mark-gap",
      "derivatives.perp-led",
      "derivatives.premium-dispersion",
      "derivatives.index-dispersion",
    ]);
  });

  it.each(CARDS.map((c) => [c.id, c] as [string, CardDefinition]))("%s is unavailable without a mark feed", (_id, card) => {
    const v = valuesAt(card, [trade(1_000, "buy", 1)], 10_000);
    expectUnavailable(v["1m"], "no mark feed");
    expectUnavailable(v["1h"], "no mark feed");
  });

  it.each(CARDS.map((c) => [c.id, c] as [string, CardDefinition]))("%s is unavailable when marks never carried an index price", (_id, card) => {
    const v = valuesAt(card, [mark(1_000, { markPrice: 100, fundingRate: 0.0001 }), trade(2_000, "buy", 1)], 10_000);
    expectUnavailable(v["5m"], "no index price in mark feed");
  });
});

describe("derivatives.premium", () => {
  it("fades a rich premium: 5 bps for 30 s then 2 bps for 30 s is P̄ = 3.5 bps, score tanh(−3.5 / 4)", () => {
    // 1m window [10 000, 70 000): 5 bps over [10 000, 40 000), 2 bps over [40 000, 70 000)
    const v = valuesAt(derivativesPremium, [pm(5_000, 100.05), pm(40_000, 100.02)], 70_000);
    const p1m = (bps(100.05) * 30_000 + bps(100.02) * 30_000) / 60_000;
    expectValue(v["1m"], { value: p1m, score: firstScore(-p1m, 4), strength: -firstScore(-p1m, 4), confidence: 1 });
    expect(v["1m"].score).toBeLessThan(0);
    // 5m window [−230 000, 70 000): covered from the first mark, 65 s of 300 s
    const p5m = (bps(100.05) * 35_000 + bps(100.02) * 30_000) / 65_000;
    expectValue(v["5m"], { value: p5m, score: firstScore(-p5m, 4), confidence: 65_000 / 300_000 });
  });

  it("reads a discount as bullish and weighs venues by coverage", () => {
    // binance −4 bps over the whole 1m window [10 000, 70 000); bybit +2 bps from 40 000 (30 s)
    const v = valuesAt(derivativesPremium, [pm(5_000, 99.96), pm(40_000, 100.02, "bybit")], 70_000);
    const p = (bps(99.96) * 60_000 + bps(100.02) * 30_000) / 90_000; // (−4·60 + 2·30) / 90 = −2
    expectValue(v["1m"], { value: p, score: firstScore(-p, 4), confidence: 90_000 / (2 * 60_000) });
    expect(p).toBeCloseTo(-2, 9);
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is unavailable when no premium is known within the window (older than the 300 s hold)", () => {
    // the 5 bps set at 5 000 holds until 305 000
    const v = valuesAt(derivativesPremium, [pm(5_000, 100.05)], 400_000);
    expectUnavailable(v["1m"], "no premium known within the window");
    // 5m window [100 000, 400 000) still holds [100 000, 305 000)
    expectValue(v["5m"], { value: bps(100.05), confidence: 205_000 / 300_000 });
  });
});

describe("derivatives.premium-change", () => {
  it("follows a widening premium: 2 → 5 bps is Δ = 3 bps, score tanh(3 / 1); confidence 2 of 3 venues", () => {
    const events = [
      pm(5_000, 100.02), // binance 2 bps, in force at the 1m window start 10 000
      pm(5_000, 100.01, "bybit"), // bybit 1 bps
      pm(20_000, 99.99, "bybit"), // bybit −1 bps
      pm(30_000, 100.03, "hyperliquid"), // appears mid-window: no start value, not a change
      pm(40_000, 100.05), // binance 5 bps
    ];
    const v = valuesAt(derivativesPremiumChange, events, 70_000);
    const change = (bps(100.05) - bps(100.02) + (bps(99.99) - bps(100.01))) / 2; // (3 + (−2)) / 2 = 0.5
    expectValue(v["1m"], { value: change, score: firstScore(change, 1), confidence: 2 / 3 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // nothing was set before the 5m window start (−230 000)
    expectUnavailable(v["5m"], "no venue has a premium both now and at the window start");
  });

  it("reads a narrowing premium as bearish on the 5m window too (prior 2 bps)", () => {
    const events = [pm(5_000, 100.06), pm(320_000, 100.01)];
    // at 360 000: 1m start 300 000 → 6 bps (set at 5 000, 295 s before: within the hold); 5m start 60 000 → 6 bps
    const v = valuesAt(derivativesPremiumChange, events, 360_000);
    const change = bps(100.01) - bps(100.06);
    expectValue(v["1m"], { value: change, score: firstScore(change, 1), confidence: 1 });
    expectValue(v["5m"], { value: change, score: firstScore(change, 2), confidence: 1 });
    expect(v["5m"].score).toBeLessThan(0);
  });
});

describe("derivatives.premium-acceleration", () => {
  it("reads a late widening as bullish: 2 bps then 5 bps for the last 10 s is (5 + 2)/2 − 2.5 = 1 bps", () => {
    const v = valuesAt(derivativesPremiumAcceleration, [pm(5_000, 100.02), pm(60_000, 100.05)], 70_000);
    // 1m window [10 000, 70 000): 2 bps for 50 s, 5 bps for 10 s
    const a = (bps(100.05) + bps(100.02)) / 2 - (bps(100.02) * 50_000 + bps(100.05) * 10_000) / 60_000;
    expectValue(v["1m"], { value: a, score: firstScore(a, 0.5), confidence: 1 });
    expect(a).toBeCloseTo(1, 9);
    expectUnavailable(v["5m"], "no venue has a premium both now and at the window start");
  });

  it("reads an early widening that stalled as bearish: 5 bps from 20 000 is 3.5 − 4.5 = −1 bps", () => {
    const v = valuesAt(derivativesPremiumAcceleration, [pm(5_000, 100.02), pm(20_000, 100.05)], 70_000);
    const a = (bps(100.05) + bps(100.02)) / 2 - (bps(100.02) * 10_000 + bps(100.05) * 50_000) / 60_000;
    expectValue(v["1m"], { value: a, score: firstScore(a, 0.5), confidence: 1 });
    expect(a).toBeCloseTo(-1, 9);
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is zero for a premium that did not move, whatever its level", () => {
    const v = valuesAt(derivativesPremiumAcceleration, [pm(5_000, 100.08)], 70_000);
    expectValue(v["1m"], { value: 0, score: 0, confidence: 1 });
  });
});

describe("derivatives.mark-gap", () => {
  it("follows trades above the mark: (100.06 − 100.03) / 100.03 in bps; a venue with a mark and no trade halves confidence", () => {
    const events = [pm(55_000, 100.03), pm(55_000, 100.01, "bybit"), trade(58_000, "buy", 1, 100.06)];
    const v = valuesAt(derivativesMarkGap, events, 60_000);
    const gap = ((100.06 - 100.03) / 100.03) * 1e4;
    expectValue(v["1m"], { value: gap, score: firstScore(gap, 3), confidence: 0.5 });
    expectValue(v["1h"], { value: gap, score: firstScore(gap, 3), confidence: 0.5 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("averages venues and reads trades below the mark as bearish", () => {
    const events = [pm(55_000, 100), pm(55_000, 100, "bybit"), trade(56_000, "sell", 1, 99.98), trade(57_000, "sell", 1, 99.99, "bybit")];
    const v = valuesAt(derivativesMarkGap, events, 60_000);
    const gap = (((99.98 - 100) / 100) * 1e4 + ((99.99 - 100) / 100) * 1e4) / 2; // (−2 − 1) / 2
    expectValue(v["5m"], { value: gap, score: firstScore(gap, 3), confidence: 1 });
    expect(v["5m"].score).toBeLessThan(0);
  });

  it("is unavailable when the last trade is more than 10 s from its venue's mark", () => {
    const v = valuesAt(derivativesMarkGap, [trade(40_000, "buy", 1, 100.06), pm(55_000, 100.03)], 60_000);
    expectUnavailable(v["1m"], "no venue has a trade within 10 s of its mark");
  });

  it("is unavailable when no venue's mark is fresh", () => {
    const v = valuesAt(derivativesMarkGap, [pm(1_000, 100.03), trade(400_000, "buy", 1, 100.06)], 410_000);
    expectUnavailable(v["1m"], "no fresh mark with an index on any venue");
  });

  it("is unavailable without a trade feed", () => {
    const v = valuesAt(derivativesMarkGap, [pm(1_000, 100.03)], 10_000);
    expectUnavailable(v["1m"], "no trade feed (no last trade to compare with the mark)");
  });
});

describe("derivatives.perp-led", () => {
  it("flags a rally with a widening premium: Δ = 3 bps · sign(+) = 3, strength tanh(3 / 1), confidence 1 · 2/100 trades", () => {
    const events = [pm(5_000, 100.01), trade(20_000, "buy", 1, 100), pm(40_000, 100.04), trade(50_000, "buy", 1, 101)];
    const v = valuesAt(derivativesPerpLed, events, 70_000);
    const x = bps(100.04) - bps(100.01);
    expectValue(v["1m"], { value: x, score: 0, strength: Math.tanh(x / 1), confidence: 0.02 });
  });

  it("gives no strength when spot led: the premium narrowed while price rose", () => {
    const events = [pm(5_000, 100.04), trade(20_000, "buy", 1, 100), pm(40_000, 100.01), trade(50_000, "buy", 1, 101)];
    const v = valuesAt(derivativesPerpLed, events, 70_000);
    const x = bps(100.01) - bps(100.04); // −3: the basis moved against the move
    expectValue(v["1m"], { value: x, score: 0, strength: 0, confidence: 0.02 });
  });

  it("flags a sell-off with a deepening discount the same way (sign of the move)", () => {
    const events = [pm(5_000, 99.99), trade(20_000, "sell", 1, 100), pm(40_000, 99.97), trade(50_000, "sell", 1, 99)];
    const v = valuesAt(derivativesPerpLed, events, 70_000);
    const x = -(bps(99.97) - bps(99.99)); // Δ = −2 bps, move down: +2
    expectValue(v["1m"], { value: x, strength: Math.tanh(x / 1), confidence: 0.02 });
  });

  it("is a measured zero on a window without trades once the trade feed delivered", () => {
    const v = valuesAt(derivativesPerpLed, [trade(1_000, "buy", 1), pm(5_000, 100.01), pm(40_000, 100.04)], 70_000);
    expectValue(v["1m"], { value: 0, strength: 0, confidence: 0 });
  });

  it("is unavailable without a premium at the window start, and without a trade feed", () => {
    expectUnavailable(valuesAt(derivativesPerpLed, [pm(5_000, 100.01), trade(6_000, "buy", 1)], 70_000)["5m"], "no venue has a premium both now and at the window start");
    expectUnavailable(valuesAt(derivativesPerpLed, [pm(5_000, 100.01)], 70_000)["1m"], "no trade feed");
  });
});

describe("derivatives.premium-dispersion", () => {
  it("is stress when the venues' premiums part beyond the usual: 5 − 1 = 4 bps against center 3, σ 2", () => {
    const v = valuesAt(derivativesPremiumDispersion, [pm(5_000, 100.05), pm(5_000, 100.01, "bybit")], 70_000);
    const d = bps(100.05) - bps(100.01);
    expectValue(v["1m"], { value: d, score: 0, strength: Math.tanh((d - 3) / 2), confidence: 1 });
    // 5m: each venue covered 65 s of 300 s
    expectValue(v["5m"], { value: d, strength: Math.tanh((d - 3) / 2), confidence: (2 * 65_000) / (2 * 300_000) });
  });

  it("has no strength below the usual spread", () => {
    const v = valuesAt(derivativesPremiumDispersion, [pm(5_000, 100.02), pm(5_000, 100.01, "bybit")], 70_000);
    expectValue(v["1m"], { value: bps(100.02) - bps(100.01), score: 0, strength: 0, confidence: 1 });
  });

  it("is unavailable below two venues with a premium in the window", () => {
    const v = valuesAt(derivativesPremiumDispersion, [pm(5_000, 100.05)], 70_000);
    expectUnavailable(v["1m"], "fewer than two venues have a premium in the window");
  });
});

describe("derivatives.index-dispersion", () => {
  it("reads index 100 against 100.08 as 0.08 / 100.04 in bps against center 2, σ 2; a third venue read 15 s earlier is left out", () => {
    const events = [pm(40_000, 100.1, "hyperliquid", 100.5), pm(55_000, 100.05), pm(55_000, 100.1, "bybit", 100.08)];
    const v = valuesAt(derivativesIndexDispersion, events, 60_000);
    const x = (0.08 / 100.04) * 1e4;
    expectValue(v["1m"], { value: ((100.08 - 100) / ((100 + 100.08) / 2)) * 1e4, score: 0, strength: Math.tanh((x - 2) / 2), confidence: 2 / 3 });
    expectValue(v["1h"], { strength: Math.tanh((x - 2) / 2), confidence: 2 / 3 });
  });

  it("is unavailable below two venues with an index within 10 s of each other", () => {
    const v = valuesAt(derivativesIndexDispersion, [pm(40_000, 100.05, "bybit", 100.03), pm(55_000, 100.05)], 60_000);
    expectUnavailable(v["1m"], "fewer than two venues have a fresh index within 10 s of each other");
  });
});
