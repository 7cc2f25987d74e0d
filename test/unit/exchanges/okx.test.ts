import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OrderBook } from "../../../src/domain/book.js";
import { type BookEvent, type CanonicalEvent, CanonicalEventSchema } from "../../../src/domain/events.js";
import { checkOkxInstruments, facts, INSTRUMENTS, InstrumentTable } from "../../../src/domain/instruments.js";
import { SymbolRegistry } from "../../../src/domain/symbols.js";
import { OKX_CONNECTION } from "../../../src/exchanges/okx-connection.js";
import { okxBookChecksum, OkxMapper } from "../../../src/exchanges/okx.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { normalizeLine } from "../../../src/exchanges/registry.js";
import type { MapResult } from "../../../src/exchanges/types.js";
import { venueData, venueFixtureLine, venueRecordingLines } from "./helpers.js";

const RECORDING = "cryptofeed_OKX.ws.1.0.gz";

/**
 * The recording holds no tracked instrument (spot BTC-USDT, inverse UNI-USD-SWAP, dated
 * BTC-USD-220527). To check exact values and the checksum on these real pushes, a test registry
 * tracks them under their own names with facts in the venue's own units (no conversion): OKX spot
 * sizes are in the base currency; the inverse instruments' sizes stay in their USD contracts,
 * which the checksum reads as sent.
 */
const RECORDED = ["BTC-USDT", "UNI-USD-SWAP", "BTC-USD-220527"];
const recordedSymbols = new SymbolRegistry(RECORDED.map((id) => ({ symbol: id, instruments: { okx: id } })));
const recordedFacts = new InstrumentTable(RECORDED.map((id) => facts("okx", id, id, "1", "1", "verified", "test: venue units as sent")));

function raw(name: string): { message: Record<string, unknown>; recvTs?: number } {
  const parsed = parseRecordingLine(venueFixtureLine("okx", name));
  if (parsed.type !== "message") throw new Error(`${name}: ${parsed.type}`);
  return { message: parsed.message as Record<string, unknown>, recvTs: parsed.recvTs };
}

function mapFixture(mapper: OkxMapper, name: string): MapResult {
  const r = raw(name);
  return mapper.map(r.message, r.recvTs);
}

function documented(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(venueData("okx", `fixtures/${name}`), "utf8")) as Record<string, unknown>;
}

function eventsOf(result: MapResult): CanonicalEvent[] {
  if (result.rejected !== undefined) throw new Error(`rejected: ${result.rejected}`);
  if (result.ignored !== undefined) throw new Error(`ignored: ${result.ignored}`);
  for (const e of result.events) expect(CanonicalEventSchema.parse(e)).toStrictEqual(e);
  return result.events;
}

/** A push with its first `data` item changed. */
function withItem(frame: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const [item, ...rest] = frame.data as Record<string, unknown>[];
  return { ...frame, data: [{ ...item, ...changes }, ...rest] };
}

describe("OkxMapper trades", () => {
  it("maps a recorded spot trade (test registry): side is the taker's, qty = sz, ts from the push", () => {
    expect(eventsOf(mapFixture(new OkxMapper(recordedSymbols, recordedFacts), "trades-spot.txt"))).toStrictEqual([
      {
        kind: "trade",
        venue: "okx",
        symbol: "BTC-USDT",
        ts: 1652459224818,
        price: 30236,
        qty: 0.0002,
        side: "buy",
        tradeId: "338476307",
        recvTs: 1652459225507.2603,
      },
    ]);
  });

  it("ignores the recorded instruments with the default symbols: none is a tracked USDT swap", () => {
    for (const name of ["trades-spot.txt", "trades-inverse-swap.txt", "books-update-spot.txt"]) {
      expect(mapFixture(new OkxMapper(), name), name).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    }
  });

  it("UNITS: a PEPE-USDT-SWAP trade of 25 contracts is 250,000,000 PEPE = 250,000 units of 1000PEPEUSDT, price per 1000 PEPE", () => {
    const [e] = eventsOf(new OkxMapper().map(documented("documented-schema-trades-pepe-swap.json")));
    expect(e).toStrictEqual({ kind: "trade", venue: "okx", symbol: "1000PEPEUSDT", ts: 1723161432789, price: 0.01234, qty: 250000, side: "sell", tradeId: "270391221" });
    // Hand computation from the contract value: 25 contracts × 10,000,000 PEPE × 0.00001234 USDT = 3085 USDT.
    if (e.kind !== "trade") throw new Error(e.kind);
    expect(e.price * e.qty).toBeCloseTo(25 * 10_000_000 * 0.00001234, 9);
  });

  it("does not use an instrument whose contract value is unverified (WIF-USDT-SWAP)", () => {
    const frame = documented("documented-schema-trades-pepe-swap.json");
    const wif = withItem({ ...frame, arg: { channel: "trades", instId: "WIF-USDT-SWAP" } }, { instId: "WIF-USDT-SWAP", px: "1.5" });
    expect(new OkxMapper().map(wif)).toStrictEqual({ events: [], ignored: "unverified-instrument-facts:WIF-USDT-SWAP" });
  });

  it("rejects malformed trades, naming the field", () => {
    const frame = documented("documented-schema-trades-pepe-swap.json");
    expect(new OkxMapper().map(withItem(frame, { sz: "1e3" })).rejected).toBe('trades: field "data[0].sz" must be an unsigned decimal string, got "1e3"');
    expect(new OkxMapper().map(withItem(frame, { side: "long" })).rejected).toBe('trades: field "data[0].side" must be one of "buy", "sell", got "long"');
    expect(new OkxMapper().map(withItem(frame, { ts: 1723161432789 })).rejected).toBe('trades: field "data[0].ts" must be a string, got 1723161432789');
    expect(new OkxMapper().map(withItem(frame, { sz: "0" })).rejected).toBe('trades: field "data[0].sz" (size) must be > 0, got "0"');
    expect(new OkxMapper().map({ ...frame, data: {} }).rejected).toBe('trades: field "data" must be an array, got {}');
  });
});

