import { describe, expect, it } from "vitest";
import { fetchableWsUrl, parseLiveConfig } from "../../../workers/collector/src/live-config.js";

describe("live mode settings", () => {
  it("defaults to every venue, every tracked symbol, the public URLs and no capture", () => {
    const c = parseLiveConfig({ LIQFLOW_VENUES: "", BINANCE_WS_URL: "" });
    expect(c.venues).toEqual(["binance", "bybit", "okx", "hyperliquid"]);
    expect(c.symbols).toHaveLength(21);
    expect(c.urls).toEqual({});
    expect(c.rawCapture).toEqual({ enabled: false, chunkMs: 600_000, chunkChars: 8_000_000 });
    expect(c.insurancePollMs).toBe(60_000);
  });

  it("reads the insurance poll period in seconds, within 10 s .. 1 day", () => {
    expect(parseLiveConfig({ INSURANCE_POLL_SECONDS: "300" }).insurancePollMs).toBe(300_000);
    expect(() => parseLiveConfig({ INSURANCE_POLL_SECONDS: "5" })).toThrow(/INSURANCE_POLL_SECONDS must be between 10 and 86400, got "5"/);
    expect(() => parseLiveConfig({ INSURANCE_POLL_SECONDS: "soon" })).toThrow(/INSURANCE_POLL_SECONDS must be a positive number/);
  });

  it("reads the bracket poll period in seconds, an hour by default, within 1 min .. 1 day", () => {
    expect(parseLiveConfig({}).bracketsPollMs).toBe(3_600_000);
    expect(parseLiveConfig({ BRACKETS_POLL_SECONDS: "600" }).bracketsPollMs).toBe(600_000);
    expect(() => parseLiveConfig({ BRACKETS_POLL_SECONDS: "30" })).toThrow(/BRACKETS_POLL_SECONDS must be between 60 and 86400, got "30"/);
    expect(() => parseLiveConfig({ BRACKETS_POLL_SECONDS: "hourly" })).toThrow(/BRACKETS_POLL_SECONDS must be a positive number/);
  });

  it("reads venues, symbols, URL overrides and capture chunking", () => {
    const c = parseLiveConfig({
      LIQFLOW_VENUES: "binance, OKX",
      LIQFLOW_SYMBOLS: "btcusdt,ETHUSDT",
      BINANCE_WS_URL: "ws://127.0.0.1:9000/",
      BINANCE_REST_URL: "http://127.0.0.1:9000",
      RAW_CAPTURE: "1",
      RAW_CAPTURE_CHUNK_MINUTES: "0.5",
      RAW_CAPTURE_CHUNK_MB: "2",
    });
    expect(c.venues).toEqual(["binance", "okx"]);
    expect(c.symbols).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(c.urls).toEqual({ binance: { ws: "ws://127.0.0.1:9000", rest: "http://127.0.0.1:9000" } });
    expect(c.rawCapture).toEqual({ enabled: true, chunkMs: 30_000, chunkChars: 2_000_000 });
  });

  it("rejects bad values with a message naming the variable", () => {
    expect(() => parseLiveConfig({ LIQFLOW_VENUES: "binance,kraken" })).toThrow(/LIQFLOW_VENUES: unknown venue "kraken"/);
    expect(() => parseLiveConfig({ LIQFLOW_SYMBOLS: "BTCUSD" })).toThrow(/LIQFLOW_SYMBOLS: "BTCUSD" is not a tracked symbol/);
    expect(() => parseLiveConfig({ BINANCE_WS_URL: "fstream.binance.com" })).toThrow(/BINANCE_WS_URL must be a URL/);
    expect(() => parseLiveConfig({ BINANCE_REST_URL: "ws://x" })).toThrow(/BINANCE_REST_URL must be a http: or https: URL/);
    expect(() => parseLiveConfig({ RAW_CAPTURE: "yes" })).toThrow(/RAW_CAPTURE must be 1 or 0/);
    expect(() => parseLiveConfig({ RAW_CAPTURE_CHUNK_MB: "0" })).toThrow(/RAW_CAPTURE_CHUNK_MB must be a positive number/);
  });

  it("turns ws:// and wss:// into the http(s) URL workerd's fetch upgrades", () => {
    expect(fetchableWsUrl("ws://127.0.0.1:9000/public/stream")).toBe("http://127.0.0.1:9000/public/stream");
    expect(fetchableWsUrl("wss://fstream.binance.com/market/stream")).toBe("https://fstream.binance.com/market/stream");
    expect(fetchableWsUrl("https://x.test/ws")).toBe("https://x.test/ws");
  });
});
