import { describe, expect, it } from "vitest";
import type { BookEvent, CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { liquidityDepth } from "../../../../src/domain/cards/liquidity/depth.js";
import { liquidityDepthFlow } from "../../../../src/domain/cards/liquidity/depth-flow.js";
import { liquidityPulled } from "../../../../src/domain/cards/liquidity/pulled.js";
import { liquidityAdded } from "../../../../src/domain/cards/liquidity/added.js";
import { liquidityCancelRatio } from "../../../../src/domain/cards/liquidity/cancel-ratio.js";
import { liquidityRefill } from "../../../../src/domain/cards/liquidity/refill.js";
import { liquidityTurnover } from "../../../../src/domain/cards/liquidity/turnover.js";
import { closestBand } from "../../../../src/domain/cards/liquidity/book-traffic.js";
import { bookDelta, bookSnapshot, cardOf, engineFor, expectUnavailable, expectValue, firstScore, S, snapshotAt, trade, valuesAt } from "./helpers.js";

const TFS = ["1m", "5m", "1h"] as const;

/**
 * One scripted window of book traffic around mid 1000 (every figure exact in binary):
 *
 * - snapshot at 1 000: bids 999.5 × 10, asks 1000.5 × 10
 * - 2 000: a bid of 4 joins at 999.75 (+3 999 USD bid added); the ask at 1000.5 drops 10 → 6 (−4 002 ask removed)
 * - 2 500: taker buy 1 at 1000.5 (1 000.5 USD); 3 500: taker sell 1 at 999.75 (999.75 USD)
 * - 3 000 (mid now 1000.125): the bid at 999.5 drops 10 → 7 (−2 998.5 bid removed); an ask of 2 joins at 1000.75 (+2 001.5)
 *
 * Every change lies within 0.1 % of the mid before it, so the 0.1 % band (1m, 5m) and the 1 % band
 * (1h) count the same. Book at the boundary: bids 999.75 × 4 + 999.5 × 7 = 10 995.5 USD, asks
 * 1000.5 × 6 + 1000.75 × 2 = 8 004.5 USD: 19 000 USD within 0.1 % of mid 1000.125.
 * Pulled: bids 2 998.5 − 999.75 = 1 998.75, asks 4 002 − 1 000.5 = 3 001.5.
 */
const TRAFFIC: CanonicalEvent[] = [
  bookSnapshot(1_000, 1, [[999.5, 10]], [[1000.5, 10]]),
  bookDelta(2_000, 2, [[999.75, 4]], [[1000.5, 6]]),
  trade(2_500, "buy", 1, 1000.5),
  bookDelta(3_000, 3, [[999.5, 7]], [[1000.75, 2]]),
  trade(3_500, "sell", 1, 999.75),
];
const DEPTH = 19_000;

/** A delta that cannot chain (no snapshot yet): the book stays unsynced. */
const unsyncedDelta: BookEvent = { venue: "binance", symbol: S, ts: 1_000, kind: "book", type: "delta", seq: 10, firstSeq: 5, prevSeq: 4, bids: [[999, 1]], asks: [] };

/** No book feed, an unsynced book, an empty side; `extra` supplies the other feeds the card needs. */
function expectBookBranches(card: CardDefinition, extra: readonly CanonicalEvent[] = []): void {
  const noFeed = valuesAt(card, [trade(1_000, "buy", 1)], 10_000);
  for (const tf of TFS) expectUnavailable(noFeed[tf], "no book feed");
  expectUnavailable(valuesAt(card, [...extra, unsyncedDelta], 10_000)["1m"], "book not synced");
  expectUnavailable(valuesAt(card, [...extra, bookSnapshot(1_000, 7, [[999.5, 1]], [])], 10_000)["1h"], "book side empty");
}

/** A synced book and (for cards that read trades) a trade, and no book change in the window. */
const QUIET: CanonicalEvent[] = [bookSnapshot(1_000, 1, [[999.5, 10]], [[1000.5, 10]]), trade(2_000, "buy", 1, 1000.5)];

describe("liquidity band", () => {
  it("takes the book-change band closest to the timeframe's book band", () => {
    const changes = [0.1, 1].map((bandPct) => ({ bandPct, bidAddedUsd: 0, bidRemovedUsd: 0, askAddedUsd: 0, askRemovedUsd: 0 }));
    expect(closestBand(changes, 0.1)?.bandPct).toBe(0.1);
    expect(closestBand(changes, 0.25)?.bandPct).toBe(0.1);
    expect(closestBand(changes, 1)?.bandPct).toBe(1);
    expect(closestBand([], 1)).toBeUndefined();
  });
});

describe("liquidity.pulled", () => {
  it("compares the depth each side lost net of the taker volume that hit it", () => {
    const v = valuesAt(liquidityPulled, TRAFFIC, 10_000);
    // (3 001.5 − 1 998.75) / 5 000.25; confidence 5 000.25 / 19 000
    for (const tf of TFS) expectValue(v[tf], { score: firstScore(1002.75 / 5000.25, 0.2), confidence: 5000.25 / DEPTH, value: 1002.75 });
    expect(v["1m"].score).toBeGreaterThan(0);
  });

  it("reads pulled bids as bearish", () => {
    // the ask at 1000.5 is traded away (taker buy 2): a fill, not a pull; the bid at 999.5 loses 4 with no seller
    const events = [bookSnapshot(1_000, 1, [[999.5, 10]], [[1000.5, 2], [1000.75, 1]]), bookDelta(2_000, 2, [[999.5, 6]], [[1000.5, 0]]), trade(2_100, "buy", 2, 1000.5)];
    const v = valuesAt(liquidityPulled, events, 10_000);
    // askPulled = max(0, 2 001 − 2 001) = 0, bidPulled = 3 998; depth after: bids 5 997, asks 1 000.75 (mid 1000.125)
    expectValue(v["1m"], { score: firstScore(-1, 0.2), confidence: 3998 / (5997 + 1000.75), value: -3998 });
  });

  it("takes confidence 1 when the band ends the window empty after traffic", () => {
    // the touch is cancelled and the book re-forms 0.2 % away: the 1m band (0.1 %) is empty at the boundary
    const events = [trade(500, "buy", 0.5, 1000), bookSnapshot(1_000, 1, [[999.5, 1]], [[1000.5, 1]]), bookDelta(2_000, 2, [[999.5, 0], [998, 1]], [[1000.5, 0], [1002, 1]])];
    const v = valuesAt(liquidityPulled, events, 10_000);
    // asks pulled 1 000.5 − 500 (the taker buy) = 500.5, bids pulled 999.5: (500.5 − 999.5) / 1 500
    expectValue(v["1m"], { score: firstScore(-499 / 1500, 0.2), confidence: 1, value: -499 });
    // 1h (1 %) holds 998 + 1 002 = 2 000 USD at the boundary: 1 500 / 2 000
    expectValue(v["1h"], { score: firstScore(-499 / 1500, 0.2), confidence: 0.75, value: -499 });
  });

  it("is a measured zero (confidence 0) for a window without book changes", () => {
    expectValue(valuesAt(liquidityPulled, QUIET, 10_000)["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without trades to tell fills apart, and on the book branches", () => {
    expectUnavailable(valuesAt(liquidityPulled, TRAFFIC.filter((e) => e.kind === "book"), 10_000)["1m"], "no trade feed");
    expectBookBranches(liquidityPulled, [trade(500, "buy", 1, 1000)]);
  });
});

describe("liquidity.added", () => {
  it("compares the depth added per side", () => {
    const v = valuesAt(liquidityAdded, TRAFFIC, 10_000);
    // (3 999 − 2 001.5) / 6 000.5; confidence 6 000.5 / 19 000
    for (const tf of TFS) expectValue(v[tf], { score: firstScore(1997.5 / 6000.5, 0.2), confidence: 6000.5 / DEPTH, value: 1997.5 });
    expect(v["5m"].score).toBeGreaterThan(0);
  });

  it("counts only the changes within the band", () => {
    // the touch is cancelled and new levels join 0.2 % from mid 1000: outside the 0.1 % band, inside 1 %
    const events = [bookSnapshot(1_000, 1, [[999.5, 1]], [[1000.5, 1]]), bookDelta(2_000, 2, [[999.5, 0], [998, 1]], [[1000.5, 0], [1002, 1]])];
    const v = valuesAt(liquidityAdded, events, 10_000);
    expectValue(v["1m"], { score: 0, confidence: 0, value: 0 });
    // 1h (1 %): bids added 998, asks added 1 002; depth at the boundary 998 + 1 002 = 2 000
    expectValue(v["1h"], { score: firstScore(-4 / 2000, 0.2), confidence: 1, value: -4 });
  });

  it("is a measured zero for a window without book changes, and unavailable on the book branches", () => {
    expectValue(valuesAt(liquidityAdded, QUIET, 10_000)["5m"], { score: 0, confidence: 0, value: 0 });
    expectBookBranches(liquidityAdded);
  });
});

describe("liquidity.depth-flow", () => {
  it("nets each side's added and removed depth, fills included, against the resting depth", () => {
    const v = valuesAt(liquidityDepthFlow, TRAFFIC, 10_000);
    // bids 3 999 − 2 998.5 = +1 000.5, asks 2 001.5 − 4 002 = −2 000.5: net 3 001 over 19 000; traffic 13 001
    for (const tf of TFS) expectValue(v[tf], { score: firstScore(3001 / DEPTH, 0.3), confidence: 13001 / DEPTH, value: 3001 });
    expect(v["1h"].score).toBeGreaterThan(0);
  });

  it("is unavailable when the band holds no depth, and on the book branches", () => {
    const v = valuesAt(liquidityDepthFlow, [bookSnapshot(1_000, 1, [[998, 1]], [[1002, 1]])], 10_000);
    expectUnavailable(v["1m"], "no resting depth within ±0.1 % of mid");
    expectValue(v["1h"], { score: 0, confidence: 0, value: 0 });
    expectBookBranches(liquidityDepthFlow);
  });
});

describe("liquidity.cancel-ratio", () => {
  it("reads the cancelled share of the makers' traffic against the symbol's usual", () => {
    const v = valuesAt(liquidityCancelRatio, TRAFFIC, 10_000);
    // pulled 5 000.25, added 6 000.5: x = 5 000.25 / 11 000.75; center 0.45, σ 0.05
    const x = 5000.25 / 11000.75;
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh((x - 0.45) / 0.05), confidence: 11000.75 / DEPTH, value: x });
  });

  it("reads less cancelling than usual as no stress", () => {
    // only additions: x = 0
    const events = [bookSnapshot(1_000, 1, [[999.5, 10]], [[1000.5, 10]]), bookDelta(2_000, 2, [[999.75, 1]], []), trade(3_000, "buy", 1, 1000.5)];
    const v = valuesAt(liquidityCancelRatio, events, 10_000);
    // added 999.75 of depth 9 995 + 999.75 + 10 005
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 999.75 / (9995 + 999.75 + 10005), value: 0 });
  });

  it("is a measured zero without book changes, and unavailable without trades or on the book branches", () => {
    expectValue(valuesAt(liquidityCancelRatio, QUIET, 10_000)["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
    expectUnavailable(valuesAt(liquidityCancelRatio, TRAFFIC.filter((e) => e.kind === "book"), 10_000)["5m"], "no trade feed");
    expectBookBranches(liquidityCancelRatio, [trade(500, "buy", 1, 1000)]);
  });
});

describe("liquidity.refill", () => {
  it("reads the hit side's consumption against what was added to it", () => {
    const v = valuesAt(liquidityRefill, TRAFFIC, 10_000);
    // buys 1 000.5 ≥ sells 999.75: asks are hit; 2 001.5 USD of asks added: x = 1 000.5 / 3 002; 2 trades / 100
    const x = 1000.5 / 3002;
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh((x - 0.1) / 0.1), confidence: 0.02, value: x });
  });

  it("takes the bid side when sellers hit harder", () => {
    const events = [...TRAFFIC, trade(4_000, "sell", 2, 999.5)];
    // sells 999.75 + 1 999 = 2 998.75 > buys 1 000.5: bids hit, 3 999 USD of bids added
    const x = 2998.75 / (2998.75 + 3999);
    expectValue(valuesAt(liquidityRefill, events, 10_000)["1m"], { strength: Math.tanh((x - 0.1) / 0.1), confidence: 0.03, value: x });
  });

  it("is a measured zero without trades in the window, and unavailable without trades or on the book branches", () => {
    const engine = engineFor(liquidityRefill);
    snapshotAt(engine, QUIET, 10_000);
    // the 1m window [130 000, 190 000) has no trade; a delta at 185 000 keeps the book fresh
    const v = cardOf(snapshotAt(engine, [bookDelta(185_000, 2, [[999, 1]], [])], 190_000), liquidityRefill.id).timeframes["1m"];
    expectValue(v, { score: 0, strength: 0, confidence: 0, value: 0 });
    expectUnavailable(valuesAt(liquidityRefill, TRAFFIC.filter((e) => e.kind === "book"), 10_000)["1m"], "no trade feed");
    expectBookBranches(liquidityRefill, [trade(500, "buy", 1, 1000)]);
  });
});

