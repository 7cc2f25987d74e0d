/**
 * The live feed's book sync (`live-books.ts`) without the runtime: hand-made Binance depth
 * events (`U`/`u`/`pu` as `firstSeq`/`seq`/`prevSeq`), Bybit's pushed-snapshot path, and the
 * engine's answers, with time passed in. Every expectation follows from the sequence rules by
 * hand: a snapshot with `lastUpdateId` L applies when the first buffered diff has U ≤ L ≤ u.
 */
import { describe, expect, it } from "vitest";
import type { BookEvent, CanonicalEvent, Venue } from "../../../src/domain/events.js";
import type { IngestBatch, IngestResult } from "../../../src/protocol/ingest.js";
import { LiveBooks, MAX_SNAPSHOTS_IN_FLIGHT, type BookReceipt } from "../../../workers/collector/src/live-books.js";

const REST = "http://venue.test";
const SOCKET = "binance:public-0";

function binanceBooks(): LiveBooks {
  // Binance's own depthSnapshotUrl shape, written out so the test states the url it expects.
  return new LiveBooks({
    venue: "binance",
    depthSnapshotUrl: (rest, instrument) => `${rest}/fapi/v1/depth?symbol=${instrument}&limit=1000`,
    restBase: REST,
    random: () => 0.5,
  });
}

function delta(symbol: string, firstSeq: number, seq: number, prevSeq: number, venue: Venue = "binance"): BookEvent {
  return { venue, symbol, ts: 1_000, kind: "book", type: "delta", bids: [[100, 1]], asks: [], seq, firstSeq, prevSeq };
}

function snapshot(symbol: string, seq: number): BookEvent {
  return { venue: "binance", symbol, ts: 1_000, kind: "book", type: "snapshot", bids: [[100, 1]], asks: [[101, 1]], seq };
}

/** Receives an event and gives it `seq` the way the feed does; true when a snapshot is wanted. */
function pass(books: LiveBooks, event: BookEvent, seq: number, stream = SOCKET): boolean | "duplicate" {
  const receipt = books.receive(event, stream);
  if (receipt === "duplicate") return "duplicate";
  if (receipt === null) return false;
  return books.sequenced(receipt as BookReceipt, seq);
}

function batch(events: CanonicalEvent[], seqs: number[]): IngestBatch {
  return { source: "binance:live", events, seqs };
}

function result(unsyncedBooks?: Venue[]): IngestResult {
  return { accepted: 1, duplicates: 0, rejected: 0, cycles: 0, durableSeq: -1, ...(unsyncedBooks && { unsyncedBooks }) };
}

