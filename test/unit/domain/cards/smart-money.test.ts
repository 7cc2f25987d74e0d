import { describe, expect, it } from "vitest";
import { smartMoneyBlockFlow } from "../../../../src/domain/cards/smart-money/block-flow.js";
import { smartMoneyDivergence } from "../../../../src/domain/cards/smart-money/divergence.js";
import { smartMoneyIcebergs } from "../../../../src/domain/cards/smart-money/icebergs.js";
import { smartMoneyLargeFlow } from "../../../../src/domain/cards/smart-money/large-flow.js";
import { smartMoneyLargePersistence } from "../../../../src/domain/cards/smart-money/large-persistence.js";
import { smartMoneyStealth } from "../../../../src/domain/cards/smart-money/stealth.js";
import { CARDS } from "../../../../src/domain/cards/smart-money/index.js";
import type { CardDefinition } from "../../../../src/domain/cards/registry.js";
import type { TradeEvent } from "../../../../src/domain/events.js";
import { TIMEFRAMES } from "../../../../src/protocol/snapshot.js";
import { cardOf, engineFor, expectUnavailable, expectValue, firstScore, mark, snapshotAt, trade, valuesAt } from "./helpers.js";

// ── large prints: a threshold that exists from the first boundary ──
//
// With `minTrades` 10, the threshold exists at the first refresh (boundary 10 000) holding 19
// prints of 100 USD (log bin 16) and one of 10 000 USD (bin 32): the top 1 % of 20 prints is
// 0.2 of a print, so the threshold is the lower edge of the highest occupied bin, 10^(32/8) =
// 10 000 USD. Later prints of 10 000–13 335 USD stay in that bin, so it holds. It has held over
// the 1m window from boundary 70 000 on, over 5m from 310 000.

const LARGE_CONFIG = { config: { inputs: { tradeSizes: { minTrades: 10 } } } };

/** 20 prints before 10 000 that set the large threshold at 10 000 USD (price 100). */
function warmup(): TradeEvent[] {
  const out: TradeEvent[] = [];
  for (let i = 0; i < 19; i++) out.push(trade(1_000 + i * 100, i % 2 === 0 ? "buy" : "sell", 1));
  out.push(trade(5_000, "buy", 100));
  return out;
}

function largeEngine(card: CardDefinition) {
  return engineFor(card, LARGE_CONFIG);
}

describe("smart-money cards without trades", () => {
  it("are registered in output order", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "smart-money.large-flow",
      "smart-money.large-persistence",
      "smart-money.divergence",
      "smart-money.block-flow",
      "smart-money.stealth",
      "smart-money.icebergs",
    ]);
  });

  it.each([...CARDS])("$id is unavailable without a trade feed", (card) => {
    const v = valuesAt(card, [mark(1_000)], 10_000);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], "no trade feed");
  });
});

