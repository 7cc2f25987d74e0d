import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { OrderBook } from "../../../src/domain/book.js";
import type { BookEvent, Level } from "../../../src/domain/events.js";

const options = { maxLevels: 1_000, maxBufferedDeltas: 2_000 };

function snapshot(seq: number, bids: Level[], asks: Level[]): BookEvent {
  return { venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "book", type: "snapshot", seq, bids, asks };
}

/** A Binance-style delta: U = firstSeq, u = seq, pu = prevSeq. */
function delta(firstSeq: number, seq: number, prevSeq: number | undefined, bids: Level[] = [], asks: Level[] = []): BookEvent {
  const d: BookEvent = { venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "book", type: "delta", seq, firstSeq, bids, asks };
  if (prevSeq !== undefined) d.prevSeq = prevSeq;
  return d;
}

function syncedBook(): OrderBook {
  const b = new OrderBook(options);
  b.apply(snapshot(100, [[99, 1], [98, 2]], [[101, 1], [102, 2]]));
  b.apply(delta(95, 105, 94, [[99, 1.5]])); // covers lastUpdateId 100
  return b;
}

describe("OrderBook", () => {
  it("buffers deltas before the snapshot and applies the one covering lastUpdateId (snapshot after six deltas)", () => {
    const b = new OrderBook(options);
    b.apply(delta(91, 95, 90, [[99, 9]]));
    b.apply(delta(96, 100, 95, [[99, 8]]));
    b.apply(delta(101, 105, 100, [[98, 7]]));
    b.apply(delta(106, 110, 105, [[97, 6]]));
    b.apply(delta(111, 115, 110, [[99, 5]], [[101, 0.5]]));
    b.apply(delta(116, 120, 115, [], [[103, 4]]));
    expect(b.synced).toBe(false);
    expect(b.bufferedDeltas).toBe(6);
    expect(b.bestBid()).toBeNull();

    b.apply(snapshot(112, [[99, 1], [98, 2]], [[101, 1], [102, 2]]));

    expect(b.synced).toBe(true);
    expect(b.lastSeq).toBe(120);
    expect(b.bufferedDeltas).toBe(0);
    expect(b.counters()).toEqual({ applied: 2, snapshots: 1, gaps: 0, resyncs: 0, stale: 0, skipped: 4, bufferDropped: 0, checksumMismatch: 0 });
    expect(b.levels()).toEqual({
      bids: [[99, 5], [98, 2]],
      asks: [[101, 0.5], [102, 2], [103, 4]],
    });
    expect(b.bestBid()).toBe(99);
    expect(b.bestAsk()).toBe(101);
  });

  it("drops a depth delta whose prevSeq breaks the chain, goes unsynced and counts a resync on the next snapshot", () => {
    const b = syncedBook();
    b.apply(delta(106, 110, 105, [[97, 1]]));
    b.apply(delta(116, 120, 115, [[96, 1]])); // 111..115 missing

    expect(b.synced).toBe(false);
    expect(b.bestBid()).toBeNull();
    expect(b.bestAsk()).toBeNull();
    expect(b.bidLevels).toBe(0);
    expect(b.counters()).toMatchObject({ applied: 2, gaps: 1, resyncs: 0 });

    b.apply(delta(121, 125, 120, [[95, 1]])); // buffered while unsynced
    b.apply(snapshot(122, [[99, 3]], [[101, 3]]));

    expect(b.synced).toBe(true);
    expect(b.counters()).toMatchObject({ applied: 3, gaps: 1, resyncs: 1, snapshots: 2, skipped: 1 });
    expect(b.levels()).toEqual({ bids: [[99, 3], [95, 1]], asks: [[101, 3]] });
  });

  it("ignores and counts a stale duplicate delta", () => {
    const b = syncedBook();
    b.apply(delta(106, 110, 105, [[99, 4]]));
    const before = b.levels();
    b.apply(delta(106, 110, 105, [[99, 123]])); // resent
    b.apply(delta(101, 104, 100, [[99, 456]])); // reordered, older
    expect(b.levels()).toEqual(before);
    expect(b.synced).toBe(true);
    expect(b.lastSeq).toBe(110);
    expect(b.counters()).toMatchObject({ stale: 2, gaps: 0, applied: 2 });
  });

  it("ignores a snapshot older than the synced book", () => {
    const b = syncedBook();
    b.apply(snapshot(103, [[50, 1]], [[150, 1]]));
    expect(b.bestBid()).toBe(99);
    expect(b.counters()).toMatchObject({ stale: 1, snapshots: 1 });
  });

  it("starts a new session when the sequence goes backwards more than 60 s of event time later (a looping replay, an id reset)", () => {
    const at = <T extends BookEvent>(ev: T, ts: number): T => ({ ...ev, ts });
    // Within 60 s, a lower seq is a duplicate: ignored, counted stale; an older REST snapshot is ignored too.
    const b = syncedBook();
    b.apply(at(delta(50, 60, 49, [[99, 7]]), 60_000));
    b.apply(at(snapshot(40, [[90, 1]], [[91, 1]]), 60_000));
    expect(b.counters()).toMatchObject({ stale: 2, gaps: 0 });
    expect(b.bestBid()).toBe(99);
    // 61 s after the last update, the same lower seqs open a new session: gap, buffer, then the
    // older snapshot syncs the book again and the buffered delta it covers is applied.
    b.apply(at(delta(35, 45, 34, [[90, 3]]), 62_001));
    expect(b.synced).toBe(false);
    expect(b.counters()).toMatchObject({ stale: 2, gaps: 1 });
    b.apply(at(snapshot(40, [[90, 1]], [[91, 1]]), 62_002));
    expect(b.synced).toBe(true);
    expect(b.lastSeq).toBe(45);
    expect(b.levels()).toEqual({ bids: [[90, 3]], asks: [[91, 1]] });
    expect(b.counters()).toMatchObject({ resyncs: 1, stale: 2, gaps: 1 });
    // A REST snapshot alone, 61 s after the last update with a lower seq, also replaces the book.
    const c = syncedBook();
    c.apply(at(snapshot(10, [[80, 1]], [[81, 1]]), 62_000));
    expect(c.levels()).toEqual({ bids: [[80, 1]], asks: [[81, 1]] });
    expect(c.lastSeq).toBe(10);
    // The rule survives a checkpoint.
    const restored = OrderBook.fromJSON(JSON.parse(JSON.stringify(syncedBook().toJSON())), options);
    restored.apply(at(delta(35, 45, 34), 62_001));
    expect(restored.counters()).toMatchObject({ gaps: 1, stale: 0 });
  });

  it("treats a first delta starting after lastUpdateId as a gap", () => {
    const b = new OrderBook(options);
    b.apply(snapshot(100, [[99, 1]], [[101, 1]]));
    b.apply(delta(103, 108, 102, [[99, 2]]));
    expect(b.synced).toBe(false);
    expect(b.counters()).toMatchObject({ gaps: 1, applied: 0 });
  });

  it("accepts a first delta that chains directly onto lastUpdateId", () => {
    const b = new OrderBook(options);
    b.apply(snapshot(100, [[99, 1]], [[101, 1]]));
    b.apply(delta(101, 104, 100, [[99, 2]]));
    expect(b.synced).toBe(true);
    expect(b.levels().bids).toEqual([[99, 2]]);
  });

  it("chains on firstSeq == last seq + 1 where the venue gives no prevSeq", () => {
    const b = new OrderBook(options);
    b.apply(snapshot(100, [[99, 1]], [[101, 1]]));
    b.apply(delta(101, 101, undefined, [[98, 1]]));
    b.apply(delta(102, 102, undefined, [[97, 1]]));
    expect(b.counters()).toMatchObject({ applied: 2, gaps: 0 });
    b.apply(delta(104, 104, undefined, [[96, 1]]));
    expect(b.synced).toBe(false);
    expect(b.counters().gaps).toBe(1);
  });

  it("removes a level on qty 0 and keeps only the best maxLevels per side", () => {
    const b = new OrderBook({ maxLevels: 3, maxBufferedDeltas: 10 });
    b.apply(snapshot(1, [[95, 1], [99, 1], [97, 1], [98, 1], [96, 1]], [[105, 1], [101, 1], [103, 1], [0.5, 0]]));
    expect(b.levels()).toEqual({ bids: [[99, 1], [98, 1], [97, 1]], asks: [[101, 1], [103, 1], [105, 1]] });

    b.apply(delta(2, 2, 1, [[98, 0], [96.5, 2], [94, 5]], [[102, 3], [106, 1]]));
    expect(b.levels()).toEqual({ bids: [[99, 1], [97, 1], [96.5, 2]], asks: [[101, 1], [102, 3], [103, 1]] });

    // 96.5 falls off when 100 arrives; it is not recalled when 99 is then removed
    b.apply(delta(3, 3, 2, [[100, 4], [99, 0], [42, 0]]));
    expect(b.levels().bids).toEqual([[100, 4], [97, 1]]);
  });

  it("sums depth within ±band % of mid", () => {
    const b = new OrderBook(options);
    b.apply(snapshot(1, [[99.9, 1], [99.5, 2], [98, 5]], [[100.1, 3], [100.4, 1], [102, 7]]));
    // mid 100, ±0.5 % → bids >= 99.5, asks <= 100.5
    expect(b.depthWithin(0.5)).toEqual({
      mid: 100,
      bidQty: 3,
      askQty: 4,
      bidNotionalUsd: 99.9 * 1 + 99.5 * 2,
      askNotionalUsd: 100.1 * 3 + 100.4 * 1,
      bidLevels: 2,
      askLevels: 2,
    });
    expect(b.depthWithin(5)).toMatchObject({ bidQty: 8, askQty: 11, bidLevels: 3, askLevels: 3 });
  });

  it("has no depth while unsynced or with an empty side", () => {
    const b = new OrderBook(options);
    expect(b.depthWithin(1)).toBeNull();
    b.apply(snapshot(1, [[99, 1]], []));
    expect(b.depthWithin(1)).toBeNull();
    expect(b.bestBid()).toBe(99);
    expect(b.bestAsk()).toBeNull();
  });

  it("keeps at most maxBufferedDeltas while unsynced, dropping the oldest", () => {
    const b = new OrderBook({ maxLevels: 10, maxBufferedDeltas: 3 });
    for (let i = 0; i < 5; i++) b.apply(delta(10 * i + 1, 10 * i + 10, 10 * i, [[99, i + 1]]));
    expect(b.bufferedDeltas).toBe(3);
    expect(b.counters().bufferDropped).toBe(2);
    b.apply(snapshot(25, [[98, 1]], [[101, 1]]));
    // buffer held 21..30, 31..40, 41..50: the first covers 25
    expect(b.counters()).toMatchObject({ applied: 3, skipped: 0 });
    expect(b.levels().bids).toEqual([[99, 5], [98, 1]]);
  });

  it("restores the same book, counters and buffer from its JSON form", () => {
    const b = syncedBook();
    b.apply(delta(106, 110, 105, [[97, 1]]));
    const r = OrderBook.fromJSON(JSON.parse(JSON.stringify(b.toJSON())), options);
    expect(r.toJSON()).toEqual(b.toJSON());
    const next = delta(111, 115, 110, [[99, 0]], [[100.5, 2]]);
    b.apply(next);
    r.apply(next);
    expect(r.toJSON()).toEqual(b.toJSON());
    expect(r.bestBid()).toBe(98);
    expect(r.bestAsk()).toBe(100.5);
  });

  it("syncs on a real Binance recording whose REST snapshot arrives after six deltas and ends equal to bookTicker", () => {
    // hftbacktest_btcusdt_20240808 (data/recorded/SOURCES.md): lines `<local ts> <json>`; the
    // REST snapshot is line 55, the diff on line 42 covers its lastUpdateId.
    const file = new URL("../../../data/recorded/binance/hftbacktest_btcusdt_20240808.gz", import.meta.url);
    const lines = gunzipSync(readFileSync(file)).toString("utf8").split("\n");
    const toLevels = (raw: [string, string][]): Level[] => raw.map(([p, q]) => [Number(p), Number(q)]);
    const b = new OrderBook(options);
    let deltas = 0;
    let lastU = 0;
    const tickers: { u: number; b: string; a: string }[] = [];
    let afterSnapshot: ReturnType<OrderBook["counters"]> | undefined;
    for (const line of lines) {
      if (line === "") continue;
      const msg = JSON.parse(line.slice(line.indexOf(" ") + 1));
      if (msg.lastUpdateId !== undefined) {
        b.apply({ venue: "binance", symbol: "BTCUSDT", ts: msg.E, kind: "book", type: "snapshot", seq: msg.lastUpdateId, bids: toLevels(msg.bids), asks: toLevels(msg.asks) });
        afterSnapshot = b.counters();
        continue;
      }
      const d = msg.data;
      if (d.e === "depthUpdate") {
        deltas++;
        lastU = d.u;
        b.apply({ venue: "binance", symbol: "BTCUSDT", ts: d.E, kind: "book", type: "delta", seq: d.u, firstSeq: d.U, prevSeq: d.pu, bids: toLevels(d.b), asks: toLevels(d.a) });
      } else if (d.e === "bookTicker") {
        tickers.push(d);
      }
    }
    // bookTicker shares the depth stream's update ids: the last one at or before the book's
    // last update must show the same best bid and ask
    const ticker = tickers.filter((t) => t.u <= lastU).reduce((a, t) => (t.u > a.u ? t : a));
    expect(deltas).toBe(6_551);
    // of the six buffered diffs, four end before lastUpdateId, one covers it, one chains on
    expect(afterSnapshot).toMatchObject({ skipped: 4, applied: 2, gaps: 0 });
    expect(b.counters()).toEqual({ applied: 6_547, snapshots: 1, gaps: 0, resyncs: 0, stale: 0, skipped: 4, bufferDropped: 0, checksumMismatch: 0 });
    expect(b.synced).toBe(true);
    expect(b.lastSeq).toBe(lastU);
    expect([b.bestBid(), b.bestAsk()]).toEqual([Number(ticker.b), Number(ticker.a)]);
    expect([b.bestBid(), b.bestAsk()]).toEqual([61_659.7, 61_659.8]);
  });
});
