import { describe, expect, it } from "vitest";
import type { BookEvent, CanonicalEvent } from "../../../../src/domain/events.js";
import type { CardDefinition } from "../../../../src/domain/cards/card.js";
import { spreadLevel } from "../../../../src/domain/cards/spread/level.js";
import { spreadWidening } from "../../../../src/domain/cards/spread/widening.js";
import { spreadVenueDispersion } from "../../../../src/domain/cards/spread/venue-dispersion.js";
import { spreadVolRatio } from "../../../../src/domain/cards/spread/vol-ratio.js";
import { spreadTouchDepth } from "../../../../src/domain/cards/spread/touch-depth.js";
import { spreadUpdateRate } from "../../../../src/domain/cards/spread/update-rate.js";
import { spreadChurn } from "../../../../src/domain/cards/spread/churn.js";
import { bookDelta, bookSnapshot, cardOf, engineFor, expectUnavailable, expectValue, quote, S, snapshotAt, trade, valuesAt } from "./helpers.js";

const TFS = ["1m", "5m", "1h"] as const;
const WINDOW_MS = { "1m": 60_000, "5m": 300_000, "1h": 3_600_000 } as const;

/**
 * The top of book of one scripted window (binance, from its book):
 * - 1 000: bid 999.875 / ask 1000.125, mid 1000: S1 = 0.25 / 1000 · 1e4 = 2.5 bps
 * - 4 000: the ask at 1000.125 is cancelled, the best ask is 1000.25, mid 1000.0625: S2 = 0.375 / 1000.0625 · 1e4 bps
 * At boundary 10 000: S1 held 3 000 ms, S2 6 000 ms: 9 000 ms covered; two top-of-book changes.
 */
const TOPS: CanonicalEvent[] = [bookSnapshot(1_000, 1, [[999.875, 1]], [[1000.125, 1], [1000.25, 1]]), bookDelta(4_000, 2, [], [[1000.125, 0]])];
const S1 = (0.25 / 1000) * 1e4;
const S2 = (0.375 / 1000.0625) * 1e4;
const MEAN = (3_000 * S1 + 6_000 * S2) / 9_000;

/** A delta that cannot chain (no snapshot yet): the book never gives a top. */
const unsyncedDelta: BookEvent = { venue: "binance", symbol: S, ts: 1_000, kind: "book", type: "delta", seq: 10, firstSeq: 5, prevSeq: 4, bids: [[999, 1]], asks: [] };

/** No book feed; a book that never synced (no top of book known). */
function expectTopBranches(card: CardDefinition, reason: string, extra: readonly CanonicalEvent[] = []): void {
  const noFeed = valuesAt(card, [trade(1_000, "buy", 1)], 10_000);
  for (const tf of TFS) expectUnavailable(noFeed[tf], "no book feed");
  expectUnavailable(valuesAt(card, [...extra, unsyncedDelta], 10_000)["1m"], reason);
}

describe("spread.level", () => {
  it("reads the time-weighted spread of the window against the symbol's usual", () => {
    const v = valuesAt(spreadLevel, TOPS, 10_000);
    // (3 000 · 2.5 + 6 000 · S2) / 9 000 ≈ 3.33 bps; center 2, σ 1; covered 9 000 ms of the window
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh(MEAN - 2), confidence: 9_000 / WINDOW_MS[tf], value: MEAN });
  });

  it("moves its center to the symbol's own spread", () => {
    const engine = engineFor(spreadLevel, { config: { cards: { scaleAdapt: true } } });
    snapshotAt(engine, TOPS, 10_000);
    const v = cardOf(snapshotAt(engine, [], 20_000), spreadLevel.id).timeframes["1m"];
    // second window: S1 over 3 000 ms, S2 over 16 000 ms
    const x = (3_000 * S1 + 16_000 * S2) / 19_000;
    // after one sample MEAN: center (1 · MEAN + 180 · 2) / 181, σ² = (0 + 180 · 1) / 181 (n₀ = 30 min / 10 s)
    const center = (MEAN + 180 * 2) / 181;
    const sigma = Math.sqrt(180 / 181);
    expectValue(v, { strength: Math.tanh((x - center) / sigma), confidence: 19_000 / 60_000, value: x });
  });

  it("averages venues weighted by the time each covered", () => {
    const v = valuesAt(spreadLevel, [...TOPS, bookSnapshot(7_000, 3, [[999.5, 1]], [[1000.5, 1]], "bybit")], 10_000);
    // bybit: 10 bps for 3 000 ms; binance as above for 9 000 ms
    const x = (9_000 * MEAN + 3_000 * ((1 / 1000) * 1e4)) / 12_000;
    expectValue(v["1m"], { strength: Math.tanh(x - 2), confidence: 12_000 / (2 * 60_000), value: x });
  });

  it("is unavailable without a book feed and without a top of book in the window", () => {
    expectTopBranches(spreadLevel, "no top of book within the window");
  });
});