describe("book sync against REST snapshots (Binance)", () => {
  it("wants a snapshot once a diff is buffered, asks for one, and is synced by a snapshot the diff covers", () => {
    const books = binanceBooks();
    expect(pass(books, delta("BTCUSDT", 101, 105, 100), 1)).toBe(true);
    expect(books.takeSnapshotRequests(10_000)).toEqual([{ symbol: "BTCUSDT", url: `${REST}/fapi/v1/depth?symbol=BTCUSDT&limit=1000` }]);
    // in flight: not asked again
    expect(books.takeSnapshotRequests(20_000)).toEqual([]);
    expect(books.snapshotsInFlight).toBe(1);
    // lastUpdateId 103: U 101 ≤ 103 ≤ u 105, the buffered diff applies
    expect(pass(books, snapshot("BTCUSDT", 103), 2, "binance:rest")).toBe(false);
    expect(books.snapshotDone("BTCUSDT", true, 10_200)).toBe(false);
    expect(books.snapshotsInFlight).toBe(0);
    expect(pass(books, delta("BTCUSDT", 106, 110, 105), 3)).toBe(false);
    expect(books.health()).toEqual({
      BTCUSDT: {
        gaps: 0,
        snapshots: 1,
        resyncs: 0,
        duplicates: 0,
        staleSnapshots: 0,
        unusableSnapshots: 0,
        bufferDropped: 0,
        synced: true,
        // the snapshot came over REST: the book stays with the socket that carries its diffs
        stream: SOCKET,
        lastSeq: 110,
        buffered: 0,
        snapshotInFlight: false,
        engineDesyncs: 0,
      },
    });
  });

  it("drops a re-sent diff and counts a broken pu chain as a gap that wants a new snapshot", () => {
    const books = binanceBooks();
    pass(books, delta("BTCUSDT", 101, 105, 100), 1);
    books.takeSnapshotRequests(0);
    pass(books, snapshot("BTCUSDT", 103), 2);
    books.snapshotDone("BTCUSDT", true, 100);
    expect(pass(books, delta("BTCUSDT", 101, 105, 100), 3)).toBe("duplicate");
    // pu 120 ≠ last u 105: updates 106..120 were lost
    expect(pass(books, delta("BTCUSDT", 121, 130, 120), 3)).toBe(true);
    const h = books.health().BTCUSDT;
    expect([h.synced, h.gaps, h.duplicates, h.buffered]).toEqual([false, 1, 1, 1]);
    // the spacing of one second per symbol holds after the first request at 0
    expect(books.takeSnapshotRequests(999)).toEqual([]);
    expect(books.takeSnapshotRequests(1_000).map((r) => r.symbol)).toEqual(["BTCUSDT"]);
  });

  it("backs off a symbol whose snapshot requests fail: half the ceiling with jitter 0.5, doubling", () => {
    const books = binanceBooks();
    pass(books, delta("ETHUSDT", 11, 15, 10), 1);
    expect(books.takeSnapshotRequests(0)).toHaveLength(1);
    // failed at 200: next not before 200 + floor(0.5 · 1000)
    expect(books.snapshotDone("ETHUSDT", false, 200)).toBe(true);
    expect(books.takeSnapshotRequests(699)).toEqual([]);
    expect(books.takeSnapshotRequests(700)).toHaveLength(1);
    // second failure at 900: floor(0.5 · 2000) = 1000
    books.snapshotDone("ETHUSDT", false, 900);
    expect(books.takeSnapshotRequests(1_899)).toEqual([]);
    expect(books.takeSnapshotRequests(1_900)).toHaveLength(1);
  });

  it(`keeps at most ${MAX_SNAPSHOTS_IN_FLIGHT} snapshot requests in flight, in the order the books appeared`, () => {
    const books = binanceBooks();
    const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BNBUSDT"];
    symbols.forEach((s, i) => pass(books, delta(s, 11, 15, 10), i));
    expect(books.takeSnapshotRequests(0).map((r) => r.symbol)).toEqual(symbols.slice(0, 4));
    books.snapshotDone("SOLUSDT", false, 10);
    expect(books.takeSnapshotRequests(20).map((r) => r.symbol)).toEqual(["BNBUSDT"]);
  });

  it("rebuilds the books of a connection that went down, and only those", () => {
    const books = binanceBooks();
    for (const [symbol, stream] of [["BTCUSDT", "binance:public-0"], ["ETHUSDT", "binance:public-1"]]) {
      pass(books, delta(symbol, 101, 105, 100), 1, stream);
      books.takeSnapshotRequests(0);
      pass(books, snapshot(symbol, 103), 2);
      books.snapshotDone(symbol, true, 10);
    }
    books.streamChanged("binance:public-0");
    const h = books.health();
    expect([h.BTCUSDT.synced, h.ETHUSDT.synced]).toEqual([false, true]);
    // the wire chain survives the reconnect: the next diff chains, is buffered, and wants a snapshot
    expect(pass(books, delta("BTCUSDT", 106, 110, 105), 3)).toBe(true);
    expect(books.health().BTCUSDT.gaps).toBe(0);
  });

  it("resyncs a book the engine reports unsynced after a batch sent since the collector synced it", () => {
    const books = binanceBooks();
    const d = delta("BTCUSDT", 101, 105, 100);
    pass(books, d, 7);
    books.takeSnapshotRequests(0);
    pass(books, snapshot("BTCUSDT", 103), 8); // synced since seq 8
    books.snapshotDone("BTCUSDT", true, 10);
    const neverOpen = () => false;
    // a batch ending before seq 8 was sent while unsynced: the engine's answer is expected
    expect(books.reconcile("BTCUSDT", batch([d], [7]), result(["binance"]), 20, neverOpen)).toBeNull();
    expect(books.health().BTCUSDT).toMatchObject({ synced: true, engineDesyncs: 0 });
    // synced at the engine: nothing to do
    books.reconcile("BTCUSDT", batch([d], [8]), result(), 20, neverOpen);
    expect(books.health().BTCUSDT.synced).toBe(true);
    // a batch ending at 8 and the engine unsynced: diverged
    books.reconcile("BTCUSDT", batch([d], [8]), result(["binance"]), 20, neverOpen);
    expect(books.health().BTCUSDT).toMatchObject({ synced: false, engineDesyncs: 1 });
  });

  it("rebuilds a book whose batch was given up only when that batch carried book events", () => {
    const books = binanceBooks();
    const d = delta("BTCUSDT", 101, 105, 100);
    pass(books, d, 1);
    books.takeSnapshotRequests(0);
    pass(books, snapshot("BTCUSDT", 103), 2);
    books.snapshotDone("BTCUSDT", true, 10);
    const trade: CanonicalEvent = { venue: "binance", symbol: "BTCUSDT", ts: 1_000, kind: "trade", price: 100, qty: 1, side: "buy", tradeId: "1" };
    books.lostBatch("BTCUSDT", batch([trade], [3]));
    expect(books.health().BTCUSDT.synced).toBe(true);
    books.lostBatch("BTCUSDT", batch([trade, d], [3, 4]));
    expect(books.health().BTCUSDT.synced).toBe(false);
  });
});