describe("OkxMapper books", () => {
  it("maps a recorded snapshot and update; without seqId, seq = ts and prevSeq = the previous push's ts; checksum passed on", () => {
    const m = new OkxMapper(recordedSymbols, recordedFacts);
    const [snap] = eventsOf(mapFixture(m, "books-snapshot-spot.txt"));
    if (snap.kind !== "book") throw new Error(snap.kind);
    expect([snap.type, snap.seq, snap.ts, snap.checksum, snap.bids.length, snap.asks.length, snap.bids[0], snap.asks[0], "prevSeq" in snap]).toStrictEqual([
      "snapshot",
      1652459225381,
      1652459225381,
      47640993,
      400,
      400,
      [30243.4, 0.0012029],
      [30243.5, 1.44679],
      false,
    ]);
    const [update] = eventsOf(mapFixture(m, "books-update-spot.txt"));
    if (update.kind !== "book") throw new Error(update.kind);
    expect([update.type, update.seq, update.prevSeq, update.checksum, update.bids.length, update.asks.length, update.bids[0], update.bids[1]]).toStrictEqual([
      "delta",
      1652459225453,
      1652459225381,
      -652563973,
      17,
      26,
      [30237.2, 0],
      [30236.1, 0.05452],
    ]);
  });

  it("maps seqId/prevSeqId (documented schema) and drops the deprecated checksum 0", () => {
    const m = new OkxMapper();
    const [snap] = eventsOf(m.map(documented("documented-schema-books-snapshot-seqid.json")));
    expect(snap).toStrictEqual({
      kind: "book",
      venue: "okx",
      symbol: "BTCUSDT",
      ts: 1700724675600,
      type: "snapshot",
      bids: [
        [37160.4, 0.07],
        [37159.8, 0.4025],
      ],
      asks: [
        [37160.5, 0.125],
        [37161, 0.03],
      ],
      seq: 10,
    });
    const [update] = eventsOf(m.map(documented("documented-schema-books-update-seqid.json")));
    expect(update).toStrictEqual({
      kind: "book",
      venue: "okx",
      symbol: "BTCUSDT",
      ts: 1700724675700,
      type: "delta",
      bids: [[37160.4, 0.085]],
      asks: [[37160.5, 0]],
      seq: 15,
      prevSeq: 10,
    });
  });

  it("chains OKX's heartbeat (seqId = prevSeqId) and sequence reset (seqId < prevSeqId) in the book, and detects a break", () => {
    const m = new OkxMapper();
    const update = documented("documented-schema-books-update-seqid.json");
    const push = (prevSeqId: number, seqId: number, levels = true): BookEvent => {
      const [e] = eventsOf(m.map(withItem(update, { prevSeqId, seqId, ...(levels ? {} : { bids: [], asks: [] }) })));
      return e as BookEvent;
    };
    const b = new OrderBook({ maxLevels: 400, maxBufferedDeltas: 10 });
    b.apply(eventsOf(m.map(documented("documented-schema-books-snapshot-seqid.json")))[0] as BookEvent);
    b.apply(push(10, 15));
    b.apply(push(15, 15, false));
    b.apply(push(15, 3));
    b.apply(push(3, 5));
    expect(b.counters()).toMatchObject({ applied: 4, gaps: 0, stale: 0 });
    expect(b.lastSeq).toBe(5);
    b.apply(push(4, 9));
    expect(b.synced).toBe(false);
    expect(b.counters().gaps).toBe(1);
  });

  it("rejects malformed pushes, naming the field", () => {
    const m = new OkxMapper();
    const update = documented("documented-schema-books-update-seqid.json");
    expect(m.map({ ...update, action: "partial" }).rejected).toBe('books: field "action" must be one of "snapshot", "update", got "partial"');
    expect(m.map(withItem(update, { bids: [["37160.4"]] })).rejected).toBe('books: field "data[0].bids[0]" must be a [price, size] array, got ["37160.4"]');
    expect(m.map(withItem(update, { seqId: "15" })).rejected).toBe('books: field "data[0].seqId" must be a number, got "15"');
    expect(m.map(withItem(update, { prevSeqId: undefined })).rejected).toBe('books: field "data[0].prevSeqId" is missing while "seqId" is present');
    expect(m.map(withItem(update, { checksum: 1.5 })).rejected).toBe('books: field "data[0].checksum" must be an integer, got 1.5');
  });
});

