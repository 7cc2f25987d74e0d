import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OrderBook } from "../../../src/domain/book.js";
import { type BookEvent, type CanonicalEvent, CanonicalEventSchema } from "../../../src/domain/events.js";
import { facts, INSTRUMENT_FACTS, InstrumentTable } from "../../../src/domain/instruments.js";
import { SymbolRegistry } from "../../../src/domain/symbols.js";
import { BYBIT_CONNECTION } from "../../../src/exchanges/bybit-connection.js";
import { BybitMapper } from "../../../src/exchanges/bybit.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { getMapper, normalizeLine } from "../../../src/exchanges/registry.js";
import type { MapResult } from "../../../src/exchanges/types.js";
import { venueData, venueFixtureLine, venueRecordingLines } from "./helpers.js";

const JSONL = "cryptofeed_BYBIT_v5_20260809.jsonl.gz";

/** A fixture line parsed into its raw message and local receive time (fresh copy each call). */
function raw(name: string): { message: Record<string, unknown>; recvTs?: number } {
  const parsed = parseRecordingLine(venueFixtureLine("bybit", name));
  if (parsed.type !== "message") throw new Error(`${name}: ${parsed.type}`);
  return { message: parsed.message as Record<string, unknown>, recvTs: parsed.recvTs };
}

function mapFixture(mapper: BybitMapper, name: string): MapResult {
  const r = raw(name);
  return mapper.map(r.message, r.recvTs);
}

/** A documented-schema fixture (a JSON file holding one message). */
function documented(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(venueData("bybit", `fixtures/${name}`), "utf8")) as Record<string, unknown>;
}

/** The events of a result, each checked against the canonical contract. */
function eventsOf(result: MapResult): CanonicalEvent[] {
  if (result.rejected !== undefined) throw new Error(`rejected: ${result.rejected}`);
  if (result.ignored !== undefined) throw new Error(`ignored: ${result.ignored}`);
  for (const e of result.events) expect(CanonicalEventSchema.parse(e)).toStrictEqual(e);
  return result.events;
}

describe("BybitMapper publicTrade", () => {
  it("maps a Sell taker trade: side = S, qty = v in base, tradeId = i, ts = T, recvTs from the jsonl record", () => {
    expect(eventsOf(mapFixture(new BybitMapper(), "public-trade-sell.txt"))).toStrictEqual([
      {
        kind: "trade",
        venue: "bybit",
        symbol: "BTCUSDT",
        ts: 1786310819680,
        price: 65114.2,
        qty: 0.004,
        side: "sell",
        tradeId: "a9188a0a-82bc-50de-be60-03eedbe3cdd7",
        recvTs: 1786310819965.676,
      },
    ]);
  });

  it("maps a Buy taker trade to an aggressor buy", () => {
    const [e] = eventsOf(mapFixture(new BybitMapper(), "public-trade-buy.txt"));
    expect(e).toMatchObject({ symbol: "BTCUSDT", ts: 1786310821072, price: 65114.3, qty: 0.009, side: "buy", tradeId: "c357a7ba-f1ba-5dfc-9e6e-3f4afe1b72dd" });
  });

  it("maps every item of a batch, in order", () => {
    const list = eventsOf(mapFixture(new BybitMapper(), "public-trade-batch.txt"));
    expect(list.map((e) => e.kind === "trade" && [e.symbol, e.ts, e.price, e.qty, e.side])).toStrictEqual([
      ["ETHUSDT", 1786310820346, 1922.5, 0.01, "buy"],
      ["ETHUSDT", 1786310820346, 1922.5, 1.3, "buy"],
      ["ETHUSDT", 1786310820346, 1922.5, 0.1, "buy"],
      ["ETHUSDT", 1786310820346, 1922.5, 0.1, "buy"],
      ["ETHUSDT", 1786310820346, 1922.5, 0.16, "buy"],
    ]);
    expect(list.every((e) => e.recvTs === 1786310820459.5509)).toBe(true);
  });

  it("leaves out block trades (matched off the book) and rejects a malformed item, naming it", () => {
    const frame = raw("public-trade-sell.txt").message;
    const item = (frame.data as Record<string, unknown>[])[0];
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, BT: true }] })).toStrictEqual({ events: [], ignored: "off-book-trade:block" });
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, v: "-1" }] }).rejected).toBe(
      'publicTrade: field "data[0].v" must be an unsigned decimal string, got "-1"',
    );
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, S: "Hold" }] }).rejected).toBe(
      'publicTrade: field "data[0].S" must be one of "Buy", "Sell", got "Hold"',
    );
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, p: "0.00" }] }).rejected).toBe('publicTrade: field "data[0].p" (price) must be > 0, got "0.00"');
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, s: "ROSEUSDT" }] })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });
});

