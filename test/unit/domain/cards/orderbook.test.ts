import { describe, expect, it } from "vitest";
import type { BookEvent, CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { orderbookImbalance } from "../../../../src/domain/cards/orderbook/imbalance.js";
import { orderbookWeightedImbalance } from "../../../../src/domain/cards/orderbook/weighted-imbalance.js";
import { orderbookMicroprice } from "../../../../src/domain/cards/orderbook/microprice.js";
import { orderbookDepthGradient } from "../../../../src/domain/cards/orderbook/depth-gradient.js";
import { orderbookWall } from "../../../../src/domain/cards/orderbook/wall.js";
import { orderbookGap } from "../../../../src/domain/cards/orderbook/gap.js";
import { orderbookPressure } from "../../../../src/domain/cards/orderbook/pressure.js";
import { bookDelta, bookSnapshot, cardOf, engineFor, expectUnavailable, expectValue, firstScore, S, snapshotAt, trade, valuesAt } from "./helpers.js";

/** A delta that cannot chain (no snapshot yet): the book stays unsynced. */
const unsyncedDelta: BookEvent = { venue: "binance", symbol: S, ts: 1_000, kind: "book", type: "delta", seq: 10, firstSeq: 5, prevSeq: 4, bids: [[99, 1]], asks: [] };

/**
 * The branches every book-reading card shares: no book feed, a book with deltas only, a book
 * without asks. `extra` supplies the other feeds the card needs.
 */
function expectBookBranches(card: CardDefinition, extra: readonly CanonicalEvent[] = []): void {
  const noFeed = valuesAt(card, [trade(1_000, "buy", 1)], 10_000);
  for (const tf of ["1m", "5m", "1h"] as const) expectUnavailable(noFeed[tf], "no book feed");
  expect(cardOf(snapshotAt(engineFor(card), [trade(1_000, "buy", 1)], 10_000), card.id).state).toBe("neutral");
  expectUnavailable(valuesAt(card, [...extra, unsyncedDelta], 10_000)["1m"], "book not synced");
  expectUnavailable(valuesAt(card, [...extra, bookSnapshot(1_000, 7, [[99.5, 1]], [])], 10_000)["5m"], "book side empty");
}

describe("orderbook.imbalance", () => {
  it("compares bid and ask depth within each timeframe's band around mid", () => {
    const v = valuesAt(orderbookImbalance, [bookSnapshot(1_000, 7, [[99.95, 3], [99.5, 1], [90, 50]], [[100.05, 1], [100.6, 1], [110, 50]])], 10_000);
    // mid 100; 1m ±0.1 % and 5m ±0.25 % hold 99.95 / 100.05: (3 − 1) / 4 = 0.5, 2 levels / 20
    expectValue(v["1m"], { score: firstScore(0.5, 0.3), strength: firstScore(0.5, 0.3), confidence: 0.1, value: 2 });
    expectValue(v["5m"], { score: firstScore(0.5, 0.3), confidence: 0.1, value: 2 });
    // 1h ±1 % adds 99.5 / 100.6: (4 − 2) / 6 = 1/3, 4 levels / 20
    expectValue(v["1h"], { score: firstScore(1 / 3, 0.3), confidence: 0.2, value: 2 });
  });

  it("sums the synced venues' books and leans bearish on heavier asks", () => {
    const v = valuesAt(
      orderbookImbalance,
      [bookSnapshot(1_000, 7, [[99.95, 1]], [[100.05, 2]]), bookSnapshot(1_000, 3, [[99.95, 1]], [[100.05, 4]], "bybit")],
      10_000,
    );
    // bids 1 + 1, asks 2 + 4: (2 − 6) / 8 = −0.5; 4 levels / 20
    expectValue(v["1m"], { score: firstScore(-0.5, 0.3), confidence: 0.2, value: -4 });
    expect(v["1m"].score).toBeLessThan(0);
  });

  it("is unavailable without a book feed, while the book has only deltas and no snapshot, and with an empty side", () => {
    expectBookBranches(orderbookImbalance);
  });
});

describe("orderbook.weighted-imbalance", () => {
  it("weighs each level's notional by 1 − distance / band on the primary book", () => {
    const v = valuesAt(orderbookWeightedImbalance, [bookSnapshot(1_000, 7, [[999.5, 3], [995, 1], [900, 50]], [[1000.5, 1], [1006, 1], [1100, 50]])], 10_000);
    // 1m band ±1 around mid 1000: 999.5 and 1000.5 lie 0.05 % away, weight 1 − 0.05 / 0.1 = 0.5
    const b1 = 0.5 * 999.5 * 3;
    const a1 = 0.5 * 1000.5 * 1;
    expectValue(v["1m"], { score: firstScore((b1 - a1) / (b1 + a1), 0.3), confidence: 0.1, value: b1 - a1 }); // 999 USD
    // 1h band ±10: weights 0.95 (0.05 % away), 0.5 (995, 0.5 %), 0.4 (1006, 0.6 %)
    const b = 0.95 * 999.5 * 3 + 0.5 * 995 * 1;
    const a = 0.95 * 1000.5 * 1 + 0.4 * 1006 * 1;
    expectValue(v["1h"], { score: firstScore((b - a) / (b + a), 0.3), confidence: 0.2, value: b - a });
    expect(v["1h"].score).toBeGreaterThan(0);
  });

  it("lets the near queues outvote a far wall that the flat imbalance counts in full", () => {
    // 1h band ±10: bids 2 at the touch (0.05 % away), asks 1 at the touch and 3 at 1009.5 (0.95 % away)
    // (levels at 980 and 1020 lie beyond the band on both sides: the book reaches past it)
    const events = [bookSnapshot(1_000, 7, [[999.5, 2], [980, 1]], [[1000.5, 1], [1009.5, 3], [1020, 1]])];
    const flat = valuesAt(orderbookImbalance, events, 10_000)["1h"];
    const weighted = valuesAt(orderbookWeightedImbalance, events, 10_000)["1h"];
    const b = 0.95 * 999.5 * 2;
    const a = 0.95 * 1000.5 + 0.05 * 1009.5 * 3;
    expectValue(weighted, { score: firstScore((b - a) / (b + a), 0.3), confidence: 0.15, value: b - a });
    expect(weighted.score).toBeGreaterThan(0);
    expect(flat.score).toBeLessThan(0); // (2 − 4) / 6
  });

  it("is unavailable without a book feed, with an unsynced book and with an empty side", () => {
    expectBookBranches(orderbookWeightedImbalance);
  });
});

describe("orderbook.microprice", () => {
  it("reads the microprice offset of the venue's best queues, in bps of mid", () => {
    const v = valuesAt(orderbookMicroprice, [bookSnapshot(1_000, 7, [[99.99, 3], [99.9, 10]], [[100.01, 1], [100.1, 10]])], 10_000);
    // microprice (99.99·1 + 100.01·3) / 4 = 100.005, mid 100: +0.5 bps; one fresh venue of one
    const x = ((99.99 * 1 + 100.01 * 3) / 4 - 100) / 100 * 1e4;
    for (const tf of ["1m", "5m", "1h"] as const) expectValue(v[tf], { score: firstScore(x, 0.5), confidence: 1, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("averages venues weighted by the USD at their touch", () => {
    const v = valuesAt(
      orderbookMicroprice,
      [bookSnapshot(1_000, 7, [[99.99, 3]], [[100.01, 1]]), bookSnapshot(2_000, 5, [[99.98, 1]], [[100.02, 1]], "bybit")],
      10_000,
    );
    // binance +0.5 bps on 99.99·3 + 100.01·1 = 399.98 USD; bybit 0 bps (equal sizes) on 200 USD
    const binance = ((99.99 + 100.01 * 3) / 4 - 100) / 100 * 1e4;
    const x = (399.98 * binance + 200 * 0) / (399.98 + 200);
    expectValue(v["5m"], { score: firstScore(x, 0.5), confidence: 1, value: x });
  });

  it("counts a venue whose top went stale during the window against its confidence", () => {
    const engine = engineFor(orderbookMicroprice);
    // bybit's top from 1 000 is stale at 70 000 (held 60 s) but covered part of the 1m window
    snapshotAt(engine, [bookSnapshot(1_000, 5, [[99.98, 1]], [[100.02, 1]], "bybit"), bookSnapshot(1_000, 7, [[99.99, 1]], [[100.01, 1]])], 10_000);
    const v = cardOf(snapshotAt(engine, [bookDelta(65_000, 8, [[99.99, 3]], [])], 70_000), orderbookMicroprice.id).timeframes["1m"];
    // binance alone: (99.99·1 + 100.01·3) / 4 − 100 = +0.5 bps; fresh 1 of 2 venues seen
    expectValue(v, { confidence: 0.5, value: ((99.99 + 100.01 * 3) / 4 - 100) / 100 * 1e4 });
  });

  it("is unavailable without a book feed and without a fresh top", () => {
    expectUnavailable(valuesAt(orderbookMicroprice, [trade(1_000, "buy", 1)], 10_000)["1m"], "no book feed");
    expectUnavailable(valuesAt(orderbookMicroprice, [unsyncedDelta], 10_000)["1m"], "no fresh top of book");
    const engine = engineFor(orderbookMicroprice);
    snapshotAt(engine, [bookSnapshot(1_000, 7, [[99.99, 1]], [[100.01, 1]])], 10_000);
    expectUnavailable(cardOf(snapshotAt(engine, [], 70_000), orderbookMicroprice.id).timeframes["1h"], "no fresh top of book");
  });
});

describe("orderbook.depth-gradient", () => {
  const events = [bookSnapshot(1_000, 7, [[999.75, 2], [999.25, 2], [995, 4]], [[1000.25, 1], [1000.75, 3], [1005, 4]])];

  it("compares the size-weighted distance of each side's depth from mid", () => {
    const v = valuesAt(orderbookDepthGradient, events, 10_000);
    // mid 1000, 1m band ±1: d_bid = (2·0.25 + 2·0.75) / 4 = 0.5 → 5 bps, d_ask = (0.25 + 3·0.75) / 4 = 0.625 → 6.25 bps
    expectValue(v["1m"], { score: firstScore(1.25 / 11.25, 0.2), confidence: 0.2, value: 1.25 });
    // 1h band ±10 adds 995 and 1005: d_bid = (0.5 + 1.5 + 20) / 8 = 2.75 → 27.5 bps, d_ask = (0.25 + 2.25 + 20) / 8 → 28.125 bps
    expectValue(v["1h"], { score: firstScore(0.625 / 55.625, 0.2), confidence: 0.3, value: 0.625 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is unavailable when the band holds no level", () => {
    // bid and ask 2 away from mid 1000: nothing within ±1 (1m), both within ±10 (1h)
    const v = valuesAt(orderbookDepthGradient, [bookSnapshot(1_000, 7, [[998, 1]], [[1002, 1]])], 10_000);
    expectUnavailable(v["1m"], "no bids within ±0.1 % of mid");
    expectValue(v["1h"], { score: 0, confidence: 0.1, value: 0 });
  });

  it("is unavailable without a book feed, with an unsynced book and with an empty side", () => {
    expectBookBranches(orderbookDepthGradient);
  });
});

describe("orderbook.wall", () => {
  // levels at 980 and 1020 lie beyond every band: the book reaches past them on both sides
  const events = [bookSnapshot(1_000, 7, [[999.75, 2], [999.5, 3], [980, 1]], [[1000.25, 2], [1000.75, 1], [1005, 12], [1020, 1]])];

  it("signs the largest level in the band by side, its share of the band and its nearness", () => {
    const v = valuesAt(orderbookWall, events, 10_000);
    // 1m ±1: the bid 3 at 999.5 of 8 in band, 0.05 % from mid: 3/8 · (1 − 0.05 / 0.1) = 0.1875
    expectValue(v["1m"], { score: firstScore(0.1875, 0.1), confidence: 0.2, value: 3 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 1h ±10: the ask 12 at 1005 of 20, 0.5 % away: −12/20 · (1 − 0.5 / 1) = −0.3
    expectValue(v["1h"], { score: firstScore(-0.3, 0.1), confidence: 0.25, value: -12 });
    expect(v["1h"].score).toBeLessThan(0);
  });

  it("reads only as far as both sides' held levels reach", () => {
    // without the far levels the bids end at 999.5, 0.5 from mid: the 1h band is cut to ±0.5 and
    // the ask wall at 1005 lies beyond it; the bid 3 at 999.5 (of 2 + 3 + 2) sits on the edge: proximity 0
    const v = valuesAt(orderbookWall, [bookSnapshot(1_000, 7, [[999.75, 2], [999.5, 3]], [[1000.25, 2], [1000.75, 1], [1005, 12]])], 10_000);
    expectValue(v["1h"], { score: 0, confidence: 0.15, value: 3 });
  });

  it("reads the book of each boundary afresh", () => {
    const engine = engineFor(orderbookWall);
    snapshotAt(engine, events, 10_000);
    // the bid wall at 999.5 is cancelled: the largest level in the 1m band is now a bid 2 at 999.75 and an ask 2 at 1000.25 (the bid wins the tie)
    const v = cardOf(snapshotAt(engine, [bookDelta(12_000, 8, [[999.5, 0]], [])], 20_000), orderbookWall.id).timeframes["1m"];
    // 2 / 5 in band · (1 − 0.25 / 1)
    expectValue(v, { score: firstScore(0.3, 0.1), confidence: 0.15, value: 2 });
  });

  it("is unavailable when no level lies in the band", () => {
    expectUnavailable(valuesAt(orderbookWall, [bookSnapshot(1_000, 7, [[998, 1]], [[1002, 1]])], 10_000)["1m"], "no level within ±0.1 % of mid");
  });

  it("is unavailable without a book feed, with an unsynced book and with an empty side", () => {
    expectBookBranches(orderbookWall);
  });
});

describe("orderbook.gap", () => {
  const bids: [number, number][] = [[999.75, 1], [999.5, 1], [999.25, 1], [998.5, 1]];
  const asks: [number, number][] = [[1000.25, 1], [1001.5, 1], [1004, 1]];

  it("compares the widest hole of each side, cut at the band edge", () => {
    const v = valuesAt(orderbookGap, [bookSnapshot(1_000, 7, [...bids, [980, 1]], [...asks, [1020, 1]])], 10_000);
    // 1m ±1 (999 … 1001): bid holes 0.25, and 999.25 → 998.5 cut at 999: 0.25; the ask hole 1000.25 → 1001.5 cut at 1001: 0.75
    // x = 7.5 − 2.5 bps; 3 bids + 1 ask in band
    expectValue(v["1m"], { score: firstScore(5, 2), confidence: 0.2, value: 5 });
    expect(v["1m"].score).toBeGreaterThan(0);
    // 1h ±10 (990 … 1010): bid holes 0.25, 0.25, 0.75, then 998.5 → 980 cut at 990: 8.5 → 85 bps;
    // ask holes 1.25, 2.5, then 1004 → 1020 cut at 1010: 6 → 60 bps; 7 levels
    expectValue(v["1h"], { score: firstScore(-25, 2), confidence: 0.35, value: -25 });
    expect(v["1h"].score).toBeLessThan(0);
  });

  it("cuts the band where a side's held levels end: nothing is known beyond them", () => {
    const v = valuesAt(orderbookGap, [bookSnapshot(1_000, 7, bids, asks)], 10_000);
    // 1h: the bids end at 998.5, 1.5 from mid: the band is ±1.5 (998.5 … 1001.5) on both sides
    // bid holes 0.25, 0.25, 0.75 → 7.5 bps; ask holes 1.25, then 1001.5 → 1004 cut at 1001.5: 0 → 12.5 bps; 6 levels
    expectValue(v["1h"], { score: firstScore(5, 2), confidence: 0.3, value: 5 });
    // 1m: the asks 1000.5, 1000.75 end 0.75 from mid: ±0.75; the bid hole 999.5 → 998 counts only to 999.25
    const short = valuesAt(orderbookGap, [bookSnapshot(1_000, 7, [[999.5, 1], [998, 1]], [[1000.5, 1], [1000.75, 1]])], 10_000);
    expectValue(short["1m"], { score: 0, confidence: 0.15, value: 0 });
  });

  it("reads a band with no level on either side as two equal holes (mid to edge)", () => {
    const v = valuesAt(orderbookGap, [bookSnapshot(1_000, 7, [[998, 1]], [[1002, 1]])], 10_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without a book feed, with an unsynced book and with an empty side", () => {
    expectBookBranches(orderbookGap);
  });
});

describe("orderbook.pressure", () => {
  const book = bookSnapshot(1_000, 7, [[999.5, 10]], [[1000.5, 5]]);

  it("measures each side's taker flow in multiples of the depth it hits", () => {
    const v = valuesAt(orderbookPressure, [book, trade(2_000, "buy", 2, 1_000), trade(3_000, "sell", 1, 1_000)], 10_000);
    // asks 1000.5·5 = 5002.5 USD, bids 999.5·10 = 9995 USD; buys 2000 USD, sells 1000 USD; 2 trades / 100
    const x = 2000 / 5002.5 - 1000 / 9995;
    expectValue(v["1m"], { score: firstScore(x, 0.3), confidence: 0.02, value: x });
    expectValue(v["1h"], { score: firstScore(x, 2), confidence: 0.02, value: x });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("is a measured zero when the window had no trades", () => {
    const engine = engineFor(orderbookPressure);
    snapshotAt(engine, [book, trade(2_000, "sell", 1, 1_000)], 10_000);
    // the 1m window [130 000, 190 000) has no trade; a delta at 185 000 keeps the book fresh
    const v = cardOf(snapshotAt(engine, [bookDelta(185_000, 8, [[999, 1]], [])], 190_000), orderbookPressure.id).timeframes["1m"];
    expectValue(v, { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without trades, without resting depth in the band, and on the shared book branches", () => {
    expectUnavailable(valuesAt(orderbookPressure, [book], 10_000)["1m"], "no trade feed");
    const wide = valuesAt(orderbookPressure, [bookSnapshot(1_000, 7, [[998, 1]], [[1002, 1]]), trade(2_000, "buy", 1, 1_000)], 10_000);
    expectUnavailable(wide["1m"], "no asks within ±0.1 % of mid");
    expectBookBranches(orderbookPressure, [trade(500, "buy", 1, 1_000)]);
  });
});
