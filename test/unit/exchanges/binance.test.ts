import { describe, expect, it } from "vitest";
import { CanonicalEventSchema } from "../../../src/domain/events.js";
import { SymbolRegistry } from "../../../src/domain/symbols.js";
import { BinanceMapper } from "../../../src/exchanges/binance.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import type { MapContext, MapResult } from "../../../src/exchanges/types.js";
import { fixtureLine } from "./helpers.js";

const mapper = new BinanceMapper();

/** The cryptofeed recording's symbols are not tracked; a registry that tracks them, for exact-value tests. */
const cryptofeedSymbols = new SymbolRegistry([
  { symbol: "CTKUSDT", instruments: { binance: "CTKUSDT" } },
  { symbol: "SUSHIUSDT", instruments: { binance: "SUSHIUSDT" } },
]);

interface Raw {
  message: Record<string, unknown>;
  recvTs?: number;
  url?: string;
}

/** A fixture line parsed into its raw message (a fresh copy each call, safe to edit). */
function raw(name: string): Raw {
  const parsed = parseRecordingLine(fixtureLine(name));
  if (parsed.type !== "message") throw new Error(`${name}: ${parsed.type}`);
  return { message: parsed.message as Record<string, unknown>, recvTs: parsed.recvTs, url: parsed.url };
}

function mapFixture(name: string, m: BinanceMapper = mapper, context?: MapContext): MapResult {
  const r = raw(name);
  return m.map(r.message, r.recvTs, { ...context, ...(r.url === undefined ? {} : { url: r.url }) });
}

/** The one event of a result, checked against the canonical contract. */
function single(result: MapResult) {
  if (result.rejected !== undefined) throw new Error(`rejected: ${result.rejected}`);
  if (result.ignored !== undefined) throw new Error(`ignored: ${result.ignored}`);
  expect(result.events).toHaveLength(1);
  const event = result.events[0];
  expect(CanonicalEventSchema.parse(event)).toStrictEqual(event);
  return event;
}

/** A trade frame from the m:true fixture with some fields replaced (undefined deletes). */
function tradeWith(changes: Record<string, unknown>): Record<string, unknown> {
  const frame = raw("trade-buyer-maker.txt").message;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete frame[key];
    else frame[key] = value;
  }
  return frame;
}

describe("BinanceMapper trades", () => {
  it("maps a raw trade with m:true (buyer is maker) to an aggressor sell", () => {
    expect(single(mapFixture("trade-buyer-maker.txt"))).toStrictEqual({
      kind: "trade",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1680652700452,
      price: 28145.1,
      qty: 0.002,
      side: "sell",
      tradeId: "3535186032",
      recvTs: 1680652700441.533,
    });
  });

  it("maps a raw trade with m:false to an aggressor buy, ts from T", () => {
    expect(single(mapFixture("trade-ns-timestamp.txt"))).toStrictEqual({
      kind: "trade",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1723161256322,
      price: 61800.3,
      qty: 0.006,
      side: "buy",
      tradeId: "5266583935",
      recvTs: 1723161255088.176367,
    });
  });

  it("maps an aggTrade with the aggregate id as tradeId and T as ts", () => {
    expect(single(mapFixture("aggtrade.txt", new BinanceMapper(cryptofeedSymbols)))).toStrictEqual({
      kind: "trade",
      venue: "binance",
      symbol: "CTKUSDT",
      ts: 1626992741421,
      price: 1.011,
      qty: 10,
      side: "buy",
      tradeId: "16599292",
      recvTs: 1626992742289.739,
    });
  });

  it("ignores an insurance-fund trade, which never hit the book (aggTrade leaves it out too)", () => {
    expect(mapFixture("trade-insurance-fund.txt")).toStrictEqual({ events: [], ignored: "off-book-trade:INSURANCE_FUND" });
  });

  it("ignores an untracked symbol without validating it", () => {
    expect(mapFixture("aggtrade.txt")).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    expect(mapFixture("untracked-symbol.txt")).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });
});

