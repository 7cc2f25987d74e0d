import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { CardRegistry } from "../../../../src/domain/cards/registry.js";
import { CARDS } from "../../../../src/domain/cards/positioning/index.js";
import { CARDS as OI_CARDS } from "../../../../src/domain/cards/open-interest/index.js";
import { positioningCrowding } from "../../../../src/domain/cards/positioning/crowding.js";
import { positioningSqueeze } from "../../../../src/domain/cards/positioning/squeeze.js";
import { positioningTrapped } from "../../../../src/domain/cards/positioning/trapped.js";
import { positioningCapitulation } from "../../../../src/domain/cards/positioning/capitulation.js";
import { positioningFundingOi } from "../../../../src/domain/cards/positioning/funding-oi.js";
import { positioningChase } from "../../../../src/domain/cards/positioning/chase.js";
import { positioningLeverageBuild } from "../../../../src/domain/cards/positioning/leverage-build.js";
import { expectUnavailable, expectValue, firstScore, liq, mark, oi, trade, valuesAt } from "./helpers.js";

/**
 * As in open-interest.test.ts: open interest known from 1 000 and updated once at 305 000, read at
 * 310 000, the first boundary whose 1m window holds an open-interest update (earlier ones:
 * confidence 0, no sample) and whose 5m window starts with a known value (earlier ones:
 * unavailable). Every card here multiplies its confidence by the open-interest confidence, or
 * has no trade before 301 000, so 310 000 is each timeframe's first sample: score = firstScore.
 * Funding: binance marks (8 h interval: the 8-hour equivalent is the rate itself) held for up to
 * 300 s (staleAfterMs.mark), time-weighted over the window.
 */
const AT = 310_000;
const BASELINE = 0.0001; // fundingBaselineRate

function seq(...events: CanonicalEvent[]): CanonicalEvent[] {
  return events.sort((a, b) => a.ts - b.ts);
}

/** Funding `rate` from 1 000 on, re-sent at 200 000 so it is current at 310 000. */
function funding(rate: number): CanonicalEvent[] {
  return [mark(1_000, { fundingRate: rate }), mark(200_000, { fundingRate: rate })];
}

function unavailableEverywhere(card: CardDefinition, events: CanonicalEvent[], reason: string): void {
  const v = valuesAt(card, events, 10_000);
  for (const tf of ["1m", "5m", "1h"] as const) expectUnavailable(v[tf], reason);
}

describe("positioning registry", () => {
  it("registers seven cards with the positioning prefix, in output order, accepted by the registry with the open-interest cards", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "positioning.crowding",
      "positioning.squeeze",
      "positioning.trapped",
      "positioning.capitulation",
      "positioning.funding-oi",
      "positioning.chase",
      "positioning.leverage-build",
    ]);
    expect(new CardRegistry([...OI_CARDS, ...CARDS]).cards).toHaveLength(14);
  });
});

describe("positioning.crowding", () => {
  it("fades open interest growing while longs pay: −0.1 % · 2 bps = −0.2", () => {
    const v = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), ...funding(0.0003), oi(305_000, 1_001)), AT);
    const x = -0.1 * (1e4 * (0.0003 - BASELINE)); // e = 2 bps per 8 h
    // confidence = OI 1 · funding coverage 1 (the rate covers both windows)
    expectValue(v["1m"], { score: firstScore(x, 0.25), confidence: 1, value: x });
    expectValue(v["5m"], { score: firstScore(x, 0.6), confidence: 1, value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("leans bullish when open interest grows while shorts pay (funding below the baseline)", () => {
    const v = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), ...funding(-0.0001), oi(305_000, 1_001)), AT);
    const x = -0.1 * (1e4 * (-0.0001 - BASELINE)); // e = −2 bps: x = +0.2
    expectValue(v["1m"], { score: firstScore(x, 0.25), value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads 0 while open interest falls", () => {
    const v = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), ...funding(0.0003), oi(305_000, 999)), AT);
    expectValue(v["1m"], { score: 0, confidence: 1, value: 0 });
  });

  it("weighs the confidence by the window's funding coverage", () => {
    // funding only from 280 000: covers 30 of the 1m window's 60 seconds
    const v = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), mark(280_000, { fundingRate: 0.0003 }), oi(305_000, 1_001)), AT);
    expectValue(v["1m"], { score: firstScore(-0.2, 0.25), confidence: 0.5, value: -0.2 });
  });

  it("is unavailable without funding in the window, without a funding rate in marks, or without open interest at the start", () => {
    // funding set at 1 000 is unknown after 301 000: the 1m window [340 000, 400 000) has none
    const stale = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), mark(1_000, { fundingRate: 0.0003 }), oi(305_000, 1_001)), 400_000);
    expectUnavailable(stale["1m"], "no funding rate known within the window");
    const noRate = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), mark(1_000), oi(305_000, 1_001)), AT);
    expectUnavailable(noRate["1m"], "no funding rate in mark feed");
    const v = valuesAt(positioningCrowding, seq(oi(1_000, 1_000), ...funding(0.0003), oi(305_000, 1_001)), AT);
    expectUnavailable(v["1h"], "no open interest known at the window start");
  });

  it("is unavailable without either feed", () => {
    unavailableEverywhere(positioningCrowding, [oi(1_000, 1_000)], "no mark feed");
    unavailableEverywhere(positioningCrowding, [mark(1_000, { fundingRate: 0.0003 })], "no oi feed");
  });
});

