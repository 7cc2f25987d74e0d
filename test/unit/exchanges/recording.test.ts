import { describe, expect, it } from "vitest";
import { integerTimestampMs, parseRecordingLine } from "../../../src/exchanges/recording.js";
import { fixtureLine, venueFixtureLine } from "./helpers.js";

describe("parseRecordingLine", () => {
  it("reads a hftbacktest line with a microsecond local timestamp and unwraps the envelope", () => {
    const parsed = parseRecordingLine(fixtureLine("trade-buyer-maker.txt"));
    expect(parsed).toStrictEqual({
      type: "message",
      recvTs: 1680652700441.533,
      stream: "btcusdt@trade",
      message: {
        e: "trade",
        E: 1680652700455,
        T: 1680652700452,
        s: "BTCUSDT",
        t: 3535186032,
        p: "28145.10",
        q: "0.002",
        X: "MARKET",
        m: true,
      },
    });
  });

  it("reads a nanosecond local timestamp beyond 2^53 without losing the sub-millisecond digits", () => {
    const parsed = parseRecordingLine(fixtureLine("trade-ns-timestamp.txt"));
    expect(parsed.type).toBe("message");
    // 1723161255088176367 ns → 1723161255088.176367 ms (the nearest double).
    expect(parsed.type === "message" && parsed.recvTs).toBe(1723161255088.176367);
  });

  it("reads a bare REST depth snapshot line (no envelope, Python-style spaces) with its local time", () => {
    const parsed = parseRecordingLine(fixtureLine("depth-snapshot-rest.txt"));
    if (parsed.type !== "message") throw new Error(parsed.reason);
    expect(parsed.recvTs).toBe(1680652700599.351);
    expect(parsed.stream).toBeUndefined();
    expect(parsed.url).toBeUndefined();
    expect((parsed.message as { lastUpdateId: number }).lastUpdateId).toBe(2710246765483);
  });

  it("reads a cryptofeed received line `<seconds.frac>: <json>`", () => {
    const parsed = parseRecordingLine(fixtureLine("aggtrade.txt"));
    if (parsed.type !== "message") throw new Error(parsed.reason);
    expect(parsed.recvTs).toBe(1626992742289.739);
    expect(parsed.stream).toBe("ctkusdt@aggTrade");
    expect((parsed.message as { a: number }).a).toBe(16599292);
  });

  it("keeps the url of a cryptofeed REST response line `<url> -> <ts>: <body>`", () => {
    const parsed = parseRecordingLine(fixtureLine("cryptofeed-http-snapshot.txt"));
    if (parsed.type !== "message") throw new Error(parsed.reason);
    expect(parsed.url).toBe("https://fapi.binance.com/fapi/v1/depth?symbol=SUSHIUSDT&limit=1000");
    expect(parsed.recvTs).toBe(1626992741301.402);
    expect((parsed.message as { lastUpdateId: number }).lastUpdateId).toBe(600859605926);
  });

  it("skips a cryptofeed connect line, which is not an error", () => {
    expect(parseRecordingLine(fixtureLine("cryptofeed-connect.txt"))).toStrictEqual({ type: "skip", reason: "connect-line" });
  });

  it("skips a cryptofeed sent-request line", () => {
    const line = 'wss://fstream.binance.com/ws <- 1626992740.2: {"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}';
    expect(parseRecordingLine(line)).toStrictEqual({ type: "skip", reason: "sent-line" });
  });

  it("skips empty and blank lines", () => {
    expect(parseRecordingLine("")).toStrictEqual({ type: "skip", reason: "empty-line" });
    expect(parseRecordingLine("   ")).toStrictEqual({ type: "skip", reason: "empty-line" });
  });

  it("reads a plain JSON frame, as a live socket delivers it, and unwraps the combined-stream envelope", () => {
    const parsed = parseRecordingLine(fixtureLine("forceorder-long.txt"));
    if (parsed.type !== "message") throw new Error(parsed.reason);
    expect(parsed.recvTs).toBeUndefined();
    expect(parsed.stream).toBe("!forceOrder@arr");
    expect((parsed.message as { e: string }).e).toBe("forceOrder");
  });

  it("passes a plain JSON message without envelope through unchanged", () => {
    expect(parseRecordingLine('{"result":null,"id":1}')).toStrictEqual({ type: "message", message: { result: null, id: 1 } });
  });

  it("rejects invalid JSON with the parser's reason", () => {
    const line = fixtureLine("trade-buyer-maker.txt").slice(0, 80);
    const parsed = parseRecordingLine(line);
    expect(parsed.type).toBe("reject");
    expect(parsed.type === "reject" && parsed.reason).toMatch(/^invalid JSON: /);
  });

  it("rejects a line in no known format", () => {
    expect(parseRecordingLine("hello world")).toStrictEqual({ type: "reject", reason: 'unrecognized line format: "hello world"' });
    expect(parseRecordingLine("no-space-at-all")).toStrictEqual({ type: "reject", reason: 'unrecognized line format: "no-space-at-all"' });
  });
});