describe("BinanceMapper rejects malformed trades, naming the field", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a non-numeric price", { p: "abc" }, 'trade: field "p" must be an unsigned decimal string, got "abc"'],
    ["a missing qty", { q: undefined }, 'trade: missing field "q"'],
    ["a zero price", { p: "0.00" }, 'trade: field "p" (price) must be > 0, got "0.00"'],
    ["a zero qty", { q: "0.000" }, 'trade: field "q" (qty) must be > 0, got "0.000"'],
    ["a negative qty", { q: "-0.002" }, 'trade: field "q" must be an unsigned decimal string, got "-0.002"'],
    ["an exponent price (never coerced)", { p: "2.8e4" }, 'trade: field "p" must be an unsigned decimal string, got "2.8e4"'],
    ["a price with spaces", { p: " 28145.10" }, 'trade: field "p" must be an unsigned decimal string, got " 28145.10"'],
    ["a numeric price instead of a string", { p: 28145.1 }, 'trade: field "p" must be a string, got 28145.1'],
    ["a NaN trade time", { T: Number.NaN }, 'trade: field "T" must be a number, got NaN'],
    ["a fractional trade time", { T: 1680652700452.5 }, 'trade: field "T" must be an integer (epoch ms), got 1680652700452.5'],
    ["a missing maker flag", { m: undefined }, 'trade: missing field "m"'],
    ["an empty symbol", { s: "" }, 'trade: field "s" must not be empty, got ""'],
  ];
  for (const [what, changes, reason] of cases) {
    it(`rejects ${what}`, () => {
      expect(mapper.map(tradeWith(changes))).toStrictEqual({ events: [], rejected: reason });
    });
  }
});

describe("BinanceMapper depth", () => {
  it("maps a depthUpdate to a delta with U/u/pu as firstSeq/seq/prevSeq and qty 0 levels kept (removals)", () => {
    expect(single(mapFixture("depth-update.txt"))).toStrictEqual({
      kind: "book",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1680652700848,
      type: "delta",
      bids: [
        [19701.6, 0],
        [28137.2, 0.089],
      ],
      asks: [
        [28152, 2.638],
        [28152.9, 0],
      ],
      seq: 2710246770529,
      firstSeq: 2710246770213,
      prevSeq: 2710246770042,
      recvTs: 1680652700834.53,
    });
  });

  it("maps a depthUpdate with an empty bid side", () => {
    expect(single(mapFixture("depth-update-empty-side.txt"))).toStrictEqual({
      kind: "book",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1723161600760,
      type: "delta",
      bids: [],
      asks: [[61659.8, 0.981]],
      seq: 5123135221461,
      firstSeq: 5123135221461,
      prevSeq: 5123134944963,
      recvTs: 1723161599488.620283,
    });
  });

  it("maps a REST depth snapshot with the instrument from the context, seq = lastUpdateId, ts = E", () => {
    const event = single(mapFixture("depth-snapshot-rest.txt", mapper, { instrument: "BTCUSDT" }));
    if (event.kind !== "book") throw new Error(event.kind);
    expect({ ...event, bids: event.bids.length, asks: event.asks.length }).toStrictEqual({
      kind: "book",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1680652700590,
      type: "snapshot",
      bids: 1000,
      asks: 1000,
      seq: 2710246765483,
      recvTs: 1680652700599.351,
    });
    expect(event.bids[0]).toStrictEqual([28145.1, 3.818]);
    expect(event.asks[0]).toStrictEqual([28145.2, 6.833]);
    expect(event.bids[999]).toStrictEqual([28035.3, 0.103]);
    expect(event.asks[999]).toStrictEqual([28255.5, 0.131]);
  });

  it("uses T for a snapshot's ts when E is absent", () => {
    const r = raw("depth-snapshot-rest.txt");
    delete r.message.E;
    expect(single(mapper.map(r.message, undefined, { instrument: "BTCUSDT" })).ts).toBe(1680652700580);
  });

  it("rejects a REST depth snapshot when nothing says its symbol", () => {
    const result = mapFixture("depth-snapshot-rest.txt");
    expect(result.rejected).toMatch(/^depth snapshot: no symbol/);
  });

  it("takes a REST snapshot's symbol from the request url, over the context instrument", () => {
    const event = single(mapFixture("cryptofeed-http-snapshot.txt", new BinanceMapper(cryptofeedSymbols), { instrument: "CTKUSDT" }));
    if (event.kind !== "book") throw new Error(event.kind);
    expect([event.symbol, event.type, event.seq, event.ts, event.bids.length, event.asks.length]).toStrictEqual([
      "SUSHIUSDT",
      "snapshot",
      600859605926,
      1626992741264,
      1000,
      1000,
    ]);
    expect(event.bids[0]).toStrictEqual([7.611, 6]);
    expect(event.asks[0]).toStrictEqual([7.612, 297]);
    // With the default registry the url names an untracked symbol, whatever the context says.
    expect(mapFixture("cryptofeed-http-snapshot.txt", mapper, { instrument: "BTCUSDT" })).toStrictEqual({ events: [], ignored: "untracked-symbol" });
  });

  it("rejects malformed levels, naming the level", () => {
    const withLevels = (b: unknown): Record<string, unknown> => ({ ...raw("depth-update.txt").message, b });
    expect(mapper.map(withLevels([["19701.60", "0.000"], ["abc", "0.089"]])).rejected).toBe(
      'depthUpdate: field "b[1][0]" must be an unsigned decimal string, got "abc"',
    );
    expect(mapper.map(withLevels([["0.00", "1.000"]])).rejected).toBe('depthUpdate: field "b[0][0]" (price) must be > 0, got "0.00"');
    expect(mapper.map(withLevels([["28137.20"]])).rejected).toBe('depthUpdate: field "b[0]" must be a [price, qty] pair, got ["28137.20"]');
    expect(mapper.map(withLevels([["28137.20", "-1"]])).rejected).toBe(
      'depthUpdate: field "b[0][1]" must be an unsigned decimal string, got "-1"',
    );
    expect(mapper.map(withLevels(undefined)).rejected).toBe('depthUpdate: missing field "b"');
    expect(mapper.map({ ...raw("depth-update.txt").message, u: "2710246770529" }).rejected).toBe(
      'depthUpdate: field "u" must be a number, got "2710246770529"',
    );
  });
});

