import { describe, expect, it } from "vitest";
import { CARDS } from "../../../../src/domain/cards/absorption/index.js";
import { absorptionFlow } from "../../../../src/domain/cards/absorption/flow.js";
import { absorptionLiquidations } from "../../../../src/domain/cards/absorption/liquidations.js";
import { absorptionLargePrints } from "../../../../src/domain/cards/absorption/large-prints.js";
import { absorptionMinutes } from "../../../../src/domain/cards/absorption/minutes.js";
import { absorptionExtremes } from "../../../../src/domain/cards/absorption/extremes.js";
import { absorptionStoppingVolume } from "../../../../src/domain/cards/absorption/stopping-volume.js";
import { absorptionEffortResult } from "../../../../src/domain/cards/absorption/effort-result.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { engineFor, expectUnavailable, expectValue, firstScore, liq, mark, trade, valuesAt } from "./helpers.js";

/** Event time of second `s` (may be fractional) of minute `m`. */
const at = (m: number, s: number) => m * 60_000 + s * 1_000;

describe("absorption cards", () => {
  it("registers seven cards with the absorption prefix, one kind each", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "absorption.flow",
      "absorption.minutes",
      "absorption.extremes",
      "absorption.stopping-volume",
      "absorption.large-prints",
      "absorption.liquidations",
      "absorption.effort-result",
    ]);
    expect(CARDS.filter((c) => c.kind === "stress").map((c) => c.id)).toEqual(["absorption.effort-result"]);
  });

  it("are each unavailable without a trade feed", () => {
    for (const card of CARDS) {
      const v = valuesAt(card, [mark(1_000), liq(2_000, "long", 1_000)], 10_000);
      expectUnavailable(v["1m"], "no trade feed");
    }
  });
});

