import { describe, expect, it } from "vitest";
import { flowAcceleration } from "../../../../src/domain/cards/order-flow/acceleration.js";
import { flowCountImbalance } from "../../../../src/domain/cards/order-flow/count-imbalance.js";
import { flowCvd } from "../../../../src/domain/cards/order-flow/cvd.js";
import { flowPersistence } from "../../../../src/domain/cards/order-flow/persistence.js";
import { flowPressure } from "../../../../src/domain/cards/order-flow/pressure.js";
import { flowToxicity } from "../../../../src/domain/cards/order-flow/toxicity.js";
import { flowVenueBreadth } from "../../../../src/domain/cards/order-flow/venue-breadth.js";
import { flowVoluntary } from "../../../../src/domain/cards/order-flow/voluntary.js";
import { CARDS } from "../../../../src/domain/cards/order-flow/index.js";
import type { CardDefinition } from "../../../../src/domain/cards/registry.js";
import type { TradeEvent, Venue } from "../../../../src/domain/events.js";
import { TIMEFRAMES, type CardValue, type Timeframe } from "../../../../src/protocol/snapshot.js";
import { cardOf, engineFor, expectUnavailable, expectValue, firstScore, liq, mark, snapshotAt, trade, valuesAt } from "./helpers.js";

describe("flow.cvd", () => {
  it("scores the taker imbalance (1.5 + 1.5 − 1) / 4 = 0.5 against its 1m prior of 0.3, confidence 3 / 100 trades", () => {
    const v = valuesAt(flowCvd, [trade(1_000, "buy", 1.5), trade(2_000, "sell", 1), trade(3_000, "buy", 1.5)], 10_000);
    expectValue(v["1m"], { score: firstScore(0.5, 0.3), strength: firstScore(0.5, 0.3), confidence: 0.03, value: 2 });
    expectValue(v["1h"], { score: firstScore(0.5, 0.1), confidence: 0.03, value: 2 });
  });

  it("learns the symbol's own dispersion: after one sample of 0.5 the 1m σ is √((0.25 + 180·0.09)/181)", () => {
    const engine = engineFor(flowCvd, { config: { cards: { scaleAdapt: true } } });
    snapshotAt(engine, [trade(1_000, "buy", 1.5), trade(2_000, "sell", 1), trade(3_000, "buy", 1.5)], 10_000);
    // second cycle: the 1m window [−50 000, 20 000) holds the same three trades and one more buy of 1
    const v = cardOf(snapshotAt(engine, [trade(11_000, "buy", 1)], 20_000), "flow.cvd").timeframes["1m"];
    const x = 3 / 5; // (4 − 1) / 5
    const n0 = 1_800_000 / 10_000;
    const sigma = Math.sqrt((0.5 * 0.5 + n0 * 0.09) / (1 + n0));
    expectValue(v, { score: Math.tanh(x / sigma), value: 3 });
  });

  it("is available with score 0 and confidence 0 on a window without trades once the feed delivered", () => {
    const v = valuesAt(flowCvd, [trade(1_000, "buy", 1), trade(125_000, "sell", 1)], 190_000);
    // 1m window [130 000, 190 000) is empty
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without a trade feed", () => {
    const engine = engineFor(flowCvd);
    engine.ingest([{ venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "mark", markPrice: 100 }]);
    engine.advanceTo(10_000);
    expectUnavailable(cardOf(engine.latest()!, "flow.cvd").timeframes["5m"], "no trade feed");
    expect(cardOf(engine.latest()!, "flow.cvd").state).toBe("neutral");
  });
});

// ── helpers of this file ──

/** Trades in `minute` (one a second from second 1): buys then sells, quantities at `price`. */
function minute(m: number, buys: readonly number[], sells: readonly number[] = [], venue: Venue = "binance", price = 100): TradeEvent[] {
  const out: TradeEvent[] = [];
  let s = 1;
  for (const q of buys) out.push(trade(m * 60_000 + 1_000 * s++, "buy", q, price, venue));
  for (const q of sells) out.push(trade(m * 60_000 + 1_000 * s++, "sell", q, price, venue));
  return out;
}

/** An engine that has only seen a mark: every trade-fed card must say "no trade feed". */
function markOnly(card: CardDefinition): Record<Timeframe, CardValue> {
  return valuesAt(card, [mark(1_000)], 10_000);
}