describe("OKX book checksum", () => {
  it("computes OKX's documented examples: interleaved bid:ask levels; a short side stops contributing", () => {
    // "3366.1:7:3366.8:9:3366:6:3368:8" and "3366.1:7:3366.8:9:3368:8:3372:8" (CRC32 as signed int32).
    expect(okxBookChecksum([["3366.1", "7"], ["3366", "6"]], [["3366.8", "9"], ["3368", "8"]])).toBe(-1881014294);
    expect(okxBookChecksum([["3366.1", "7"]], [["3366.8", "9"], ["3368", "8"], ["3372", "8"]])).toBe(831078360);
  });

  /** Every books push of the recording, per instrument, mapped with the test registry. */
  async function recordedBooks(): Promise<Map<string, BookEvent[]>> {
    const m = new OkxMapper(recordedSymbols, recordedFacts);
    const out = new Map<string, BookEvent[]>();
    for (const line of await venueRecordingLines("okx", RECORDING)) {
      const parsed = parseRecordingLine(line);
      if (parsed.type !== "message") continue;
      for (const e of m.map(parsed.message, parsed.recvTs).events) {
        if (e.kind !== "book") continue;
        if (!out.has(e.symbol)) out.set(e.symbol, []);
        out.get(e.symbol)!.push(e);
      }
    }
    return out;
  }

  it("verifies every recorded checksum: the snapshot and all updates of the three recorded books", async () => {
    const books = await recordedBooks();
    expect(new Map([...books].map(([s, l]) => [s, l.length]))).toStrictEqual(
      new Map([
        ["BTC-USD-220527", 99],
        ["UNI-USD-SWAP", 93],
        ["BTC-USDT", 98],
      ]),
    );
    for (const [symbol, list] of books) {
      expect(list.every((e) => e.checksum !== undefined)).toBe(true);
      const b = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 100, instruments: recordedFacts });
      for (const e of list) b.apply(e);
      expect(b.synced, symbol).toBe(true);
      expect(b.counters(), symbol).toMatchObject({ snapshots: 1, applied: list.length - 1, gaps: 0, checksumMismatch: 0 });
    }
  });

  it("fails the checksum when one level is corrupted, and goes unsynced awaiting a snapshot", async () => {
    const list = (await recordedBooks()).get("BTC-USDT")!;
    const b = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 100, instruments: recordedFacts });
    b.apply(list[0]);
    const corrupted: BookEvent = { ...list[1], bids: list[1].bids.map(([p, q], i) => (i === 1 ? [p, q + 0.00001] : [p, q])) };
    b.apply(corrupted);
    expect(b.synced).toBe(false);
    expect(b.counters()).toMatchObject({ checksumMismatch: 1, gaps: 1, applied: 1 });
    expect(b.bidLevels + b.askLevels).toBe(0);
    // Following updates wait (buffered) for a snapshot.
    b.apply(list[2]);
    expect(b.synced).toBe(false);
    expect(b.bufferedDeltas).toBe(1);
    // A new snapshot (the true book after update 1, as OKX would resend it) resyncs, and the
    // buffered update 2 chains onto it with its checksum verified.
    const clean = new OrderBook({ maxLevels: 1000, maxBufferedDeltas: 100, instruments: recordedFacts });
    clean.apply(list[0]);
    clean.apply(list[1]);
    b.apply({ ...list[1], type: "snapshot", ...clean.levels(), prevSeq: undefined });
    expect(b.synced).toBe(true);
    expect(b.counters()).toMatchObject({ resyncs: 1, checksumMismatch: 1, applied: 2 });
    expect(b.lastSeq).toBe(list[2].seq);
  });

  it("verifies a checksum in venue units when the book holds converted units (PEPE-USDT-SWAP)", () => {
    // Levels in OKX text: price per PEPE, size in contracts; the book holds 1000PEPEUSDT units.
    const bids: Array<[string, string]> = [["0.00001234", "25"], ["0.00001233", "3.5"]];
    const asks: Array<[string, string]> = [["0.00001235", "12"]];
    const push = {
      arg: { channel: "books", instId: "PEPE-USDT-SWAP" },
      action: "snapshot",
      data: [{ bids: bids.map((l) => [...l, "0", "1"]), asks: asks.map((l) => [...l, "0", "1"]), ts: "1723161433000", checksum: okxBookChecksum(bids, asks), prevSeqId: -1, seqId: 7 }],
    };
    const [e] = eventsOf(new OkxMapper().map(push));
    if (e.kind !== "book") throw new Error(e.kind);
    expect(e.bids).toStrictEqual([
      [0.01234, 250000],
      [0.01233, 35000],
    ]);
    const b = new OrderBook({ maxLevels: 100, maxBufferedDeltas: 10 });
    b.apply(e);
    expect(b.synced).toBe(true);
    expect(b.counters().checksumMismatch).toBe(0);
  });

  it("keeps the Binance path unchanged: events without a checksum are never verified", () => {
    const b = new OrderBook({ maxLevels: 100, maxBufferedDeltas: 10 });
    b.apply({ kind: "book", venue: "binance", symbol: "BTCUSDT", ts: 1, type: "snapshot", bids: [[1, 1]], asks: [[2, 1]], seq: 5 });
    b.apply({ kind: "book", venue: "binance", symbol: "BTCUSDT", ts: 2, type: "delta", bids: [[1, 2]], asks: [], seq: 6, firstSeq: 6, prevSeq: 5 });
    expect(b.counters()).toMatchObject({ applied: 1, checksumMismatch: 0 });
  });
});