describe("absorption.flow", () => {
  // Heavy selling while price ends above its open: open 100, low 99, high 101, close 100.5.
  const events = [trade(1_000, "sell", 2, 100), trade(2_000, "sell", 2, 99), trade(3_000, "buy", 1, 101), trade(4_000, "sell", 1, 100.5)];
  // buyUsd 101, sellUsd 200 + 198 + 100.5 = 498.5; d = (101 − 498.5) / 599.5 = −397.5 / 599.5
  // e = (100.5 − 100) / (101 − 99) = 0.25; x = −d · (1 − e·(−1)) / 2 = (397.5 / 599.5) · 1.25 / 2
  const x = (397.5 / 599.5) * 0.625;

  it("reads selling that price did not follow as bullish: x = (397.5 / 599.5) · 0.625, value 248.4375 USD absorbed, confidence 4 / 100", () => {
    const v = valuesAt(absorptionFlow, events, 10_000);
    expectValue(v["1m"], { score: firstScore(x, 0.15), strength: firstScore(x, 0.15), confidence: 0.04, value: 397.5 * 0.625 });
    expectValue(v["1h"], { score: firstScore(x, 0.06), confidence: 0.04, value: 248.4375 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads buying with a falling price as bearish: d = 1, e = −1, x = −1", () => {
    const v = valuesAt(absorptionFlow, [trade(1_000, "buy", 1, 101), trade(2_000, "buy", 1, 99)], 10_000);
    // buyUsd 101 + 99 = 200; x = −1 · (1 − (−1)·1) / 2 = −1; value = −200
    expectValue(v["5m"], { score: firstScore(-1, 0.1), confidence: 0.02, value: -200 });
  });

  it("absorbs nothing when price ran the whole range with the flow", () => {
    const v = valuesAt(absorptionFlow, [trade(1_000, "buy", 1, 99), trade(2_000, "buy", 1, 100), trade(3_000, "buy", 1, 101)], 10_000);
    // d = 1, e = (101 − 99) / (101 − 99) = 1: x = −1 · (1 − 1) / 2 = 0
    expectValue(v["1m"], { score: 0, confidence: 0.03, value: 0 });
  });

  it("is a measured zero (confidence 0) on a window without trades once the feed delivered", () => {
    const v = valuesAt(absorptionFlow, [trade(1_000, "buy", 1), trade(125_000, "sell", 1)], 190_000);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });
});

describe("absorption.liquidations", () => {
  // Trades: open 100, low 99, close and high 100.5. Liquidations: longs 5 000 (binance, sampled)
  // and 3 000 (binance), a short 1 000 (bybit, complete).
  const events = [
    trade(1_000, "buy", 1, 100),
    liq(2_000, "long", 5_000),
    trade(3_000, "sell", 1, 99),
    liq(4_000, "long", 3_000),
    liq(4_500, "short", 1_000, 100, "bybit"),
    trade(5_000, "buy", 1, 100.5),
  ];

  it("reads long liquidations that price absorbed as bullish: d = −7/9, e = 1/3, x = 14/27, sampled", () => {
    const v = valuesAt(absorptionLiquidations, events, 10_000);
    // d = (1 000 − 8 000) / 9 000 = −7/9; e = 0.5 / 1.5 = 1/3; x = (7/9) · (1 + 1/3) / 2 = 14/27
    // value = x · 9 000; confidence = 3 liquidations / 10
    expectValue(v["1m"], { score: firstScore(14 / 27, 0.3), confidence: 0.3, value: (14 / 27) * 9_000, sampling: "sampled" });
    expectValue(v["1h"], { score: firstScore(14 / 27, 0.3), confidence: 0.3, value: (14 / 27) * 9_000 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("reads short liquidations that price fell through as bearish: d = 1, e = −1, x = −1, complete", () => {
    const v = valuesAt(absorptionLiquidations, [trade(1_000, "buy", 1, 101), liq(2_000, "short", 2_000, 100, "bybit"), trade(3_000, "sell", 1, 100)], 10_000);
    expectValue(v["1m"], { score: firstScore(-1, 0.3), confidence: 0.1, value: -2_000, sampling: "complete" });
  });

  it("is a measured zero on a window without liquidations once the feed delivered", () => {
    const v = valuesAt(absorptionLiquidations, [liq(1_000, "long", 1_000), trade(2_000, "buy", 1), trade(125_000, "sell", 1)], 190_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable when the window has liquidations but no trade, or a feed is missing", () => {
    const v = valuesAt(absorptionLiquidations, [trade(1_000, "buy", 1), liq(125_000, "long", 1_000)], 130_000);
    expectUnavailable(v["1m"], "liquidations but no trade in the window");
    expectUnavailable(valuesAt(absorptionLiquidations, [trade(1_000, "buy", 1)], 10_000)["1m"], "no liquidation feed");
    expectUnavailable(valuesAt(absorptionLiquidations, [liq(1_000, "long", 1_000)], 10_000)["1m"], "no trade feed");
  });
});

describe("absorption.large-prints", () => {
  const config = { inputs: { tradeSizes: { minTrades: 10, percentile: 0.9 } } };
  // History: nine 10 USD prints and one of 2 000 USD. At boundary 10 000 the hour holds 10 trades;
  // the top 10 % (one trade) starts in the 2 000 USD bin: threshold 10^(26/8) ≈ 1 778 USD, from 10 000 on.
  const history: TradeEvent[] = [...Array.from({ length: 9 }, (_, i) => trade(1_000 + i * 500, "sell", 0.1, 100)), trade(6_000, "buy", 20, 100)];

  it("reads large selling that price absorbed as bullish: d = −13/32, e = 0.5, x = 39/128", () => {
    // 1m window [20 000, 80 000): the threshold has held since 10 000. Open 100, low 99, high and close 101.
    const window = [
      trade(71_000, "buy", 0.1, 100),
      trade(72_000, "sell", 20, 100), // large sell 2 000
      trade(73_000, "sell", 0.1, 99),
      trade(74_000, "sell", 25, 100), // large sell 2 500
      trade(75_000, "buy", 19, 100), // large buy 1 900
      trade(76_000, "buy", 0.1, 101),
    ];
    const v = valuesAt(absorptionLargePrints, [...history, ...window], 80_000, engineFor(absorptionLargePrints, { config }));
    // d = (1 900 − 4 500) / 6 400 = −13/32; e = (101 − 100) / (101 − 99) = 0.5
    // x = (13/32) · (1 + 0.5) / 2 = 39/128; value = x · 6 400 = 1 950; confidence = 3 / 10
    expectValue(v["1m"], { score: firstScore(39 / 128, 0.3), confidence: 0.3, value: 1_950 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // the 5m and 1h windows began before the threshold existed
    // (threshold set at the boundary 10 000: held 70 s at 80 000)
    expectUnavailable(v["1h"], "warming up: large-print threshold held for 70 of 3600 s of the window");
  });

  it("is a measured zero when the threshold held but no print was large", () => {
    const v = valuesAt(absorptionLargePrints, [...history, trade(71_000, "buy", 0.1, 100)], 80_000, engineFor(absorptionLargePrints, { config }));
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable before a large-print threshold exists", () => {
    const v = valuesAt(absorptionLargePrints, history.slice(0, 5), 10_000, engineFor(absorptionLargePrints, { config }));
    expectUnavailable(v["1m"], "warming up: large-print threshold needs 10 trades in the last hour (5 so far)");
  });
});

describe("absorption.minutes", () => {
  // m0: sell 200, buy 101, 100 → 101: selling absorbed (+1)
  const m0 = [trade(at(0, 1), "sell", 2, 100), trade(at(0, 2), "buy", 1, 101)];
  // m1: buy 300, close 100 < 101: buying absorbed (−1); m2: sell, 100 → 99: followed (0)
  // m3: sell 199, buy 100, 99 → 100: selling absorbed (+1); m4: sell 100.5, 100 → 100.5: selling absorbed (+1)
  const rest = [
    trade(at(1, 1), "buy", 3, 100),
    trade(at(2, 1), "sell", 1, 99),
    trade(at(3, 1), "sell", 2, 99.5),
    trade(at(3, 2), "buy", 1, 100),
    trade(at(4, 1), "sell", 1, 100.5),
  ];

  it("counts minutes whose close-to-close return went against their net taker flow: 5m x = (3 − 1) / 5", () => {
    const v = valuesAt(absorptionMinutes, [...m0, ...rest], 300_000);
    // confidence = 7 trades / 100; value = 3 − 1 = 2 minutes
    expectValue(v["5m"], { score: firstScore(0.4, 0.25), confidence: 0.07, value: 2 });
    // 1m reads minute 4 alone (its score has the 1m history of earlier cycles in its scale)
    expectValue(v["1m"], { confidence: 0.01, value: 1 });
    expect(v["1m"].score).toBeGreaterThan(0);
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads the last complete minute on 1m: one absorbed selling minute gives x = 1", () => {
    const v = valuesAt(absorptionMinutes, m0, 60_000);
    expectValue(v["1m"], { score: firstScore(1, 0.5), confidence: 0.02, value: 1 });
    expectUnavailable(v["5m"], "warming up: 1 of 5 minutes of bars");
  });

  it("reads buying into a falling minute as bearish", () => {
    const v = valuesAt(absorptionMinutes, [trade(at(0, 1), "buy", 2, 101), trade(at(0, 2), "sell", 1, 100)], 60_000);
    // q = 202 − 100 > 0, r = ln(100 / 101) < 0
    expectValue(v["1m"], { score: firstScore(-1, 0.5), value: -1 });
  });

  it("is unavailable before any complete minute and a measured zero for a minute without trades", () => {
    expectUnavailable(valuesAt(absorptionMinutes, m0, 10_000)["1m"], "warming up: 0 of 1 minutes of bars");
    const v = valuesAt(absorptionMinutes, m0, 120_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("absorption.extremes", () => {
  it("reads selling at the low that price left behind as bullish: 5m x = (195.5 / 392.5) · (100 − 98) / (101 − 98)", () => {
    const events = [
      trade(at(0, 1), "buy", 1, 100),
      // m1 prints the low 98: sell 294, buy 98.5 → d_L = (98.5 − 294) / 392.5
      trade(at(1, 1), "sell", 3, 98),
      trade(at(1, 2), "buy", 1, 98.5),
      // m2 prints the high 101 with net selling (d_H < 0: nothing absorbed at the high)
      trade(at(2, 1), "buy", 1, 101),
      trade(at(2, 2), "sell", 3, 100.5),
      trade(at(3, 1), "buy", 1, 100),
      trade(at(4, 1), "sell", 1, 100), // C = 100
    ];
    const v = valuesAt(absorptionExtremes, events, 300_000);
    const x = (195.5 / 392.5) * (2 / 3);
    // confidence = trades in m1 and m2: 4 / 100
    expectValue(v["5m"], { score: firstScore(x, 0.3), confidence: 0.04, value: x });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("reads buying at the high that price fell back from as bearish: 1m x = −(102 / 302) · (101 − 100) / (101 − 100)", () => {
    const v = valuesAt(absorptionExtremes, [trade(at(0, 1), "buy", 2, 101), trade(at(0, 2), "sell", 1, 100)], 60_000);
    // one minute prints both: H = 101, L = C = 100; d = (202 − 100) / 302 > 0, so only the high term counts
    expectValue(v["1m"], { score: firstScore(-102 / 302, 0.3), confidence: 0.02, value: -102 / 302 });
  });

  it("is 0 when the window never left one price, a measured zero without trades, and warms up", () => {
    const flat = valuesAt(absorptionExtremes, [trade(at(0, 1), "sell", 5, 100), trade(at(0, 2), "sell", 1, 100)], 60_000);
    expectValue(flat["1m"], { score: 0, confidence: 0.02, value: 0 });
    const quiet = valuesAt(absorptionExtremes, [trade(at(0, 1), "sell", 5, 100)], 120_000);
    expectValue(quiet["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(quiet["5m"], "warming up: 2 of 5 minutes of bars");
  });
});

describe("absorption.stopping-volume", () => {
  it("reads the heaviest minute's absorbed selling as bullish: 5m x = (590 / 988) · (1 − 0.25) / 2", () => {
    const events = [
      trade(at(0, 1), "buy", 1, 100),
      trade(at(1, 1), "sell", 1, 100), // m1 closes at 100
      // m2, the heaviest (988 USD): sells 495 + 294, buy 199; from 100 (m1's close) to 99.5, low 98
      trade(at(2, 1), "sell", 5, 99),
      trade(at(2, 2), "sell", 3, 98),
      trade(at(2, 3), "buy", 2, 99.5),
      trade(at(3, 1), "buy", 1, 99.5),
      trade(at(4, 1), "buy", 1, 99.5),
    ];
    const v = valuesAt(absorptionStoppingVolume, events, 300_000);
    // d = (199 − 789) / 988 = −590/988; e = (99.5 − 100) / (100 − 98) = −0.25
    // x = (590/988) · (1 + (−0.25)) / 2; value = x · 988 = 590 · 0.375 = 221.25; confidence 3 / 100
    const x = (590 / 988) * 0.375;
    expectValue(v["5m"], { score: firstScore(x, 0.25), confidence: 0.03, value: 221.25 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("measures the first minute from its own open: 1m x = (397.5 / 598.5) · (1 + 1/3) / 2", () => {
    const events = [trade(at(0, 1), "sell", 3, 100), trade(at(0, 2), "sell", 2, 99), trade(at(0, 3), "buy", 1, 100.5)];
    const v = valuesAt(absorptionStoppingVolume, events, 60_000);
    // d = (100.5 − 498) / 598.5; e = (100.5 − 100) / (100.5 − 99) = 1/3; value = 397.5 · 2/3 = 265
    expectValue(v["1m"], { score: firstScore((397.5 / 598.5) * (2 / 3), 0.25), confidence: 0.03, value: 265 });
  });

  it("reads heavy buying that could not lift price as bearish, and warms up", () => {
    // m0 closes at 100; m1 buys 2 at 100 and 1 at 99.5: from 100 to 99.5, d = 1, e = −1, x = −1
    const v = valuesAt(absorptionStoppingVolume, [trade(at(0, 1), "sell", 0.1, 100), trade(at(1, 1), "buy", 2, 100), trade(at(1, 2), "buy", 1, 99.5)], 120_000);
    expectValue(v["1m"], { confidence: 0.02, value: -299.5 });
    expect(v["1m"].score).toBeLessThan(0);
    expectUnavailable(v["5m"], "warming up: 2 of 5 minutes of bars");
  });
});

describe("absorption.effort-result", () => {
  const R = Math.log(101 / 100) * 10_000; // range of a minute trading 100 and 101, bps
  // Minutes 0–58: a buy at 100 and a sell at 101 (201 USD over R bps). Minute 59: ten prints at 100
  // (1 000 USD over no range: the 0.1 bp floor).
  const events: TradeEvent[] = [];
  for (let m = 0; m < 59; m++) events.push(trade(at(m, 1), "buy", 1, 100), trade(at(m, 2), "sell", 1, 101));
  for (let k = 0; k < 10; k++) events.push(trade(at(59, 1 + k), k % 2 === 0 ? "buy" : "sell", 1, 100));
  const eDay = (59 * 201 + 1_000) / (59 * R + 0.1);

  it("compares notional per bp of minute range with the day's: a flat minute of 1 000 USD is stress", () => {
    const v = valuesAt(absorptionEffortResult, events, 3_600_000);
    // 1m: minute 59 alone, E = 1 000 / 0.1 = 10 000 USD per bp; confidence 10 / 100
    const x1 = Math.log(10_000 / eDay);
    expectValue(v["1m"], { score: 0, strength: Math.tanh(x1 / 0.6), confidence: 0.1, value: 10_000 });
    // 5m: minutes 55–59, E = (4 · 201 + 1 000) / (4R + 0.1); confidence 18 / 100
    const e5 = 1_804 / (4 * R + 0.1);
    expectValue(v["5m"], { score: 0, strength: Math.tanh(Math.log(e5 / eDay) / 0.45), confidence: 0.18, value: e5 });
    // 1h: the window is the day: x = 0, strength 0; confidence min(1, 128 / 100)
    expectValue(v["1h"], { score: 0, strength: 0, confidence: 1, value: eDay });
  });

  it("gives no strength when effort per result is below the day's, and is a measured zero without trades", () => {
    const calm = [...events.slice(0, 118), trade(at(59, 1), "buy", 1, 99), trade(at(59, 2), "sell", 1, 101)];
    // minute 59: 200 USD over ln(101/99) bps: below the day's ratio
    const v = valuesAt(absorptionEffortResult, calm, 3_600_000);
    expectValue(v["1m"], { strength: 0, confidence: 0.02, value: 200 / (Math.log(101 / 99) * 10_000) });
    const quiet = valuesAt(absorptionEffortResult, events, 3_660_000);
    expectValue(quiet["1m"], { strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable while fewer than 60 minutes of bars exist", () => {
    const v = valuesAt(absorptionEffortResult, events.slice(0, 2), 60_000);
    expectUnavailable(v["1m"], "warming up: 1 of 60 minutes of bars");
  });
});