describe("spread.widening", () => {
  it("compares the latest spread with the window's time-weighted spread", () => {
    const v = valuesAt(spreadWidening, TOPS, 10_000);
    // S2 / MEAN − 1 ≈ 0.125; center 0, σ 0.5
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh((S2 / MEAN - 1) / 0.5), confidence: 9_000 / WINDOW_MS[tf], value: S2 });
  });

  it("reads a narrowing spread as no stress", () => {
    // the spread starts at S2 and narrows to S1 at 4 000
    const events = [bookSnapshot(1_000, 1, [[999.875, 1]], [[1000.25, 1]]), bookDelta(4_000, 2, [], [[1000.125, 1]])];
    const v = valuesAt(spreadWidening, events, 10_000);
    const mean = (3_000 * S2 + 6_000 * S1) / 9_000;
    expect(S1 / mean - 1).toBeLessThan(0);
    expectValue(v["1m"], { strength: 0, confidence: 0.15, value: S1 });
  });

  it("is unavailable without a book feed, without a top, with a stale top, and on a locked book", () => {
    expectTopBranches(spreadWidening, "no fresh top of book with a known window spread");
    const engine = engineFor(spreadWidening);
    snapshotAt(engine, TOPS, 10_000);
    // the top from 4 000 is stale at 70 000 (held 60 s) though it covered part of the window
    expectUnavailable(cardOf(snapshotAt(engine, [], 70_000), spreadWidening.id).timeframes["5m"], "no fresh top of book with a known window spread");
    const locked = [quote(1_000, 1000, 1, 1000, 1), bookSnapshot(1_000, 1, [[999.5, 1]], [[1000.5, 1]])];
    expectUnavailable(valuesAt(spreadWidening, locked, 10_000)["1m"], "spread was zero over the window");
  });
});

describe("spread.venue-dispersion", () => {
  it("reads the log ratio of the widest to the narrowest venue spread", () => {
    const events = [bookSnapshot(1_000, 1, [[999.875, 1]], [[1000.125, 1]]), bookSnapshot(1_000, 3, [[999.5, 1]], [[1000.5, 1]], "bybit")];
    const v = valuesAt(spreadVenueDispersion, events, 10_000);
    // bybit 10 bps, binance 2.5 bps: ln 4; center ln 2, σ 0.5; 2 · 9 000 ms covered
    const x = Math.log(((1 / 1000) * 1e4) / S1);
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh((x - Math.LN2) / 0.5), confidence: 9_000 / WINDOW_MS[tf], value: (1 / 1000) * 1e4 });
  });

  it("is unavailable with fewer than two venues, and without a book feed", () => {
    expectUnavailable(valuesAt(spreadVenueDispersion, TOPS, 10_000)["1m"], "fewer than two venues deliver top of book");
    expectTopBranches(spreadVenueDispersion, "fewer than two venues deliver top of book");
  });
});