describe("OkxMapper mark-price and funding-rate (documented schema)", () => {
  it("holds a funding push until the first mark price, then every push carries both", () => {
    const m = new OkxMapper();
    expect(m.map(documented("documented-schema-funding-rate.json"))).toStrictEqual({ events: [], ignored: "funding-rate-held-until-mark-price" });
    expect(eventsOf(m.map(documented("documented-schema-mark-price.json"), 1700724675612))).toStrictEqual([
      {
        kind: "mark",
        venue: "okx",
        symbol: "BTCUSDT",
        ts: 1700724675500,
        markPrice: 37160.4,
        fundingRate: 0.0001875391284828,
        nextFundingTs: 1700726400000,
        fundingIntervalMs: 28_800_000,
        recvTs: 1700724675612,
      },
    ]);
    expect(eventsOf(m.map(documented("documented-schema-funding-rate.json")))).toStrictEqual([
      { kind: "mark", venue: "okx", symbol: "BTCUSDT", ts: 1700724675402, markPrice: 37160.4, fundingRate: 0.0001875391284828, nextFundingTs: 1700726400000, fundingIntervalMs: 28_800_000 },
    ]);
  });

  it("gives a mark without funding before any funding push, and takes nextFundingTime when fundingTime is past", () => {
    const m = new OkxMapper();
    expect(eventsOf(m.map(documented("documented-schema-mark-price.json")))).toStrictEqual([
      { kind: "mark", venue: "okx", symbol: "BTCUSDT", ts: 1700724675500, markPrice: 37160.4 },
    ]);
    const [e] = eventsOf(m.map(withItem(documented("documented-schema-funding-rate.json"), { fundingTime: "1700697600000" })));
    expect(e).toMatchObject({ nextFundingTs: 1700755200000 });
    // fundingTime 16 h before nextFundingTime is not one settlement step: no interval is claimed
    expect(e.kind === "mark" && e.fundingIntervalMs).toBeUndefined();
  });

  it("rejects a bad mark price or funding rate", () => {
    const m = new OkxMapper();
    expect(m.map(withItem(documented("documented-schema-mark-price.json"), { markPx: "" })).rejected).toBe('mark-price: field "data[0].markPx" must be an unsigned decimal string, got ""');
    expect(m.map(withItem(documented("documented-schema-mark-price.json"), { markPx: "0" })).rejected).toBe('mark-price: field "data[0].markPx" (mark price) must be > 0, got "0"');
    expect(m.map(withItem(documented("documented-schema-funding-rate.json"), { fundingRate: "1%" })).rejected).toBe(
      'funding-rate: field "data[0].fundingRate" must be a decimal string, got "1%"',
    );
  });
});