describe("BybitMapper orderbook", () => {
  it("maps a snapshot: seq = u, ts = ts, all 200 levels per side", () => {
    const [e] = eventsOf(mapFixture(new BybitMapper(), "orderbook-snapshot.txt"));
    if (e.kind !== "book") throw new Error(e.kind);
    expect({ ...e, bids: e.bids.length, asks: e.asks.length }).toStrictEqual({
      kind: "book",
      venue: "bybit",
      symbol: "BTCUSDT",
      ts: 1786310818129,
      type: "snapshot",
      bids: 200,
      asks: 200,
      seq: 15076952,
      recvTs: 1786310819720.0031,
    });
    expect([e.bids[0], e.asks[0], e.bids[199], e.asks[199]]).toStrictEqual([
      [65114.2, 6.054],
      [65114.3, 10.486],
      [65086, 0.001],
      [65146.7, 0.02],
    ]);
  });

  it("maps a delta with seq = firstSeq = u, size 0 levels kept (removals)", () => {
    const [e] = eventsOf(mapFixture(new BybitMapper(), "orderbook-delta.txt"));
    expect(e).toStrictEqual({
      kind: "book",
      venue: "bybit",
      symbol: "BTCUSDT",
      ts: 1786310818130,
      type: "delta",
      bids: [
        [65095.3, 0.005],
        [65094.6, 0.076],
        [65093.1, 0],
        [65092.2, 0.641],
        [65088.6, 0.007],
        [65088.4, 0.445],
      ],
      asks: [
        [65116.6, 0],
        [65116.8, 0.002],
        [65129.1, 0],
        [65129.5, 2.302],
        [65129.6, 0.002],
        [65129.9, 0.645],
        [65130.2, 0],
        [65130.7, 0.007],
        [65132.9, 1.212],
        [65133.4, 0.689],
        [65134.4, 0.941],
        [65134.5, 0.001],
        [65134.6, 0.001],
        [65134.8, 0],
        [65135.8, 3.988],
        [65146.7, 0],
      ],
      seq: 15076953,
      firstSeq: 15076953,
      recvTs: 1786310819721.646,
    });
  });

  it("maps a delta with an empty ask side", () => {
    const [e] = eventsOf(mapFixture(new BybitMapper(), "orderbook-delta-empty-side.txt"));
    expect(e).toMatchObject({ symbol: "DOGEUSDT", type: "delta", seq: 13178273, asks: [], bids: [[0.07042, 899798], [0.07016, 27013], [0.07013, 97654]] });
  });

  it("reads the nautilus ob500 file (one raw message per CRLF line): snapshot and first delta", () => {
    const m = new BybitMapper();
    const [snap] = eventsOf(m.map(JSON.parse(venueFixtureLine("bybit", "ob500-snapshot-crlf.txt"))));
    if (snap.kind !== "book") throw new Error(snap.kind);
    expect([snap.symbol, snap.type, snap.seq, snap.ts, snap.bids.length, snap.asks.length, snap.bids[0], snap.asks[0], snap.bids[499], snap.asks[499]]).toStrictEqual([
      "XRPUSDT",
      "snapshot",
      20254869,
      1733011200691,
      500,
      500,
      [1.9531, 6203],
      [1.9532, 10480],
      [1.9031, 877],
      [2.0031, 123],
    ]);
    const [delta] = eventsOf(m.map(JSON.parse(venueFixtureLine("bybit", "ob500-delta-crlf.txt"))));
    expect(delta).toMatchObject({ type: "delta", seq: 20254870, firstSeq: 20254870, ts: 1733011200693 });
  });

  it("treats a message with u = 1 as a snapshot (Bybit's service restarted)", () => {
    const frame = raw("orderbook-delta.txt").message;
    const data = frame.data as Record<string, unknown>;
    const [e] = eventsOf(new BybitMapper().map({ ...frame, data: { ...data, u: 1 } }));
    expect(e).toMatchObject({ type: "snapshot", seq: 1 });
    expect("firstSeq" in e).toBe(false);
  });

  it("rejects malformed levels and ids, naming the field", () => {
    const frame = raw("orderbook-delta.txt").message;
    const data = frame.data as Record<string, unknown>;
    const m = new BybitMapper();
    expect(m.map({ ...frame, data: { ...data, b: [["65095.30"]] } }).rejected).toBe('orderbook: field "data.b[0]" must be a [price, size] array, got ["65095.30"]');
    expect(m.map({ ...frame, data: { ...data, a: [["1e5", "1"]] } }).rejected).toBe('orderbook: field "data.a[0][0]" must be an unsigned decimal string, got "1e5"');
    expect(m.map({ ...frame, data: { ...data, u: "15076953" } }).rejected).toBe('orderbook: field "data.u" must be a number, got "15076953"');
    expect(m.map({ ...frame, data: { ...data, u: 0 } }).rejected).toBe('orderbook: field "data.u" must be >= 1, got 0');
    expect(m.map({ ...frame, ts: undefined }).rejected).toBe('orderbook: missing field "ts"');
  });
});

