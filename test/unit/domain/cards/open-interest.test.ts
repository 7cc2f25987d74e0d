import { describe, expect, it } from "vitest";
import type { CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { CARDS } from "../../../../src/domain/cards/open-interest/index.js";
import { oiChangeCard } from "../../../../src/domain/cards/open-interest/change.js";
import { oiQuadrant } from "../../../../src/domain/cards/open-interest/quadrant.js";
import { oiAcceleration } from "../../../../src/domain/cards/open-interest/acceleration.js";
import { oiOpeningFlow } from "../../../../src/domain/cards/open-interest/opening-flow.js";
import { oiTurnover } from "../../../../src/domain/cards/open-interest/turnover.js";
import { oiVenueRotation } from "../../../../src/domain/cards/open-interest/venue-rotation.js";
import { oiFlush } from "../../../../src/domain/cards/open-interest/flush.js";
import { expectUnavailable, expectValue, firstScore, liq, mark, oi, trade, valuesAt } from "./helpers.js";

/**
 * Most scenarios: open interest known at 1 000 (before every window start that matters) and
 * updated once at 305 000, read at the boundary 310 000. Then
 * - the 1m window [250 000, 310 000) and the 5m window [10 000, 310 000) both start with the value
 *   set at 1 000 and both hold the update at 305 000;
 * - at every earlier boundary the 1m window held no open-interest update (confidence 0: no sample
 *   joins the scale) and the 5m window started before any open interest (unavailable), so 310 000
 *   is each timeframe's first sample and the score is the prior's alone (`firstScore`);
 * - the 1h window starts at −3 290 000, before any open interest: unavailable.
 */
const AT = 310_000;

/** Events in time order (the engine applies them as they come). */
function seq(...events: CanonicalEvent[]): CanonicalEvent[] {
  return events.sort((a, b) => a.ts - b.ts);
}

/** An engine that only ever saw one event of `kind`'s neighbour: every card needing `missing` says so. */
function onlyFeed(card: CardDefinition, event: CanonicalEvent, reason: string): void {
  const v = valuesAt(card, [event], 10_000);
  for (const tf of ["1m", "5m", "1h"] as const) expectUnavailable(v[tf], reason);
}

describe("open-interest registry", () => {
  it("registers seven cards with the oi prefix, in output order", () => {
    expect(CARDS.map((c) => c.id)).toEqual(["oi.change", "oi.quadrant", "oi.acceleration", "oi.opening-flow", "oi.turnover", "oi.venue-rotation", "oi.flush"]);
    for (const c of CARDS) expect(c.category).toBe("open-interest");
  });
});

describe("oi.change", () => {
  it("reads 1000 → 1001 base as +0.1 % on 1m and 5m, a stress with score 0", () => {
    const v = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), oi(305_000, 1_001)), AT);
    const x = (100 * (1_001 - 1_000)) / 1_000; // 0.1 %
    expectValue(v["1m"], { score: 0, strength: firstScore(x, 0.1), confidence: 1, value: x });
    expectValue(v["5m"], { score: 0, strength: firstScore(x, 0.25), confidence: 1, value: x });
    expectUnavailable(v["1h"], "no open interest known at the window start");
  });

  it("gives a fall strength 0 and keeps the negative change as value", () => {
    const v = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), oi(305_000, 998)), AT);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 1, value: -0.2 });
  });

  it("leaves out a venue that appears mid-window and counts its open interest against the confidence", () => {
    // binance 1000 → 1001; bybit appears at 300 000 with 500: not new open interest.
    const v = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), oi(300_000, 500, "bybit"), oi(305_000, 1_001)), AT);
    // confidence = binance's current 1001 / (1001 + 500)
    expectValue(v["1m"], { strength: firstScore(0.1, 0.1), confidence: 1_001 / 1_501, value: 0.1 });
  });

  it("sums venues known at both ends", () => {
    // binance 1000 → 1003, okx 3000 → 2999: (4002 − 4000) / 4000 = 0.05 %
    const v = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), oi(1_000, 3_000, "okx"), oi(305_000, 1_003), oi(306_000, 2_999, "okx")), AT);
    expectValue(v["1m"], { strength: firstScore(0.05, 0.1), confidence: 1, value: 0.05 });
  });

  it("is a measured 0 with confidence 0 when no venue updated within the window", () => {
    const v = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), oi(100_000, 1_001)), AT);
    // 1m [250 000, 310 000): last update at 100 000, value held at both ends
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("reads the hour once open interest was known an hour ago, with updates inside the hold limit", () => {
    const v = valuesAt(oiChangeCard, hourEvents(), HOUR_AT);
    // 1h [10 000, 3 610 000): 1000 → 1012
    expectValue(v["1h"], { score: 0, strength: firstScore(1.2, 1), confidence: 1, value: 1.2 });
  });

  it("is unavailable once the last open interest is older than inputs.oiStaleMs (900 s)", () => {
    const v = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), trade(950_000, "buy", 1)), 960_000);
    expectUnavailable(v["1m"], "open interest stale");
  });

  it("is unavailable when open interest is zero now or was zero at the window start", () => {
    const now = valuesAt(oiChangeCard, seq(oi(1_000, 1_000), oi(305_000, 0)), AT);
    expectUnavailable(now["1m"], "open interest is zero now");
    const start = valuesAt(oiChangeCard, seq(oi(1_000, 0), oi(305_000, 5)), AT);
    expectUnavailable(start["1m"], "open interest was zero at the window start");
  });

  it("is unavailable without an open-interest feed", () => {
    onlyFeed(oiChangeCard, trade(1_000, "buy", 1), "no oi feed");
  });
});