describe("OkxMapper open-interest (documented schema)", () => {
  it("UNITS: oiBase from oiCcy equals oi contracts × ctVal (2,216,113.01 × 0.01 BTC = 22,161.1301 BTC)", () => {
    expect(eventsOf(new OkxMapper().map(documented("documented-schema-open-interest.json")))).toStrictEqual([
      { kind: "oi", venue: "okx", symbol: "BTCUSDT", ts: 1700724676000, oiBase: 22161.1301 },
    ]);
    expect(2216113.01 * 0.01).toBeCloseTo(22161.1301, 9);
  });

  it("rejects a push whose oiCcy disagrees with oi × ctVal (the contract value would be wrong)", () => {
    const result = new OkxMapper().map(withItem(documented("documented-schema-open-interest.json"), { oiCcy: "2216.11301" }));
    expect(result.rejected).toBe(
      'open-interest: field "data[0].oiCcy" ("2216.11301") disagrees with "oi" × ctVal ("2216113.01" × 0.01): the contract value of BTC-USDT-SWAP may have changed',
    );
  });

  it("falls back to oi × ctVal when oiCcy is absent, and keeps oiUsd when sent", () => {
    const [e] = eventsOf(new OkxMapper().map(withItem(documented("documented-schema-open-interest.json"), { oiCcy: undefined, oiUsd: "823516789.12" })));
    expect(e).toMatchObject({ oiBase: 22161.1301, oiUsd: 823516789.12 });
  });
});

describe("OkxMapper liquidation-orders", () => {
  it("ignores OKX's documented example (IOST-USDT-SWAP is not tracked)", () => {
    expect(new OkxMapper().map(documented("documented-schema-liquidation-orders.json"))).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });

  it("net mode: a forced sell liquidates a long; qty = sz × ctVal, price = bkPx, sampled", () => {
    expect(eventsOf(new OkxMapper().map(documented("documented-schema-liquidation-orders-net-mode.json")))).toStrictEqual([
      {
        kind: "liquidation",
        venue: "okx",
        symbol: "BTCUSDT",
        ts: 1723161430123,
        side: "long",
        price: 61234.5,
        qty: 0.025,
        notionalUsd: 61234.5 * 0.025,
        sampling: "sampled-1s",
      },
    ]);
  });

  it("hedge mode: posSide short; PEPE sizes and prices in 1000PEPE units keep the notional (3 × 10,000,000 × 0.00001234 = 370.2 USDT)", () => {
    const [e] = eventsOf(new OkxMapper().map(documented("documented-schema-liquidation-orders-pepe-hedge-short.json")));
    expect(e).toStrictEqual({
      kind: "liquidation",
      venue: "okx",
      symbol: "1000PEPEUSDT",
      ts: 1723161431456,
      side: "short",
      price: 0.01234,
      qty: 30000,
      notionalUsd: 0.01234 * 30000,
      sampling: "sampled-1s",
    });
    expect(e.kind === "liquidation" && e.notionalUsd).toBeCloseTo(370.2, 9);
  });

  it("rejects a hedge-mode detail whose order side contradicts its position side", () => {
    const frame = documented("documented-schema-liquidation-orders-pepe-hedge-short.json");
    const item = (frame.data as Record<string, unknown>[])[0];
    const details = item.details as Record<string, unknown>[];
    const bad = { ...frame, data: [{ ...item, details: [{ ...details[0], side: "sell" }] }] };
    expect(new OkxMapper().map(bad).rejected).toBe(
      'liquidation-orders: field "data[0].details[0].side" ("sell") contradicts "posSide" ("short"): a liquidation closes its position',
    );
  });
});

