import { describe, expect, it } from "vitest";
import { BinanceMapper } from "../../../src/exchanges/binance.js";
import { getMapper, inferInstrument, MAPPED_VENUES, normalizeLine } from "../../../src/exchanges/registry.js";
import { fixtureLine, recordingLines } from "./helpers.js";

describe("getMapper", () => {
  it("returns the Binance mapper for binance", () => {
    const mapper = getMapper("binance");
    expect(mapper).toBeInstanceOf(BinanceMapper);
    expect(mapper.venue).toBe("binance");
    expect(MAPPED_VENUES).toStrictEqual(["binance", "bybit", "okx", "hyperliquid"]);
  });

  it("rejects an unknown venue, listing the known ones", () => {
    expect(() => getMapper("kraken")).toThrow('unknown venue "kraken"; known venues: binance, bybit, okx, hyperliquid');
    expect(() => getMapper("toString")).toThrow('unknown venue "toString"');
  });
});

describe("normalizeLine", () => {
  const mapper = getMapper("binance");

  it("parses the line, maps it and carries the local receive time onto the event", () => {
    const result = normalizeLine(mapper, fixtureLine("trade-buyer-maker.txt"));
    expect(result.hadMessage).toBe(true);
    expect(result.events.map((e) => [e.kind, e.ts, e.recvTs])).toStrictEqual([["trade", 1680652700452, 1680652700441.533]]);
  });

  it("reports skipped lines as ignored, with no message", () => {
    expect(normalizeLine(mapper, fixtureLine("cryptofeed-connect.txt"))).toStrictEqual({ events: [], ignored: "connect-line", hadMessage: false });
    expect(normalizeLine(mapper, "")).toStrictEqual({ events: [], ignored: "empty-line", hadMessage: false });
  });

  it("reports unreadable lines as rejected", () => {
    const result = normalizeLine(mapper, "1680652700441533 {not json");
    expect(result.hadMessage).toBe(false);
    expect(result.rejected).toMatch(/^invalid JSON: /);
  });

  it("passes the context instrument to a REST snapshot, and the line's url over it", () => {
    const snapshot = fixtureLine("depth-snapshot-rest.txt");
    expect(normalizeLine(mapper, snapshot).rejected).toMatch(/^depth snapshot: no symbol/);
    expect(normalizeLine(mapper, snapshot, { instrument: "BTCUSDT" }).events.map((e) => [e.kind, e.symbol])).toStrictEqual([["book", "BTCUSDT"]]);
    expect(normalizeLine(mapper, fixtureLine("cryptofeed-http-snapshot.txt"), { instrument: "BTCUSDT" }).ignored).toBe("untracked-symbol");
  });
});

describe("inferInstrument", () => {
  const mapper = getMapper("binance");

  it("finds the one instrument of a single-symbol recording from its first lines", async () => {
    const lines = (await recordingLines("hftbacktest_btcusdt_20240808.gz")).slice(0, 100);
    expect(inferInstrument(mapper, lines)).toBe("BTCUSDT");
  });

  it("gives none when the lines name no tracked symbol or several", () => {
    expect(inferInstrument(mapper, [fixtureLine("depth-snapshot-rest.txt")])).toBeUndefined();
    expect(inferInstrument(mapper, [fixtureLine("untracked-symbol.txt")])).toBeUndefined();
    expect(inferInstrument(mapper, [fixtureLine("forceorder-long.txt"), fixtureLine("forceorder-short.txt")])).toBeUndefined();
  });
});