describe("BinanceMapper mark price and book ticker", () => {
  it("maps markPriceUpdate: p, i, r and T (next funding), ts = E", () => {
    expect(single(mapFixture("mark-price.txt"))).toStrictEqual({
      kind: "mark",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1680652701000,
      markPrice: 28147.27373413,
      indexPrice: 28159.75642857,
      fundingRate: 0.00002754,
      nextFundingTs: 1680652800000,
      recvTs: 1680652701048.293,
    });
  });

  it("keeps a negative funding rate and leaves out funding the venue states as absent (r '' and T 0)", () => {
    const frame = raw("mark-price.txt").message;
    expect(single(mapper.map({ ...frame, r: "-0.00010000" }))).toMatchObject({ fundingRate: -0.0001 });
    const none = single(mapper.map({ ...frame, r: "", T: 0 }));
    expect("fundingRate" in none || "nextFundingTs" in none).toBe(false);
    expect(mapper.map({ ...frame, p: "NaN" }).rejected).toBe('markPriceUpdate: field "p" must be an unsigned decimal string, got "NaN"');
    expect(mapper.map({ ...frame, r: "0.01%" }).rejected).toBe('markPriceUpdate: field "r" must be a decimal string or empty, got "0.01%"');
  });

  it("maps bookTicker to a quote, ts = E", () => {
    expect(single(mapFixture("book-ticker.txt"))).toStrictEqual({
      kind: "quote",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1680652700435,
      bidPrice: 28145.1,
      bidQty: 3.868,
      askPrice: 28145.2,
      askQty: 6.887,
      recvTs: 1680652700423.575,
    });
  });

  it("uses T for a bookTicker without E", () => {
    const frame = raw("book-ticker.txt").message;
    delete frame.E;
    expect(single(mapper.map(frame)).ts).toBe(1680652700430);
  });
});