describe("OkxMapper other messages", () => {
  it("ignores subscribe events, pongs, error events and unused channels; rejects what is not OKX's", () => {
    const m = new OkxMapper();
    expect(mapFixture(m, "subscribe-event.txt")).toStrictEqual({ events: [], ignored: "subscribe-response" });
    expect(mapFixture(m, "tickers-spot.txt")).toStrictEqual({ events: [], ignored: "unused-channel:tickers" });
    expect(m.map("pong")).toStrictEqual({ events: [], ignored: "pong" });
    expect(m.map({ event: "error", code: "60012", msg: "Invalid request" })).toStrictEqual({ events: [], ignored: "error-response:60012" });
    expect(m.map({ topic: "publicTrade.BTCUSDT" }).rejected).toMatch(/^unrecognized message: no "arg.channel"/);
    expect(m.map(7).rejected).toBe("not a JSON object: 7");
  });

  it("reads the recording's connect and sent lines as skipped", () => {
    expect(normalizeLine(new OkxMapper(), venueFixtureLine("okx", "connect-line.txt"))).toStrictEqual({ events: [], ignored: "connect-line", hadMessage: false });
  });
});

describe("OKX_CONNECTION", () => {
  it("subscribes five channels per swap plus the venue-wide liquidation channel, 20 args per frame", () => {
    expect(OKX_CONNECTION.wsUrl).toBe("wss://ws.okx.com:8443/ws/v5/public");
    expect(OKX_CONNECTION.topics("BTC-USDT-SWAP")).toStrictEqual([
      "trades:BTC-USDT-SWAP",
      "books:BTC-USDT-SWAP",
      "mark-price:BTC-USDT-SWAP",
      "funding-rate:BTC-USDT-SWAP",
      "open-interest:BTC-USDT-SWAP",
    ]);
    expect(OKX_CONNECTION.topics("BTC-USDT")).toStrictEqual([]);
    expect(OKX_CONNECTION.globalTopics()).toStrictEqual(["liquidation-orders:SWAP"]);
    const frames = OKX_CONNECTION.subscribeFrames(["books:BTC-USDT-SWAP", "liquidation-orders:SWAP"]);
    expect(frames).toStrictEqual([
      '{"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"},{"channel":"liquidation-orders","instType":"SWAP"}]}',
    ]);
    expect(OKX_CONNECTION.maxTopicsPerConnection).toBe(30);
  });

  it("keeps alive with the text ping every 25 s, and knows pong and subscribe events as control", () => {
    expect(OKX_CONNECTION.keepalive).toStrictEqual({ intervalMs: 25_000, frame: "ping" });
    expect(OKX_CONNECTION.isControl("pong")).toBe(true);
    expect(OKX_CONNECTION.isControl(raw("subscribe-event.txt").message)).toBe(true);
    expect(OKX_CONNECTION.isControl(raw("trades-spot.txt").message)).toBe(false);
    expect(OKX_CONNECTION.staleAfterMs("liquidation-orders:SWAP")).toBe(Number.POSITIVE_INFINITY);
    expect(OKX_CONNECTION.staleAfterMs("books:BTC-USDT-SWAP")).toBe(30_000);
    expect(OKX_CONNECTION.liquidationSampling).toBe("sampled-1s");
    expect(OKX_CONNECTION.topicOf?.(documented("documented-schema-books-update-seqid.json"), undefined)).toBe("books:BTC-USDT-SWAP");
    expect(OKX_CONNECTION.topicOf?.(documented("documented-schema-liquidation-orders-net-mode.json"), undefined)).toBe("liquidation-orders:SWAP");
    expect(OKX_CONNECTION.topicOf?.(raw("subscribe-event.txt").message, undefined)).toBeUndefined();
  });
});

describe("checkOkxInstruments", () => {
  it("lists what a live instruments answer contradicts in the table", () => {
    const body = {
      code: "0",
      data: [
        { instId: "BTC-USDT-SWAP", ctType: "linear", ctVal: "0.01", ctValCcy: "BTC" },
        { instId: "DOGE-USDT-SWAP", ctType: "linear", ctVal: "10", ctValCcy: "DOGE" },
      ],
    };
    const mismatches = checkOkxInstruments(body, new InstrumentTable(INSTRUMENTS.facts.filter((f) => ["BTC-USDT-SWAP", "DOGE-USDT-SWAP", "ETH-USDT-SWAP"].includes(f.instrument))));
    expect(mismatches).toStrictEqual([
      { instrument: "ETH-USDT-SWAP", field: "instId", table: "ETH-USDT-SWAP", venue: "(not listed)" },
      { instrument: "DOGE-USDT-SWAP", field: "ctVal", table: "1000", venue: "10" },
    ]);
  });
});
