/**
 * The order-book sequence rules (src/domain/book-sequencer.ts), per venue, with hand-written
 * sequences; then the engine's OrderBook and the collector's DepthSync, which both run them, agree
 * on every event of a seeded random stream.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookSequencer, NEW_SESSION_AFTER_MS, type Sequenced } from "../../../src/domain/book-sequencer.js";
import { OrderBook } from "../../../src/domain/book.js";
import type { BookEvent } from "../../../src/domain/events.js";
import { DepthSync } from "../../../workers/collector/src/depth-sync.js";

const T = 1_700_000_000_000;
const binance = () => new BookSequencer<Sequenced>({ maxBuffered: 4 });
/** Binance diff: U (firstSeq), u (seq), pu (prevSeq). */
const diff = (U: number, u: number, pu: number, ts = T): Sequenced => ({ venue: "binance", firstSeq: U, seq: u, prevSeq: pu, ts });

describe("BookSequencer: Binance (REST snapshot, U/u/pu)", () => {
  it("buffers until the snapshot, skips what it covers, applies the diff that straddles it, then follows pu", () => {
    const s = binance();
    const early = diff(90, 95, 89);
    const straddle = diff(96, 105, 95);
    expect(s.onDelta(early)).toBe("buffered");
    expect(s.onDelta(straddle)).toBe("buffered");
    const snap = s.onSnapshot({ venue: "binance", seq: 100, ts: T });
    expect(snap).toEqual({ verdict: "replace", pending: [early, straddle] });
    expect(s.onDelta(early, true)).toBe("skipped"); // u 95 < L 100: in the snapshot
    expect(s.onDelta(straddle, true)).toBe("apply"); // U 96 <= 100 <= u 105
    expect(s.lastSeq).toBe(105);
    expect(s.onDelta(diff(106, 110, 105))).toBe("apply");
    expect(s.onDelta(diff(106, 110, 105))).toBe("stale"); // re-sent
    expect(s.onDelta(diff(115, 120, 114))).toBe("gap"); // pu 114 ≠ 110: lost updates
    expect(s.synced).toBe(false);
    expect(s.bufferedDeltas).toBe(1); // the delta that broke the chain waits for the next snapshot
  });

  it("calls a snapshot older than the stream after it `behind`, and one not newer than the synced book stale", () => {
    const s = binance();
    s.onDelta(diff(200, 210, 199));
    const snap = s.onSnapshot({ venue: "binance", seq: 100, ts: T });
    expect(snap.verdict).toBe("replace");
    expect(s.onDelta(diff(200, 210, 199), true)).toBe("behind"); // U 200 > 100 and no chain
    expect(s.synced).toBe(false);
    s.onSnapshot({ venue: "binance", seq: 205, ts: T });
    expect(s.onDelta(diff(200, 210, 199), true)).toBe("apply");
    expect(s.onSnapshot({ venue: "binance", seq: 208, ts: T })).toEqual({ verdict: "stale" });
    expect(s.resyncs).toBe(1); // the first snapshot synced the book before `behind` unsynced it
  });

  it("drops the oldest buffered delta past maxBuffered and counts it", () => {
    const s = binance();
    for (let i = 0; i < 6; i++) s.onDelta(diff(10 * i + 1, 10 * i + 10, 10 * i));
    expect(s.bufferedDeltas).toBe(4);
    expect(s.bufferDropped).toBe(2);
  });

  it("starts a new session when the sequence goes back more than NEW_SESSION_AFTER_MS of event time later", () => {
    const s = binance();
    s.onSnapshot({ venue: "binance", seq: 100, ts: T });
    expect(s.onDelta(diff(100, 110, 100, T + 1_000))).toBe("apply");
    // Within the limit a backwards sequence is a duplicate; after it, a replay looping back or a reset.
    expect(s.onDelta(diff(1, 5, 0, T + 1_000 + NEW_SESSION_AFTER_MS))).toBe("stale");
    expect(s.onDelta(diff(1, 5, 0, T + 1_001 + NEW_SESSION_AFTER_MS))).toBe("gap");
    // A REST snapshot of the new session replaces the book although its id is lower.
    s.onSnapshot({ venue: "binance", seq: 100, ts: T });
    expect(s.onSnapshot({ venue: "binance", seq: 3, ts: T + 2 * NEW_SESSION_AFTER_MS })).toMatchObject({ verdict: "replace" });
    expect(s.lastSeq).toBe(3);
  });
});