describe("BybitMapper tickers: deltas merge into the last full ticker", () => {
  it("maps a snapshot to a mark and a single-side oi", () => {
    expect(eventsOf(mapFixture(new BybitMapper(), "tickers-snapshot.txt"))).toStrictEqual([
      {
        kind: "mark",
        venue: "bybit",
        symbol: "BTCUSDT",
        ts: 1786310817583,
        markPrice: 65117.44,
        indexPrice: 65137.76,
        fundingRate: 0.0001,
        nextFundingTs: 1786320000000,
        fundingIntervalMs: 28_800_000,
        recvTs: 1786310819526.357,
      },
      { kind: "oi", venue: "bybit", symbol: "BTCUSDT", ts: 1786310817583, oiBase: 29945.866, oiUsd: 1949998132.5, recvTs: 1786310819526.357 },
    ]);
  });

  it("gives a mark with the merged index, funding and next funding when a delta changes only markPrice", () => {
    const m = new BybitMapper();
    eventsOf(mapFixture(m, "tickers-snapshot.txt"));
    expect(eventsOf(mapFixture(m, "tickers-delta-mark.txt"))).toStrictEqual([
      {
        kind: "mark",
        venue: "bybit",
        symbol: "BTCUSDT",
        ts: 1786310818183,
        markPrice: 65117.43,
        indexPrice: 65137.76,
        fundingRate: 0.0001,
        nextFundingTs: 1786320000000,
        fundingIntervalMs: 28_800_000,
        recvTs: 1786310819526.426,
      },
      { kind: "oi", venue: "bybit", symbol: "BTCUSDT", ts: 1786310818183, oiBase: 29945.866, oiUsd: 1949997833.04, recvTs: 1786310819526.426 },
    ]);
  });

  it("gives only an oi when a delta changes only open interest", () => {
    const m = new BybitMapper();
    eventsOf(mapFixture(m, "tickers-snapshot.txt"));
    expect(eventsOf(mapFixture(m, "tickers-delta-open-interest.txt"))).toStrictEqual([
      { kind: "oi", venue: "bybit", symbol: "BTCUSDT", ts: 1786310824283, oiBase: 29947.988, oiUsd: 1950161468.02, recvTs: 1786310824390.0049 },
    ]);
  });

  it("gives a mark with the snapshot's mark price when a delta changes only the funding rate", () => {
    const m = new BybitMapper();
    eventsOf(mapFixture(m, "tickers-snapshot-eth.txt"));
    expect(eventsOf(mapFixture(m, "tickers-delta-funding-eth.txt"))).toStrictEqual([
      {
        kind: "mark",
        venue: "bybit",
        symbol: "ETHUSDT",
        ts: 1786310822174,
        markPrice: 1922.43,
        indexPrice: 1923.16,
        fundingRate: 0.00004709,
        nextFundingTs: 1786320000000,
        fundingIntervalMs: 28_800_000,
        recvTs: 1786310822282.5449,
      },
    ]);
  });

  it("states no funding interval when the ticker's is not one (beyond a week: found by the property test)", () => {
    const m = new BybitMapper();
    const snap = raw("tickers-snapshot.txt").message;
    const data = snap.data as Record<string, unknown>;
    const [mark] = m.map({ ...snap, data: { ...data, fundingIntervalHour: "99999999999999999" } }).events;
    expect(mark).toMatchObject({ kind: "mark", markPrice: 65117.44, fundingRate: 0.0001 });
    expect(mark).not.toHaveProperty("fundingIntervalMs");
    const [weekly] = new BybitMapper().map({ ...snap, data: { ...data, fundingIntervalHour: "168" } }).events;
    expect(weekly).toMatchObject({ kind: "mark", fundingIntervalMs: 604_800_000 });
  });

  it("ignores a delta of only bid/ask fields, and a delta before any snapshot", () => {
    const m = new BybitMapper();
    expect(mapFixture(m, "tickers-delta-mark.txt")).toStrictEqual({ events: [], ignored: "tickers-delta-before-snapshot" });
    eventsOf(mapFixture(m, "tickers-snapshot.txt"));
    expect(mapFixture(m, "tickers-delta-bid-ask-only.txt")).toStrictEqual({ events: [], ignored: "tickers-unused-fields" });
  });

  it("rejects a bad field without changing the merged ticker", () => {
    const m = new BybitMapper();
    eventsOf(mapFixture(m, "tickers-snapshot.txt"));
    const delta = raw("tickers-delta-mark.txt").message;
    const data = delta.data as Record<string, unknown>;
    expect(m.map({ ...delta, data: { ...data, markPrice: "abc", fundingRate: "0.5" } }).rejected).toBe(
      'tickers: field "data.markPrice" must be a decimal string or empty, got "abc"',
    );
    const [mark] = eventsOf(mapFixture(m, "tickers-delta-mark.txt"));
    expect(mark).toMatchObject({ markPrice: 65117.43, fundingRate: 0.0001 });
  });

  it("UNITS: oiBase × markPrice equals Bybit's own singleOpenInterestValue, to the cent", () => {
    const m = new BybitMapper();
    for (const name of ["tickers-snapshot.txt", "tickers-delta-mark.txt"]) {
      const [mark, oi] = eventsOf(mapFixture(m, name));
      if (mark.kind !== "mark" || oi.kind !== "oi") throw new Error("expected mark, oi");
      expect(Math.abs(oi.oiBase * mark.markPrice - (oi.oiUsd as number))).toBeLessThan(0.01);
    }
    // The recorded snapshot: 29945.866 BTC × 65117.44 = 1,949,998,132.503 ≈ "1949998132.50".
  });
});