describe("spread.update-rate", () => {
  it("counts top-of-book changes per second of the window", () => {
    const v = valuesAt(spreadUpdateRate, TOPS, 10_000);
    // 2 changes: 2 / 60 per second on 1m, below the usual 2
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: 0, confidence: 9_000 / WINDOW_MS[tf], value: 2 / (WINDOW_MS[tf] / 1_000) });
  });

  it("reads a burst of changes above the usual rate as stress", () => {
    // 150 deltas alternating the best bid's size between 2 and 1: 151 changes with the snapshot
    const events: CanonicalEvent[] = [bookSnapshot(1_000, 1, [[999.875, 1]], [[1000.125, 1]])];
    for (let i = 0; i < 150; i++) events.push(bookDelta(1_050 + i * 50, 2 + i, [[999.875, i % 2 === 0 ? 2 : 1]], []));
    const v = valuesAt(spreadUpdateRate, events, 10_000);
    // 151 / 60 per second; center 2, σ 2
    expectValue(v["1m"], { strength: Math.tanh((151 / 60 - 2) / 2), confidence: 0.15, value: 151 / 60 });
    expectValue(v["5m"], { strength: 0, value: 151 / 300 });
  });

  it("is unavailable without a book feed and without a top of book in the window", () => {
    expectTopBranches(spreadUpdateRate, "no top of book within the window");
  });
});

describe("spread.churn", () => {
  it("divides the top-of-book changes by the trades of the venues with a top", () => {
    // binance: 2 changes, 1 trade; bybit's 3 trades have no top and do not count
    const events = [...TOPS, trade(5_000, "buy", 1, 1000), trade(5_000, "sell", 1, 1000, "bybit"), trade(6_000, "sell", 1, 1000, "bybit"), trade(7_000, "buy", 1, 1000, "bybit")];
    const v = valuesAt(spreadChurn, events, 10_000);
    // x = 2 / 1; center 1, σ 1; 1 trade / 100
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh(1), confidence: 0.01, value: 2 });
  });

  it("is a measured zero (confidence 0) when the venues with a top had no trade", () => {
    const v = valuesAt(spreadChurn, [...TOPS, trade(5_000, "buy", 1, 1000, "bybit")], 10_000);
    expectValue(v["1m"], { score: 0, strength: 0, confidence: 0, value: 0 });
  });

  it("is unavailable without a trade feed, without a book feed and without a top of book", () => {
    expectUnavailable(valuesAt(spreadChurn, TOPS, 10_000)["1m"], "no trade feed");
    expectTopBranches(spreadChurn, "no top of book within the window", [trade(500, "buy", 1, 1000)]);
  });
});

describe("spread.touch-depth", () => {
  it("reads −ln of the USD quoted at the venues' best levels against the symbol's usual", () => {
    const events = [bookSnapshot(1_000, 1, [[999.875, 20]], [[1000.125, 20]])];
    const v = valuesAt(spreadTouchDepth, events, 10_000);
    // 999.875 · 20 + 1000.125 · 20 = 40 000 USD; center −ln 100 000, σ 1
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh(Math.log(100_000 / 40_000)), confidence: 1, value: 40_000 });
  });

  it("sums venues, reads a deep touch as no stress, and a touch with no size as full stress", () => {
    const deep = [bookSnapshot(1_000, 1, [[999.875, 40]], [[1000.125, 40]]), bookSnapshot(1_000, 3, [[999.5, 30]], [[1000.5, 30]], "bybit")];
    expectValue(valuesAt(spreadTouchDepth, deep, 10_000)["1m"], { strength: 0, confidence: 1, value: 80_000 + 60_000 });
    // a quote stream with no size overrides the book's top
    const empty = [bookSnapshot(1_000, 1, [[999.875, 1]], [[1000.125, 1]]), quote(2_000, 999.875, 0, 1000.125, 0)];
    expectValue(valuesAt(spreadTouchDepth, empty, 10_000)["1m"], { score: 0, strength: 1, confidence: 1, value: 0 });
  });

  it("counts a venue whose top went stale during the window against its confidence", () => {
    const engine = engineFor(spreadTouchDepth);
    snapshotAt(engine, [bookSnapshot(1_000, 3, [[999.5, 1]], [[1000.5, 1]], "bybit"), bookSnapshot(1_000, 1, [[999.875, 1]], [[1000.125, 1]])], 10_000);
    // at 70 000 bybit's top (1 000) is stale; binance's is refreshed at 65 000
    const v = cardOf(snapshotAt(engine, [bookDelta(65_000, 2, [[999.875, 3]], [])], 70_000), spreadTouchDepth.id).timeframes["1m"];
    expectValue(v, { confidence: 0.5, value: 999.875 * 3 + 1000.125 });
  });

  it("is unavailable without a book feed and without a fresh top", () => {
    expectTopBranches(spreadTouchDepth, "no fresh top of book");
  });
});