describe("BookSequencer: Bybit (snapshots on the stream, u only)", () => {
  const delta = (u: number, ts = T): Sequenced => ({ venue: "bybit", seq: u, ts });
  it("chains u + 1, and follows a pushed snapshot that restarts u at 1", () => {
    const s = new BookSequencer<Sequenced>({ maxBuffered: 10 });
    s.onSnapshot({ venue: "bybit", seq: 500, ts: T });
    expect(s.onDelta(delta(501))).toBe("apply");
    expect(s.onDelta(delta(503))).toBe("gap");
    s.onSnapshot({ venue: "bybit", seq: 600, ts: T });
    expect(s.onDelta(delta(601))).toBe("apply");
    // A service restart: the snapshot comes on the stream with u = 1 and is always followed.
    expect(s.onSnapshot({ venue: "bybit", seq: 1, ts: T + 1 })).toMatchObject({ verdict: "replace" });
    expect(s.onDelta(delta(2, T + 2))).toBe("apply");
  });
});

describe("BookSequencer: OKX (seqId/prevSeqId)", () => {
  const okx = (seq: number, prevSeq: number, ts = T): Sequenced => ({ venue: "okx", seq, prevSeq, ts });
  it("chains on prevSeqId, takes heartbeats (seqId == prevSeqId) and maintenance resets (seqId < prevSeqId)", () => {
    const s = new BookSequencer<Sequenced>({ maxBuffered: 10 });
    s.onSnapshot({ venue: "okx", seq: 10, ts: T });
    expect(s.onDelta(okx(15, 10))).toBe("apply");
    expect(s.onDelta(okx(15, 15))).toBe("apply"); // heartbeat
    expect(s.onDelta(okx(3, 15))).toBe("apply"); // reset after maintenance
    expect(s.onDelta(okx(9, 7))).toBe("gap");
  });

  it("fails on a checksum the caller found wrong: unsynced, nothing buffered", () => {
    const s = new BookSequencer<Sequenced>({ maxBuffered: 10 });
    s.onSnapshot({ venue: "okx", seq: 10, ts: T });
    s.fail();
    expect(s.synced).toBe(false);
    expect(s.bufferedDeltas).toBe(0);
    expect(s.onDelta(okx(11, 10))).toBe("buffered");
  });
});

describe("BookSequencer state", () => {
  it("round-trips through JSON with its counters", () => {
    const s = binance();
    for (let i = 0; i < 6; i++) s.onDelta(diff(10 * i + 1, 10 * i + 10, 10 * i));
    const copy = BookSequencer.fromJSON<Sequenced>(JSON.parse(JSON.stringify(s.toJSON())), { maxBuffered: 4 }, { resyncs: s.resyncs, bufferDropped: s.bufferDropped });
    expect(copy.toJSON()).toEqual(s.toJSON());
    expect(copy.bufferDropped).toBe(2);
  });
});

describe("one set of rules: the engine's OrderBook and the collector's DepthSync agree", () => {
  it("on every event of random Binance streams (duplicates, gaps, stale and early snapshots, new sessions)", () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("next" as const), len: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant("skip" as const), len: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ kind: fc.constant("repeat" as const) }),
      fc.record({ kind: fc.constant("snapshot" as const), back: fc.integer({ min: -8, max: 8 }) }),
      fc.record({ kind: fc.constant("later" as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const book = new OrderBook({ maxLevels: 10, maxBufferedDeltas: 8 });
        const sync = new DepthSync(8);
        let u = 1_000;
        let ts = T;
        let previous: BookEvent | null = null;
        for (const st of steps) {
          let ev: BookEvent;
          if (st.kind === "snapshot") {
            ev = { kind: "book", venue: "binance", symbol: "BTCUSDT", ts, type: "snapshot", seq: u + st.back, bids: [[100, 1]], asks: [[101, 1]] };
            book.apply(ev);
            sync.onSnapshot(ev);
          } else {
            if (st.kind === "later") {
              ts += NEW_SESSION_AFTER_MS + 1;
              u = 10; // a new session: ids start over
            }
            if (st.kind === "repeat" && previous !== null) ev = previous;
            else {
              const pu = st.kind === "skip" ? u + st.len : u;
              const first = pu + 1;
              u = pu + ("len" in st ? st.len : 1);
              ev = { kind: "book", venue: "binance", symbol: "BTCUSDT", ts, type: "delta", seq: u, firstSeq: first, prevSeq: pu, bids: [[100, 2]], asks: [] };
            }
            previous = ev;
            // The collector forwards what is not a wire duplicate; the engine sees exactly that.
            if (sync.onDelta(ev) === "forward") book.apply(ev);
          }
          ts += 100;
          expect(sync.isSynced).toBe(book.synced);
          expect(sync.lastSeq).toBe(book.lastSeq);
          expect(sync.bufferedDeltas).toBe(book.bufferedDeltas);
        }
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
});