describe("positioning.squeeze", () => {
  // The only trades: 301 000 and 302 000 (no earlier window held a trade: no earlier sample).
  const move = (from: number, to: number): CanonicalEvent[] => [trade(301_000, "buy", 1, from), trade(302_000, "sell", 1, to)];

  it("follows a fall that hurts paying longs: r · |e| with r = 100 · ln(99.96 / 100), e = 2 bps", () => {
    const v = valuesAt(positioningSqueeze, seq(...funding(0.0003), ...move(100, 99.96)), AT);
    const r = 100 * Math.log(99.96 / 100);
    const x = r * (1e4 * (0.0003 - BASELINE));
    // confidence = 2 trades / 100 · funding coverage 1
    expectValue(v["1m"], { score: firstScore(x, 0.25), confidence: 0.02, value: x });
    expectValue(v["5m"], { score: firstScore(x, 0.6), confidence: 0.02, value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("follows a rise that hurts paying shorts (bullish)", () => {
    const v = valuesAt(positioningSqueeze, seq(...funding(-0.0001), ...move(100, 100.04)), AT);
    const x = 100 * Math.log(100.04 / 100) * 2; // |e| = 2 bps
    expectValue(v["1m"], { score: firstScore(x, 0.25), value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads 0 when price moves with the paying side, or funding sits at the baseline", () => {
    const withCrowd = valuesAt(positioningSqueeze, seq(...funding(0.0003), ...move(100, 100.04)), AT);
    expectValue(withCrowd["1m"], { score: 0, confidence: 0.02, value: 0 });
    const neutral = valuesAt(positioningSqueeze, seq(...funding(BASELINE), ...move(100, 99.96)), AT);
    expectValue(neutral["1m"], { score: 0, value: 0 });
  });

  it("is unavailable without a funding rate, or without either feed", () => {
    const v = valuesAt(positioningSqueeze, seq(mark(1_000), ...move(100, 99.96)), AT);
    expectUnavailable(v["1m"], "no funding rate in mark feed");
    // funding set at 1 000 is unknown after 301 000: the 1m window [340 000, 400 000) has none
    const stale = valuesAt(positioningSqueeze, seq(mark(1_000, { fundingRate: 0.0003 }), trade(390_000, "buy", 1)), 400_000);
    expectUnavailable(stale["1m"], "no funding rate known within the window");
    unavailableEverywhere(positioningSqueeze, [mark(1_000, { fundingRate: 0.0003 })], "no trade feed");
    unavailableEverywhere(positioningSqueeze, [trade(1_000, "buy", 1)], "no mark feed");
  });
});

describe("positioning.trapped", () => {
  // Last minute: buy 3 and sell 1 at 100.1, sell 1 at 100 (the last trade): imbalance (3 − 2)/5 = 0.2,
  // VWAP (3·100.1 + 100.1 + 100) / 5 = 100.08, P = 100.
  const lastMinute = (): CanonicalEvent[] => [trade(301_000, "buy", 3, 100.1), trade(302_000, "sell", 1, 100.1), trade(303_000, "sell", 1, 100)];
  const vwap2 = (3 * 100.1 + 100.1 + 100) / 5;

  it("reads longs opened by aggressive buyers above the price as trapped: bearish", () => {
    const v = valuesAt(positioningTrapped, seq(oi(1_000, 1_000), ...lastMinute(), oi(305_000, 1_001)), AT);
    // q = 1 base opened · 0.2 = 0.2 long; loss 0.2 · (100 − 100.08) = −0.016 USD
    const value = 0.2 * (100 - vwap2);
    const x = (1e4 * value) / (1_001 * 100);
    // confidence = OI 1 · 3 trades / 100
    expectValue(v["1m"], { score: firstScore(x, 0.002), confidence: 0.03, value });
    // 5m: the segment [−5, −1) minutes has no trades; the last minute is the same segment
    expectValue(v["5m"], { score: firstScore(x, 0.005), confidence: 0.03, value });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("adds the segments of the 5m window: shorts trapped before the last minute, longs within it", () => {
    // [10 000, 250 000): OI 1000 → 1002 (set at 100 000), sell 2 and buy 1 at 99.9: q = 2 · (−1/3), VWAP 99.9 < P: trapped shorts
    // [250 000, 310 000): OI 1002 → 1003, the last minute above: q = 0.2 long, trapped
    const events = seq(oi(1_000, 1_000), oi(100_000, 1_002), trade(101_000, "sell", 2, 99.9), trade(102_000, "buy", 1, 99.9), ...lastMinute(), oi(305_000, 1_003));
    const v = valuesAt(positioningTrapped, events, AT);
    const value = (2 / 3) * (100 - 99.9) + 0.2 * (100 - vwap2); // +0.0667 − 0.016
    const x = (1e4 * value) / (1_003 * 100);
    // confidence = OI 1 · 5 trades / 100
    expectValue(v["5m"], { score: firstScore(x, 0.005), confidence: 0.05, value });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("reads 0 when the openers are in profit", () => {
    // buy 3 and sell 1 at 100, buy 1 at 101 (last): q > 0, VWAP 100.2 < P = 101
    const events = seq(oi(1_000, 1_000), trade(301_000, "buy", 3, 100), trade(302_000, "sell", 1, 100), trade(303_000, "buy", 1, 101), oi(305_000, 1_001));
    const v = valuesAt(positioningTrapped, events, AT);
    expectValue(v["1m"], { score: 0, confidence: 0.03, value: 0 });
  });

  it("reads 0 when open interest fell (nothing opened)", () => {
    const v = valuesAt(positioningTrapped, seq(oi(1_000, 1_000), ...lastMinute(), oi(305_000, 999)), AT);
    expectValue(v["1m"], { score: 0, value: 0 });
  });

  it("is unavailable without open interest at the window start, or without either feed", () => {
    // (its "no trade price yet" guard cannot be reached: a trade feed always sets the price)
    const v = valuesAt(positioningTrapped, seq(oi(1_000, 1_000), ...lastMinute(), oi(305_000, 1_001)), AT);
    expectUnavailable(v["1h"], "no open interest known at the window start");
    unavailableEverywhere(positioningTrapped, [trade(1_000, "buy", 1)], "no oi feed");
    unavailableEverywhere(positioningTrapped, [oi(1_000, 1_000)], "no trade feed");
  });
});

describe("positioning.capitulation", () => {
  // Open interest 100 000 → 99 990 on binance; liquidated there: long 200 USD (2 base), short 100 USD (1 base).
  // F = 100 · min(10, 3) / 100 000 = 0.003 %; imb = (100 − 200) / 300 = −1/3.
  const flush = (): CanonicalEvent[] => [oi(1_000, 100_000), liq(301_000, "long", 200), liq(302_000, "short", 100), oi(305_000, 99_990)];
  // Funding 0.05 % until 280 000, then 0.02 %: back toward the 0.01 % baseline.
  const reset = (from: number, to: number): CanonicalEvent[] => [mark(1_000, { fundingRate: from }), mark(280_000, { fundingRate: to })];

  it("fades liquidated longs once funding came back toward the baseline (bullish)", () => {
    const v = valuesAt(positioningCapitulation, seq(...flush(), ...reset(0.0005, 0.0002)), AT);
    // 1m [250 000, 310 000): half at 0.05 %, half at 0.02 %: ē = 0.035 % − 0.01 %, eₙ = 0.02 % − 0.01 %
    const reset1m = 1e4 * ((0.0005 * 30_000 + 0.0002 * 30_000) / 60_000 - BASELINE - (0.0002 - BASELINE)); // 1.5 bps
    const x1m = (1 / 3) * 0.003 * reset1m; // 0.0015
    // confidence = OI 1 · 2 liquidations / 10 · funding coverage 1
    expectValue(v["1m"], { score: firstScore(x1m, 0.001), confidence: 0.2, value: x1m, sampling: "sampled" });
    // 5m [10 000, 310 000): 270 s at 0.05 %, 30 s at 0.02 %: ē = 0.047 % − 0.01 %
    const reset5m = 1e4 * ((0.0005 * 270_000 + 0.0002 * 30_000) / 300_000 - BASELINE - (0.0002 - BASELINE)); // 2.7 bps
    const x5m = (1 / 3) * 0.003 * reset5m;
    expectValue(v["5m"], { score: firstScore(x5m, 0.008), confidence: 0.2, value: x5m, sampling: "sampled" });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("fades liquidated shorts once negative funding came back (bearish)", () => {
    const events = seq(oi(1_000, 100_000), liq(301_000, "short", 200), liq(302_000, "long", 100), oi(305_000, 99_990), ...reset(-0.0003, 0));
    const v = valuesAt(positioningCapitulation, events, AT);
    // ē = −0.015 % − 0.01 % = −0.025 %, eₙ = −0.01 %: reset 1.5 bps; imb = +1/3
    const reset1m = 1e4 * (Math.abs((-0.0003 * 30_000) / 60_000 - BASELINE) - Math.abs(0 - BASELINE));
    const x = -(1 / 3) * 0.003 * reset1m;
    expectValue(v["1m"], { score: firstScore(x, 0.001), value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads 0 while funding moves away from the baseline", () => {
    const v = valuesAt(positioningCapitulation, seq(...flush(), ...reset(0.0002, 0.0005)), AT);
    expectValue(v["1m"], { score: 0, confidence: 0.2, value: 0 });
  });

  it("is unavailable when no funding rate is current", () => {
    // funding set at 1 000 only: known in the window until 301 000, stale at 310 000
    const v = valuesAt(positioningCapitulation, seq(...flush(), mark(1_000, { fundingRate: 0.0005 })), AT);
    expectUnavailable(v["1m"], "no current funding rate");
  });

  it("is unavailable without any of its three feeds", () => {
    unavailableEverywhere(positioningCapitulation, [liq(1_000, "long", 100), mark(1_000, { fundingRate: 0.0003 })], "no oi feed");
    unavailableEverywhere(positioningCapitulation, [oi(1_000, 1_000), mark(1_000, { fundingRate: 0.0003 })], "no liquidation feed");
    unavailableEverywhere(positioningCapitulation, [oi(1_000, 1_000), liq(1_000, "long", 100)], "no mark feed");
  });
});

describe("positioning.funding-oi", () => {
  // Funding 0.01 % until 280 000, then 0.03 %.
  const rising = (): CanonicalEvent[] => [mark(1_000, { fundingRate: 0.0001 }), mark(280_000, { fundingRate: 0.0003 })];

  it("follows funding rising with open interest (new longs): Δf · d = 1 bp · 0.01 %", () => {
    const v = valuesAt(positioningFundingOi, seq(oi(1_000, 10_000), ...rising(), oi(305_000, 10_001)), AT);
    // 1m: window mean (0.01 % · 30 s + 0.03 % · 30 s) / 60 s = 0.02 %, latest 0.03 %: Δf = 1 bp; d = 0.01 %
    const x1m = 1e4 * (0.0003 - (0.0001 * 30_000 + 0.0003 * 30_000) / 60_000) * ((100 * 1) / 10_000);
    expectValue(v["1m"], { score: firstScore(x1m, 0.01), confidence: 1, value: x1m });
    // 5m: mean (0.01 % · 270 s + 0.03 % · 30 s) / 300 s = 0.012 %: Δf = 1.8 bps
    const x5m = 1e4 * (0.0003 - (0.0001 * 270_000 + 0.0003 * 30_000) / 300_000) * 0.01;
    expectValue(v["5m"], { score: firstScore(x5m, 0.075), confidence: 1, value: x5m });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("fades funding rising while open interest falls (shorts covering): bearish", () => {
    const v = valuesAt(positioningFundingOi, seq(oi(1_000, 10_000), ...rising(), oi(305_000, 9_999)), AT);
    const x = 1e4 * (0.0003 - 0.0002) * -0.01;
    expectValue(v["1m"], { score: firstScore(x, 0.01), value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is unavailable when no funding rate is current, without open interest at the start, or without either feed", () => {
    const stale = valuesAt(positioningFundingOi, seq(oi(1_000, 10_000), mark(1_000, { fundingRate: 0.0003 }), oi(305_000, 10_001)), AT);
    expectUnavailable(stale["1m"], "no current funding rate");
    const v = valuesAt(positioningFundingOi, seq(oi(1_000, 10_000), ...rising(), oi(305_000, 10_001)), AT);
    expectUnavailable(v["1h"], "no open interest known at the window start");
    unavailableEverywhere(positioningFundingOi, [oi(1_000, 1_000)], "no mark feed");
    unavailableEverywhere(positioningFundingOi, [mark(1_000, { fundingRate: 0.0003 })], "no oi feed");
  });
});

describe("positioning.chase", () => {
  // One-minute closes: 100 in [120 000, 180 000), 100.05 in [180 000, 240 000) (carried into the next minute).
  // At 310 000 the 1m card reads P(250 000) = 100.05 (bar ending 240 000) and P(190 000) = 100 (bar ending 180 000).
  const rise = (): CanonicalEvent[] => [trade(130_000, "buy", 1, 100), trade(190_000, "buy", 1, 100.05)];

  it("fades open interest built after a rise: −r₋₁ · d", () => {
    const v = valuesAt(positioningChase, seq(oi(1_000, 1_000), ...rise(), oi(305_000, 1_001)), AT);
    const x = -100 * Math.log(100.05 / 100) * 0.1;
    // confidence = OI confidence 1
    expectValue(v["1m"], { score: firstScore(x, 0.005), confidence: 1, value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("leans bullish when open interest is built after a fall", () => {
    const v = valuesAt(positioningChase, seq(oi(1_000, 1_000), trade(130_000, "sell", 1, 100.05), trade(190_000, "sell", 1, 100), oi(305_000, 1_001)), AT);
    const x = -100 * Math.log(100 / 100.05) * 0.1;
    expectValue(v["1m"], { score: firstScore(x, 0.005), value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads 0 while open interest falls", () => {
    const v = valuesAt(positioningChase, seq(oi(1_000, 1_000), ...rise(), oi(305_000, 999)), AT);
    expectValue(v["1m"], { score: 0, confidence: 1, value: 0 });
  });

  it("is warming up while the bars do not reach two windows back", () => {
    const v = valuesAt(positioningChase, seq(oi(1_000, 1_000), ...rise(), oi(305_000, 1_001)), AT);
    // 5m needs the close at or before 10 000: no complete minute ends there
    expectUnavailable(v["5m"], "warming up: no one-minute close 10 minutes back");
    expectUnavailable(v["1h"], "no open interest known at the window start");
  });

  it("is unavailable without either feed", () => {
    unavailableEverywhere(positioningChase, [trade(1_000, "buy", 1)], "no oi feed");
    unavailableEverywhere(positioningChase, [oi(1_000, 1_000)], "no trade feed");
  });
});

describe("positioning.leverage-build", () => {
  it("reads open interest +0.2 % in a 0.1 % range as 0.1 % of build-up beyond the range", () => {
    const v = valuesAt(positioningLeverageBuild, seq(oi(1_000, 1_000), trade(301_000, "buy", 1, 100), trade(302_000, "buy", 1, 100.1), oi(305_000, 1_002)), AT);
    const x = (100 * 2) / 1_000 - (100 * (100.1 - 100)) / 100;
    // confidence = OI 1 · 2 trades / 100
    expectValue(v["1m"], { score: 0, strength: firstScore(x, 0.15), confidence: 0.02, value: x });
    expectValue(v["5m"], { score: 0, strength: firstScore(x, 0.3), confidence: 0.02, value: x });
  });

  it("gives strength 0 when the range outgrew the build-up", () => {
    const v = valuesAt(positioningLeverageBuild, seq(oi(1_000, 1_000), trade(301_000, "buy", 1, 100), trade(302_000, "buy", 1, 100.5), oi(305_000, 1_002)), AT);
    expectValue(v["1m"], { strength: 0, value: 0.2 - 0.5 });
  });

  it("is unavailable without open interest at the start, or without either feed", () => {
    const v = valuesAt(positioningLeverageBuild, seq(oi(1_000, 1_000), trade(301_000, "buy", 1, 100), oi(305_000, 1_002)), AT);
    expectUnavailable(v["1h"], "no open interest known at the window start");
    unavailableEverywhere(positioningLeverageBuild, [trade(1_000, "buy", 1)], "no oi feed");
    unavailableEverywhere(positioningLeverageBuild, [oi(1_000, 1_000)], "no trade feed");
  });
});
