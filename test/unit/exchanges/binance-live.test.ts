import { describe, expect, it } from "vitest";
import { CanonicalEventSchema } from "../../../src/domain/events.js";
import { BINANCE_CONNECTION } from "../../../src/exchanges/binance-connection.js";
import { BinanceMapper } from "../../../src/exchanges/binance.js";
import { CONNECTED_VENUES, getConnectionSpec, tryGetConnectionSpec, urlOverrideNames } from "../../../src/exchanges/connections.js";
import { parseRecordingLine } from "../../../src/exchanges/recording.js";
import { fixtureLine } from "./helpers.js";

const mapper = new BinanceMapper();

/**
 * Binance's documented example response of `GET /fapi/v1/openInterest`
 * (https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Open-Interest).
 */
const OI_RESPONSE = { openInterest: "10659.509", symbol: "BTCUSDT", time: 1589437530011 };

describe("BinanceMapper open interest (REST)", () => {
  it("maps the openInterest response to an oi event in base units at the response time", () => {
    expect(mapper.canHandle(OI_RESPONSE)).toBe(true);
    const result = mapper.map({ ...OI_RESPONSE }, 1589437530250, { url: "https://fapi.binance.com/fapi/v1/openInterest?symbol=BTCUSDT" });
    expect(result).toEqual({
      events: [{ kind: "oi", venue: "binance", symbol: "BTCUSDT", ts: 1589437530011, oiBase: 10659.509, recvTs: 1589437530250 }],
    });
    expect(CanonicalEventSchema.parse(result.events[0])).toStrictEqual(result.events[0]);
  });

  it("ignores the open interest of an untracked symbol", () => {
    expect(mapper.map({ ...OI_RESPONSE, symbol: "SUSHIUSDT" })).toEqual({ events: [], ignored: "untracked-symbol" });
  });

  it("rejects an open interest that is not a plain decimal or lacks its time, naming the field", () => {
    expect(mapper.map({ ...OI_RESPONSE, openInterest: "-1" }).rejected).toBe(
      'openInterest: field "openInterest" must be an unsigned decimal string, got "-1"',
    );
    expect(mapper.map({ ...OI_RESPONSE, openInterest: 10659.509 }).rejected).toMatch(/field "openInterest" must be a string/);
    const { time: _time, ...noTime } = OI_RESPONSE;
    expect(mapper.map(noTime).rejected).toBe('openInterest: missing field "time"');
  });
});

describe("BINANCE_CONNECTION", () => {
  it("subscribes raw trades, 100 ms diff depth and the 1 s mark price per instrument, and all liquidations", () => {
    expect(BINANCE_CONNECTION.topics("BTCUSDT")).toEqual(["btcusdt@trade", "btcusdt@depth@100ms", "btcusdt@markPrice@1s"]);
    expect(BINANCE_CONNECTION.topics("1000PEPEUSDT")[0]).toBe("1000pepeusdt@trade");
    expect(BINANCE_CONNECTION.globalTopics()).toEqual(["!forceOrder@arr"]);
    expect(BINANCE_CONNECTION.liquidationSampling).toBe("sampled-1s");
    expect(BINANCE_CONNECTION.keepalive).toBeNull();
  });

  it("routes depth, book ticker and raw trades to /public and the rest to /market", () => {
    const base = "wss://fstream.binance.com";
    expect(BINANCE_CONNECTION.endpoint!("btcusdt@depth@100ms", base)).toEqual({ name: "public", url: `${base}/public/stream` });
    expect(BINANCE_CONNECTION.endpoint!("btcusdt@trade", base).name).toBe("public");
    expect(BINANCE_CONNECTION.endpoint!("btcusdt@bookTicker", base).name).toBe("public");
    expect(BINANCE_CONNECTION.endpoint!("btcusdt@aggTrade", base)).toEqual({ name: "market", url: `${base}/market/stream` });
    expect(BINANCE_CONNECTION.endpoint!("btcusdt@markPrice@1s", "ws://127.0.0.1:9000/").url).toBe("ws://127.0.0.1:9000/market/stream");
    expect(BINANCE_CONNECTION.endpoint!("!forceOrder@arr", base).name).toBe("market");
  });

  it("sends SUBSCRIBE frames of at most 100 streams with increasing ids", () => {
    const topics = Array.from({ length: 250 }, (_, i) => `s${i}@trade`);
    const frames = BINANCE_CONNECTION.subscribeFrames(topics).map((f) => JSON.parse(f));
    expect(frames.map((f) => [f.method, f.id, f.params.length])).toEqual([
      ["SUBSCRIBE", 1, 100],
      ["SUBSCRIBE", 2, 100],
      ["SUBSCRIBE", 3, 50],
    ]);
    expect(frames.flatMap((f) => f.params)).toEqual(topics);
  });

  it("treats the subscribe acknowledgement as control and names each frame's topic from its envelope", () => {
    expect(BINANCE_CONNECTION.isControl({ result: null, id: 1 })).toBe(true);
    expect(BINANCE_CONNECTION.isControl({ error: { code: 2, msg: "Invalid request" }, id: 1 })).toBe(false);
    const parsed = parseRecordingLine(fixtureLine("depth-update.txt"));
    if (parsed.type !== "message") throw new Error(parsed.type);
    expect(BINANCE_CONNECTION.isControl(parsed.message)).toBe(false);
    expect(BINANCE_CONNECTION.topicOf!(parsed.message, parsed.stream)).toBe("btcusdt@depth@0ms");
  });

  it("declares mark price stale after 15 s, depth after 60 s, trades after 120 s, liquidations never", () => {
    expect(BINANCE_CONNECTION.staleAfterMs("btcusdt@markPrice@1s")).toBe(15_000);
    expect(BINANCE_CONNECTION.staleAfterMs("btcusdt@depth@100ms")).toBe(60_000);
    expect(BINANCE_CONNECTION.staleAfterMs("btcusdt@trade")).toBe(120_000);
    expect(BINANCE_CONNECTION.staleAfterMs("!forceOrder@arr")).toBe(Number.POSITIVE_INFINITY);
  });

  it("builds the REST depth snapshot, open interest and insurance requests under an overridable base", () => {
    expect(BINANCE_CONNECTION.depthSnapshotUrl!("https://fapi.binance.com", "BTCUSDT")).toBe("https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
    expect(BINANCE_CONNECTION.polls!.map((p) => [p.name, p.everyMs, p.url("http://127.0.0.1:9000/", "ETHUSDT")])).toEqual([
      ["openInterest", 30_000, "http://127.0.0.1:9000/fapi/v1/openInterest?symbol=ETHUSDT"],
      ["insurance", 60_000, "http://127.0.0.1:9000/fapi/v1/insuranceBalance"],
    ]);
  });
});

describe("connection registry", () => {
  it("registers every venue and names the URL override variables per venue", () => {
    expect(CONNECTED_VENUES).toEqual(["binance", "bybit", "okx", "hyperliquid"]);
    expect(getConnectionSpec("binance")).toBe(BINANCE_CONNECTION);
    expect(urlOverrideNames("hyperliquid")).toEqual({ ws: "HYPERLIQUID_WS_URL", rest: "HYPERLIQUID_REST_URL" });
  });

  it("rejects an unknown venue, listing the registered ones", () => {
    expect(tryGetConnectionSpec("kraken")).toBeUndefined();
    expect(tryGetConnectionSpec("toString")).toBeUndefined();
    expect(() => getConnectionSpec("kraken")).toThrow(/no live connection spec for venue "kraken"; registered: binance, bybit, okx, hyperliquid/);
  });
});