describe("order-flow cards without trades", () => {
  it("are registered in output order, flow.cvd first", () => {
    expect(CARDS.map((c) => c.id)).toEqual([
      "flow.cvd",
      "flow.pressure",
      "flow.voluntary",
      "flow.count-imbalance",
      "flow.persistence",
      "flow.acceleration",
      "flow.venue-breadth",
      "flow.toxicity",
    ]);
  });

  it.each([flowPressure, flowVoluntary, flowCountImbalance, flowPersistence, flowAcceleration, flowVenueBreadth, flowToxicity])("$id is unavailable without a trade feed", (card) => {
    const v = markOnly(card);
    for (const tf of TIMEFRAMES) expectUnavailable(v[tf], "no trade feed");
  });
});

describe("flow.pressure", () => {
  // 59 minutes of one buy and one sell of 1 @ 100 (200 USD a minute), then a last minute of
  // three buys and one sell of 1 (400 USD, net +200). At 3 600 000 the bars hold minutes 0–59.
  const events = [...Array.from({ length: 59 }, (_, m) => minute(m, [1], [1])).flat(), ...minute(59, [1, 1, 1], [1])];
  const usualPerMinute = (59 * 200 + 400) / 60; // 12 200 / 60 USD

  it("scores net taker USD against the usual volume of a window that long", () => {
    const v = valuesAt(flowPressure, events, 3_600_000);
    // 1m [3 540 000, 3 600 000): net 300 − 100 = 200 USD against 12 200 / 60 · 1; 4 trades; 60 of 240 bar minutes
    expectValue(v["1m"], { score: firstScore(200 / usualPerMinute, 0.3), confidence: Math.min(4 / 100, 60 / 240), value: 200 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 5m: minutes 55–59, net still 200 against five usual minutes; 4 · 2 + 4 = 12 trades
    expectValue(v["5m"], { score: firstScore(200 / (usualPerMinute * 5), 0.2), confidence: 0.12, value: 200 });
    // 1h: every trade, 59 · 2 + 4 = 122 (confidence capped by the 60 / 240 bar minutes)
    expectValue(v["1h"], { score: firstScore(200 / 12_200, 0.1), confidence: 0.25, value: 200 });
  });

  it("is a measured 0 on a quiet window once an hour of bars backs the usual volume", () => {
    const v = valuesAt(flowPressure, events, 3_720_000);
    // 1m [3 660 000, 3 720 000) has no trade
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("reads net selling as bearish", () => {
    const selling = [...Array.from({ length: 59 }, (_, m) => minute(m, [1], [1])).flat(), ...minute(59, [1], [2, 2])];
    const v = valuesAt(flowPressure, selling, 3_600_000);
    // net 100 − 400 = −300 USD; usual (59 · 200 + 500) / 60
    expectValue(v["1m"], { score: firstScore(-300 / (12_300 / 60), 0.3), value: -300 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is unavailable while fewer than 60 minutes of bars back the usual volume", () => {
    const v = valuesAt(flowPressure, events.filter((e) => e.ts < 600_000), 600_000);
    expectUnavailable(v["1m"], "warming up: 10 of 60 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 10 of 60 minutes of bars");
  });
});

describe("flow.voluntary", () => {
  it("takes each traded venue's forced flow out of its taker flow, and labels the sample", () => {
    const events = [
      trade(1_000, "buy", 10, 100, "binance"), // 1 000 USD
      trade(2_000, "sell", 4, 100, "binance"), // 400 USD
      liq(3_000, "short", 300, 100, "binance"), // forced buy, sampled venue
      trade(4_000, "buy", 2, 100, "bybit"), // 200 USD
      liq(5_000, "long", 100, 100, "bybit"), // forced sell
      liq(6_000, "long", 500, 100, "okx"), // okx sent no trade: not in the tape read here
    ];
    const v = valuesAt(flowVoluntary, events, 10_000);
    // binance (1 000 − 400) − (300 − 0) = 300; bybit (200 − 0) − (0 − 100) = 300; volume 1 600
    expectValue(v["1m"], { score: firstScore(600 / 1_600, 0.3), confidence: 0.03, value: 600, sampling: "sampled" });
    expectValue(v["1h"], { score: firstScore(0.375, 0.1), confidence: 0.03, value: 600, sampling: "sampled" });
  });

  it("is complete when only venues that publish every liquidation had some, and bearish on voluntary selling", () => {
    const events = [trade(1_000, "buy", 3, 100, "bybit"), trade(2_000, "sell", 4, 100, "bybit"), liq(3_000, "short", 200, 100, "bybit")];
    const v = valuesAt(flowVoluntary, events, 10_000);
    // (300 − 400) − (200 − 0) = −300 over 700 USD: taker flow was −100, the forced buy hid more selling
    expectValue(v["1m"], { score: firstScore(-300 / 700, 0.3), value: -300, sampling: "complete" });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is a measured 0 on a window without trades", () => {
    const v = valuesAt(flowVoluntary, [trade(1_000, "buy", 1), liq(2_000, "long", 100), liq(125_000, "long", 100)], 190_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without a liquidation feed, or without a trade feed", () => {
    expectUnavailable(valuesAt(flowVoluntary, [trade(1_000, "buy", 1)], 10_000)["5m"], "no liquidation feed: forced flow cannot be taken out of taker flow");
    expectUnavailable(valuesAt(flowVoluntary, [liq(1_000, "long", 100)], 10_000)["5m"], "no trade feed");
  });
});

describe("flow.count-imbalance", () => {
  it("counts prints, not volume: three small buys against one large sell lean bullish", () => {
    const v = valuesAt(flowCountImbalance, [trade(1_000, "buy", 0.1), trade(2_000, "buy", 0.1), trade(3_000, "buy", 0.1), trade(4_000, "sell", 5)], 10_000);
    // (3 − 1) / 4 = 0.5; 4 / 100 trades
    expectValue(v["1m"], { score: firstScore(0.5, 0.2), confidence: 0.04, value: 2 });
    expectValue(v["1h"], { score: firstScore(0.5, 0.08), confidence: 0.04, value: 2 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is a measured 0 on a window without trades", () => {
    const v = valuesAt(flowCountImbalance, [trade(1_000, "sell", 1), trade(125_000, "sell", 1)], 190_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
    // 5m [−110 000, 190 000) holds both sells: (0 − 2) / 2
    expectValue(v["5m"], { score: firstScore(-1, 0.15), confidence: 0.02, value: -2 });
  });
});

describe("flow.persistence", () => {
  it("votes each minute by the sign of its taker delta over the last five minutes on 1m", () => {
    const events = [
      ...minute(0, [2], [1]), // up
      ...minute(1, [1], [3]), // down
      ...minute(2, [1]), // up
      // minute 3 quiet: no vote
      ...minute(4, [1], [1]), // tie: traded, no vote
    ];
    const v = valuesAt(flowPersistence, events, 300_000);
    // (2 − 1) / 4 traded minutes; confidence 4 / 5
    expectValue(v["1m"], { score: firstScore(0.25, 0.45), confidence: 0.8, value: 1 });
    expectUnavailable(v["5m"], "warming up: 5 of 15 minutes of bars");
    expectUnavailable(v["1h"], "warming up: 5 of 60 minutes of bars");
  });

  it("reads fifteen minutes on 5m, and a selling streak as bearish on 1m", () => {
    const events = [
      ...Array.from({ length: 10 }, (_, m) => minute(m, [2], [1])).flat(), // minutes 0–9 up
      ...minute(10, [1], [2]), // down
      ...minute(11, [], [1]), // down; minutes 12–14 quiet
    ];
    const v = valuesAt(flowPersistence, events, 900_000);
    // 5m: minutes 0–14, (10 − 2) / 12 traded, confidence 12 / 15
    expectValue(v["5m"], { score: firstScore(8 / 12, 0.26), confidence: 0.8, value: 8 });
    // 1m: minutes 10–14, (0 − 2) / 2, confidence 2 / 5
    expectValue(v["1m"], { score: firstScore(-1, 0.45), confidence: 0.4, value: -2 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("does not count the minute still forming at the boundary", () => {
    // at 310 000 the bars still end at minute 4: a buy at 301 000 is not in them
    const events = [...minute(0, [1]), ...minute(1, [1]), ...minute(2, [1]), ...minute(3, [1]), ...minute(4, [], [1]), trade(301_000, "buy", 5)];
    const v = valuesAt(flowPersistence, events, 310_000);
    expectValue(v["1m"], { score: firstScore(3 / 5, 0.45), confidence: 1, value: 3 });
  });
});

describe("flow.acceleration", () => {
  const events = [
    ...Array.from({ length: 5 }, (_, m) => minute(m, [1], [1])).flat(), // minutes 0–4 balanced
    ...Array.from({ length: 3 }, (_, m) => minute(m + 5, [2], [1])).flat(), // minutes 5–7
    ...minute(8, [1], [3]), // (1 − 3) / 4 = −0.5
    ...minute(9, [3], [1]), // (3 − 1) / 4 = 0.5
  ];

  it("compares the latest window-length of minutes with the one before", () => {
    const v = valuesAt(flowAcceleration, events, 600_000);
    // 1m: minute 9 against minute 8: 0.5 − (−0.5) = 1; two trades in each
    expectValue(v["1m"], { score: firstScore(1, 0.4), confidence: 0.02, value: 1 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 5m: minutes 5–9 buy 2·3 + 1 + 3 = 10, sell 3 + 3 + 1 = 7 → 3 / 17; minutes 0–4 → 0; ten trades in each
    expectValue(v["5m"], { score: firstScore(3 / 17, 0.3), confidence: 0.1, value: 3 / 17 });
    expectUnavailable(v["1h"], "warming up: 10 of 120 minutes of bars");
  });

  it("reads fading buying as bearish, with confidence 0 when the latest span is quiet", () => {
    // at 660 000 the 1m spans are minute 10 (quiet, imbalance 0) and minute 9 (0.5)
    const v = valuesAt(flowAcceleration, events, 660_000);
    expectValue(v["1m"], { score: firstScore(-0.5, 0.4), confidence: 0, value: -0.5 });
  });
});

describe("flow.venue-breadth", () => {
  it("gives each venue that traded one vote by the sign of its taker delta", () => {
    const events = [
      trade(1_000, "buy", 2, 100, "binance"),
      trade(2_000, "sell", 1, 100, "binance"), // binance buys
      trade(3_000, "buy", 1, 100, "bybit"),
      trade(4_000, "sell", 3, 100, "bybit"), // bybit sells
      trade(5_000, "buy", 1, 100, "okx"), // okx buys
    ];
    const v = valuesAt(flowVenueBreadth, events, 10_000);
    // (1 − 1 + 1) / 3 venues; confidence min(5 / 100, 3 / 4)
    expectValue(v["1m"], { score: firstScore(1 / 3, 0.5), confidence: 0.05, value: 1 });
  });

  it("reads every venue selling as fully bearish", () => {
    const events = [trade(1_000, "sell", 1, 100, "binance"), trade(2_000, "sell", 1, 100, "okx")];
    const v = valuesAt(flowVenueBreadth, events, 10_000);
    expectValue(v["5m"], { score: firstScore(-1, 0.5), confidence: 0.02, value: -2 });
  });

  it("is unavailable with one venue delivering trades, or one venue trading in the window", () => {
    expectUnavailable(valuesAt(flowVenueBreadth, [trade(1_000, "buy", 1), trade(2_000, "sell", 3)], 10_000)["1m"], "fewer than two venues deliver trades");
    const events = [trade(1_000, "buy", 1, 100, "binance"), trade(1_500, "buy", 1, 100, "bybit"), trade(125_000, "buy", 1, 100, "binance")];
    const v = valuesAt(flowVenueBreadth, events, 130_000);
    // 1m [70 000, 130 000): binance alone
    expectUnavailable(v["1m"], "only one venue traded in the window");
    // 5m: both buy
    expectValue(v["5m"], { score: firstScore(1, 0.5), confidence: 0.03, value: 2 });
  });

  it("is a measured 0 on a window without trades", () => {
    const v = valuesAt(flowVenueBreadth, [trade(1_000, "buy", 1, 100, "binance"), trade(1_500, "buy", 1, 100, "bybit")], 190_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });
});

describe("flow.toxicity", () => {
  it("is a stress reading of the one-sided share of each minute's volume (VPIN on minute bars)", () => {
    const events = [
      ...minute(0, [3], [1]), // |2| of 4
      ...minute(1, [1], [1]), // 0 of 2
      ...minute(2, [], [2]), // 2 of 2
      // minute 3 quiet
      ...minute(4, [1]), // 1 of 1
    ];
    const engine = engineFor(flowToxicity);
    const card = cardOf(snapshotAt(engine, events, 300_000), "flow.toxicity");
    expect(card.kind).toBe("stress");
    // x = 5 / 9 against the prior center 0.3 and σ 0.1; four traded minutes of five
    const z = (5 / 9 - 0.3) / 0.1;
    expectValue(card.timeframes["1m"], { score: 0, strength: Math.tanh(z), confidence: 0.8, value: 5 / 9 });
    expectUnavailable(card.timeframes["5m"], "warming up: 5 of 15 minutes of bars");
  });

  it("has no strength when each minute is as balanced as usual or more", () => {
    const events = Array.from({ length: 5 }, (_, m) => minute(m, [2], [1.5])).flat(); // 0.5 of 3.5 each minute
    const v = valuesAt(flowToxicity, events, 300_000);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 1, value: 2.5 / 17.5 });
  });
});