describe("liquidity.depth", () => {
  it("reads −ln of the resting notional in the band against the symbol's usual", () => {
    const v = valuesAt(liquidityDepth, [bookSnapshot(1_000, 1, [[999.5, 1_000]], [[1000.5, 500]])], 10_000);
    // 999 500 + 500 250 = 1 499 750 USD; center −ln 2 000 000, σ 0.5; 2 levels / 20
    const x = -Math.log(1_499_750);
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh((x + Math.log(2_000_000)) / 0.5), confidence: 0.1, value: 1_499_750 });
    expect(v["1m"].strength).toBeGreaterThan(0.5);
  });

  it("reads a deeper book than usual as no stress", () => {
    const v = valuesAt(liquidityDepth, [bookSnapshot(1_000, 1, [[999.5, 4_000]], [[1000.5, 4_000]])], 10_000);
    expectValue(v["5m"], { score: 0, strength: 0, confidence: 0.1, value: 8_000_000 });
  });

  it("reads an empty band as full stress", () => {
    const v = valuesAt(liquidityDepth, [bookSnapshot(1_000, 1, [[998, 1]], [[1002, 1]])], 10_000);
    expectValue(v["1m"], { score: 0, strength: 1, confidence: 0, value: 0 });
    // 1h (±1 %): 998 + 1 002 = 2 000 USD, far thinner than the prior center
    expectValue(v["1h"], { strength: Math.tanh((Math.log(2_000_000) - Math.log(2_000)) / 0.5), confidence: 0.1, value: 2_000 });
  });

  it("is unavailable on the book branches", () => {
    expectBookBranches(liquidityDepth);
  });
});