describe("spread.vol-ratio", () => {
  /** One trade a minute (at :30) for minutes 0 … last, price from `priceAt`. */
  function minuteTrades(last: number, priceAt: (m: number) => number): CanonicalEvent[] {
    const out: CanonicalEvent[] = [];
    for (let m = 0; m <= last; m++) out.push(trade(m * 60_000 + 30_000, m % 2 === 0 ? "buy" : "sell", 1, priceAt(m)));
    return out;
  }
  const END = 62 * 60_000; // bars 0 … 61 are complete
  const BOOK = bookSnapshot(END - 9_000, 1, [[999.875, 1]], [[1000.125, 1]]); // 2.5 bps for the last 9 s

  it("divides the window's spread by the last hour's volatility per trade", () => {
    const v = valuesAt(spreadVolRatio, [...minuteTrades(61, (m) => (m % 2 === 0 ? 1000 : 1000.125)), BOOK], END);
    // 60 returns of ±ln(1000.125 / 1000) · 1e4 bps; 60 trades in those minutes: 1 per minute, σ₁ = σ_min
    const sigma1 = Math.log(1000.125 / 1000) * 1e4;
    const ratio = S1 / sigma1;
    // x = ln(ratio) ≈ 0.69; center 0, σ 1; 9 000 ms of the window covered
    for (const tf of TFS) expectValue(v[tf], { score: 0, strength: Math.tanh(Math.log(ratio)), confidence: 9_000 / WINDOW_MS[tf], value: ratio });
  });

  it("scales the volatility per trade by the trade count", () => {
    // four trades in every minute at its price: σ₁ = σ_min / √4
    const events: CanonicalEvent[] = [];
    for (let m = 0; m <= 61; m++) for (let k = 0; k < 4; k++) events.push(trade(m * 60_000 + 10_000 + k * 1_000, "buy", 1, m % 2 === 0 ? 1000 : 1000.25));
    const v = valuesAt(spreadVolRatio, [...events, BOOK], END);
    const ratio = S1 / (Math.log(1000.25 / 1000) * 1e4 / 2);
    expectValue(v["1m"], { strength: Math.tanh(Math.max(Math.log(ratio), 0)), confidence: 0.15, value: ratio });
  });

  it("is unavailable while warming up, without trades or price moves in the hour, without a top, and without its feeds", () => {
    const early = valuesAt(spreadVolRatio, [...minuteTrades(10, () => 1000), bookSnapshot(11 * 60_000 - 9_000, 1, [[999.875, 1]], [[1000.125, 1]])], 11 * 60_000);
    expectUnavailable(early["1m"], "warming up: 10 of 60 minutes of bars");
    const quiet = valuesAt(spreadVolRatio, [...minuteTrades(1, (m) => 1000 + m), BOOK], END);
    expectUnavailable(quiet["5m"], "no trades in the last 60 minutes");
    const flat = valuesAt(spreadVolRatio, [...minuteTrades(61, () => 1000), BOOK], END);
    expectUnavailable(flat["1h"], "price did not move in the last 60 minutes");
    const untopped = valuesAt(spreadVolRatio, [...minuteTrades(61, (m) => (m % 2 === 0 ? 1000 : 1000.125)), { ...unsyncedDelta, ts: END - 9_000 }], END);
    expectUnavailable(untopped["1m"], "no top of book within the window");
    expectUnavailable(valuesAt(spreadVolRatio, [BOOK], END)["1m"], "no trade feed");
    expectUnavailable(valuesAt(spreadVolRatio, minuteTrades(61, () => 1000), END)["1m"], "no book feed");
  });
});
