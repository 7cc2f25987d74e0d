import { beforeAll, describe, expect, it } from "vitest";
import { OrderBook } from "../../../src/domain/book.js";
import type { BookEvent } from "../../../src/domain/events.js";
import { DepthSync } from "../../../workers/collector/src/depth-sync.js";
import { recordedBookEvents } from "./helpers.js";

let book: BookEvent[];
let snapshot: BookEvent;
let deltas: BookEvent[];

beforeAll(async () => {
  // 2023-04-04 BTCUSDT: the REST snapshot (lastUpdateId 2710246765483) arrives before the
  // first diff, which covers it; the pu chain of the 4,322 diffs has no gap.
  book = await recordedBookEvents();
  snapshot = book.find((e) => e.type === "snapshot")!;
  deltas = book.filter((e) => e.type === "delta");
});

/** Feeds events to the collector's view and to the engine's real OrderBook, like the live feed does (duplicates are not forwarded). */
function run(events: readonly BookEvent[], sync = new DepthSync(), engine = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 2000 })) {
  for (const e of events) {
    if (e.type === "snapshot") {
      sync.onSnapshot(e);
      engine.apply(e);
    } else if (sync.onDelta(e) === "forward") engine.apply(e);
  }
  return { sync, engine };
}

describe("Binance depth sync (collector view of the engine's book)", () => {
  it("syncs a real recording: the buffered diff covering lastUpdateId applies, then every pu chains", () => {
    expect(snapshot.seq).toBe(2710246765483);
    expect(deltas).toHaveLength(4322);
    const { sync, engine } = run([deltas[0]]);
    expect(sync.wantsSnapshot()).toBe(true); // a diff is buffered: fetch the snapshot now
    run([snapshot, ...deltas.slice(1)], sync, engine);
    expect(sync.isSynced).toBe(true);
    expect(sync.lastSeq).toBe(deltas.at(-1)!.seq);
    expect(sync.counters).toEqual({ gaps: 0, snapshots: 1, resyncs: 0, duplicates: 0, staleSnapshots: 0, unusableSnapshots: 0, bufferDropped: 0 });
    expect(engine.synced).toBe(true);
    expect(engine.lastSeq).toBe(sync.lastSeq);
  });

  it("detects a lost diff as a gap, wants a new snapshot, and resyncs with the engine", () => {
    const lostAt = 2000;
    const { sync, engine } = run([deltas[0], snapshot, ...deltas.slice(1, lostAt), ...deltas.slice(lostAt + 1, 2100)]);
    expect(sync.counters.gaps).toBe(1);
    expect(sync.isSynced).toBe(false);
    expect(engine.synced).toBe(false);
    expect(sync.wantsSnapshot()).toBe(true);
    // The venue's snapshot after the gap: the book as of diff 2050 (lastUpdateId = its u).
    const later: BookEvent = { ...snapshot, seq: deltas[2050].seq };
    run([later, ...deltas.slice(2100, 2200)], sync, engine);
    expect(sync.isSynced).toBe(true);
    expect(engine.synced).toBe(true);
    expect(sync.counters.resyncs).toBe(1);
    expect(engine.counters().resyncs).toBe(1);
    expect(sync.lastSeq).toBe(engine.lastSeq);
  });

  it("drops diffs re-sent after a reconnect without counting a gap or losing the chain", () => {
    const { sync, engine } = run([deltas[0], snapshot, ...deltas.slice(1, 500)]);
    sync.invalidate(); // reconnect: the collector wants a new snapshot
    const resent = deltas.slice(480, 520); // 20 already seen, 20 new
    let dropped = 0;
    for (const d of resent) {
      if (sync.onDelta(d) === "duplicate") dropped++;
      else engine.apply(d);
    }
    expect(dropped).toBe(20);
    expect(sync.counters.duplicates).toBe(20);
    expect(sync.counters.gaps).toBe(0);
    expect(sync.isSynced).toBe(false);
    expect(sync.bufferedDeltas).toBe(20);
    expect(sync.wantsSnapshot()).toBe(true);
    // a snapshot taken at diff 510 syncs onto the buffered diffs
    run([{ ...snapshot, seq: deltas[510].seq }], sync, engine);
    expect(sync.isSynced).toBe(true);
    expect(sync.lastSeq).toBe(deltas[519].seq);
    expect(engine.lastSeq).toBe(deltas[519].seq);
  });

  it("counts updates lost during a disconnect as a gap on the first diff after reconnecting", () => {
    const { sync } = run([deltas[0], snapshot, ...deltas.slice(1, 300)]);
    sync.invalidate();
    sync.onDelta(deltas[350]);
    expect(sync.counters.gaps).toBe(1);
    expect(sync.wantsSnapshot()).toBe(true);
  });

  it("counts a snapshot older than the buffered stream as unusable and wants another", () => {
    const sync = new DepthSync();
    for (const d of deltas.slice(100, 110)) sync.onDelta(d);
    // lastUpdateId of the recorded snapshot is far before diff 100: nothing covers it
    expect(sync.onSnapshot(snapshot)).toBe("unusable");
    expect(sync.counters.unusableSnapshots).toBe(1);
    expect(sync.wantsSnapshot()).toBe(true);
    sync.inFlight = true;
    expect(sync.wantsSnapshot()).toBe(false); // one request at a time
  });

  it("ignores a snapshot not newer than the synced book, as the engine does", () => {
    const { sync } = run([deltas[0], snapshot, ...deltas.slice(1, 50)]);
    expect(sync.onSnapshot(snapshot)).toBe("stale");
    expect(sync.counters.staleSnapshots).toBe(1);
    expect(sync.isSynced).toBe(true);
  });
});