describe("BybitMapper allLiquidation", () => {
  const rose = new SymbolRegistry([{ symbol: "ROSEUSDT", instruments: { bybit: "ROSEUSDT" } }]);
  const roseFacts = new InstrumentTable([facts("bybit", "ROSEUSDT", "ROSEUSDT", "1", "1", "verified", "test: the documented example's symbol")]);

  it("maps Bybit's documented example: S = Sell is a liquidated short, price = bankruptcy price p, qty = v, sampling complete", () => {
    const m = new BybitMapper(rose, roseFacts);
    expect(eventsOf(m.map(documented("documented-schema-all-liquidation.json"), 1739502303300))).toStrictEqual([
      {
        kind: "liquidation",
        venue: "bybit",
        symbol: "ROSEUSDT",
        ts: 1739502302929,
        side: "short",
        price: 0.04499,
        qty: 20000,
        notionalUsd: 0.04499 * 20000,
        sampling: "complete",
        recvTs: 1739502303300,
      },
    ]);
    // With the default (tracked) symbols ROSEUSDT is untracked.
    expect(new BybitMapper().map(documented("documented-schema-all-liquidation.json"))).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });

  it("maps S = Buy to a liquidated long, one event per item, notional = p × v", () => {
    const list = eventsOf(new BybitMapper().map(documented("documented-schema-all-liquidation-btc-buy.json")));
    expect(list).toStrictEqual([
      { kind: "liquidation", venue: "bybit", symbol: "BTCUSDT", ts: 1786310830288, side: "long", price: 64980.4, qty: 0.125, notionalUsd: 64980.4 * 0.125, sampling: "complete" },
      { kind: "liquidation", venue: "bybit", symbol: "BTCUSDT", ts: 1786310830301, side: "long", price: 64979.9, qty: 0.002, notionalUsd: 64979.9 * 0.002, sampling: "complete" },
    ]);
    expect(list[0].kind === "liquidation" && list[0].notionalUsd).toBeCloseTo(8122.55, 6);
  });

  it("rejects an item with no size or an unknown side", () => {
    const frame = documented("documented-schema-all-liquidation-btc-buy.json");
    const item = (frame.data as Record<string, unknown>[])[0];
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, v: undefined }] }).rejected).toBe('allLiquidation: missing field "data[0].v"');
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, S: "Long" }] }).rejected).toBe('allLiquidation: field "data[0].S" must be one of "Buy", "Sell", got "Long"');
    expect(new BybitMapper().map({ ...frame, data: [{ ...item, v: "0" }] }).rejected).toBe('allLiquidation: field "data[0].v" (size) must be > 0, got "0"');
  });
});