/**
 * An hour of open interest (binance): 1000 from 1 000, re-sent within the 900 s hold, 1010 at
 * 3 200 000 and 1012 at 3 400 000; read at 3 610 000, when the 1h window [10 000, 3 610 000) first
 * starts with a known value (the 1h and 5m-acceleration scales have no earlier sample).
 */
const HOUR_AT = 3_610_000;
function hourEvents(): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  for (let ts = 1_000; ts < 3_200_000; ts += 800_000) out.push(oi(ts, 1_000));
  out.push(oi(3_200_000, 1_010), oi(3_400_000, 1_012));
  return seq(...out);
}

describe("oi.quadrant", () => {
  // Two trades in the 1m window: 100 then 100.04; r = 100 · ln(100.04 / 100) %.
  const r = 100 * Math.log(100.04 / 100);
  const up = (price2: number): CanonicalEvent[] => [trade(301_000, "buy", 1, 100), trade(302_000, "buy", 1, price2)];

  it("reads new longs (OI +0.1 %, price up) as bullish: x = √(0.1 · r)", () => {
    const v = valuesAt(oiQuadrant, seq(oi(1_000, 1_000), ...up(100.04), oi(305_000, 1_001)), AT);
    const x = Math.sqrt(0.1 * r);
    // confidence = OI 1 · 2 trades / 100
    expectValue(v["1m"], { score: firstScore(x, 0.1), confidence: 0.02, value: x });
    expectValue(v["5m"], { score: firstScore(x, 0.25), confidence: 0.02, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads new shorts (OI up, price down) as bearish", () => {
    const v = valuesAt(oiQuadrant, seq(oi(1_000, 1_000), trade(301_000, "sell", 1, 100.04), trade(302_000, "sell", 1, 100), oi(305_000, 1_001)), AT);
    const x = -Math.sqrt(0.1 * r);
    expectValue(v["1m"], { score: firstScore(x, 0.1), value: x });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("reads short covering (OI down, price up) as weakly bullish: half the weight", () => {
    const v = valuesAt(oiQuadrant, seq(oi(1_000, 1_000), ...up(100.04), oi(305_000, 999)), AT);
    const x = 0.5 * Math.sqrt(0.1 * r);
    expectValue(v["1m"], { score: firstScore(x, 0.1), value: x });
  });

  it("reads long liquidation (OI down, price down) as weakly bearish", () => {
    const v = valuesAt(oiQuadrant, seq(oi(1_000, 1_000), trade(301_000, "sell", 1, 100.04), trade(302_000, "sell", 1, 100), oi(305_000, 999)), AT);
    const x = -0.5 * Math.sqrt(0.1 * r);
    expectValue(v["1m"], { score: firstScore(x, 0.1), value: x });
  });

  it("is a measured 0 with confidence 0 in a window without trades", () => {
    const v = valuesAt(oiQuadrant, seq(trade(1_000, "buy", 1), oi(1_000, 1_000), oi(305_000, 1_001)), AT);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without open interest at the window start, or without either feed", () => {
    const v = valuesAt(oiQuadrant, seq(oi(1_000, 1_000), ...up(100.04), oi(305_000, 1_001)), AT);
    expectUnavailable(v["1h"], "no open interest known at the window start");
    onlyFeed(oiQuadrant, trade(1_000, "buy", 1), "no oi feed");
    onlyFeed(oiQuadrant, oi(1_000, 1_000), "no trade feed");
  });
});

describe("oi.acceleration", () => {
  it("compares the last minute's pace with the 4 minutes before it on 1m", () => {
    // at 310 000: B₂ (−5 min, 10 000) = 1000, B₁ (−1 min, 250 000) = 1002 (set at 200 000), B₀ = 1003
    const v = valuesAt(oiAcceleration, seq(oi(1_000, 1_000), oi(200_000, 1_002), oi(305_000, 1_003)), AT);
    const pace = (100 * (1_003 - 1_002)) / 1_002 / 1; // % per minute over the last minute
    const before = (100 * (1_002 - 1_000)) / 1_000 / 4; // 0.05 % per minute over the 4 minutes before
    const x = pace - before; // 0.0498 % / min
    expectValue(v["1m"], { score: 0, strength: firstScore(x, 0.1), confidence: 1, value: x });
    expectUnavailable(v["5m"], "no open interest known at the start of the 1h window");
    expectUnavailable(v["1h"], "no window longer than 1h to compare with");
  });

  it("compares the last 5 minutes with the 55 before them on 5m", () => {
    const v = valuesAt(oiAcceleration, hourEvents(), HOUR_AT);
    // B₂ (−1 h) = 1000, B₁ (−5 min, 3 310 000) = 1010, B₀ = 1012
    const x = (100 * 2) / 1_010 / 5 - (100 * 10) / 1_000 / 55;
    expectValue(v["5m"], { strength: firstScore(x, 0.05), confidence: 1, value: x });
  });

  it("gives a slowing build-up strength 0", () => {
    // 1000 → 1004 in the 4 minutes before, 1004 → 1005 in the last: 0.0249 − 0.1 < 0
    const v = valuesAt(oiAcceleration, seq(oi(1_000, 1_000), oi(200_000, 1_004), oi(305_000, 1_005)), AT);
    const x = (100 * 1) / 1_004 - (100 * 4) / 1_000 / 4;
    expectValue(v["1m"], { strength: 0, value: x });
  });

  it("is unavailable when open interest was zero at the longer window's start", () => {
    const v = valuesAt(oiAcceleration, seq(oi(1_000, 0), oi(200_000, 1_000), oi(305_000, 1_001)), AT);
    expectUnavailable(v["1m"], "open interest was zero at a window start");
  });

  it("is unavailable without an open-interest feed", () => {
    onlyFeed(oiAcceleration, trade(1_000, "buy", 1), "no oi feed");
  });
});

describe("oi.opening-flow", () => {
  // 1m window: buy 3 and sell 1 (base) on binance; open interest 1000 → 1001.
  const flow = (): CanonicalEvent[] => [trade(301_000, "buy", 3), trade(302_000, "sell", 1)];

  it("reads positions opened by net taker buying as bullish: (1 / 4) · (3 − 1) / 4", () => {
    const v = valuesAt(oiOpeningFlow, seq(oi(1_000, 1_000), ...flow(), oi(305_000, 1_001)), AT);
    const x = (1 / 4) * (2 / 4); // 0.125
    // value = 1 base opened · imbalance 0.5; confidence = 1 · 2 / 100
    expectValue(v["1m"], { score: firstScore(x, 0.1), confidence: 0.02, value: 0.5 });
    expectValue(v["5m"], { score: firstScore(x, 0.05), confidence: 0.02, value: 0.5 });
  });

  it("reads positions opened by net taker selling as bearish", () => {
    const v = valuesAt(oiOpeningFlow, seq(oi(1_000, 1_000), trade(301_000, "sell", 3), trade(302_000, "buy", 1), oi(305_000, 1_001)), AT);
    expectValue(v["1m"], { score: firstScore(-0.125, 0.1), value: -0.5 });
  });

  it("reads 0 while open interest falls (closing flow is not attributed)", () => {
    const v = valuesAt(oiOpeningFlow, seq(oi(1_000, 1_000), ...flow(), oi(305_000, 999)), AT);
    expectValue(v["1m"], { score: 0, confidence: 0.02, value: 0 });
  });

  it("counts only trades of venues whose open interest is measured", () => {
    // okx sells 10 but sends no open interest: left out
    const v = valuesAt(oiOpeningFlow, seq(oi(1_000, 1_000), ...flow(), trade(303_000, "sell", 10, 100, "okx"), oi(305_000, 1_001)), AT);
    expectValue(v["1m"], { score: firstScore(0.125, 0.1), confidence: 0.02, value: 0.5 });
  });

  it("is unavailable without either feed", () => {
    onlyFeed(oiOpeningFlow, trade(1_000, "buy", 1), "no oi feed");
    onlyFeed(oiOpeningFlow, oi(1_000, 1_000), "no trade feed");
  });
});

describe("oi.turnover", () => {
  // Trades only at 61 000 and 62 000, so 70 000 is the first boundary whose windows hold any
  // (earlier windows: confidence 0, no sample); open interest 1000 base on binance from 1 000.
  const at = 70_000;
  const events = (...extra: CanonicalEvent[]): CanonicalEvent[] => seq(oi(1_000, 1_000), trade(61_000, "buy", 3), trade(62_000, "sell", 2), ...extra);

  it("reads 5 base traded against 1000 open as 0.3 per hour on 1m, against a rolling center starting at 0.1", () => {
    const v = valuesAt(oiTurnover, events(), at);
    // 1m: 5 / 1000 · 60 = 0.3 per hour: z = (0.3 − 0.1) / 0.1 = 2; confidence 2 / 100 trades
    expectValue(v["1m"], { score: 0, strength: Math.tanh(2), confidence: 0.02, value: 0.3 });
    // 5m: 5 / 1000 · 12 = 0.06 per hour, below the center: strength 0
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0.02, value: 0.06 });
    // 1h: 5 / 1000 = 0.005 per hour
    expectValue(v["1h"], { strength: 0, value: 0.005 });
  });

  it("counts only venues with both trades and open interest, its confidence their share of open interest", () => {
    // okx trades 10 with no open interest (left out); bybit holds 1000 open interest with no trades
    // (left out of the ratio, half the open interest: confidence · 0.5)
    const v = valuesAt(oiTurnover, events(trade(63_000, "sell", 10, 100, "okx"), oi(2_000, 1_000, "bybit")), at);
    expectValue(v["1m"], { strength: firstScore(0.3, 0.1, 0.1), confidence: 0.02 * 0.5, value: 0.3 });
  });

  it("is unavailable when no venue with open interest delivers trades", () => {
    const v = valuesAt(oiTurnover, seq(oi(1_000, 1_000, "bybit"), trade(61_000, "buy", 3)), at);
    expectUnavailable(v["1m"], "no venue with current open interest delivers trades");
  });

  it("is unavailable when the open interest of the venues with trades is zero, or all open interest is", () => {
    const some = valuesAt(oiTurnover, seq(oi(1_000, 0), oi(1_000, 1_000, "bybit"), trade(61_000, "buy", 3)), at);
    expectUnavailable(some["1m"], "open interest of the venues with trades is zero now");
    const all = valuesAt(oiTurnover, seq(oi(1_000, 0), trade(61_000, "buy", 3)), at);
    expectUnavailable(all["1m"], "open interest is zero now");
  });

  it("is unavailable when open interest is stale, or without either feed", () => {
    const v = valuesAt(oiTurnover, seq(oi(1_000, 1_000), trade(950_000, "buy", 1)), 960_000);
    expectUnavailable(v["5m"], "open interest stale");
    onlyFeed(oiTurnover, trade(1_000, "buy", 1), "no oi feed");
    onlyFeed(oiTurnover, oi(1_000, 1_000), "no trade feed");
  });
});

describe("oi.venue-rotation", () => {
  it("reads 0.1 % of open interest moving from bybit to binance as 0.05 % changing venue", () => {
    // 1000 + 1000 → 1001 + 999: shares 0.5005 / 0.4995 against 0.5 / 0.5 → ½ · (0.0005 + 0.0005) · 100
    const v = valuesAt(oiVenueRotation, seq(oi(1_000, 1_000), oi(1_000, 1_000, "bybit"), oi(305_000, 1_001), oi(305_000, 999, "bybit")), AT);
    const x = 50 * (Math.abs(1_001 / 2_000 - 0.5) + Math.abs(999 / 2_000 - 0.5));
    expectValue(v["1m"], { score: 0, strength: firstScore(x, 0.05), confidence: 1, value: x });
    expectValue(v["5m"], { score: 0, strength: firstScore(x, 0.1), confidence: 1, value: x });
  });

  it("weighs only venues refreshed within the window in its confidence", () => {
    // bybit (1000) last updated at 1 000: outside the 1m window; binance 1000 → 1002
    const v = valuesAt(oiVenueRotation, seq(oi(1_000, 1_000), oi(1_000, 1_000, "bybit"), oi(305_000, 1_002)), AT);
    // shares 1002/2002 and 1000/2002 against ½ each
    const x = 50 * (Math.abs(1_002 / 2_002 - 0.5) + Math.abs(1_000 / 2_002 - 0.5));
    expectValue(v["1m"], { strength: firstScore(x, 0.05), confidence: 1_002 / 2_002, value: x });
  });

  it("is unavailable when the matched venues' open interest is zero now", () => {
    // binance and bybit close everything; okx (new in the window, not matched) holds 5
    const v = valuesAt(oiVenueRotation, seq(oi(1_000, 1_000), oi(1_000, 1_000, "bybit"), oi(300_000, 5, "okx"), oi(305_000, 0), oi(305_000, 0, "bybit")), AT);
    expectUnavailable(v["1m"], "open interest of the matched venues is zero now");
  });

  it("is unavailable with fewer than two venues, or without an open-interest feed", () => {
    const v = valuesAt(oiVenueRotation, seq(oi(1_000, 1_000), oi(305_000, 1_001)), AT);
    expectUnavailable(v["1m"], "fewer than two venues");
    onlyFeed(oiVenueRotation, trade(1_000, "buy", 1), "no oi feed");
  });
});

describe("oi.flush", () => {
  // Open interest 100 000 → 99 990 base (a fall of 10) on binance.
  const fall = (): CanonicalEvent[] => [oi(1_000, 100_000), oi(305_000, 99_990)];

  it("reads 3 base liquidated out of a fall of 10 as 0.003 % of open interest, sampled on binance", () => {
    // long 200 USD and short 100 USD at 100: 2 + 1 = 3 base, both on binance
    const v = valuesAt(oiFlush, seq(...fall(), liq(301_000, "long", 200), liq(302_000, "short", 100)), AT);
    const x = (100 * 3) / 100_000;
    // confidence = OI 1 · 2 liquidations / 10
    expectValue(v["1m"], { score: 0, strength: firstScore(x, 0.02), confidence: 0.2, value: x, sampling: "sampled" });
    expectValue(v["5m"], { score: 0, strength: firstScore(x, 0.05), confidence: 0.2, value: x, sampling: "sampled" });
  });

  it("caps the forced part at the fall itself", () => {
    // 15 base liquidated, open interest fell by 10
    const v = valuesAt(oiFlush, seq(...fall(), liq(301_000, "long", 1_500)), AT);
    expectValue(v["1m"], { strength: firstScore(0.01, 0.02), confidence: 0.1, value: 0.01 });
  });

  it("reads 0 when open interest rose despite liquidations", () => {
    const v = valuesAt(oiFlush, seq(oi(1_000, 100_000), liq(301_000, "long", 200), oi(305_000, 100_010)), AT);
    expectValue(v["1m"], { strength: 0, confidence: 0.1, value: 0 });
  });

  it("leaves out liquidations of venues whose open interest is not measured (a measured 0, confidence 0)", () => {
    const v = valuesAt(oiFlush, seq(...fall(), liq(301_000, "long", 200, 100, "bybit")), AT);
    expectValue(v["1m"], { strength: 0, confidence: 0, value: 0 });
    expect(v["1m"].sampling).toBeUndefined();
  });

  it("is unavailable without either feed", () => {
    onlyFeed(oiFlush, liq(1_000, "long", 100), "no oi feed");
    onlyFeed(oiFlush, oi(1_000, 1_000), "no liquidation feed");
  });

  it("is unavailable when open interest is unknown at the window start", () => {
    const v = valuesAt(oiFlush, seq(...fall(), liq(301_000, "long", 200), mark(302_000)), AT);
    expectUnavailable(v["1h"], "no open interest known at the window start");
  });
});