describe("BinanceMapper liquidations (forceOrder)", () => {
  it("maps a SELL force order to a liquidated long, price = ap, qty = z, notional = ap × z", () => {
    // CSV row 1315 of forceorder_20250126-20250206.csv: p 99187.40, ap 99634.40, z 1.138.
    const event = single(mapFixture("forceorder-long.txt"));
    expect(event).toStrictEqual({
      kind: "liquidation",
      venue: "binance",
      symbol: "BTCUSDT",
      ts: 1737996820677,
      side: "long",
      price: 99634.4,
      qty: 1.138,
      notionalUsd: 99634.4 * 1.138,
      sampling: "sampled-1s",
    });
    expect(event.kind === "liquidation" && event.notionalUsd).toBeCloseTo(113383.9472, 6);
  });

  it("maps a BUY force order to a liquidated short", () => {
    expect(single(mapFixture("forceorder-short.txt"))).toStrictEqual({
      kind: "liquidation",
      venue: "binance",
      symbol: "TONUSDT",
      ts: 1766846083131,
      side: "short",
      price: 1.5846,
      qty: 5.2,
      notionalUsd: 1.5846 * 5.2,
      sampling: "sampled-1s",
    });
  });

  it("maps the historical array form of !forceOrder@arr item by item, skipping untracked items", () => {
    const long = raw("forceorder-long.txt").message;
    const short = raw("forceorder-short.txt").message;
    const untracked = { ...long, o: { ...(long.o as object), s: "LRCUSDT" } };
    const result = mapper.map([long, untracked, short], 1737996821000);
    expect(result.events.map((e) => [e.kind, e.symbol, e.recvTs])).toStrictEqual([
      ["liquidation", "BTCUSDT", 1737996821000],
      ["liquidation", "TONUSDT", 1737996821000],
    ]);
    expect(mapper.map([untracked])).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    expect(mapper.map([])).toStrictEqual({ events: [], ignored: "empty-batch" });
  });

  it("rejects a whole array frame when one item is malformed", () => {
    const long = raw("forceorder-long.txt").message;
    const bad = { ...long, o: { ...(long.o as object), ap: "abc" } };
    expect(mapper.map([long, bad])).toStrictEqual({
      events: [],
      rejected: 'batch item 1: forceOrder: field "o.ap" must be an unsigned decimal string, got "abc"',
    });
  });

  it("rejects a force order with no filled qty, an unknown side or no order", () => {
    const long = raw("forceorder-long.txt").message;
    const o = long.o as Record<string, unknown>;
    expect(mapper.map({ ...long, o: { ...o, z: "0" } }).rejected).toBe('forceOrder: field "o.z" (filled qty) must be > 0, got "0"');
    expect(mapper.map({ ...long, o: { ...o, S: "HOLD" } }).rejected).toBe('forceOrder: field "o.S" must be one of "BUY", "SELL", got "HOLD"');
    expect(mapper.map({ ...long, o: { ...o, T: undefined } }).rejected).toBe('forceOrder: missing field "o.T"');
    expect(mapper.map({ e: "forceOrder", E: 1737996820677 }).rejected).toBe('forceOrder: missing field "o"');
  });
});

describe("BinanceMapper other messages", () => {
  it("ignores known but unused event types; a forming kline is ignored as kline-open (closed ones: bars.test.ts)", () => {
    expect(mapFixture("kline.txt")).toStrictEqual({ events: [], ignored: "untracked-symbol" });
    expect(mapFixture("kline.txt", new BinanceMapper(cryptofeedSymbols))).toStrictEqual({ events: [], ignored: "kline-open" });
    expect(mapper.map({ e: "continuous_kline", ps: "BTCUSDT" })).toStrictEqual({ events: [], ignored: "unused-event:continuous_kline" });
    expect(mapper.map({ e: "24hrTicker", s: "BTCUSDT" })).toStrictEqual({ events: [], ignored: "unused-event:24hrTicker" });
  });

  it("ignores unknown event types and subscription responses, and counts error responses", () => {
    expect(mapper.map({ e: "somethingNew", s: "BTCUSDT" })).toStrictEqual({ events: [], ignored: "unknown-event:somethingNew" });
    expect(mapper.map({ result: null, id: 1 })).toStrictEqual({ events: [], ignored: "subscription-response" });
    expect(mapper.map({ code: 2, msg: "Invalid request" })).toStrictEqual({ events: [], ignored: "error-response" });
  });

  it("rejects what is not a Binance message", () => {
    expect(mapper.map(null).rejected).toBe("not a JSON object: null");
    expect(mapper.map(42).rejected).toBe("not a JSON object: 42");
    expect(mapper.map({ topic: "publicTrade.BTCUSDT" }).rejected).toMatch(/^unrecognized message: no event type "e"/);
  });

  it("tells its own frames from others", () => {
    expect(mapper.canHandle(raw("trade-buyer-maker.txt").message)).toBe(true);
    expect(mapper.canHandle(raw("depth-snapshot-rest.txt").message)).toBe(true);
    expect(mapper.canHandle([raw("forceorder-long.txt").message])).toBe(true);
    expect(mapper.canHandle(raw("kline.txt").message)).toBe(true);
    expect(mapper.canHandle({ topic: "publicTrade.BTCUSDT", data: [] })).toBe(false);
    expect(mapper.canHandle(null)).toBe(false);
  });
});
