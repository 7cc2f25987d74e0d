/**
 * The assembly of a venue's `streams` in `/v1/health` (`streamsHealth`, live-health.ts): the
 * connections, the REST stream, and each REST-synced book's counters summed onto the
 * connection that carries it. Hand-made counters; the sums are checked by hand.
 */
import { describe, expect, it } from "vitest";
import { newStreamHealth, streamsHealth, type BookSyncHealth } from "../../../workers/collector/src/live-health.js";

function book(stream: string | null, gaps: number, resyncs: number, snapshots: number): BookSyncHealth {
  return {
    gaps,
    snapshots,
    resyncs,
    duplicates: 0,
    staleSnapshots: 0,
    unusableSnapshots: 0,
    bufferDropped: 0,
    synced: true,
    stream,
    lastSeq: 1,
    buffered: 0,
    snapshotInFlight: false,
    engineDesyncs: 0,
  };
}

const A = { name: "binance:public-0", stats: newStreamHealth("ws", "wss://a", 3) };
const B = { name: "binance:market-0", stats: newStreamHealth("ws", "wss://b", 2) };
const REST = { name: "binance:rest", stats: newStreamHealth("rest", "stale url", 0), url: "https://rest" };

describe("streams in /v1/health", () => {
  it("sums each REST-synced book's gaps, resyncs and snapshots onto the connection that carries it", () => {
    const streams = streamsHealth([A, B], REST, true, {
      BTCUSDT: book("binance:public-0", 2, 1, 3),
      ETHUSDT: book("binance:public-0", 1, 0, 1),
      SOLUSDT: book(null, 5, 5, 5),
    });
    expect(Object.keys(streams)).toEqual(["binance:public-0", "binance:market-0", "binance:rest"]);
    expect([streams["binance:public-0"].gaps, streams["binance:public-0"].resyncs, streams["binance:public-0"].snapshots]).toEqual([3, 1, 4]);
    expect([streams["binance:market-0"].gaps, streams["binance:market-0"].resyncs, streams["binance:market-0"].snapshots]).toEqual([0, 0, 0]);
    // the REST stream carries no book; its url is the REST base in force
    expect(streams["binance:rest"]).toMatchObject({ kind: "rest", url: "https://rest", gaps: null, resyncs: null, snapshots: null });
  });

  it("reports book counters as null for a venue that pushes its snapshots, and no REST stream when it has none", () => {
    const streams = streamsHealth([{ name: "bybit:ws-0", stats: newStreamHealth("ws", "wss://c", 4) }], null, false, {});
    expect(Object.keys(streams)).toEqual(["bybit:ws-0"]);
    expect(streams["bybit:ws-0"]).toMatchObject({ topics: 4, gaps: null, resyncs: null, snapshots: null });
  });

  it("copies the counters: the report does not change the live stats", () => {
    const streams = streamsHealth([A], null, true, { BTCUSDT: book("binance:public-0", 2, 1, 3) });
    streams["binance:public-0"].messages = 99;
    expect(A.stats.messages).toBe(0);
    expect(A.stats.gaps).toBe(0);
  });
});