describe("BybitMapper other messages", () => {
  it("ignores subscribe acks, forming klines and REST answers; rejects what is not Bybit's", () => {
    const m = new BybitMapper();
    expect(mapFixture(m, "subscribe-ack.txt")).toStrictEqual({ events: [], ignored: "subscribe-response" });
    // A forming minute (confirm: false); closed ones become bars (bars.test.ts).
    expect(mapFixture(m, "kline.txt")).toStrictEqual({ events: [], ignored: "kline-open" });
    expect(m.map({ success: true, ret_msg: "pong", conn_id: "x", op: "ping" })).toStrictEqual({ events: [], ignored: "pong" });
    expect(m.map({ success: false, ret_msg: "error:handler not found", op: "subscribe" })).toStrictEqual({ events: [], ignored: "error-response:subscribe" });
    expect(m.map({ retCode: 0, retMsg: "OK", result: {} }, undefined, { url: "https://api.bybit.com/v5/market/instruments-info?category=linear" })).toStrictEqual({
      events: [],
      ignored: "rest-response:instruments-info",
    });
    expect(m.map(null).rejected).toBe("not a JSON object: null");
    expect(m.map({ e: "trade" }).rejected).toMatch(/^unrecognized message: no "topic"/);
  });

  it("ignores frames of the spot connection of a jsonl recording, known from its connect record", () => {
    const m = getMapper("bybit");
    expect(normalizeLine(m, venueFixtureLine("bybit", "jsonl-connect-spot.txt"))).toStrictEqual({ events: [], ignored: "connect-record", hadMessage: false });
    expect(normalizeLine(m, venueFixtureLine("bybit", "spot-orderbook-delta.txt"))).toStrictEqual({ events: [], ignored: "not-linear-market:spot", hadMessage: true });
    // The linear connection's frames still map.
    normalizeLine(m, venueFixtureLine("bybit", "jsonl-connect-linear.txt"));
    expect(normalizeLine(m, venueFixtureLine("bybit", "public-trade-sell.txt")).events).toHaveLength(1);
  });

  it("tells its own frames from others", () => {
    const m = new BybitMapper();
    expect(m.canHandle(raw("public-trade-sell.txt").message)).toBe(true);
    expect(m.canHandle(raw("subscribe-ack.txt").message)).toBe(true);
    expect(m.canHandle({ arg: { channel: "trades" } })).toBe(false);
    expect(m.canHandle({ e: "trade" })).toBe(false);
  });
});

describe("Bybit order book on the recorded streams", () => {
  /** All linear book events of the jsonl recording, per symbol, in file order. */
  async function jsonlBooks(): Promise<Map<string, BookEvent[]>> {
    const m = getMapper("bybit");
    const out = new Map<string, BookEvent[]>();
    for (const line of await venueRecordingLines("bybit", JSONL)) {
      for (const e of normalizeLine(m, line).events) {
        if (e.kind !== "book") continue;
        if (!out.has(e.symbol)) out.set(e.symbol, []);
        out.get(e.symbol)!.push(e);
      }
    }
    return out;
  }

  it("applies the four recorded linear streams with no gap: one snapshot, then every delta chains (u contiguous)", async () => {
    const books = await jsonlBooks();
    expect([...books.keys()].sort()).toStrictEqual(["BTCUSDT", "DOGEUSDT", "ETHUSDT", "SOLUSDT"]);
    let deltas = 0;
    for (const [symbol, list] of books) {
      const b = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 100 });
      for (const e of list) {
        b.apply(e);
        const bid = b.bestBid();
        const ask = b.bestAsk();
        if (bid !== null && ask !== null) expect(bid, symbol).toBeLessThan(ask);
      }
      expect(b.synced, symbol).toBe(true);
      expect(b.counters(), symbol).toMatchObject({ snapshots: 1, applied: list.length - 1, gaps: 0, stale: 0, checksumMismatch: 0 });
      deltas += list.length - 1;
    }
    expect(deltas).toBe(1594);
  });

  it("applies the nautilus ob500 stream with no gap (49 deltas) and a mid-stream snapshot resets the book", async () => {
    const m = new BybitMapper();
    const list: BookEvent[] = [];
    for (const line of await venueRecordingLines("bybit", "2024-12-01_XRPUSDT_ob500.data")) {
      for (const e of m.map(JSON.parse(line)).events) if (e.kind === "book") list.push(e);
    }
    const b = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 100 });
    for (const e of list) b.apply(e);
    expect(b.counters()).toMatchObject({ snapshots: 1, applied: 49, gaps: 0, stale: 0 });
    expect(b.lastSeq).toBe(20254918);

    // Bybit pushes a new snapshot to reset the stream: it replaces the book whatever its u.
    const snapshot = list[0];
    b.apply(snapshot);
    expect(b.counters()).toMatchObject({ snapshots: 2, stale: 0, gaps: 0 });
    expect(b.lastSeq).toBe(20254869);
    expect(b.levels()).toStrictEqual({ bids: snapshot.bids, asks: snapshot.asks });
    // The stream goes on from it.
    b.apply(list[1]);
    expect(b.counters()).toMatchObject({ applied: 50, gaps: 0 });

    // u = 1 after a service restart: a snapshot that resets the book to its levels only.
    const delta = JSON.parse(venueFixtureLine("bybit", "ob500-delta-crlf.txt")) as { data: Record<string, unknown> };
    const [reset] = eventsOf(m.map({ ...delta, data: { ...delta.data, u: 1 } }));
    if (reset.kind !== "book") throw new Error(reset.kind);
    expect(reset.type).toBe("snapshot");
    b.apply(reset);
    expect(b.lastSeq).toBe(1);
    expect(b.bidLevels).toBe(13);
    expect(b.askLevels).toBe(22);
  });
});