describe("book sync of a venue that pushes its snapshots (Bybit)", () => {
  const STREAM = "bybit:ws-0";

  function bybitBooks(): LiveBooks {
    const books = new LiveBooks({ venue: "bybit", restBase: REST });
    expect(books.receive(delta("BTCUSDT", 1, 1, 0, "bybit"), STREAM)).toBeNull();
    expect(books.receive(delta("ETHUSDT", 1, 1, 0, "bybit"), STREAM)).toBeNull();
    return books;
  }

  it("holds no book state of its own and never asks for a REST snapshot", () => {
    const books = bybitBooks();
    expect(books.restSnapshots).toBe(false);
    expect(books.health()).toEqual({});
    expect(books.takeSnapshotRequests(0)).toEqual([]);
    expect(books.streamOfSymbol("BTCUSDT")).toBe(STREAM);
  });

  it("resubscribes the connection of a book unsynced for 5 s, at most once a minute per connection", () => {
    const books = bybitBooks();
    const open = (s: string) => s === STREAM;
    const b = batch([], [1]);
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 0, open)).toBeNull();
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 4_999, open)).toBeNull();
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 5_000, open)).toBe(STREAM);
    // another book on the same connection, unsynced long enough, within the minute: not again
    books.reconcile("ETHUSDT", b, result(["bybit"]), 5_000, open);
    expect(books.reconcile("ETHUSDT", b, result(["bybit"]), 10_000, open)).toBeNull();
    expect(books.reconcile("ETHUSDT", b, result(["bybit"]), 65_000, open)).toBe(STREAM);
  });

  it("leaves a closed connection alone and forgets a book the engine reports synced", () => {
    const books = bybitBooks();
    const b = batch([], [1]);
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 0, () => false)).toBeNull();
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 10_000, () => false)).toBeNull();
    const open = () => true;
    books.reconcile("BTCUSDT", b, result(["bybit"]), 0, open);
    books.reconcile("BTCUSDT", b, result(), 4_000, open);
    // unsynced again at 6 000: the 5 s grace starts over
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 6_000, open)).toBeNull();
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 10_999, open)).toBeNull();
    expect(books.reconcile("BTCUSDT", b, result(["bybit"]), 11_000, open)).toBe(STREAM);
  });
});