describe("integerTimestampMs", () => {
  it("infers seconds, milliseconds, microseconds and nanoseconds from the digit count", () => {
    expect(integerTimestampMs("1680652700")).toBe(1680652700000);
    expect(integerTimestampMs("1680652700441")).toBe(1680652700441);
    expect(integerTimestampMs("1680652700441533")).toBe(1680652700441.533);
    expect(integerTimestampMs("1723161255088176367")).toBe(1723161255088.176367);
  });

  it("refuses a timestamp longer than nanoseconds", () => {
    expect(integerTimestampMs("172316125508817636700")).toBeUndefined();
  });
});

describe("parseRecordingLine: cryptofeed JSON Lines records (Bybit v3 recording)", () => {
  it("reads a recv record: the payload string is parsed again, ts (epoch s) becomes recvTs (ms), conn is kept", () => {
    const parsed = parseRecordingLine(venueFixtureLine("bybit", "public-trade-sell.txt"));
    if (parsed.type !== "message") throw new Error(parsed.type);
    expect(parsed.recvTs).toBe(1786310819965.676);
    expect(parsed.connection).toBe("BYBIT.ws.2");
    expect(parsed.url).toBeUndefined();
    expect((parsed.message as { topic: string }).topic).toBe("publicTrade.BTCUSDT");
  });

  it("skips header, connect and send records with their reasons; connect and send keep connection and address", () => {
    expect(parseRecordingLine(venueFixtureLine("bybit", "jsonl-header.txt"))).toStrictEqual({ type: "skip", reason: "header-record" });
    expect(parseRecordingLine(venueFixtureLine("bybit", "jsonl-connect-spot.txt"))).toStrictEqual({
      type: "skip",
      reason: "connect-record",
      connection: "BYBIT.ws.3",
      url: "wss://stream.bybit.com/v5/public/spot",
    });
    expect(parseRecordingLine(venueFixtureLine("bybit", "jsonl-send-all-liquidation.txt"))).toStrictEqual({
      type: "skip",
      reason: "sent-record",
      connection: "BYBIT.ws.2",
      url: "wss://stream.bybit.com/v5/public/linear",
    });
  });

  it("reads an http record as a message with its request url", () => {
    const line = JSON.stringify({ t: "http", conn: "BYBIT.http.1", ts: 1786310817.601629, url: "https://api.bybit.com/v5/market/instruments-info?category=linear", data: '{"retCode":0,"result":{}}' });
    expect(parseRecordingLine(line)).toStrictEqual({
      type: "message",
      message: { retCode: 0, result: {} },
      recvTs: 1786310817601.629,
      url: "https://api.bybit.com/v5/market/instruments-info?category=linear",
      connection: "BYBIT.http.1",
    });
  });

  it("rejects a recv record whose data is not a string, or whose payload is not JSON", () => {
    expect(parseRecordingLine('{"t":"recv","conn":"c","ts":1,"data":{"topic":"x"}}')).toStrictEqual({
      type: "reject",
      reason: 'recv record: field "data" must be a string (the payload), got object',
    });
    expect(parseRecordingLine('{"t":"recv","conn":"c","ts":1,"data":"{oops"}').type).toBe("reject");
  });

  it("reads a venue message whose first key happens to be t as a plain message", () => {
    expect(parseRecordingLine('{"t":1700000000000,"p":"1"}')).toStrictEqual({ type: "message", message: { t: 1700000000000, p: "1" } });
  });

  it("reads the nautilus ob500 line (CRLF stripped by the line reader) as a plain message", () => {
    const parsed = parseRecordingLine(venueFixtureLine("bybit", "ob500-delta-crlf.txt"));
    expect(parsed.type === "message" && (parsed.message as { topic: string }).topic).toBe("orderbook.500.XRPUSDT");
  });
});