describe("BYBIT_CONNECTION", () => {
  it("subscribes publicTrade, orderbook.200, tickers and allLiquidation per instrument, 10 args per frame", () => {
    expect(BYBIT_CONNECTION.wsUrl).toBe("wss://stream.bybit.com/v5/public/linear");
    expect(BYBIT_CONNECTION.topics("BTCUSDT")).toStrictEqual(["publicTrade.BTCUSDT", "orderbook.200.BTCUSDT", "tickers.BTCUSDT", "allLiquidation.BTCUSDT"]);
    expect(BYBIT_CONNECTION.topics("TONUSDT")).toStrictEqual([]);
    expect(BYBIT_CONNECTION.globalTopics()).toStrictEqual([]);
    const topics = [...BYBIT_CONNECTION.topics("BTCUSDT"), ...BYBIT_CONNECTION.topics("ETHUSDT"), ...BYBIT_CONNECTION.topics("SOLUSDT")];
    const frames = BYBIT_CONNECTION.subscribeFrames(topics).map((f) => JSON.parse(f) as { op: string; args: string[] });
    expect(frames.map((f) => [f.op, f.args.length])).toStrictEqual([
      ["subscribe", 10],
      ["subscribe", 2],
    ]);
    expect(frames.flatMap((f) => f.args)).toStrictEqual(topics);
  });

  it("keeps alive with {op:ping} every 20 s, knows its control frames, stale thresholds and liquidation sampling", () => {
    expect(BYBIT_CONNECTION.keepalive).toStrictEqual({ intervalMs: 20_000, frame: '{"op":"ping"}' });
    expect(BYBIT_CONNECTION.isControl(raw("subscribe-ack.txt").message)).toBe(true);
    expect(BYBIT_CONNECTION.isControl({ success: true, ret_msg: "pong", conn_id: "x", op: "ping" })).toBe(true);
    expect(BYBIT_CONNECTION.isControl(raw("public-trade-sell.txt").message)).toBe(false);
    expect(BYBIT_CONNECTION.staleAfterMs("orderbook.200.BTCUSDT")).toBe(30_000);
    expect(BYBIT_CONNECTION.staleAfterMs("allLiquidation.BTCUSDT")).toBe(Number.POSITIVE_INFINITY);
    expect(BYBIT_CONNECTION.liquidationSampling).toBe("complete");
    expect(BYBIT_CONNECTION.topicOf?.(raw("orderbook-delta.txt").message, undefined)).toBe("orderbook.200.BTCUSDT");
    expect(BYBIT_CONNECTION.topicOf?.(raw("subscribe-ack.txt").message, undefined)).toBeUndefined();
    // Every tracked instrument Bybit lists has facts; the connection subscribes no other.
    expect(INSTRUMENT_FACTS.filter((f) => f.venue === "bybit")).toHaveLength(20);
  });
});