describe("liquidity.turnover", () => {
  /** A level of 20 at 1000.75 placed and cancelled around a book of 999.5 × 1 and 1000.5 × 1 (2 000 USD). */
  const churn = [bookSnapshot(1_000, 1, [[999.5, 1]], [[1000.5, 1]]), bookDelta(2_000, 2, [], [[1000.75, 20]]), bookDelta(3_000, 3, [], [[1000.75, 0]])];

  it("reads the band's traffic per minute against its resting depth", () => {
    const v = valuesAt(liquidityTurnover, churn, 10_000);
    // traffic 2 · 20 015 = 40 030 USD over 2 · 2 000: 10.0075 rewrites in 1 minute; center 5, σ 5 (1m)
    expectValue(v["1m"], { score: 0, strength: Math.tanh((10.0075 - 5) / 5), confidence: 0.1, value: 10.0075 });
    // the same traffic over 5 minutes: 2.0015 per minute, below the usual 5
    expectValue(v["5m"], { strength: 0, value: 10.0075 / 5 });
    expectValue(v["1h"], { strength: 0, value: 10.0075 / 60 });
  });

  it("reads the scripted window's traffic", () => {
    const v = valuesAt(liquidityTurnover, TRAFFIC, 10_000);
    expectValue(v["1m"], { strength: 0, confidence: 0.2, value: 13001 / (2 * DEPTH) });
  });

  it("is unavailable when the band holds no depth, and on the book branches", () => {
    expectUnavailable(valuesAt(liquidityTurnover, [bookSnapshot(1_000, 1, [[998, 1]], [[1002, 1]])], 10_000)["5m"], "no resting depth within ±0.1 % of mid");
    expectBookBranches(liquidityTurnover);
  });
});