describe("smart-money.large-flow", () => {
  it("scores the lean of the prints above the adaptive threshold", () => {
    const events = [
      ...warmup(),
      trade(21_000, "buy", 100), // 10 000 USD, large
      trade(22_000, "buy", 120), // 12 000 USD, large
      trade(23_000, "sell", 100), // 10 000 USD, large
      trade(24_000, "sell", 1), // small
      trade(25_000, "buy", 1), // small
    ];
    const v = valuesAt(smartMoneyLargeFlow, events, 80_000, largeEngine(smartMoneyLargeFlow));
    // 1m [20 000, 80 000): (22 000 − 10 000) / 32 000 = 0.375; 3 of 10 large prints
    expectValue(v["1m"], { score: firstScore(0.375, 0.5), confidence: 0.3, value: 12_000 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // the threshold exists since 10 000: 70 of the 5m window's 300 s
    expectUnavailable(v["5m"], "warming up: large-print threshold held for 70 of 300 s of the window");
  });

  it("does not count as large a print made before the threshold existed", () => {
    // at 70 000 the 1m window [10 000, 70 000) holds one large sell; the 10 000 USD buy at 5 000 is outside it and unclassified anyway
    const v = valuesAt(smartMoneyLargeFlow, [...warmup(), trade(11_000, "sell", 100)], 70_000, largeEngine(smartMoneyLargeFlow));
    expectValue(v["1m"], { score: firstScore(-1, 0.5), confidence: 0.1, value: -10_000 });
  });

  it("is a measured 0 on a window without large prints", () => {
    const v = valuesAt(smartMoneyLargeFlow, [...warmup(), trade(21_000, "buy", 1)], 80_000, largeEngine(smartMoneyLargeFlow));
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable while the threshold has too little history", () => {
    const v = valuesAt(smartMoneyLargeFlow, [trade(1_000, "buy", 1), trade(2_000, "sell", 1), trade(3_000, "buy", 100)], 70_000, largeEngine(smartMoneyLargeFlow));
    expectUnavailable(v["1m"], "warming up: large-print threshold needs 10 trades in the last hour (3 so far)");
  });
});

describe("smart-money.large-persistence", () => {
  it("votes each cycle by the sign of the large prints' net and averages the votes it has", () => {
    const engine = largeEngine(smartMoneyLargePersistence);
    const at = (events: TradeEvent[], ts: number) => cardOf(snapshotAt(engine, events, ts), "smart-money.large-persistence").timeframes["1m"];
    // boundaries 10 000–60 000 were unavailable on 1m (null previous values are not votes)
    const first = at([...warmup(), trade(61_000, "buy", 100)], 70_000);
    // one vote +1; confidence min(1 / 7, 1 / 10)
    expectValue(first, { score: firstScore(1, 0.5), confidence: 0.1, value: 10_000 });
    const second = at([trade(71_000, "sell", 120)], 80_000);
    // net 10 000 − 12 000 < 0: votes −1 + 1 over 2; confidence min(2 / 7, 2 / 10)
    expectValue(second, { score: 0, confidence: 0.2, value: -2_000 });
    const third = at([trade(81_000, "sell", 100)], 90_000);
    // votes −1 − 1 + 1 over 3; confidence min(3 / 7, 3 / 10)
    expectValue(third, { score: firstScore(-1 / 3, 0.5), confidence: 0.3, value: -12_000 });
    expect(third.score).toBeLessThan(0);
  });

  it("is unavailable until the threshold held over the window", () => {
    const v = valuesAt(smartMoneyLargePersistence, warmup(), 60_000, largeEngine(smartMoneyLargePersistence));
    expectUnavailable(v["1m"], "warming up: large-print threshold held for 50 of 60 s of the window");
  });
});

describe("smart-money.divergence", () => {
  const large = [trade(21_000, "buy", 100), trade(22_000, "buy", 120), trade(23_000, "sell", 100)]; // imbalance 0.375

  it("reads large prints buying against the rest of the tape selling as bullish", () => {
    const events = [...warmup(), ...large, trade(24_000, "sell", 3), trade(25_000, "sell", 1), trade(26_000, "buy", 1)];
    const v = valuesAt(smartMoneyDivergence, events, 80_000, largeEngine(smartMoneyDivergence));
    // rest: buy 100, sell 400 → −0.6; x = (0.375 + 0.6) / 2; confidence min(3 / 10, 3 / 100)
    expectValue(v["1m"], { score: firstScore(0.4875, 0.3), confidence: 0.03, value: 0.4875 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is near neutral when both lean the same way", () => {
    const events = [...warmup(), ...large, trade(24_000, "buy", 3), trade(25_000, "sell", 1)];
    const v = valuesAt(smartMoneyDivergence, events, 80_000, largeEngine(smartMoneyDivergence));
    // rest: (300 − 100) / 400 = 0.5; x = (0.375 − 0.5) / 2
    expectValue(v["1m"], { score: firstScore(-0.0625, 0.3), value: -0.0625 });
  });

  it("is a measured 0 without large prints, and unavailable while the threshold warms up", () => {
    const v = valuesAt(smartMoneyDivergence, [...warmup(), trade(24_000, "sell", 3)], 80_000, largeEngine(smartMoneyDivergence));
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
    expectUnavailable(v["1h"], "warming up: large-print threshold held for 70 of 3600 s of the window");
  });
});

describe("smart-money.block-flow", () => {
  it("scores the lean of the prints of 100k USD and more, with no warm-up", () => {
    const events = [
      trade(1_000, "buy", 1_500), // 150 000 USD
      trade(2_000, "buy", 1_000), // 100 000 USD: the bucket's lower edge counts
      trade(3_000, "sell", 12_000), // 1 200 000 USD
      trade(4_000, "buy", 50), // 5 000 USD: not a block
    ];
    const v = valuesAt(smartMoneyBlockFlow, events, 10_000);
    // (250 000 − 1 200 000) / 1 450 000; 3 of 10 block prints
    const x = -950_000 / 1_450_000;
    expectValue(v["1m"], { score: firstScore(x, 0.5), confidence: 0.3, value: -950_000 });
    expectValue(v["1h"], { score: firstScore(x, 0.25), confidence: 0.3, value: -950_000 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is a measured 0 without block prints", () => {
    const v = valuesAt(smartMoneyBlockFlow, [trade(1_000, "buy", 999)], 10_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("smart-money.stealth", () => {
  it("scores the lean of the 1k–100k USD prints only", () => {
    const events = [
      trade(1_000, "buy", 20), // 2 000 USD
      trade(2_000, "buy", 500), // 50 000 USD
      trade(3_000, "sell", 300), // 30 000 USD
      trade(4_000, "sell", 5), // 500 USD: retail, not counted
      trade(5_000, "sell", 2_000), // 200 000 USD: block, not counted
    ];
    const v = valuesAt(smartMoneyStealth, events, 10_000);
    // (52 000 − 30 000) / 82 000; 3 / 100 medium prints
    expectValue(v["1m"], { score: firstScore(22 / 82, 0.3), confidence: 0.03, value: 22_000 });
    expectValue(v["5m"], { score: firstScore(22 / 82, 0.2), confidence: 0.03, value: 22_000 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 without medium prints", () => {
    const v = valuesAt(smartMoneyStealth, [trade(1_000, "buy", 5)], 10_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("smart-money.icebergs", () => {
  it("reads runs of taker sells at one price as a hidden buyer (bullish), of taker buys as a hidden seller", () => {
    const events = [
      ...[1_000, 2_000, 3_000, 4_000, 5_000].map((ts) => trade(ts, "sell", 1, 100)), // one run of 5 sells at 100: 500 USD
      ...[6_000, 7_000, 8_000, 9_000].map((ts) => trade(ts, "buy", 1, 101)), // one run of 4 buys at 101: 404 USD
    ];
    const v = valuesAt(smartMoneyIcebergs, events, 10_000);
    // (500 − 404) / 904; 2 runs of 5
    expectValue(v["1m"], { score: firstScore(96 / 904, 0.5), confidence: 0.4, value: 96 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("ignores prints that never reach a run of four at one price", () => {
    const events = [trade(1_000, "buy", 1, 100), trade(2_000, "buy", 1, 100), trade(3_000, "buy", 1, 100), trade(4_000, "buy", 1, 100.5), trade(5_000, "sell", 1, 100)];
    const v = valuesAt(smartMoneyIcebergs, events, 10_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});
