import { describe, expect, it } from "vitest";
import { OrderBook } from "../../../../src/domain/book.js";
import { BookChange } from "../../../../src/domain/inputs/book-change.js";
import { TopOfBook, microprice } from "../../../../src/domain/inputs/top-of-book.js";
import type { BookEvent, Level } from "../../../../src/domain/events.js";

const ev = (type: "snapshot" | "delta", ts: number, seq: number, bids: Level[], asks: Level[]): BookEvent => ({
  venue: "binance", symbol: "BTCUSDT", ts, kind: "book", type, seq, firstSeq: seq, prevSeq: type === "delta" ? seq - 1 : undefined, bids, asks,
});

describe("BookChange", () => {
  it("counts depth added and removed within each band of the mid before the delta, valued at the level price", () => {
    const book = new OrderBook({ maxLevels: 100, maxBufferedDeltas: 10 });
    const change = new BookChange(10_000, 360, [0.1, 1]);
    book.apply(ev("snapshot", 1_000, 10, [[99.95, 2], [99.5, 3]], [[100.05, 1], [100.5, 4]]));
    // mid 100: 99.95 and 100.05 are within 0.1 %, 99.5 and 100.5 within 1 % only
    const mid = book.mid();
    expect(mid).toBe(100);
    book.apply(ev("delta", 2_000, 11, [[99.95, 5], [99.5, 0]], [[100.05, 0.5], [101.5, 7]]), change.begin(2_000, mid));
    const [near, wide] = change.view(10_000, 10_000);
    expect(near).toEqual({ bandPct: 0.1, bidAddedUsd: 3 * 99.95, bidRemovedUsd: 0, askAddedUsd: 0, askRemovedUsd: 0.5 * 100.05 });
    // 101.5 is 1.5 % away: in no band
    expect(wide).toEqual({ bandPct: 1, bidAddedUsd: 3 * 99.95, bidRemovedUsd: 3 * 99.5, askAddedUsd: 0, askRemovedUsd: 0.5 * 100.05 });
  });

  it("does not count a snapshot or the buffered deltas replayed after it", () => {
    const book = new OrderBook({ maxLevels: 100, maxBufferedDeltas: 10 });
    const change = new BookChange(10_000, 360, [1]);
    // unsynced: the delta is buffered (the book has no mid: nothing to count against)
    book.apply(ev("delta", 1_000, 11, [[99.9, 9]], []), change.begin(1_000, book.mid()));
    book.apply(ev("snapshot", 2_000, 10, [[99.9, 1]], [[100.1, 1]]));
    expect(book.levels().bids).toEqual([[99.9, 9]]);
    expect(change.view(10_000, 10_000)[0]).toEqual({ bandPct: 1, bidAddedUsd: 0, bidRemovedUsd: 0, askAddedUsd: 0, askRemovedUsd: 0 });
  });
});

describe("TopOfBook", () => {
  it("prefers a fresh quote stream over the book, counts changes and time-weights the spread", () => {
    const top = new TopOfBook(10_000, 400, 60_000);
    top.onQuote("binance", 1_000, 99.99, 2, 100.01, 6); // 2 bps
    top.onBookTop("binance", 2_000, 99.9, 1, 100.1, 1); // ignored: the quote stream is fresh
    top.onQuote("binance", 31_000, 99.98, 2, 100.02, 2); // 4 bps
    top.onBookTop("bybit", 5_000, 99.95, 3, 100.05, 1); // bybit has no quotes: its book counts
    top.onBookTop("bybit", 6_000, 99.95, 3, 100.05, 1); // unchanged: not a change
    const [binance, bybit] = top.view(61_000, 60_000);
    expect(binance.updates).toBe(2);
    // 2 bps for 30 s, 4 bps for 30 s over [1 000, 61 000)
    expect(binance.windowSpreadBps.mean).toBeCloseTo((2 * 30 + 4 * 30) / 60, 9);
    expect(binance.spreadBps).toBeCloseTo(4, 9);
    expect(binance.micropriceOffsetBps).toBeCloseTo(0, 12);
    expect(bybit.updates).toBe(1);
    // microprice (99.95·1 + 100.05·3)/4 = 100.025, mid 100: +2.5 bps (leans to the ask: bids are heavier)
    expect(bybit.micropriceOffsetBps).toBeCloseTo(2.5, 9);
    expect(microprice({ bid: 99.99, bidQty: 2, ask: 100.01, askQty: 6, ts: 0, source: "quote" })).toBeCloseTo(99.995, 12);
  });
});
